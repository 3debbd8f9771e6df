/* mesotrain SCORM runtime, in a SCORM package only (mesotrain package scorm).

   Two roles, one file:
   - on the launch page (body[data-mt-scorm]) it is the SCO: it finds the LMS's API (up the
     parent frames, then the opener), initialises, keeps the progress in suspend_data, records
     the exam, and terminates when the launch page goes away. The site runs in a frame below
     it, so moving between pages never ends the LMS session.
   - on every page of the site it passes the course's events (mesotrain:answered, :lesson,
     :exam; see /work/ECOSYSTEM-BRIEF.md) up to the launch page, with each exam item as SCORM
     interactions (interactions.js, loaded on the exam page only).
   Without a launch page above, or without an LMS, it does nothing: the plain site.
   Every value given to or read from the LMS is a string. */
(function (W) {
  "use strict";
  var format = { to12: to12, duration: duration, num: num, stamp: stamp };
  if (typeof module === "object" && module.exports && !W.document) return (module.exports = format); /* node tests */
  var D = W.document, M = (W.mesotrain = W.mesotrain || {});
  M.offline = false; /* the package has no offline worker: the LMS serves it */

  var launch = D.body && D.body.getAttribute("data-mt-scorm");
  if (launch) sco(JSON.parse(launch)); else page();

  /* ---- a page of the site ------------------------------------------------------------ */
  function page() {
    var host = null;
    try { host = W.parent !== W && W.parent.mesotrain && W.parent.mesotrain.scorm; } catch (e) { }
    if (!host) return;
    host.visit(location.href);
    var who = host.learner(), fields = { "mt-x-name": who.name, "mt-x-cid": who.id }; /* the exam's details form */
    Object.keys(fields).forEach(function (id) {
      var input = D.getElementById(id);
      if (input && !input.value && fields[id]) input.value = fields[id];
    });
    D.addEventListener("mesotrain:lesson", function (ev) { host.lesson(ev.detail); });
    D.addEventListener("mesotrain:answered", function (ev) { host.answered(ev.detail); });
    D.addEventListener("mesotrain:exam", function (ev) {
      var d = ev.detail;
      if (d.phase !== "submitted" || !d.result || !M.quiz) return host.exam(d, null);
      M.quiz.need("interactions", function () { host.exam(d, items(d.result)); });
    });
  }

  /* each exam item as interactions: [{id, type, correct: [pattern], response, weight, fraction, ms}] */
  function items(result) {
    var I = M.interactions, S = M.scoring, o = openConfig(), out = [];
    result.items.forEach(function (it) {
      var list = I.of(it.q), answers = I.answer(it.q, it.r);
      list.forEach(function (x, n) {
        var frac = it.max ? it.earned / it.max : 0, part = list.length > 1 && it.q.parts && it.q.parts[n];
        if (part && S) { /* a case: each part scored on its own */
          var w = S.maxCredit(part), r = it.r && typeof it.r === "object" ? it.r[part.id] : undefined;
          frac = w ? S.credit(part, r, o.multiple_scoring, o.negative_marking) / w : 0;
        }
        out.push({ id: x.id, type: x.type, correct: x.correct || [], response: answers[n],
                   weight: x.weight != null ? x.weight : (part ? S.maxCredit(part) : it.max),
                   fraction: frac, ms: it.time_ms || 0 }); /* a case's parts are shown together */
      });
    });
    return { list: out, rules: rules(result, o) };
  }

  function openConfig() {
    try { return JSON.parse(D.querySelector("[data-mt-exam]").getAttribute("data-mt-exam")).open || {}; } catch (e) { return {}; }
  }

  /* the rules beside the pass mark: must-pass items right, domain minimums met */
  function rules(result, o) {
    var byDomain = {}, ok = true;
    result.items.forEach(function (it) {
      var t = (byDomain[it.domain] = byDomain[it.domain] || [0, 0]);
      t[0] += it.earned; t[1] += it.max;
      if ((o.must_pass || []).indexOf(it.id) >= 0 && it.earned < it.max - 1e-9) ok = false;
    });
    var mins = o.domain_minimums || {};
    Object.keys(mins).forEach(function (d) {
      var t = byDomain[d];
      if (t && (t[1] ? t[0] / t[1] : 0) < mins[d] - 1e-9) ok = false;
    });
    return { ok: ok, domains: byDomain, minimums: mins };
  }

  /* ---- the launch page: the SCO ------------------------------------------------------ */
  function sco(cfg) {
    var v12 = cfg.version === "1.2", frame = D.getElementById("mt-scorm-site");
    var api = find(v12 ? "API" : "API_1484_11"), live = false, started = Date.now(), ended = false;
    var K = v12 ? {
      init: "LMSInitialize", end: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit", err: "LMSGetLastError",
      location: "cmi.core.lesson_location", suspend: "cmi.suspend_data", entry: "cmi.core.entry", exit: "cmi.core.exit",
      session: "cmi.core.session_time", score: "cmi.core.score.", mastery: "cmi.student_data.mastery_score",
    } : {
      init: "Initialize", end: "Terminate", get: "GetValue", set: "SetValue", commit: "Commit", err: "GetLastError",
      location: "cmi.location", suspend: "cmi.suspend_data", entry: "cmi.entry", exit: "cmi.exit",
      session: "cmi.session_time", score: "cmi.score.", mastery: "cmi.scaled_passing_score",
    };
    var state = { v: 1, l: {}, p: {}, x: null };

    function call(name, a, b) {
      try { return String(a === undefined ? api[name]("") : b === undefined ? api[name](a) : api[name](a, b)); } catch (e) { return ""; }
    }
    var get = function (k) { return call(K.get, k); };
    var set = function (k, value) { return call(K.set, k, String(value)) === "true"; };

    if (api && call(K.init) === "true") {
      live = true;
      try { var saved = JSON.parse(get(K.suspend) || "null"); if (saved && saved.v === 1) state = merge(state, saved); } catch (e) { }
      var at = get(K.location);
      if (at && /^[\w.\/-]+(#[\w-]*)?$/.test(at) && at !== cfg.start) frame.src = at; /* resume where the trainee was */
      if (get(v12 ? "cmi.core.lesson_status" : "cmi.completion_status") in { "not attempted": 1, unknown: 1, "": 1 }) status();
      call(K.commit);
    }

    function merge(base, saved) {
      ["l", "p"].forEach(function (k) { if (saved[k] && typeof saved[k] === "object") base[k] = saved[k]; });
      if (saved.x && typeof saved.x === "object") base.x = saved.x;
      return base;
    }

    /* suspend_data within the version's limit: practice results give way first */
    function save() {
      var text = JSON.stringify(state), p = Object.keys(state.p);
      while (text.length > cfg.suspend_limit && p.length) { delete state.p[p.shift()]; text = JSON.stringify(state); }
      if (text.length <= cfg.suspend_limit) set(K.suspend, text);
    }

    function done() { return cfg.lessons.filter(function (id) { return state.l[id] === "c"; }).length; }
    function completed() { return cfg.exam ? !!state.x : done() === cfg.lessons.length; }

    function status() {
      var x = state.x;
      if (v12) set("cmi.core.lesson_status", x ? (x.p ? "passed" : "failed") : completed() ? "completed" : "incomplete");
      else {
        set("cmi.completion_status", completed() ? "completed" : "incomplete");
        set("cmi.success_status", x ? (x.p ? "passed" : "failed") : "unknown");
        var steps = cfg.lessons.length + (cfg.exam ? 1 : 0);
        set("cmi.progress_measure", num(steps ? (done() + (x ? 1 : 0)) / steps : 1));
      }
    }

    function visit(href) {
      if (!live) return;
      var base = location.href.replace(/[^\/]*([?#].*)?$/, ""), rel = href.indexOf(base) === 0 ? href.slice(base.length) : "";
      rel = rel.replace(/[?].*$/, "");
      if (rel && rel.length <= 255) { set(K.location, rel); call(K.commit); }
    }

    function lesson(d) {
      if (!d || !d.id) return;
      var was = state.l[d.id];
      state.l[d.id] = d.status === "completed" || was === "c" ? "c" : "a";
      if (was === state.l[d.id] || !live) return;
      save(); status(); call(K.commit);
    }

    function answered(d) {
      if (!d || !d.id || !live) return;
      state.p[d.id] = d.max ? Math.round(100 * d.earned / d.max) : 0;
      save(); call(K.commit);
    }

    function exam(d, mapped) {
      if (!live || !d) return;
      if (d.phase !== "submitted" || !d.result || !mapped) return;
      /* the course's verdict (pass mark, must-pass items, domain minimums), unless the LMS gives
         its own mastery score: then that one replaces the pass mark, the other rules stay */
      var r = d.result, scaled = r.scaled != null ? r.scaled : r.max ? r.raw / r.max : 0, mastery = parseFloat(get(K.mastery));
      var lms = isFinite(mastery), mark = lms ? (v12 ? mastery / 100 : mastery) : cfg.pass_mark;
      var passed = lms ? scaled >= mark - 1e-9 && mapped.rules.ok : !!r.passed;
      if (v12) {
        set(K.score + "min", "0"); set(K.score + "max", "100"); set(K.score + "raw", num(100 * scaled));
      } else {
        set(K.score + "min", "0"); set(K.score + "max", num(r.max)); set(K.score + "raw", num(r.raw));
        set(K.score + "scaled", num(scaled));
      }
      interactions(d, mapped.list);
      objectives(mapped.rules, mark != null ? mark : 0);
      state.x = { a: d.attempt, s: +scaled.toFixed(4), p: passed ? 1 : 0 };
      save(); status(); call(K.commit);
    }

    function interactions(d, list) {
      var n = parseInt(get("cmi.interactions._count"), 10) || 0, when = new Date(d.started || Date.now());
      list.forEach(function (x) {
        var k = "cmi.interactions." + n + ".", f = v12 ? to12(x) : x;
        if (!set(k + "id", x.id)) return;
        n++;
        set(k + "type", f.type);
        if (v12) set(k + "time", clock(when)); else set(k + "timestamp", stamp(when));
        set(k + "weighting", num(x.weight));
        f.correct.forEach(function (pattern, c) { set(k + "correct_responses." + c + ".pattern", pattern); });
        if (f.response != null && f.response !== "") set(k + (v12 ? "student_response" : "learner_response"), f.response);
        set(k + "result", x.fraction >= 1 - 1e-9 ? "correct" : x.fraction <= 1e-9 ? (v12 ? "wrong" : "incorrect") : num(x.fraction));
        set(k + "latency", duration(x.ms, v12));
      });
    }

    /* one objective per exam domain (2004: declared in the manifest, so found by id) */
    function objectives(rules, mark) {
      var count = parseInt(get("cmi.objectives._count"), 10) || 0, known = {};
      for (var i = 0; i < count; i++) known[get("cmi.objectives." + i + ".id")] = i;
      Object.keys(rules.domains).forEach(function (domain) {
        var t = rules.domains[domain], s = t[1] ? t[0] / t[1] : 0, id = "domain." + domain;
        var n = id in known ? known[id] : count++, k = "cmi.objectives." + n + ".";
        var min = rules.minimums[domain] != null ? rules.minimums[domain] : mark, ok = s >= min - 1e-9;
        if (!(id in known) && !set(k + "id", id)) return;
        if (v12) {
          set(k + "score.min", "0"); set(k + "score.max", "100"); set(k + "score.raw", num(100 * s));
          set(k + "status", ok ? "passed" : "failed");
        } else {
          set(k + "score.min", "0"); set(k + "score.max", num(t[1])); set(k + "score.raw", num(t[0]));
          set(k + "score.scaled", num(s));
          set(k + "success_status", ok ? "passed" : "failed"); set(k + "completion_status", "completed");
        }
      });
    }

    function finish() {
      if (!live || ended) return;
      ended = true;
      save();
      set(K.session, duration(Date.now() - started, v12));
      set(K.exit, state.x ? (v12 ? "" : "normal") : "suspend");
      call(K.commit);
      call(K.end);
    }
    W.addEventListener("pagehide", finish);
    W.addEventListener("beforeunload", finish);

    /* the trainee as the LMS knows them (1.2 writes names "Last, First") */
    function learner() {
      if (!live) return {};
      var name = get(v12 ? "cmi.core.student_name" : "cmi.learner_name"), id = get(v12 ? "cmi.core.student_id" : "cmi.learner_id");
      var parts = v12 ? name.split(/\s*,\s*/) : [];
      if (parts.length === 2 && parts[0] && parts[1]) name = parts[1] + " " + parts[0];
      return { name: name, id: id };
    }

    M.scorm = { visit: visit, learner: learner, lesson: lesson, answered: answered, exam: exam, finish: finish, live: function () { return live; } };
  }

  /* ---- SCORM formats ------------------------------------------------------------------ */

  /* the API object: up the parent frames from here, then from the window that opened us */
  function find(name) {
    function up(win) {
      for (var n = 0; win && n < 500; n++) {
        try { if (win[name]) return win[name]; } catch (e) { return null; } /* another origin */
        if (!win.parent || win.parent === win) return null;
        win = win.parent;
      }
      return null;
    }
    var api = up(W);
    if (!api) try { api = W.opener && up(W.opener); } catch (e) { api = null; }
    if (!api) try { api = W.top && W.top.opener && up(W.top.opener); } catch (e) { api = null; }
    return api || null;
  }

  /* the 2004 form (the contract's, shared with xAPI) in 1.2's: t/f, "," and "." separators,
     no case or language flags, no long-fill-in or other types, 255 characters at most */
  function to12(x) {
    var type = { "long-fill-in": "fill-in", other: "performance" }[x.type] || x.type;
    function conv(s) {
      if (s == null) return s;
      s = String(s).replace(/^(\{[a-z_]+=[^}]*\})+/, "");
      if (x.type === "true-false") return s === "true" ? "t" : s === "false" ? "f" : s;
      return s.split("[,]").join(",").split("[.]").join(".");
    }
    var ranged = { numeric: true }[x.type]; /* interaction types whose patterns are ranges low[:]high; 1.2 writes one number */
    var correct = x.correct.filter(function (p) { return !ranged || /^([^[]*)\[:\]\1$/.test(p); })
      .map(function (p) { return ranged ? p.split("[:]")[0] : conv(p); })
      .filter(function (p) { return p.length <= 255; });
    var response = conv(x.response);
    return { type: type, correct: correct, response: response && response.slice(0, 255) };
  }

  function num(x) { return String(+(+x).toFixed(4)); }
  function pad(n, w) { n = String(n); while (n.length < w) n = "0" + n; return n; }
  function clock(d) { return pad(d.getHours(), 2) + ":" + pad(d.getMinutes(), 2) + ":" + pad(d.getSeconds(), 2); }
  function stamp(d) { return d.toISOString().replace(/(\.\d\d)\d*Z$/, "$1Z"); } /* 2004: a zone only after .ss */

  /* a duration: 1.2's HHHH:MM:SS.SS, or 2004's ISO 8601 PT#H#M#S */
  function duration(ms, v12) {
    var cs = Math.max(0, Math.round((ms || 0) / 10)), h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = (cs % 6000) / 100;
    if (v12) return pad(Math.min(h, 9999), 4) + ":" + pad(m, 2) + ":" + (s < 10 ? "0" : "") + s.toFixed(2);
    return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + +s.toFixed(2) + "S";
  }
})(typeof window !== "undefined" ? window : this);
