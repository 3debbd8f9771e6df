/* mesotrain scoring: a mirror of scoring.py (the authority). Same rules, same vectors
   (tests/vectors). Change both together and bump RULES_VERSION. */
(function (root) {
  "use strict";
  var RULES_VERSION = "1.0", EPS = 1e-9;
  var SPACE = /[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;
  var isStr = function (v) { return typeof v === "string" && v !== ""; };
  var isObj = function (v) { return v !== null && typeof v === "object" && !Array.isArray(v); };
  var w = function (q) { return q.weight == null ? 1 : q.weight; };
  // Options without an id are a, b, c ... by position, as in the schema.
  var opts = function (q) {
    return (q.options || []).map(function (o, i) { return { id: o.id || String.fromCharCode(97 + i), correct: !!o.correct }; });
  };
  var keys = function (q) { return opts(q).filter(function (o) { return o.correct; }).map(function (o) { return o.id; }); };

  function credit(q, r, multipleScoring, negative) {
    var s = share(q, r, multipleScoring || "partial", !!negative);
    return Math.min(1, Math.max(0, s)) * w(q);
  }

  function share(q, r, ms, neg) {
    switch (q.type) {
      case "single": return isStr(r) && r === keys(q)[0] ? 1 : 0;
      case "true_false": return typeof r === "boolean" && r === q.answer ? 1 : 0;
      case "hotspot": return isStr(r) && q.regions.some(function (g) { return g.correct && g.id === r; }) ? 1 : 0;
      case "multiple": return multiple(q, r, q.scoring || ms);
      case "numeric": return numeric(q, r);
      case "ordering": return ordering(q, r, neg);
      case "matching": return components(q.pairs.map(function (p) { return [p.id, function (v) { return v === p.id; }]; }), r, neg);
      case "cloze": return components(q.blanks.map(function (b) { return [b.id, function (v) { return blankOk(b, v); }]; }), r, neg);
      case "case": return kase(q, r, ms, neg);
    }
    return 0;
  }

  // A list of distinct known ids, or null when the response is malformed.
  function idList(r, known) {
    if (!Array.isArray(r)) return null;
    var seen = {};
    for (var i = 0; i < r.length; i++) {
      if (typeof r[i] !== "string" || known.indexOf(r[i]) < 0 || seen[r[i]]) return null;
      seen[r[i]] = 1;
    }
    return r;
  }

  function multiple(q, r, method) {
    var chosen = idList(r, opts(q).map(function (o) { return o.id; })), k = keys(q);
    if (!chosen || !chosen.length) return 0;
    var right = chosen.filter(function (c) { return k.indexOf(c) >= 0; }).length, wrong = chosen.length - right;
    if (method === "all_or_nothing") return right === k.length && !wrong ? 1 : 0;
    return Math.max(0, (right - wrong) / k.length);
  }

  function numeric(q, r) {
    if (typeof r !== "number" || !isFinite(r)) return 0;
    if ((q.min != null && r < q.min) || (q.max != null && r > q.max)) return 0;
    var tol = q.tolerance || 0, allowed = q.tolerance_mode === "relative" ? tol * Math.abs(q.answer) : tol;
    return Math.abs(r - q.answer) <= allowed + EPS * Math.max(1, Math.abs(q.answer)) ? 1 : 0;
  }

  function ordering(q, r, neg) {
    var ids = q.items.map(function (i) { return i.id; }), given = idList(r, ids), n = ids.length;
    if (!given || given.length !== n) return 0;
    var pairs = n * (n - 1) / 2, right = 0;
    for (var a = 0; a < n; a++) for (var b = a + 1; b < n; b++) if (given.indexOf(ids[a]) < given.indexOf(ids[b])) right++;
    return neg ? Math.max(0, (right - (pairs - right)) / pairs) : right / pairs;
  }

  function components(checks, r, neg) {
    if (!isObj(r)) return 0;
    var right = 0, wrong = 0;
    checks.forEach(function (c) {
      var v = Object.prototype.hasOwnProperty.call(r, c[0]) ? r[c[0]] : null;
      if (!isStr(v)) return;
      if (c[1](v)) right++; else wrong++;
    });
    return Math.max(0, (right - (neg ? wrong : 0)) / checks.length);
  }

  function normaliseBlank(text, caseSensitive) {
    text = text.normalize("NFC").replace(SPACE, " ").replace(/^ +| +$/g, "");
    return caseSensitive ? text : text.toLowerCase();
  }

  function blankOk(b, v) {
    var given = normaliseBlank(v, b.case_sensitive);
    return given !== "" && b.accept.some(function (a) { return normaliseBlank(a, b.case_sensitive) === given; });
  }

  function kase(q, r, ms, neg) {
    if (!isObj(r)) return 0;
    var total = 0, earned = 0;
    q.parts.forEach(function (p) {
      total += w(p);
      earned += credit(p, Object.prototype.hasOwnProperty.call(r, p.id) ? r[p.id] : undefined, ms, neg);
    });
    return earned / total;
  }

  function tally(items, key) {
    var out = {};
    items.forEach(function (i) {
      var t = out[i[key]] || [0, 0];
      out[i[key]] = [t[0] + i.earned, t[1] + i.possible];
    });
    return out;
  }

  /* items: [{question, domain, response}]; opts: {pass_mark, must_pass, domain_minimums,
     multiple_scoring, negative_marking}. Field names follow AttemptScore in scoring.py. */
  function scoreAttempt(items, o) {
    var results = items.map(function (it) {
      var q = it.question, earned = credit(q, it.response, o.multiple_scoring, o.negative_marking);
      return { id: q.id, domain: it.domain, objective: q.objective, earned: earned, possible: w(q), correct: earned >= w(q) - EPS };
    });
    var earned = 0, possible = 0;
    results.forEach(function (i) { earned += i.earned; possible += i.possible; });
    var fraction = possible ? earned / possible : 0, must = o.must_pass || [];
    var failed = results.filter(function (i) { return must.indexOf(i.id) >= 0 && !i.correct; }).map(function (i) { return i.id; });
    var byDomain = tally(results, "domain"), mins = o.domain_minimums || {};
    var below = Object.keys(mins).filter(function (d) {
      var t = byDomain[d];
      return t && (t[1] ? t[0] / t[1] : 0) < mins[d] - EPS;
    });
    return {
      earned: earned, possible: possible, fraction: fraction,
      passed: fraction >= o.pass_mark - EPS && !failed.length && !below.length,
      must_pass_failed: failed, by_domain: byDomain, by_objective: tally(results, "objective"),
      items: results, rules_version: RULES_VERSION, domains_below_minimum: below
    };
  }

  var api = { RULES_VERSION: RULES_VERSION, credit: credit, maxCredit: w, scoreAttempt: scoreAttempt, normaliseBlank: normaliseBlank };
  if (typeof module === "object" && module.exports) module.exports = api;
  else (root.mesotrain = root.mesotrain || {}).scoring = api;
})(this);
