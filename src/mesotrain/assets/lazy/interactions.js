/* mesotrain interactions: a question as SCORM 2004 cmi.interactions / xAPI interaction
   activities, mirroring each type's interaction() and answer() in src/mesotrain/types/ (see
   base.py) from the scoring view a practice page (data-mt-data) or an open exam carries.
   Components have ids only: their texts are not in the view. Pinned by
   tests/vectors/interactions.json. Loaded by whoever needs it: mesotrain.quiz.need("interactions", fn). */
((root) => {
  "use strict";
  const ITEMS = "[,]", PAIR = "[.]", RANGE = "[:]", CASE_MATTERS = "{case_matters=true}", PATTERNS = 16;
  const isStr = (v) => typeof v === "string" && v !== "";
  const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const w = (q) => (q.weight == null ? 1 : q.weight);
  const ids = (q) => q.options.map((o, i) => o.id || String.fromCharCode(97 + i));
  const keys = (q) => ids(q).filter((id, i) => q.options[i].correct);
  const named = (list) => list.map((id) => ({ id }));
  const inOrder = (all, r) => (Array.isArray(r) ? all.filter((id) => r.includes(id)) : []);
  const byId = (r, k) => (isObj(r) && Object.prototype.hasOwnProperty.call(r, k) ? r[k] : undefined);

  // a number as String() writes it, never with an exponent (types/base.py number)
  function number(x) {
    if (x === 0) return "0";
    const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(String(x));
    if (!m) return String(x);
    const digits = m[2] + (m[3] || ""), e = +m[4];
    return m[1] + (e < 0 ? "0." + "0".repeat(-e - 1) + digits : digits + "0".repeat(e - digits.length + 1));
  }

  // every mix of accepted answers, the first answers first, at most PATTERNS of them
  function mixes(lists) {
    let out = [[]];
    for (const l of lists) out = out.flatMap((m) => l.map((a) => m.concat([a]))).slice(0, PATTERNS);
    return out;
  }

  const choice = (q) => ({ type: "choice", correct: [keys(q).join(ITEMS)], choices: named(ids(q)) });
  // per type: of(q) → the interaction but id and weight; answer(q, r) → learner response
  const TYPES = {
    single: { of: choice, answer: (q, r) => (isStr(r) ? r : "") },
    multiple: { of: choice, answer: (q, r) => inOrder(ids(q), r).join(ITEMS) },
    true_false: {
      of: (q) => ({ type: "true-false", correct: [String(q.answer)] }),
      answer: (q, r) => (typeof r === "boolean" ? String(r) : ""),
    },
    numeric: {
      of(q) {
        const tol = q.tolerance || 0, allowed = q.tolerance_mode === "relative" ? tol * Math.abs(q.answer) : tol;
        let low = q.answer - allowed, high = q.answer + allowed;
        if (q.min != null) low = Math.max(low, q.min);
        if (q.max != null) high = Math.min(high, q.max);
        return { type: "numeric", correct: [number(low) + RANGE + number(high)] };
      },
      answer: (q, r) => (typeof r === "number" && isFinite(r) ? number(r) : ""),
    },
    ordering: {
      of: (q) => ({ type: "sequencing", correct: [q.items.map((i) => i.id).join(ITEMS)], choices: named(q.items.map((i) => i.id)) }),
      answer(q, r) {
        const all = q.items.map((i) => i.id);
        return Array.isArray(r) && r.every((v, n) => all.includes(v) && r.indexOf(v) === n) ? r.join(ITEMS) : "";
      },
    },
    matching: {
      of: (q) => ({
        type: "matching", correct: [q.pairs.map((p) => p.id + PAIR + p.id).join(ITEMS)],
        source: named(q.pairs.map((p) => p.id)),
        target: named(q.pairs.map((p) => p.id).concat((q.distractors || []).map((d, n) => "d" + n))),
      }),
      answer: (q, r) => q.pairs.filter((p) => isStr(byId(r, p.id))).map((p) => p.id + PAIR + r[p.id]).join(ITEMS),
    },
    cloze: {
      of: (q) => ({
        type: "fill-in",
        correct: mixes(q.blanks.map((b) => b.accept)).map((m) => (q.blanks.some((b) => b.case_sensitive) ? CASE_MATTERS : "") + m.join(ITEMS)),
      }),
      answer: (q, r) => q.blanks.map((b) => (typeof byId(r, b.id) === "string" ? r[b.id] : "")).join(ITEMS),
    },
    hotspot: {
      of: (q) => ({ type: "choice", correct: q.regions.filter((g) => g.correct).map((g) => g.id), choices: named(q.regions.map((g) => g.id)) }),
      answer: (q, r) => (isStr(r) ? r : ""),
    },
    case: { parts: true }, // one interaction per part (types/case.py parts)
  };

  // [{id, type, correct, weight, choices | source + target}]: one, or one per part of a case
  function of(q) {
    if (!TYPES[q.type].parts) return [Object.assign({ id: q.id }, TYPES[q.type].of(q), { weight: w(q) })];
    const total = q.parts.reduce((t, p) => t + w(p), 0);
    return q.parts.map((p, n) => Object.assign({ id: q.id + "." + (n + 1) }, TYPES[p.type].of(p), { weight: w(q) * w(p) / total }));
  }

  // [learner response per interaction of q]
  function answer(q, r) {
    if (!TYPES[q.type].parts) return [TYPES[q.type].answer(q, r)];
    return q.parts.map((p) => TYPES[p.type].answer(p, byId(r, p.id)));
  }

  const api = { TYPES, of, answer, number, ITEMS, PAIR, RANGE, CASE_MATTERS };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (root.mesotrain = root.mesotrain || {}).interactions = api;
})(this);
