/* mesotrain exam: sitting the certification exam, the result file, and certificate checks.
   Loaded by exam.js only on the pages that need it (the exam, Verify), so lessons stay light.
   The question widgets are quiz.js's (sealed mode); this file runs the attempt around them:
   details, start, timer, flags, review, submit, download. An attempt lives in localStorage
   with its real start time, so a reload or a closed tab loses nothing and the clock keeps
   running. One tab writes: it holds a lock (key + ":writer", renewed every second, released
   when the page goes); another tab of the same exam says so and can take over. The result file's checksum is SHA-256 over RFC 8785 canonical JSON, as
   src/mesotrain/canonical.py computes it. */
(function () {
  "use strict";
  var W = window, D = document, M = (W.mesotrain = W.mesotrain || {});
  var ALPHA = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  var STALE = 4000; /* ms without a heartbeat after which a writer's lock is free */

  function $(s, el) { return (el || D).querySelector(s); }
  function $$(s, el) { return [].slice.call((el || D).querySelectorAll(s)); }
  function isObj(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }

  /* ---- SHA-256 (sync, so it also works where crypto.subtle is absent: plain http) ---- */
  function sha256(text) {
    var b = unescape(encodeURIComponent(text)), n = b.length, K = [], H = [], w = [], i, j, p = 2, c = 0;
    var frac = function (x) { return (x - Math.floor(x)) * 4294967296 | 0; };
    var r = function (x, k) { return x >>> k | x << (32 - k); };
    for (; c < 64; p++) {
      for (j = 2; j * j <= p && p % j; j++);
      if (j * j > p) { if (c < 8) H[c] = frac(Math.pow(p, 1 / 2)); K[c++] = frac(Math.pow(p, 1 / 3)); }
    }
    var words = [], len = ((n + 9 + 63) >> 6) << 4;
    for (i = 0; i < len; i++) words[i] = 0;
    for (i = 0; i < n; i++) words[i >> 2] |= b.charCodeAt(i) << (24 - (i % 4) * 8);
    words[n >> 2] |= 0x80 << (24 - (n % 4) * 8);
    words[len - 1] = n * 8;
    for (i = 0; i < len; i += 16) {
      var a = H.slice(0);
      for (j = 0; j < 64; j++) {
        if (j < 16) w[j] = words[i + j];
        else w[j] = (r(w[j - 15], 7) ^ r(w[j - 15], 18) ^ (w[j - 15] >>> 3)) + w[j - 16] +
          (r(w[j - 2], 17) ^ r(w[j - 2], 19) ^ (w[j - 2] >>> 10)) + w[j - 7] | 0;
        var e = a[4], t1 = a[7] + (r(e, 6) ^ r(e, 11) ^ r(e, 25)) + ((e & a[5]) ^ (~e & a[6])) + K[j] + w[j] | 0;
        var t2 = (r(a[0], 2) ^ r(a[0], 13) ^ r(a[0], 22)) + ((a[0] & a[1]) ^ (a[0] & a[2]) ^ (a[1] & a[2])) | 0;
        a = [t1 + t2 | 0].concat(a.slice(0, 7));
        a[4] = a[4] + t1 | 0;
      }
      for (j = 0; j < 8; j++) H[j] = H[j] + a[j] | 0;
    }
    return H.map(function (h) { return ("0000000" + (h >>> 0).toString(16)).slice(-8); }).join("");
  }

  /* RFC 8785: sorted keys (UTF-16 order, as sort() does), no spaces, JSON.stringify's numbers. */
  function canon(v) {
    if (Array.isArray(v)) return "[" + v.map(canon).join(",") + "]";
    if (isObj(v)) return "{" + Object.keys(v).sort().map(function (k) { return JSON.stringify(k) + ":" + canon(v[k]); }).join(",") + "}";
    return JSON.stringify(v);
  }

  /* ---- the exam ---- */
  function Exam(root) {
    var cfg = JSON.parse(root.dataset.mtExam), ex = cfg.exam;
    var key = "mesotrain-exam:" + location.pathname + ":" + ex.id + ":" + cfg.course.content_hash;
    var live = $(".mt-x-live", root), timer = null, lastTick = 0, a = null, idx = 0, warned = false;
    var me = uuid(), lock = key + ":writer", beat = null, away = false, off = [], unread = null, unsaved = false;
    var EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)*\.[^\s@.]{2,}$/; /* a@b is not an address anyone can be reached at */
    var st = load(true);

    /* An attempt needs these to go on; anything else unreadable is left at its default. */
    function sound(x) {
      if (!isObj(x) || typeof x.id !== "string" || !ex.forms[x.form] || !isObj(x.cand) || typeof x.start !== "number" ||
          typeof x.deadline !== "number" || (x.done != null && !(isObj(x.done) && typeof x.done.file === "string"))) return false;
      ["r", "t", "f"].forEach(function (k) { if (!isObj(x[k])) x[k] = {}; });
      return true;
    }
    function load(first) { /* first: on opening, when unreadable data is kept aside and the candidate told */
      var raw = null, s = null;
      try { raw = localStorage.getItem(key); } catch (e) { /* no storage: saving says so */ }
      if (raw == null) return { v: 1, attempts: [] };
      try { s = JSON.parse(raw); } catch (e) { /* kept below */ }
      var all = isObj(s) && Array.isArray(s.attempts) ? s.attempts : null, good = (all || []).filter(sound);
      if (first && (!all || good.length < all.length)) {
        unread = raw;
        try { localStorage.setItem(key + ":unreadable:" + Date.now(), raw); } catch (e) { /* the download below still has it */ }
        notice("Some exam data saved in this browser could not be read. A copy of it was kept in this browser; " +
              "download it and send it to your certifier, who can recover an attempt from it.", "copy");
      }
      return { v: 1, attempts: good };
    }
    function save() {
      if (!writer()) return false;
      var kept = load().attempts; /* a submitted attempt is final, whatever this tab holds */
      st.attempts.forEach(function (x, n) {
        var y = kept.filter(function (k) { return k.id === x.id && k.done; })[0];
        if (y && !x.done) { st.attempts[n] = y; if (a === x) a = y; }
      });
      try { localStorage.setItem(key, JSON.stringify(st)); } catch (e) { cannotSave(); return false; }
      return true;
    }
    function cannotSave() {
      if (unsaved) return;
      unsaved = true;
      notice("This browser cannot save your answers (its storage is full, or turned off as in a private window). " +
            "Keep this page open until you submit, and download your answers so far now and then: if the page closes, " +
            "that file is all that is left of this attempt.", "sofar");
    }
    function notice(text, what) { /* a visible warning, at once, with the download that goes with it */
      var box = $(".mt-x-alert", root), p = $(".mt-x-alert-text", box);
      p.textContent = (box.hidden ? "" : p.textContent + " ") + text;
      $("[data-x=sofar]", box).hidden = what !== "sofar" && $("[data-x=sofar]", box).hidden;
      $("[data-x=copy]", box).hidden = what !== "copy" && $("[data-x=copy]", box).hidden;
      box.hidden = false;
    }

    /* one writer per attempt: the lock names the tab that holds it and when it last said so */
    function holder() {
      try { var l = JSON.parse(localStorage.getItem(lock)); return isObj(l) && l.id !== me && Date.now() - l.at < STALE ? l : null; } catch (e) { return null; }
    }
    function claim() { try { localStorage.setItem(lock, JSON.stringify({ id: me, at: Date.now() })); } catch (e) { /* cannot save: save() says so */ } }
    function release() {
      try { var l = JSON.parse(localStorage.getItem(lock)); if (isObj(l) && l.id === me) localStorage.removeItem(lock); } catch (e) { /* nothing held */ }
    }
    function writer() { /* true while this tab may write; otherwise it stops and says where the exam is */
      if (away) return false;
      if (holder()) { elsewhere(); return false; }
      claim();
      return true;
    }
    function elsewhere() {
      away = true;
      clearInterval(timer); clearInterval(beat); timer = beat = null;
      root.classList.remove("mt-x-sitting");
      step("elsewhere");
    }
    function resume() { /* take the attempt (back) from storage, as another tab may have left it */
      away = false;
      clearInterval(timer); clearInterval(beat);
      claim();
      beat = setInterval(writer, 1000);
      st = load();
      a = null; warned = false;
      var open = st.attempts.filter(function (x) { return !x.done; })[0];
      if (open) { a = open; sit(); return !a.done; }
      if (submitted().length) done(); else begin();
      return false;
    }
    function on(target, type, fn) { target.addEventListener(type, fn); off.push([target, type, fn]); }
    function say(text) { live.textContent = ""; setTimeout(function () { live.textContent = text; }, 50); }
    function step(name) {
      $$("[data-x-step]", root).forEach(function (s) { s.hidden = s.dataset.xStep !== name; });
      $(".mt-x-bar", root).hidden = name !== "sit" && name !== "review";
      $(".mt-x-flag", root).hidden = name !== "sit";
      if (name === "review") $(".mt-x-where", root).textContent = "Review";
      $("[data-x=sofar]", root).disabled = !a || !!a.done;
      var h = $("[data-x-step='" + name + "'] h2", root);
      if (h && name !== "sit") h.focus();
    }
    function items() { return ex.forms[a.form]; }
    function el(id) { return $(".mt-q[data-mt-q='" + id + "']", root); }
    function answered(id) { var r = a.r[id]; return r != null && !(Array.isArray(r) && !r.length); }

    /* An ordering is answered when its "This order is my answer" box is ticked (moving an item
       ticks it). Until then it shows a rotation of the page's order picked by the attempt id, and
       counts as not answered. (That no rotation is the key needs the build's side, not in yet.) */
    function orderings(q) { return $$("fieldset[data-mt-field=ordering]", q); }
    function answerOf(q) {
      var r = M.quiz.response(q);
      orderings(q).forEach(function (f) {
        if ($(".mt-x-keep input", f).checked) return;
        if (f.dataset.mtPart == null) r = undefined; else if (r) delete r[f.dataset.mtPart];
      });
      return isObj(r) && !Object.keys(r).length ? undefined : r;
    }
    function record(q) {
      if (!a || a.done) return;
      var r = answerOf(q);
      if (r === undefined) delete a.r[q.dataset.mtQ]; else a.r[q.dataset.mtQ] = r;
      save();
    }
    function restore(id) {
      var q = el(id), r = a.r[id], shown = isObj(r) ? Object.assign({}, r) : r;
      orderings(q).forEach(function (f) {
        var part = f.dataset.mtPart, has = part == null ? r != null : isObj(r) && r[part] != null;
        $(".mt-x-keep input", f).checked = has;
        if (has) return;
        var base = f.mtBase, k = parseInt(sha256(a.id + ":" + id + ":" + (part || "")).slice(0, 8), 16) % base.length;
        var turned = base.slice(k).concat(base.slice(0, k));
        if (part == null) shown = turned; else (shown = shown || {})[part] = turned;
      });
      M.quiz.restore(q, shown);
    }
    function submitted() { return st.attempts.filter(function (x) { return x.done; }); }

    /* time spent: added to the shown item every tick and when leaving it */
    function account(force) {
      var now = Date.now();
      if (a && !a.done && lastTick && (force || !D.hidden)) { var id = items()[idx]; a.t[id] = (a.t[id] || 0) + (now - lastTick); }
      lastTick = now;
    }
    function left() { return a.deadline - Date.now(); }
    function tick() {
      account();
      var ms = left(), s = Math.max(0, Math.ceil(ms / 1000)), t = $(".mt-x-timer", root);
      t.textContent = Math.floor(s / 60) + ":" + ("0" + s % 60).slice(-2) + " left";
      if (ms <= cfg.warn_minutes * 60000 && !warned) {
        warned = true;
        t.classList.add("mt-x-warn");
        say(cfg.warn_minutes + (cfg.warn_minutes === 1 ? " minute" : " minutes") + " left.");
      }
      if (ms <= 0) return finish("timer");
      save();
    }

    function show(n) {
      account();
      var list = items();
      idx = Math.max(0, Math.min(list.length - 1, n));
      a.cur = idx;
      $$(".mt-q", root).forEach(function (q) { q.hidden = q.dataset.mtQ !== list[idx]; });
      $(".mt-x-where", root).textContent = "Question " + (idx + 1) + " of " + list.length;
      $(".mt-x-title", root).textContent = "Question " + (idx + 1);
      $(".mt-x-flagbox", root).checked = !!a.f[list[idx]];
      $("[data-x=prev]", root).disabled = idx === 0;
      $("[data-x=next]", root).disabled = idx === list.length - 1;
      step("sit");
      save();
    }
    function go(n) { show(n); $(".mt-x-title", root).focus(); }

    function sit() {
      root.classList.add("mt-x-sitting");
      items().forEach(restore);
      if (left() <= 0) return finish("timer", true);
      warned = left() <= cfg.warn_minutes * 60000;
      $(".mt-x-timer", root).classList.toggle("mt-x-warn", warned);
      lastTick = Date.now();
      timer = setInterval(tick, 1000);
      show(a.cur || 0);
      tick();
    }

    function begin() { /* the details form, filled in with the last attempt's details */
      var last = st.attempts[st.attempts.length - 1], form = $("form", root);
      if (last) ["name", "candidate_id", "email"].forEach(function (k) { var i = form.elements[k]; if (!i.value) i.value = last.cand[k] || ""; });
      step("start");
    }

    function start(form) {
      if (!writer()) return;
      var data = new FormData(form), cand = {}, err = $(".mt-x-error", root);
      ["name", "candidate_id", "email"].forEach(function (k) { cand[k] = String(data.get(k) || "").trim(); });
      var bad = !cand.name ? ["name", "your full name"] : !cand.candidate_id ? ["candidate_id", "your candidate number"] :
        !EMAIL.test(cand.email) ? ["email", "your email address, like name@example.org"] : null;
      $$("input", form).forEach(function (i) { i.removeAttribute("aria-invalid"); i.removeAttribute("aria-describedby"); });
      if (bad) {
        var field = form.elements[bad[0]];
        err.textContent = "Please enter " + bad[1] + ".";
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-describedby", err.id);
        field.focus();
        return;
      }
      err.textContent = "";
      var forms = Object.keys(ex.forms), asked = new URLSearchParams(location.search).get("form");
      var pick = forms.indexOf(asked) >= 0 ? asked : forms[crypto.getRandomValues(new Uint32Array(1))[0] % forms.length];
      var now = Date.now();
      a = { id: uuid(), form: pick, cand: cand, start: now, deadline: now + ex.time_limit_minutes * 60000,
            cur: 0, r: {}, t: {}, f: {}, done: null };
      st.attempts.push(a);
      save();
      sit();
      tell("started", a);
      $(".mt-x-title", root).focus();
      say("The exam has started. You have " + ex.time_limit_minutes + " minutes.");
    }

    function uuid() {
      if (crypto.randomUUID) return crypto.randomUUID();
      var b = crypto.getRandomValues(new Uint8Array(16)), h = "";
      b[6] = b[6] & 15 | 64; b[8] = b[8] & 63 | 128;
      for (var i = 0; i < 16; i++) h += (i === 4 || i === 6 || i === 8 || i === 10 ? "-" : "") + (b[i] + 256).toString(16).slice(1);
      return h;
    }

    function review() {
      account();
      var list = $(".mt-x-list", root), ids = items(), missing = 0, flagged = 0;
      list.textContent = "";
      ids.forEach(function (id, n) {
        var li = D.createElement("li"), btn = D.createElement("button"), ok = answered(id), fl = !!a.f[id];
        missing += !ok; flagged += fl;
        btn.type = "button"; btn.className = "mt-x-cell " + (ok ? "mt-x-ans" : "mt-x-none") + (fl ? " mt-x-fl" : "");
        btn.setAttribute("aria-label", "Question " + (n + 1) + ": " + (ok ? "answered" : "not answered") + (fl ? ", flagged" : ""));
        btn.innerHTML = (n + 1) + '<span class="mt-x-k" aria-hidden="true">' + (ok ? "✓" : "–") + (fl ? "⚑" : "") + "</span>";
        btn.addEventListener("click", function () { go(n); });
        li.appendChild(btn);
        list.appendChild(li);
      });
      $(".mt-x-summary", root).textContent = (missing ? missing + " not answered" : "Every question answered") +
        (flagged ? ", " + flagged + " flagged for review." : ".") + " Choose a question to return to it.";
      $(".mt-x-confirm", root).hidden = true;
      step("review");
      save();
    }

    function iso(ms) { return new Date(ms).toISOString(); }
    function sheet(end, by) { /* the result file's content (submitted_* only when submitted) */
      var doc = {
        format: cfg.format, format_version: cfg.format_version, attempt_id: a.id, course: cfg.course,
        exam: { id: ex.id, mode: ex.mode, form: a.form, seed: ex.seed, items: items(), time_limit_minutes: ex.time_limit_minutes },
        rules_version: cfg.rules_version, candidate: a.cand, started_at: iso(a.start),
        user_agent: String(navigator.userAgent).slice(0, 1000),
        responses: items().map(function (id) {
          return { item: id, response: a.r[id] == null ? null : a.r[id], time_ms: Math.round(a.t[id] || 0), flagged: !!a.f[id] };
        })
      };
      if (by) { doc.submitted_at = iso(end); doc.submitted_by = by; }
      return doc;
    }

    function finish(by, late) { /* late: the deadline passed while the page was closed */
      if (!a || a.done) return;
      account();
      clearInterval(timer);
      var end = Math.min(Date.now(), a.deadline), doc = sheet(end, by);
      doc.checksum = "sha256:" + sha256(canon(doc));
      var x = a;
      x.done = { at: end, by: by, file: JSON.stringify(doc), late: !!late };
      root.classList.remove("mt-x-sitting");
      save();
      done();
      tell("submitted", x, cfg.open && marks(x).result);
      say(late ? $(".mt-x-thanks", root).textContent : by === "timer" ? "Time is up: your answers were submitted." : "Your answers were submitted.");
    }

    function sofar() { /* not a result file: what an attempt holds now, for when the browser cannot keep it */
      account();
      var doc = sheet();
      doc.format = "mesotrain-answers-so-far";
      doc.saved_at = iso(Date.now());
      file(JSON.stringify(doc), ex.id + "-" + name(a) + "-so-far.json");
    }
    function name(x) { return x.cand.candidate_id.replace(/[^\w-]+/g, "_") + "-" + x.id.slice(0, 8); }
    function download(x) { file(x.done.file, ex.id + "-" + name(x) + ".json"); }
    function file(text, called) { /* a download made here: nothing is fetched, so it works offline */
      var blob = new Blob([text], { type: "application/json" });
      var link = D.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = called;
      D.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 2000);
    }

    function done() {
      var past = submitted(), last = past[past.length - 1];
      a = last;
      var at = new Date(last.done.at).toLocaleString();
      $(".mt-x-thanks", root).textContent = last.done.late ? "Time ran out at " + at + ", while this page was closed, so your answers were submitted as they were when you left." :
        (last.done.by === "timer" ? "Time ran out, so your answers were submitted as they were" : "Your answers were submitted") + " on " + at + ".";
      $(".mt-x-aid", root).textContent = last.id;
      $(".mt-x-sum", root).textContent = JSON.parse(last.done.file).checksum;
      var box = $(".mt-x-past", root);
      box.textContent = "";
      if (past.length > 1) past.forEach(function (x, n) {
        var li = D.createElement("li"), b = D.createElement("button");
        b.type = "button"; b.className = "mt-btn";
        b.textContent = "Download the result file of attempt " + (n + 1) + " (" + new Date(x.done.at).toLocaleDateString() + ")";
        b.addEventListener("click", function () { download(x); });
        li.appendChild(b); box.appendChild(li);
      });
      $(".mt-x-again", root).hidden = past.length >= ex.attempts_allowed;
      if (cfg.open) score(last);
      step("done");
    }

    /* open mode: the browser scores a submitted attempt with scoring.js, as the certifier would;
       result is what the mesotrain:exam event carries */
    function marks(x) {
      var o = cfg.open, S = M.scoring;
      var its = JSON.parse(x.done.file).responses.map(function (r) {
        var it = o.items[r.item];
        return { id: r.item, q: it.q, r: unseal(it.names, r.response), time_ms: r.time_ms, domain: it.domain };
      });
      var res = S.scoreAttempt(its.map(function (i) { return { question: i.q, domain: i.domain, response: i.r }; }), o);
      res.items.forEach(function (m, n) { its[n].earned = m.earned; its[n].max = m.possible; });
      return { res: res, result: { raw: res.earned, min: 0, max: res.possible, scaled: res.fraction, passed: res.passed, items: its } };
    }
    /* mesotrain:exam (the contract in ECOSYSTEM-BRIEF.md): a sealed exam's carries no key and no score */
    function tell(phase, x, result) {
      var end = x.done ? x.done.at : null, d = {
        phase: phase, attempt: x.id, started: iso(x.start), ended: end && iso(end), duration_ms: (end || Date.now()) - x.start,
        exam: { id: ex.id, mode: ex.mode, form: x.form, pass_mark: cfg.open ? cfg.open.pass_mark : null, time_limit_minutes: ex.time_limit_minutes }
      };
      if (x.done) d.file = x.done.file;
      if (result) d.result = result;
      D.dispatchEvent(new CustomEvent("mesotrain:exam", { detail: d }));
    }

    function score(x) {
      var res = marks(x).res, o = cfg.open;
      var box = $(".mt-x-score", root), pct = function (v) { return Math.round(v * 1000) / 10 + " %"; };
      var rows = Object.keys(res.by_domain).map(function (d) {
        var t = res.by_domain[d];
        return "<tr><td>" + esc(o.domains[d] || d) + "</td><td>" + pct(t[1] ? t[0] / t[1] : 0) + "</td></tr>";
      }).join("");
      box.innerHTML = "<p class='mt-x-result'><strong>Your score: " + pct(res.fraction) + " — " + (res.passed ? "passed" : "not passed") +
        "</strong></p><table class='mt-table'><thead><tr><th scope='col'>Domain</th><th scope='col'>Score</th></tr></thead><tbody>" + rows + "</tbody></table>";
      box.dataset.fraction = res.fraction;
    }
    function esc(s) { var d = D.createElement("span"); d.textContent = s; return d.innerHTML; }

    /* wiring */
    root.classList.add("mt-on");
    orderings(root).forEach(function (f) {
      if (f.mtBase) return;
      f.mtBase = $$("li", f).map(function (li) { return li.dataset.mtItem; });
      var keep = D.createElement("label"); /* the whole label is the target: at least 44 px high */
      keep.className = "mt-x-keep";
      keep.innerHTML = '<input type="checkbox"> This order is my answer';
      f.appendChild(keep);
    });
    $("form", root).addEventListener("submit", function (ev) { ev.preventDefault(); start(ev.target); });
    var items$ = $(".mt-x-items", root);
    ["input", "change"].forEach(function (t) {
      items$.addEventListener(t, function (ev) {
        var q = ev.target.closest(".mt-q");
        if (q) record(q);
      });
    });
    items$.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && ev.target.matches("input[type=text]")) ev.preventDefault(); /* never submits anything */
    });
    $(".mt-x-flagbox", root).addEventListener("change", function (ev) { a.f[items()[idx]] = ev.target.checked; save(); });
    root.addEventListener("click", function (ev) {
      var mv = ev.target.closest(".mt-move button"), f = mv && mv.closest("fieldset");
      if (f) { $(".mt-x-keep input", f).checked = true; record(f.closest(".mt-q")); } /* quiz.js has moved the item */
      var b = ev.target.closest("[data-x]");
      if (!b) return;
      var x = b.dataset.x;
      if (x === "prev") go(idx - 1);
      else if (x === "next") go(idx + 1);
      else if (x === "review") review();
      else if (x === "back") go(idx);
      else if (x === "submit") { $(".mt-x-confirm", root).hidden = false; $("[data-x=confirm]", root).focus(); }
      else if (x === "cancel") { $(".mt-x-confirm", root).hidden = true; $("[data-x=submit]", root).focus(); }
      else if (x === "confirm") finish("candidate");
      else if (x === "download") download(a);
      else if (x === "again") { a = null; begin(); }
      else if (x === "sofar" && a && !a.done) sofar();
      else if (x === "copy" && unread != null) file(unread, ex.id + "-unreadable-" + Date.now() + ".json");
      else if (x === "here") { if (resume()) say("The exam continues in this tab. Your answers were kept."); }
    });
    on(D, "visibilitychange", function () {
      if (D.hidden) { account(true); if (a && !a.done) save(); } else { lastTick = Date.now(); if (!away) writer(); }
    });
    on(W, "storage", function (ev) { if (ev.key === lock && !away && holder()) elsewhere(); });
    on(W, "pagehide", function () { /* the page goes (reload, close, away): save, then let go of the lock */
      account(true);
      if (a && !a.done) save();
      away = true;
      release();
    });
    on(W, "pageshow", function (ev) { if (ev.persisted) { if (holder()) elsewhere(); else resume(); } });

    try { localStorage.setItem(key + ":probe", "1"); localStorage.removeItem(key + ":probe"); } catch (e) { cannotSave(); }
    if (holder()) elsewhere();
    else if (resume()) say("Welcome back. Your answers were kept and the clock kept running.");
    return { stop: function () {
      clearInterval(timer); clearInterval(beat);
      release();
      off.forEach(function (x) { x[0].removeEventListener(x[1], x[2]); });
    } };
  }

  function unseal(n, r) { /* page tokens → real ids (open mode only; sealing.unseal in Python) */
    if (r == null || !n) return r;
    var m = n.option || n.item;
    if (m) return typeof r === "string" ? m[r] || r : Array.isArray(r) ? r.map(function (x) { return m[x] || x; }) : r;
    if (!isObj(r)) return r;
    var out = {};
    Object.keys(r).forEach(function (k) {
      if (n.premise) out[n.premise[k] || k] = n.choice[r[k]] || r[k];
      else if (n.blank) out[n.blank[k] || k] = r[k];
      else if (n.part) { var id = n.part[k] || k; out[id] = unseal((n.parts || {})[id], r[k]); }
      else out[k] = r[k];
    });
    return out;
  }

  /* ---- certificate check against the published list of hashed codes ---- */
  function Verify(form) {
    var out = $(".mt-v-result", form), link = $("a[href$='certificates.json']"), list = null;
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var code = $("input", form).value.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
      if (!new RegExp("^[" + ALPHA + "]{16}$").test(code)) { out.textContent = "A code has 16 letters and digits, like ABCD-EFGH-JKMN-PQRS."; return; }
      out.textContent = "Checking…";
      (list ? Promise.resolve(list) : fetch(link.href, { cache: "no-cache" }).then(function (r) { return r.json(); }))
        .then(function (l) {
          list = l;
          var e = (l.certificates || {})[sha256("mesotrain-certificate:" + code)];
          out.className = "mt-v-result " + (e && !e.revoked ? "mt-v-ok" : "mt-v-no");
          out.textContent = !e ? "Not found: no certificate with this code was issued for this course. Check the code for typos." :
            e.revoked ? "Withdrawn: this certificate was revoked on " + e.revoked + "." :
            "Valid: issued for passing " + (l.course_title || l.course) + " (version " + e.course_version + ") on " + e.date + ", result: " + e.band + ".";
        })
        .catch(function () { out.textContent = "The list of certificates could not be loaded. Try again later."; });
    });
    var q = new URLSearchParams(location.search).get("code");
    if (q) { $("input", form).value = q; form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit")); }
    form.classList.add("mt-on");
  }

  var running = null;
  function init() {
    if (running) { running.stop(); running = null; }
    var root = $("[data-mt-exam]");
    if (root && M.quiz) running = Exam(root);
    var v = $("[data-mt-verify]");
    if (v) Verify(v);
  }
  /* exam.js calls init on every page that needs it, after quiz.js has set the widgets up */
  M.exam = { sha256: sha256, canon: canon, unseal: unseal, init: init };
  if (M.examReady) M.examReady();
})();
