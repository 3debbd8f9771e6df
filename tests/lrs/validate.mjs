// Validates xAPI statements with @learninglocker/xapi-validation (Learning Locker's validator).
// Usage: node tests/lrs/validate.mjs FILE.json  (a statement or an array of them)
// Prints a JSON array of problems, [{index, path, message}]; exits 1 when there is any.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const validate = require("@learninglocker/xapi-validation").default;

export function problems(statements) {
  const out = [];
  [].concat(statements).forEach((s, index) => {
    for (const w of validate(s)) {
      out.push({ index, path: (w.path || []).join("."), message: String(w.message || w.constructor.name), data: w.data === undefined ? null : w.data });
    }
  });
  return out;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const found = problems(JSON.parse(readFileSync(process.argv[2], "utf8")));
  console.log(JSON.stringify(found));
  process.exit(found.length ? 1 : 0);
}
