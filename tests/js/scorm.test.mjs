// The SCORM runtime's formats (src/mesotrain/scorm/runtime/scorm.js): durations in each
// version's form, and the 2004 interaction strings turned into SCORM 1.2's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const f = createRequire(import.meta.url)(join(here, "..", "..", "src", "mesotrain", "scorm", "runtime", "scorm.js"));

test("durations: CMITimespan for 1.2, ISO 8601 for 2004", () => {
  assert.equal(f.duration(3723450, true), "0001:02:03.45");
  assert.equal(f.duration(3723450, false), "PT1H2M3.45S");
  assert.equal(f.duration(0, true), "0000:00:00.00");
  assert.equal(f.duration(0, false), "PT0S");
  assert.equal(f.duration(59999, false), "PT1M0S");  // rounded to hundredths, carried into the minute
  assert.equal(f.duration(10001 * 3600e3, true), "9999:00:00.00");  // 1.2 has four digits of hours
});

test("timestamps: hundredths at most, and the zone after them, as 2004 requires", () => {
  assert.equal(f.stamp(new Date(Date.UTC(2026, 11, 6, 9, 5, 7, 123))), "2026-12-06T09:05:07.12Z");
});

test("1.2 forms: t/f, plain separators, no case flag, types 1.2 knows", () => {
  assert.deepEqual(f.to12({ type: "true-false", correct: ["true"], response: "false" }),
    { type: "true-false", correct: ["t"], response: "f" });
  assert.deepEqual(f.to12({ type: "choice", correct: ["a[,]c"], response: "c[,]a" }),
    { type: "choice", correct: ["a,c"], response: "c,a" });
  assert.deepEqual(f.to12({ type: "matching", correct: ["m1[.]m1[,]m2[.]m2"], response: "m1[.]m1[,]m2[.]d0" }),
    { type: "matching", correct: ["m1.m1,m2.m2"], response: "m1.m1,m2.d0" });
  assert.deepEqual(f.to12({ type: "fill-in", correct: ["{case_matters=true}Vertex"], response: "vertex" }),
    { type: "fill-in", correct: ["Vertex"], response: "vertex" });
  assert.equal(f.to12({ type: "long-fill-in", correct: [], response: "x" }).type, "fill-in");
  assert.equal(f.to12({ type: "other", correct: [], response: "x" }).type, "performance");
});

test("1.2 numeric: one number stays, a range 1.2 cannot write is left out, long strings are cut", () => {
  assert.deepEqual(f.to12({ type: "numeric", correct: ["5[:]5", "4[:]6"], response: "5" }).correct, ["5"]);
  const long = f.to12({ type: "fill-in", correct: ["x".repeat(300)], response: "y".repeat(300) });
  assert.deepEqual(long.correct, []);
  assert.equal(long.response.length, 255);
});

test("numbers are short decimal strings", () => {
  assert.equal(f.num(2 / 3), "0.6667");
  assert.equal(f.num(100), "100");
  assert.equal(f.num("0.5"), "0.5");
});
