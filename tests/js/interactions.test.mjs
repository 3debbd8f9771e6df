// interactions.js against the shared vectors (run: node --test tests/js/). The same file drives
// tests/test_interactions.py, so the browser's interactions cannot drift from the type modules.
// The browser has no texts: components are compared by id.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const data = JSON.parse(readFileSync(join(here, "..", "vectors", "interactions.json"), "utf8"));
const I = createRequire(import.meta.url)(join(here, "..", "..", "src", "mesotrain", "assets", "lazy", "interactions.js"));
const idsOnly = (list) => list.map((i) => Object.fromEntries(Object.entries(i).map(([k, v]) =>
  [k, ["choices", "source", "target"].includes(k) ? v.map((c) => ({ id: c.id })) : v])));

for (const [name, q] of Object.entries(data.questions)) {
  test(`interactions.json: ${name}`, () => assert.deepEqual(I.of(q), idsOnly(data.interactions[name])));
}
for (const c of data.cases) {
  test(`interactions.json: ${c.name}`, () => assert.deepEqual(I.answer(data.questions[c.question], c.response), c.answers));
}
test("numbers are written without exponent", () => {
  assert.deepEqual([5, -0, 0.1, 1e-7, -2.5e-6, 1e16, 1.5e21, 123.456].map(I.number),
    ["5", "0", "0.1", "0.0000001", "-0.0000025", "10000000000000000", "1500000000000000000000", "123.456"]);
});
