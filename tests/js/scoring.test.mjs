// scoring.js against the shared vectors (run: node --test tests/js/). The same files drive
// tests/test_scoring.py, so the browser's instant feedback cannot drift from scoring.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const vectors = join(here, "..", "vectors");
const scoring = createRequire(import.meta.url)(join(here, "..", "..", "src", "mesotrain", "assets", "lazy", "scoring.js"));
const close = (got, want, what) => assert.ok(Math.abs(got - want) <= 1e-9, `${what}: got ${got}, want ${want}`);
const response = (r) => (r && r.$undefined === true ? undefined : r);

const OTHER = ["attempt.json", "interactions.json"]; // not credit vectors: below, and interactions.test.mjs
for (const name of readdirSync(vectors).filter((n) => n.endsWith(".json") && !OTHER.includes(n)).sort()) {
  const data = JSON.parse(readFileSync(join(vectors, name), "utf8"));
  for (const c of data.cases) {
    test(`${name}: ${c.name}`, () => {
      const got = scoring.credit(data.questions[c.question], response(c.response), c.multiple_scoring, c.negative_marking);
      close(got, c.expected, "credit");
    });
  }
}

const attempts = JSON.parse(readFileSync(join(vectors, "attempt.json"), "utf8"));
for (const c of attempts.cases) {
  test(`attempt.json: ${c.name}`, () => {
    const items = c.items.map((i) => ({ question: attempts.questions[i.question], domain: i.domain, response: i.response }));
    const got = scoring.scoreAttempt(items, c);
    const want = c.expected;
    close(got.earned, want.earned, "earned");
    close(got.possible, want.possible, "possible");
    close(got.fraction, want.fraction, "fraction");
    assert.equal(got.passed, want.passed);
    assert.deepEqual(got.must_pass_failed, want.must_pass_failed);
    assert.deepEqual(got.domains_below_minimum, want.domains_below_minimum);
    for (const key of ["by_domain", "by_objective"]) {
      assert.deepEqual(Object.keys(got[key]), Object.keys(want[key]));
      for (const k of Object.keys(want[key])) want[key][k].forEach((v, n) => close(got[key][k][n], v, `${key}.${k}`));
    }
    assert.deepEqual(Object.fromEntries(got.items.map((i) => [i.id, i.correct])), want.correct);
    assert.equal(got.rules_version, scoring.RULES_VERSION);
  });
}
