/* mesotrain scoring: mirrors scoring.py (the authority) and runs its vectors (tests/vectors). */
((root) => {
  "use strict";
  const RULES_VERSION = "1.0", EPS = 1e-9;
  const SPACE = /[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;
  const isStr = (v) => typeof v === "string" && v !== "";
  const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const own = (r, k) => (Object.prototype.hasOwnProperty.call(r, k) ? r[k] : undefined);
  const w = (q) => (q.weight == null ? 1 : q.weight);
  const ids = (q) => (q.options || []).map((o, i) => o.id || String.fromCharCode(97 + i));
  const keys = (q) => ids(q).filter((id, i) => q.options[i].correct);

  const credit = (q, r, ms, neg) => Math.min(1, Math.max(0, share(q, r, ms || "partial", !!neg))) * w(q);
  const share = (q, ...a) => (TYPES[q.type] ? TYPES[q.type].share(q, ...a) : 0);
  const byId = (list, f) => Object.fromEntries(list.map((x) => [x.id, f(x)]));
  const hot = (q) => q.regions.filter((g) => g.correct).map((g) => g.id);

  // per type: share of the weight before the clamp; key, a full-credit response
  const TYPES = {
    single: { share: (q, r) => +(isStr(r) && r === keys(q)[0]), key: (q) => keys(q)[0] },
    multiple: { share: multiple, key: keys },
    true_false: { share: (q, r) => +(typeof r === "boolean" && r === q.answer), key: (q) => q.answer },
    numeric: { share: numeric, key: (q) => q.answer },
    ordering: { share: ordering, key: (q) => q.items.map((i) => i.id) },
    matching: { share: (q, r, ms, neg) => parts(q.pairs, (p, v) => v === p.id, r, neg), key: (q) => byId(q.pairs, (p) => p.id) },
    cloze: { share: (q, r, ms, neg) => parts(q.blanks, blankOk, r, neg), key: (q) => byId(q.blanks, (b) => b.accept[0]) },
    hotspot: { share: (q, r) => +hot(q).includes(r), key: (q) => hot(q)[0] },
    case: { share: kase, key: (q) => byId(q.parts, key) },
  };
  const key = (q) => TYPES[q.type].key(q);

  const idList = (r, known) => (Array.isArray(r) && r.every((v, i) => typeof v === "string" &&
    known.includes(v) && r.indexOf(v) === i) ? r : null);

  function multiple(q, r, ms) {
    const method = q.scoring || ms, chosen = idList(r, ids(q)), k = keys(q);
    if (!chosen || !chosen.length) return 0;
    const right = chosen.filter((c) => k.includes(c)).length, wrong = chosen.length - right;
    if (method === "all_or_nothing") return +(right === k.length && !wrong);
    return (right - wrong) / k.length;
  }

  function numeric(q, r) {
    if (typeof r !== "number" || !isFinite(r)) return 0;
    if ((q.min != null && r < q.min) || (q.max != null && r > q.max)) return 0;
    const tol = q.tolerance || 0, allowed = q.tolerance_mode === "relative" ? tol * Math.abs(q.answer) : tol;
    return +(Math.abs(r - q.answer) <= allowed + EPS * Math.max(1, Math.abs(q.answer)));
  }

  function ordering(q, r, ms, neg) {
    const order = q.items.map((i) => i.id), given = idList(r, order), n = order.length;
    if (!given || given.length !== n) return 0;
    const pairs = n * (n - 1) / 2;
    let right = 0;
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) if (given.indexOf(order[a]) < given.indexOf(order[b])) right++;
    return neg ? (right - (pairs - right)) / pairs : right / pairs;
  }

  function parts(list, ok, r, neg) {
    if (!isObj(r)) return 0;
    let right = 0, wrong = 0;
    for (const p of list) {
      const v = own(r, p.id);
      if (isStr(v)) ok(p, v) ? right++ : wrong++;
    }
    return (right - (neg ? wrong : 0)) / list.length;
  }

  function normaliseBlank(text, caseSensitive) {
    text = text.normalize("NFC").replace(SPACE, " ").replace(/^ +| +$/g, "");
    return caseSensitive ? text : text.toLowerCase();
  }

  function blankOk(b, v) {
    const given = normaliseBlank(v, b.case_sensitive);
    return given !== "" && b.accept.some((a) => normaliseBlank(a, b.case_sensitive) === given);
  }

  function kase(q, r, ms, neg) {
    if (!isObj(r)) return 0;
    let total = 0, earned = 0;
    for (const p of q.parts) { total += w(p); earned += credit(p, own(r, p.id), ms, neg); }
    return earned / total;
  }

  function tally(items, key) {
    const out = {};
    for (const i of items) { const t = out[i[key]] || [0, 0]; out[i[key]] = [t[0] + i.earned, t[1] + i.possible]; }
    return out;
  }

  // items: [{question, domain, response}]; o and the result use scoring.py's names
  function scoreAttempt(items, o) {
    const results = items.map(({ question: q, domain, response }) => {
      const earned = credit(q, response, o.multiple_scoring, o.negative_marking);
      return { id: q.id, domain, objective: q.objective, earned, possible: w(q), correct: earned >= w(q) - EPS };
    });
    let earned = 0, possible = 0;
    for (const i of results) { earned += i.earned; possible += i.possible; }
    const fraction = possible ? earned / possible : 0, must = o.must_pass || [], mins = o.domain_minimums || {};
    const failed = results.filter((i) => must.includes(i.id) && !i.correct).map((i) => i.id);
    const byDomain = tally(results, "domain");
    const below = Object.keys(mins).filter((d) => byDomain[d] && (byDomain[d][1] ? byDomain[d][0] / byDomain[d][1] : 0) < mins[d] - EPS);
    return {
      earned, possible, fraction, passed: fraction >= o.pass_mark - EPS && !failed.length && !below.length,
      must_pass_failed: failed, by_domain: byDomain, by_objective: tally(results, "objective"),
      items: results, rules_version: RULES_VERSION, domains_below_minimum: below,
    };
  }

  const api = { RULES_VERSION, TYPES, credit, key, maxCredit: w, scoreAttempt, normaliseBlank };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (root.mesotrain = root.mesotrain || {}).scoring = api;
})(this);
