/* mesotrain quiz runtime: practice feedback, progress in localStorage, dashboard and review.
   Vanilla, no build step, nothing fetched. Scoring lives in scoring.js (a mirror of scoring.py).
   Initialises on Material's document$ (instant navigation) or DOMContentLoaded. */
(function () {
  "use strict";
  var W = window, D = document, M = (W.mesotrain = W.mesotrain || {});
  var VERSION = 1, DAY = 864e5, WAIT = [0, 0, 1, 3, 7, 14]; // days a question waits in Leitner box n
  var ROOT = "/";
  try { ROOT = new URL(JSON.parse(D.getElementById("__config").textContent).base + "/", location.href).pathname; } catch (e) { /* keep "/" */ }
  var KEY = "mesotrain:" + ROOT, mem = null, notice = "";

  function $(s, el) { return (el || D).querySelector(s); }
  function $$(s, el) { return [].slice.call((el || D).querySelectorAll(s)); }
  function h(tag, attrs, text) {
    var e = D.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }
  function isObj(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function num(x) { return String(+x.toFixed(2)); }
  function pct(x) { return Math.round(100 * x) + " %"; }

  /* ---- progress store: {v, q: {id: {h, c, t, n, b, d, r}}, l: {lesson: {u, t, q: [[id, hash]]}}, last} ---- */
  function fresh() { return { v: VERSION, q: {}, l: {}, last: null }; }
  var MIGRATE = {}; // MIGRATE[n](data) → data in version n + 1, when a format changes

  function clean(data) {
    if (!isObj(data) || typeof data.v !== "number") return null;
    while (data.v < VERSION && MIGRATE[data.v]) data = MIGRATE[data.v](data);
    if (data.v !== VERSION || !isObj(data.q) || !isObj(data.l)) return null;
    var out = fresh(), dropped = 0;
    Object.keys(data.q).forEach(function (id) {
      var e = data.q[id];
      if (isObj(e) && typeof e.h === "string" && typeof e.c === "number" && e.c >= 0 && e.c <= 1 &&
          typeof e.t === "number" && [0, 1, 2, 3, 4, 5].indexOf(e.b || 0) >= 0) out.q[id] = e;
      else dropped++;
    });
    Object.keys(data.l).forEach(function (id) {
      var l = data.l[id];
      if (isObj(l) && typeof l.u === "string" && Array.isArray(l.q)) out.l[id] = l; else dropped++;
    });
    if (isObj(data.last) && typeof data.last.u === "string") out.last = data.last;
    out.dropped = dropped;
    return out;
  }

  function load() {
    if (mem) return mem;
    var raw = null;
    try { raw = localStorage.getItem(KEY); } catch (e) { /* storage disabled: keep progress for this page only */ }
    if (raw == null) return (mem = fresh());
    var data = null;
    try { data = clean(JSON.parse(raw)); } catch (e) { /* corrupted */ }
    if (!data) {
      try { localStorage.setItem(KEY + ":unreadable", raw); } catch (e) { /* best effort */ }
      notice = "Your saved progress could not be read, so it was reset. A copy of the old data was kept in this browser.";
      mem = fresh();
      save();
    } else {
      if (data.dropped) notice = "Some saved progress could not be read and was left out.";
      delete data.dropped;
      mem = data;
    }
    return mem;
  }

  function save() {
    try { localStorage.setItem(KEY, JSON.stringify(mem)); }
    catch (e) { notice = "Your progress cannot be saved in this browser (storage is full or turned off)."; }
  }

  function current(id, hash) { var e = load().q[id]; return e && e.h === hash ? e : null; }

  function record(el, frac, r) {
    var d = load(), id = el.dataset.mtQ, e = current(id, el.dataset.mtHash), now = Date.now();
    e = e || { h: el.dataset.mtHash, n: 0, b: 0 };
    e.c = frac; e.t = now; e.n++; e.r = r;
    if (frac < 1 - 1e-9) { e.b = 1; e.d = now; }
    else if (e.b) {
      e.b++;
      if (e.b > 5) { e.b = 0; delete e.d; } else e.d = now + WAIT[e.b] * DAY;
    }
    d.q[id] = e;
    save();
  }

  function showNotice() {
    var at = $(".md-content__inner") || D.body;
    if (!notice || !at) return;
    var n = h("div", { "class": "mt-notice", role: "status" }, notice);
    at.insertBefore(n, at.firstChild);
    notice = "";
  }

  /* ---- reading and writing controls ---- */
  function field(f) {
    var t = f.dataset.mtField, c = $("input:checked", f), r = {}, any = false;
    if (t === "single" || t === "hotspot") return c ? c.value : undefined;
    if (t === "true_false") return c ? c.value === "true" : undefined;
    if (t === "multiple") return $$("input:checked", f).map(function (i) { return i.value; });
    if (t === "numeric") {
      var s = $("input", f).value.trim().replace(",", ".");
      return s === "" ? undefined : isFinite(+s) ? +s : "NaN";
    }
    if (t === "ordering") return $$("li", f).map(function (li) { return li.dataset.mtItem; });
    $$(t === "matching" ? "select" : "[data-mt-blank]", f).forEach(function (i) {
      if (i.value.trim()) { r[i.dataset.mtPremise || i.dataset.mtBlank] = i.value; any = true; }
    });
    return any ? r : undefined;
  }

  function response(el) {
    var fs = $$("fieldset[data-mt-field]", el);
    if (el.dataset.mtType !== "case") return field(fs[0]);
    var r = {}, any = false;
    fs.forEach(function (f) { var v = field(f); if (v !== undefined) { r[f.dataset.mtPart] = v; any = true; } });
    return any ? r : undefined;
  }

  function write(f, r) {
    var t = f.dataset.mtField;
    if (t === "ordering") {
      var ol = $("ol", f);
      (r || []).forEach(function (id) { var li = $$("li", ol).filter(function (l) { return l.dataset.mtItem === id; })[0]; if (li) ol.appendChild(li); });
      buttons(f);
    } else if (t === "numeric") $("input", f).value = r == null ? "" : String(r);
    else if (t === "matching" || t === "cloze") {
      $$("select, input", f).forEach(function (i) { var v = (r || {})[i.dataset.mtPremise || i.dataset.mtBlank]; i.value = v == null ? "" : v; });
    } else {
      $$("input", f).forEach(function (i) {
        i.checked = t === "multiple" ? (r || []).indexOf(i.value) >= 0 : i.value === String(r);
      });
      if (t === "hotspot") regions(f);
    }
  }

  function keyOf(q) {
    var ids = function (list) { return list.filter(function (o) { return o.correct; }).map(function (o) { return o.id; }); };
    var t = q.type, r = {};
    if (t === "single") return ids(q.options)[0];
    if (t === "multiple") return ids(q.options);
    if (t === "hotspot") return ids(q.regions)[0];
    if (t === "true_false" || t === "numeric") return q.answer;
    if (t === "ordering") return q.items.map(function (i) { return i.id; });
    (q.pairs || q.blanks || q.parts).forEach(function (p) { r[p.id] = t === "matching" ? p.id : t === "cloze" ? p.accept[0] : keyOf(p); });
    return r;
  }

  /* ---- marks: right/wrong per choice, with the author's feedback ---- */
  function mark(at, ok, fb, label, inline) {
    var id = "mt-m" + Math.random().toString(36).slice(2, 8);
    var m = h(inline ? "span" : "div", { "class": "mt-m " + (ok ? "mt-ok" : "mt-no"), id: id });
    m.appendChild(h("span", { "class": "mt-tick" }, (ok ? "✓ " : "✗ ") + label));
    if (fb) { var s = h("span", { "class": "mt-fb" }); s.innerHTML = " " + fb; m.appendChild(s); }
    at.parentNode.insertBefore(m, at.nextSibling);
    var input = at.matches("input, select") ? at : $("input, select", at.parentNode);
    if (input) input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + id).trim());
  }

  function markField(f, q, r, fb, reveal) {
    var t = f.dataset.mtField, key = keyOf(q), S = M.scoring;
    fb = fb || {};
    if (t === "single" || t === "multiple" || t === "hotspot" || t === "true_false") {
      $$("input", f).forEach(function (i) {
        var v = t === "true_false" ? i.value === "true" : i.value;
        var right = Array.isArray(key) ? key.indexOf(v) >= 0 : t === "hotspot" ? q.regions.some(function (g) { return g.correct && g.id === v; }) : v === key;
        if (reveal ? right : i.checked) mark($("label[for='" + i.id + "']", f), right, fb[i.value], right ? (reveal ? "Correct answer" : "Right") : "Wrong");
      });
    } else if (t === "numeric") {
      mark($(".mt-numeric", f).lastElementChild, reveal || S.credit(q, r) > 0, null, reveal ? "Correct answer" : S.credit(q, r) > 0 ? "Right" : "Wrong", true);
    } else if (t === "ordering") {
      $$("li", f).forEach(function (li, n) { var ok = key[n] === li.dataset.mtItem; mark($(".mt-item", li), ok, null, ok ? "In place" : "Not in place", true); });
    } else if (t === "matching") {
      $$("select", f).forEach(function (s) { var p = s.dataset.mtPremise, ok = s.value === p; mark(s, ok, ok ? null : fb[p], ok ? "Right" : "Wrong", true); });
    } else if (t === "cloze") {
      $$("[data-mt-blank]", f).forEach(function (i) {
        var b = q.blanks.filter(function (x) { return x.id === i.dataset.mtBlank; })[0], one = {};
        one[b.id] = i.value;
        var ok = S.credit({ type: "cloze", blanks: [b] }, one) > 0;
        mark(i, ok, null, ok ? "Right" : "Wrong", true);
      });
    }
  }

  /* ---- one practice question ---- */
  function setup(el) {
    if (el.dataset.mtOn) return;
    el.dataset.mtOn = "1";
    el.classList.add("mt-on");
    $$("fieldset[data-mt-field=ordering]", el).forEach(buttons);
    $$("fieldset[data-mt-field=hotspot]", el).forEach(function (f) { regions(f); });
    el.addEventListener("click", function (ev) {
      var shape = ev.target.closest && ev.target.closest("[data-mt-region]");
      if (!shape) return;
      var f = shape.closest("fieldset"), i = $$("input", f).filter(function (x) { return x.value === shape.dataset.mtRegion; })[0];
      if (i) { i.checked = true; ["input", "change"].forEach(function (t) { i.dispatchEvent(new Event(t, { bubbles: true })); }); i.focus(); }
    });
    el.addEventListener("change", function (ev) { if (ev.target.closest("[data-mt-field=hotspot]")) regions(ev.target.closest("fieldset")); });
    el.addEventListener("focusin", function (ev) { focusRegion(ev.target, true); });
    el.addEventListener("focusout", function (ev) { focusRegion(ev.target, false); });
    if (el.dataset.mtMode !== "practice") return;

    var data = JSON.parse(el.dataset.mtData), q = data.q;
    var details = $("details.mt-explain", el), status = h("p", { "class": "mt-status", role: "status" });
    var bar = h("div", { "class": "mt-actions" });
    var check = h("button", { type: "button", "class": "mt-btn mt-primary" }, "Check");
    var retry = h("button", { type: "button", "class": "mt-btn", hidden: "" }, "Retry");
    var reveal = h("button", { type: "button", "class": "mt-btn", hidden: "" }, "Reveal the answer");
    [check, retry, reveal].forEach(function (b) { bar.appendChild(b); });
    details.hidden = true;
    $("summary", details).textContent = "Explanation";
    el.insertBefore(bar, details);
    el.insertBefore(status, details);

    function clear() {
      $$(".mt-m", el).forEach(function (m) { m.remove(); });
      $$("[aria-describedby*=mt-m]", el).forEach(function (i) {
        var v = i.getAttribute("aria-describedby").replace(/ ?mt-m\w+/g, "");
        if (v) i.setAttribute("aria-describedby", v); else i.removeAttribute("aria-describedby");
      });
      el.classList.remove("mt-done");
    }
    function show(r, revealed) {
      clear();
      var earned = M.scoring.credit(q, r, data.ms, data.neg), w = M.scoring.maxCredit(q);
      var fs = $$("fieldset[data-mt-field]", el);
      fs.forEach(function (f) {
        var part = f.dataset.mtPart, sub = part == null ? q : q.parts.filter(function (p) { return p.id === part; })[0];
        markField(f, sub, part == null ? r : (r || {})[part], part == null ? data.fb : data.fb[part], revealed);
      });
      var verdict = revealed ? "The answer is shown" : earned >= w - 1e-9 ? "Correct" : earned > 0 ? "Partly correct" : "Not correct";
      status.textContent = verdict + ": " + num(revealed ? w : earned) + " of " + num(w) + (w === 1 ? " point." : " points.");
      status.dataset.earned = revealed ? "" : earned;
      status.dataset.possible = w;
      el.classList.add("mt-done");
      details.hidden = false;
      details.open = true;
      $(".mt-key", details).hidden = !revealed;
      retry.hidden = reveal.hidden = false;
      el.mtLast = revealed ? null : r;
      tally();
      return earned / w;
    }
    check.addEventListener("click", function () {
      var r = response(el);
      if (r === undefined || (Array.isArray(r) && !r.length)) { status.textContent = "Choose an answer first."; return; }
      if (JSON.stringify(r).indexOf('"NaN"') >= 0 || r === "NaN") { status.textContent = "Enter a number, for example 2.5."; return; }
      record(el, show(r, false), r);
      lessonVisit();
      navMarks();
      reviewSummary();
    });
    retry.addEventListener("click", function () {
      clear();
      $$("fieldset[data-mt-field]", el).forEach(function (f) { if (f.dataset.mtField !== "ordering") write(f, undefined); });
      status.textContent = "Answer again, then choose Check.";
      delete status.dataset.earned;
      details.hidden = true;
      retry.hidden = reveal.hidden = true;
      var first = $("input, select, button", el);
      if (first) first.focus();
    });
    reveal.addEventListener("click", function () {
      var key = keyOf(q);
      if (!el.mtLast && !current(el.dataset.mtQ, el.dataset.mtHash)) record(el, 0, null);
      $$("fieldset[data-mt-field]", el).forEach(function (f) { write(f, f.dataset.mtPart == null ? key : key[f.dataset.mtPart]); });
      show(key, true);
    });
    el.addEventListener("input", function () { if (el.classList.contains("mt-done")) { clear(); status.textContent = ""; } });
    el.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && ev.target.matches("input[type=text]")) { ev.preventDefault(); check.click(); }
    });
    var prev = !el.closest("[data-mt-pool]") && current(el.dataset.mtQ, el.dataset.mtHash);
    if (prev && prev.r != null) {
      $$("fieldset[data-mt-field]", el).forEach(function (f) { write(f, f.dataset.mtPart == null ? prev.r : prev.r[f.dataset.mtPart]); });
      show(prev.r, false);
      status.textContent = "Your last answer — " + status.textContent;
    }
  }

  /* ---- ordering without drag: move up / move down buttons ---- */
  function buttons(f) {
    var items = $$("li", f), n = items.length;
    items.forEach(function (li, i) {
      var name = $(".mt-item", li).textContent.trim(), box = $(".mt-move", li);
      if (!box) {
        box = h("span", { "class": "mt-move" });
        [["up", "↑"], ["down", "↓"]].forEach(function (d) {
          var b = h("button", { type: "button", "class": "mt-btn mt-" + d[0], "aria-label": "Move “" + name + "” " + d[0] }, d[1]);
          b.addEventListener("click", function () { move(f, li, d[0]); });
          box.appendChild(b);
        });
        li.appendChild(box);
      }
      $(".mt-up", li).disabled = i === 0;
      $(".mt-down", li).disabled = i === n - 1;
    });
  }

  function move(f, li, dir) {
    var ol = li.parentNode, other = dir === "up" ? li.previousElementSibling : li.nextElementSibling;
    if (!other) return;
    ol.insertBefore(li, dir === "up" ? other : other.nextSibling);
    buttons(f);
    var b = $(".mt-" + dir, li);
    (b.disabled ? $(".mt-" + (dir === "up" ? "down" : "up"), li) : b).focus();
    var items = $$("li", ol), q = f.closest(".mt-q"), s = $(".mt-status", q) || $(".mt-live", q);
    if (!s) { s = h("p", { "class": "mt-live mt-sr", role: "status" }); ol.parentNode.appendChild(s); }
    s.textContent = $(".mt-item", li).textContent.trim() + ": position " + (items.indexOf(li) + 1) + " of " + items.length + ".";
    q.dispatchEvent(new Event("input", { bubbles: true }));
  }

  /* ---- hotspot: the picture follows the radio buttons ---- */
  function regions(f) {
    $$("[data-mt-region]", f).forEach(function (s) {
      var i = $$("input", f).filter(function (x) { return x.value === s.dataset.mtRegion; })[0];
      s.classList.toggle("mt-sel", !!(i && i.checked));
    });
  }
  function focusRegion(t, on) {
    var f = t.closest && t.closest("[data-mt-field=hotspot]");
    if (!f || t.type !== "radio") return;
    $$("[data-mt-region]", f).forEach(function (s) { s.classList.toggle("mt-focus", on && s.dataset.mtRegion === t.value); });
  }

  /* ---- page tally, lesson visits, nav marks ---- */
  function tally() {
    var qs = $$(".mt-q[data-mt-mode=practice]").filter(function (q) { return !q.closest("[data-mt-pool]"); });
    if (!qs.length) return;
    var t = $(".mt-tally");
    if (!t) { t = h("p", { "class": "mt-tally" }); qs[qs.length - 1].parentNode.insertBefore(t, qs[qs.length - 1].nextSibling); }
    var earned = 0, possible = 0, done = 0;
    qs.forEach(function (q) {
      var data = JSON.parse(q.dataset.mtData);
      possible += M.scoring.maxCredit(data.q);
      if (q.mtLast !== undefined && q.mtLast !== null) { earned += M.scoring.credit(data.q, q.mtLast, data.ms, data.neg); done++; }
    });
    t.dataset.earned = earned;
    t.textContent = "Score on this page: " + num(earned) + " of " + num(possible) + " points (" + done + " of " + qs.length + " questions checked).";
  }

  function lessonVisit() {
    var meta = $("[data-mt-lesson].mt-lesson-meta");
    if (!meta) return;
    var d = load(), id = meta.dataset.mtLesson, title = ($("h1") || {}).textContent || id;
    d.l[id] = { u: location.pathname, t: title.trim(), q: $$(".mt-q[data-mt-lesson='" + id + "']").map(function (q) { return [q.dataset.mtQ, q.dataset.mtHash]; }) };
    d.last = { u: location.pathname, t: title.trim(), id: id };
    save();
  }

  function done(l) { return l.q.every(function (p) { return current(p[0], p[1]); }); }

  function navMarks() {
    var d = load(), paths = {};
    Object.keys(d.l).forEach(function (id) { if (done(d.l[id])) paths[d.l[id].u] = 1; });
    $$("a.md-nav__link[href]").forEach(function (a) {
      var on = !!paths[new URL(a.href, location.href).pathname], sr = $(".mt-sr", a);
      a.classList.toggle("mt-done", on);
      if (on && !sr) a.appendChild(h("span", { "class": "mt-sr" }, " (done)"));
      if (!on && sr) sr.remove();
    });
  }

  /* ---- dashboard ---- */
  function courseIndex() { var s = $("[data-mt-course]"); return s ? JSON.parse(s.dataset.mtCourse) : null; }

  function stats(qs) {
    var a = 0, sum = 0;
    qs.forEach(function (p) { var e = current(p[0], p[1]); if (e) { a++; sum += e.c; } });
    return { answered: a, total: qs.length, mastery: qs.length ? sum / qs.length : 0 };
  }

  function table(head, rows) {
    var t = h("table", { "class": "mt-table" }), tr = h("tr");
    head.forEach(function (c) { tr.appendChild(h("th", { scope: "col" }, c)); });
    t.appendChild(h("thead")).appendChild(tr);
    var body = t.appendChild(h("tbody"));
    rows.forEach(function (r) {
      var row = body.appendChild(h("tr"));
      r.forEach(function (c) { var td = row.appendChild(h("td")); if (typeof c === "string") td.textContent = c; else td.appendChild(c); });
    });
    return t;
  }

  function dashboard() {
    var box = $("[data-mt-dashboard]"), idx = courseIndex();
    if (!box || !idx) return;
    var d = load(), links = {}, all = [], resume = null, rows = [], domains = {};
    $$("a[data-mt-lesson]").forEach(function (a) { links[a.dataset.mtLesson] = a.href; });
    box.textContent = "";
    idx.lessons.forEach(function (l) {
      var s = stats(l.q), seen = d.l[l.id], finished = seen && s.answered === s.total;
      all = all.concat(l.q);
      if (!finished && !resume) resume = l;
      (domains[l.domain] = domains[l.domain] || []).push.apply(domains[l.domain], l.q);
      var a = h("a", { href: links[l.id] || "#", "data-mt-row": l.id }, l.title);
      rows.push([a, l.domain, s.answered + " of " + s.total, pct(s.mastery), finished ? "Done" : seen || s.answered ? "In progress" : "Not started"]);
    });
    if (d.last && idx.lessons.some(function (l) { return l.id === d.last.id && !(d.l[l.id] && stats(l.q).answered === l.q.length); })) resume = { id: d.last.id, title: d.last.t };
    var s = stats(all), p = h("p", { "class": "mt-resume" });
    if (resume) { p.appendChild(D.createTextNode("Resume where you left off: ")); p.appendChild(h("a", { href: links[resume.id] || "#" }, resume.title)); }
    else p.textContent = "You have finished every lesson. Well done.";
    box.appendChild(p);
    box.appendChild(h("p", { "class": "mt-summary" }, "You have answered " + s.answered + " of " + s.total + " practice questions; overall mastery " + pct(s.mastery) + ". " + due().length + " due for review."));
    box.appendChild(h("h2", { id: "mastery-by-lesson" }, "Mastery by lesson"));
    box.appendChild(table(["Lesson", "Domain", "Answered", "Mastery", "Status"], rows));
    box.appendChild(h("h2", { id: "mastery-by-domain" }, "Mastery by domain"));
    box.appendChild(table(["Domain", "Answered", "Mastery"], idx.domains.filter(function (x) { return domains[x.id]; }).map(function (x) {
      var s = stats(domains[x.id]);
      return [x.title, s.answered + " of " + s.total, pct(s.mastery)];
    })));
    box.appendChild(h("h2", { id: "your-data" }, "Your data"));
    var tools = box.appendChild(h("div", { "class": "mt-tools" }));
    var ex = tools.appendChild(h("button", { type: "button", "class": "mt-btn" }, "Export progress to a file"));
    var lab = tools.appendChild(h("label", { "class": "mt-btn", "for": "mt-import" }, "Import progress from a file"));
    var file = tools.appendChild(h("input", { type: "file", id: "mt-import", accept: ".json,application/json", "class": "mt-sr" }));
    var reset = tools.appendChild(h("button", { type: "button", "class": "mt-btn" }, "Reset progress"));
    ex.addEventListener("click", exportFile);
    lab.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); file.click(); } });
    file.addEventListener("change", function () { if (file.files[0]) importFile(file.files[0]); });
    reset.addEventListener("click", function () {
      if (!W.confirm("Erase all your progress in this browser? This cannot be undone.")) return;
      try { localStorage.removeItem(KEY); } catch (e) { /* nothing stored */ }
      mem = fresh();
      notice = "Your progress was reset.";
      refresh();
    });
  }

  function refresh() { dashboard(); navMarks(); showNotice(); }

  function exportFile() {
    var blob = new Blob([JSON.stringify({ format: "mesotrain-progress", site: ROOT, exported: new Date().toISOString(), progress: load() })], { type: "application/json" });
    var a = h("a", { href: URL.createObjectURL(blob), download: "mesotrain-progress.json" });
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }

  function importFile(f) {
    f.text().then(function (text) {
      var got = null;
      try { var o = JSON.parse(text); got = o && o.format === "mesotrain-progress" ? clean(o.progress) : null; } catch (e) { /* not JSON */ }
      if (!got) { notice = "That file is not a mesotrain progress file; nothing was imported."; return refresh(); }
      var d = load(), n = 0;
      Object.keys(got.q).forEach(function (id) { if (!d.q[id] || d.q[id].t < got.q[id].t) { d.q[id] = got.q[id]; n++; } });
      Object.keys(got.l).forEach(function (id) { d.l[id] = d.l[id] || got.l[id]; });
      d.last = d.last || got.last;
      save();
      notice = "Imported progress on " + n + (n === 1 ? " question." : " questions.");
      refresh();
    });
  }

  /* ---- review my mistakes (Leitner boxes) ---- */
  function due() {
    var now = Date.now(), idx = courseIndex(), hashes = {};
    if (!idx) return [];
    idx.lessons.forEach(function (l) { l.q.forEach(function (p) { hashes[p[0]] = p[1]; }); });
    var d = load();
    return Object.keys(d.q).filter(function (id) { var e = d.q[id]; return e.b && e.d <= now && e.h === hashes[id]; });
  }

  function review() {
    var box = $("[data-mt-review]"), pool = $("[data-mt-pool]");
    if (!box || !pool) return;
    var ids = due();
    pool.hidden = false;
    $$(".mt-q", pool).forEach(function (q) { q.hidden = ids.indexOf(q.dataset.mtQ) < 0; });
    reviewSummary();
  }

  function reviewSummary() {
    var box = $("[data-mt-review]");
    if (!box) return;
    var d = load(), now = Date.now(), n = due().length, later = Object.keys(d.q).filter(function (id) { return d.q[id].b && d.q[id].d > now; });
    var next = Math.min.apply(null, later.map(function (id) { return d.q[id].d; }));
    box.textContent = "";
    box.appendChild(h("p", { "class": "mt-summary" }, (n ? n + (n === 1 ? " question is" : " questions are") + " due for review now." : "Nothing is due for review right now.") +
      (later.length ? " " + later.length + " more scheduled; the next on " + new Date(next).toLocaleDateString() + "." : "")));
  }

  function init() {
    mem = null;
    $$(".mt-q").forEach(setup);
    lessonVisit();
    review();
    tally();
    dashboard();
    navMarks();
    showNotice();
  }

  M.quiz = { response: response, setup: setup, storageKey: KEY };
  function boot() { if (W.document$ && W.document$.subscribe) W.document$.subscribe(init); else init(); }
  if (D.readyState === "loading") D.addEventListener("DOMContentLoaded", boot); else boot();
})();
