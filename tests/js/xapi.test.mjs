// The xAPI runtime (assets/lazy/xapi.js) in node: every statement shape it builds passes
// Learning Locker's validator, and its queue and sender keep statements until an LRS takes them.
// The same runtime is driven in Chromium against Ralph by tests/e2e/test_lrs.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { webcrypto } from "node:crypto";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const lazy = join(here, "..", "..", "src", "mesotrain", "assets", "lazy");
const X = require(join(lazy, "xapi.js"));
const I = require(join(lazy, "interactions.js"));
const S = require(join(lazy, "scoring.js"));
const validate = require("@learninglocker/xapi-validation").default;
const vectors = JSON.parse(readFileSync(join(here, "..", "vectors", "interactions.json"), "utf8"));

const C = {
  endpoint: "https://lrs.example.org/xapi/", auth: "Basic c2l0ZTp3cml0ZS1vbmx5", activities: "https://training.example.org/mini/",
  course: "Mini course", sealed: true, version: "1.0.3",
  verbs: {
    answered: "http://adlnet.gov/expapi/verbs/answered", attempted: "http://adlnet.gov/expapi/verbs/attempted",
    completed: "http://adlnet.gov/expapi/verbs/completed", passed: "http://adlnet.gov/expapi/verbs/passed",
    failed: "http://adlnet.gov/expapi/verbs/failed", submitted: "http://activitystrea.ms/schema/1.0/submit",
  },
  types: {
    course: "http://adlnet.gov/expapi/activities/course", lesson: "http://adlnet.gov/expapi/activities/lesson",
    exam: "http://adlnet.gov/expapi/activities/assessment", question: "http://adlnet.gov/expapi/activities/cmi.interaction",
  },
  ext: { file: "urn:mesotrain:xapi:result-file", attempt: "urn:mesotrain:xapi:attempt" },
};
const trainee = { actor: { objectType: "Agent", account: { homePage: C.activities, name: "0b6f2c1e-5d0e-4d1c-9a3e-1f2a3b4c5d6e" } },
  registration: "2c9d4b1a-7e6f-4a5b-8c7d-9e0f1a2b3c4d" };
const env = { uuid: () => X.uuid(webcrypto), now: () => Date.parse("2026-12-06T09:00:00Z"), interactions: I, scoring: S, trainee };
const B = X.builders(C, env);

function valid(statements) {
  assert.ok(statements.length > 0);
  for (const s of statements) assert.deepEqual(validate(s).map((w) => w.path.join(".") + " " + JSON.stringify(w.data)), [], JSON.stringify(s));
  return statements;
}

test("lesson statements: attempted on a visit, completed with completion", () => {
  const [a] = valid(B.lesson({ id: "basics", title: "Basics", url: "/lessons/basics/", status: "attempted" }));
  const [c] = valid(B.lesson({ id: "basics", title: "Basics", url: "/lessons/basics/", status: "completed" }));
  assert.equal(a.verb.id, C.verbs.attempted);
  assert.equal(a.object.id, C.activities + "lessons/basics");
  assert.equal(a.context.contextActivities.parent[0].id, C.activities);
  assert.equal(a.context.registration, trainee.registration);
  assert.deepEqual(a.actor, trainee.actor);
  assert.equal(c.verb.id, C.verbs.completed);
  assert.deepEqual(c.result, { completion: true });
  assert.notEqual(a.id, c.id);
});

// every question of the shared vectors, answered as each case of the vectors answers it
for (const c of vectors.cases) {
  test(`practice answered: ${c.name}`, () => {
    const q = vectors.questions[c.question], max = S.maxCredit(q), earned = S.credit(q, c.response);
    const list = valid(B.practice({ kind: "practice", id: q.id, lesson: "basics", q, r: c.response, earned, max, at: "2026-12-06T09:01:02.345Z" }));
    const expected = I.of(q);
    assert.equal(list.length, expected.length);
    list.forEach((s, n) => {
      assert.equal(s.verb.id, C.verbs.answered);
      assert.equal(s.object.id, C.activities + "questions/" + encodeURIComponent(expected[n].id));
      assert.equal(s.object.definition.interactionType, expected[n].type);
      assert.deepEqual(s.object.definition.correctResponsesPattern, expected[n].correct);
      assert.equal(s.result.response, c.answers[n]);
      assert.equal(s.timestamp, "2026-12-06T09:01:02.345Z");
      assert.equal(s.context.contextActivities.parent[0].id, C.activities + "lessons/basics");
      assert.equal(s.context.contextActivities.grouping[0].id, C.activities);
    });
    if (list.length === 1) {
      assert.deepEqual(list[0].result.score, { scaled: Math.round((earned / max) * 1e4) / 1e4, raw: Math.round(earned * 1e4) / 1e4, min: 0, max });
      assert.equal(list[0].result.success, earned >= max);
    }
  });
}

const file = (mode) => JSON.stringify({ attempt_id: "5b2f8c3e-9a1d-4e6f-8b7c-0d1e2f3a4b5c", exam: { id: "mini-exam", mode },
  candidate: { name: "Ada Lovelace", candidate_id: "C-001", email: "ada@example.org" }, responses: [], checksum: "sha256:" + "0".repeat(64) });
const examEvent = (mode, result) => ({
  phase: "submitted", attempt: "5b2f8c3e-9a1d-4e6f-8b7c-0d1e2f3a4b5c", started: "2026-12-06T09:00:00.000Z", ended: "2026-12-06T09:12:03.500Z",
  duration_ms: 723500, exam: { id: "mini-exam", mode, form: "A", pass_mark: 0.6, time_limit_minutes: 30 }, file: file(mode), result,
});

test("open exam: answered per item, then completed and passed, as the candidate, one registration", () => {
  const single = vectors.questions.single, multi = vectors.questions.multiple;
  const items = [
    { id: "x01", q: single, r: "a", earned: S.credit(single, "a"), max: S.maxCredit(single), time_ms: 4200, domain: "basics" },
    { id: "x02", q: multi, r: ["x"], earned: S.credit(multi, ["x"]), max: S.maxCredit(multi), time_ms: 1000, domain: "basics" },
  ];
  const raw = items[0].earned + items[1].earned, max = items[0].max + items[1].max;
  const list = valid(B.exam(examEvent("open", { raw, min: 0, max, scaled: raw / max, passed: true, items })));
  assert.deepEqual(list.map((s) => s.verb.id), [C.verbs.answered, C.verbs.answered, C.verbs.completed, C.verbs.passed]);
  for (const s of list) {
    assert.deepEqual(s.actor, { objectType: "Agent", mbox: "mailto:ada@example.org", name: "Ada Lovelace" });
    assert.equal(s.context.registration, "5b2f8c3e-9a1d-4e6f-8b7c-0d1e2f3a4b5c");
    assert.equal(s.context.extensions[C.ext.attempt], "5b2f8c3e-9a1d-4e6f-8b7c-0d1e2f3a4b5c");
  }
  assert.equal(list[0].object.id, C.activities + "exam/mini-exam/" + single.id);
  assert.equal(list[0].context.contextActivities.parent[0].id, C.activities + "exam/mini-exam");
  assert.equal(list[0].result.duration, "PT4.2S");
  const passed = list[3].result;
  assert.equal(passed.success, true);
  assert.deepEqual(passed.score, { scaled: Math.round((raw / max) * 1e4) / 1e4, raw, min: 0, max });
  assert.equal(passed.duration, "PT12M3.5S");
  const failed = valid(B.exam(examEvent("open", { raw: 0, min: 0, max, scaled: 0, passed: false, items: [] })));
  assert.deepEqual(failed.map((s) => s.verb.id), [C.verbs.completed, C.verbs.failed]);
  assert.equal(failed[1].result.success, false);
});

test("sealed exam: one submitted statement holding the result file's text, and no score", () => {
  const [s, ...rest] = valid(B.exam(examEvent("sealed")));
  assert.equal(rest.length, 0);
  assert.equal(s.verb.id, C.verbs.submitted);
  assert.equal(s.result.extensions[C.ext.file], file("sealed"));
  assert.equal(s.result.score, undefined);
  assert.equal(s.result.success, undefined);
  assert.equal(s.object.definition.type, C.types.exam);
  assert.deepEqual(X.builders({ ...C, sealed: false }, env).exam(examEvent("sealed")), []);
  assert.deepEqual(B.exam({ ...examEvent("sealed"), phase: "submitted", file: "{ not json" }), []);
});

test("ISO 8601 durations", () => {
  assert.deepEqual([0, 10, 1500, 61000, 3723450].map(X.duration), ["PT0S", "PT0.01S", "PT1.5S", "PT1M1S", "PT1H2M3.45S"]);
});

// --- the queue and the sender ------------------------------------------------------------------

function storage(limit = Infinity) {
  const m = {};
  return {
    m, getItem: (k) => (k in m ? m[k] : null),
    setItem(k, v) { if (v.length > limit) { const e = new Error("QuotaExceededError"); e.name = "QuotaExceededError"; throw e; } m[k] = v; },
  };
}
const st = (id, extra = "") => ({ s: { id, pad: extra } });

test("the queue survives a reload, is bounded, and drops practice before a sealed attempt", () => {
  const box = storage(), q = X.queue(box, "k");
  q.add([{ s: { id: "file" }, k: "file" }]);
  q.add(Array.from({ length: 450 }, (_, n) => st("p" + n)));
  const again = X.queue(box, "k").all();
  assert.equal(again.length, 400);
  assert.equal(again[0].s.id, "file");
  assert.equal(again[1].s.id, "p51");
  assert.equal(again[399].s.id, "p449");
  box.setItem("k", "{ broken");
  assert.deepEqual(X.queue(box, "k").all(), []);
});

test("a full storage keeps the queue in memory and stores what fits, a sealed attempt first", () => {
  const box = storage(300), q = X.queue(box, "k");
  q.add([st("a", "x".repeat(100)), st("b", "x".repeat(100))]);
  q.add([{ s: { id: "file", pad: "y".repeat(150) }, k: "file" }]);
  assert.equal(q.full, true);
  assert.deepEqual(q.all().map((e) => e.s.id), ["a", "b", "file"]);
  assert.deepEqual(JSON.parse(box.m.k).map((e) => e.s.id), ["file"]);
  q.drop("a");
  assert.deepEqual(q.all().map((e) => e.s.id), ["b", "file"]);
});

function lrs(statuses) {
  const calls = [];
  return {
    calls,
    fetch(url, o) {
      calls.push({ url, o });
      const s = statuses.shift();
      return s === "offline" ? Promise.reject(new TypeError("Failed to fetch")) : Promise.resolve({ ok: s >= 200 && s < 300, status: s });
    },
  };
}

test("the sender posts one at a time, drops what the LRS refuses for good, and waits longer after each failure", async () => {
  const box = storage(), q = X.queue(box, "k"), net = lrs([200, 400, 503, "offline", 200]), timers = [];
  const send = X.sender(C, q, { fetch: net.fetch, setTimeout: (f, t) => timers.push([f, t]), online: () => true });
  q.add([st("a"), st("b"), st("c")]);
  await send.flush();
  assert.deepEqual(net.calls.map((c) => JSON.parse(c.o.body).id), ["a", "b", "c"]);
  assert.deepEqual(q.all().map((e) => e.s.id), ["c"]);  // a sent, b refused (400), c failed (503)
  assert.deepEqual(send.stats, { sent: 1, refused: 1, failures: 1 });
  const h = net.calls[0].o.headers;
  assert.equal(net.calls[0].url, "https://lrs.example.org/xapi/statements");
  assert.deepEqual([net.calls[0].o.method, h.Authorization, h["X-Experience-API-Version"], h["Content-Type"]],
    ["POST", C.auth, "1.0.3", "application/json"]);
  assert.equal(timers.at(-1)[1], 2000);
  await timers.at(-1)[0]();  // the retry: offline this time
  assert.equal(timers.at(-1)[1], 4000);
  assert.deepEqual(q.all().map((e) => e.s.id), ["c"]);
  await send.now();  // back online: at once, and the wait starts again from 2 s
  assert.deepEqual(q.all(), []);
  assert.equal(send.stats.sent, 2);
});

test("while the browser is offline nothing is tried", async () => {
  const q = X.queue(storage(), "k"), net = lrs([200]);
  let online = false;
  const send = X.sender(C, q, { fetch: net.fetch, setTimeout: () => {}, online: () => online });
  q.add([st("a")]);
  await send.flush();
  assert.equal(net.calls.length, 0);
  online = true;
  await send.now();
  assert.equal(net.calls.length, 1);
  assert.deepEqual(q.all(), []);
});
