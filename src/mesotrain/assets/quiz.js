/* mesotrain quiz runtime: widgets, feedback, the progress store, notes, the offline copy.
   No build step, no fetch; runs on Material's document$ (instant navigation). */
(() => {
  "use strict";
  const M = (window.mesotrain = window.mesotrain || {}), D = document;
  const VERSION = 1, DAY = 864e5, WAIT = [0, 0, 1, 3, 7, 14]; // days in Leitner box n
  let ROOT = "/", mem = null, notice = "";
  try { ROOT = new URL(JSON.parse(D.getElementById("__config").textContent).base + "/", location.href).pathname; } catch (e) { }
  const KEY = "mesotrain:" + ROOT;
  const $ = (s, el) => (el || D).querySelector(s), $$ = (s, el) => [...(el || D).querySelectorAll(s)];
  const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const num = (x) => String(+x.toFixed(2)), pct = (x) => Math.round(100 * x) + " %";
  const S = () => M.scoring, fields = (el) => $$("fieldset[data-mt-field]", el), ref = (el) => [el.dataset.mtQ, el.dataset.mtHash];
  const name = (i) => i.dataset.mtPremise || i.dataset.mtBlank;
  const fire = (n, detail) => D.dispatchEvent(new CustomEvent("mesotrain:" + n, { detail }));
  function h(tag, attrs, text) {
    const e = D.createElement(tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  // {v, q: {id: {h: hash, c: fraction, t, n, b: box, d: due, r}}, l: {lesson: {u, t, q: [[id, hash]]}}, last}
  const fresh = () => ({ v: VERSION, q: {}, l: {}, last: null });
  const MIGRATE = {}; // MIGRATE[n](data) → data in version n + 1

  function clean(d) {
    if (!isObj(d) || typeof d.v !== "number") return null;
    while (d.v < VERSION && MIGRATE[d.v]) d = MIGRATE[d.v](d);
    if (d.v !== VERSION || !isObj(d.q) || !isObj(d.l)) return null;
    const out = fresh(), ok = {
      q: (e) => typeof e.h === "string" && e.c >= 0 && e.c <= 1 && typeof e.t === "number" && WAIT[e.b || 0] != null,
      l: (l) => typeof l.u === "string" && Array.isArray(l.q),
    };
    let bad = 0;
    for (const k in ok) for (const [id, e] of Object.entries(d[k])) isObj(e) && ok[k](e) ? (out[k][id] = e) : bad++;
    if (isObj(d.last)) out.last = d.last;
    return [out, bad];
  }

  function load() {
    if (mem) return mem;
    let raw = null, got = null;
    try { raw = localStorage.getItem(KEY); } catch (e) { }
    if (raw == null) return (mem = fresh());
    try { got = clean(JSON.parse(raw)); } catch (e) { }
    if (got) {
      mem = got[0];
      if (got[1]) notice = "Some saved progress could not be read and was dropped.";
      return mem;
    }
    try { localStorage.setItem(KEY + ":unreadable", raw); } catch (e) { }
    notice = "Your saved progress could not be read and was reset (a copy was kept).";
    mem = fresh();
    save();
    return mem;
  }

  function save() {
    try { localStorage.setItem(KEY, JSON.stringify(mem)); } catch (e) { notice = "This browser cannot save your progress."; }
  }

  const current = (id, hash) => { const e = load().q[id]; return e && e.h === hash ? e : null; };

  function record(el, frac, r) {
    const now = Date.now(), e = current(...ref(el)) || { h: el.dataset.mtHash, n: 0, b: 0 };
    Object.assign(e, { c: frac, t: now, n: e.n + 1, r });
    if (frac < 1 - 1e-9) Object.assign(e, { b: 1, d: now });
    else if (e.b) {
      e.b++;
      if (e.b > 5) { e.b = 0; delete e.d; } else e.d = now + WAIT[e.b] * DAY;
    }
    load().q[el.dataset.mtQ] = e;
    save();
  }

  function showNotice() {
    const at = $(".md-content__inner");
    if (notice && at) at.prepend(h("div", { class: "mt-notice", role: "status" }, notice));
    notice = "";
  }

  // per type, given its fieldset: read, write, mark (after Check), init
  const yes = (shown) => (shown ? "Correct answer" : "Right");
  const choice = (many, value = (i) => i.value) => ({
    read: (f) => { const c = $$("input:checked", f).map(value); return many ? c : c[0]; },
    write(f, r) { for (const i of $$("input", f)) i.checked = [].concat(r).map(String).includes(i.value); regions(f); },
    mark(f, q, r, fb = {}, shown) {
      for (const i of $$("input", f)) {
        const ok = many ? S().key(q).includes(i.value) : S().credit(q, value(i)) > 0;
        if (shown ? ok : i.checked) mark(i.nextElementSibling, ok, fb[i.value], ok ? yes(shown) : "Wrong");
      }
    },
  });
  const named = (right) => ({
    read(f) {
      const r = {};
      for (const i of $$("select, input", f)) if (i.value.trim()) r[name(i)] = i.value;
      return Object.keys(r).length ? r : undefined;
    },
    write(f, r) { for (const i of $$("select, input", f)) i.value = (r || {})[name(i)] || ""; },
    mark(f, q, r, fb = {}, shown) {
      for (const i of $$("select, input", f)) {
        const ok = right(q, name(i), i.value);
        mark(i, ok, ok ? null : fb[name(i)], ok ? yes(shown) : "Wrong");
      }
    },
  });
  const TYPES = {
    single: choice(),
    multiple: choice(1),
    true_false: choice(0, (i) => i.value === "true"),
    numeric: {
      read(f) {
        const s = $("input", f).value.trim().replace(",", ".");
        return s === "" ? undefined : isFinite(s) ? +s : NaN;
      },
      write(f, r) { $("input", f).value = r == null ? "" : r; },
      mark(f, q, r, fb, shown) {
        const ok = shown || S().credit(q, r) > 0;
        mark($(".mt-numeric", f).lastElementChild, ok, null, ok ? yes(shown) : "Wrong");
      },
    },
    ordering: {
      read: (f) => $$("li", f).map((li) => li.dataset.mtItem),
      write(f, r, q) {
        if (!r && q) return shuffle(f, S().key(q)); // Retry: a new order
        for (const id of r || []) $("ol", f).append($$("li", f).find((li) => li.dataset.mtItem === id) || "");
        if (r) f.dataset.mtMoved = 1;
        buttons(f);
      },
      mark(f, q) {
        const key = S().key(q);
        $$("li", f).forEach((li, n) => { const ok = key[n] === li.dataset.mtItem; mark($(".mt-item", li), ok, null, ok ? "In place" : "Not in place"); });
      },
      init: buttons,
    },
    matching: named((q, id, v) => v === id),
    cloze: named((q, id, v) => S().credit({ type: "cloze", blanks: q.blanks.filter((b) => b.id === id) }, { [id]: v }) > 0),
    hotspot: choice(),
    case: { parts: true },
  };
  const control = (f) => TYPES[f.dataset.mtField];
  const whole = (f) => f.dataset.mtPart == null;

  const each = (el, r, fn) => fields(el).forEach((f) => fn(f, whole(f) ? r : (r || {})[f.dataset.mtPart]));
  const restore = (el, r) => each(el, r, (f, v) => control(f).write(f, v));

  function response(el) {
    const r = {};
    for (const f of fields(el)) {
      const v = control(f).read(f);
      if (whole(f)) return v;
      if (v !== undefined) r[f.dataset.mtPart] = v;
    }
    return Object.keys(r).length ? r : undefined;
  }

  // a mark: sign and word (not colour alone) and feedback, described-by its control
  function mark(at, ok, fb, word) {
    const id = "mt-m" + Math.random().toString(36).slice(2, 8), block = at.tagName === "LABEL";
    const m = h(block ? "div" : "span", { class: "mt-m " + (ok ? "mt-ok" : "mt-no"), id });
    m.append(h("span", { class: "mt-tick" }, (ok ? "✓ " : "✗ ") + word));
    if (fb) m.append(" ", Object.assign(h("span", { class: "mt-fb" }), { innerHTML: fb }));
    at.after(m);
    const c = at.matches("input, select") ? at : $("input, select", at.parentNode);
    if (c) c.setAttribute("aria-describedby", ((c.getAttribute("aria-describedby") || "") + " " + id).trim());
  }

  function setup(el) {
    if (el.dataset.mtOn) return;
    el.dataset.mtOn = 1;
    el.classList.add("mt-on");
    fields(el).forEach((f) => (control(f).init || regions)(f));
    el.addEventListener("click", (ev) => {
      const s = ev.target.closest("[data-mt-region]"), i = s && $$("input", s.closest("fieldset")).find((x) => x.value === s.dataset.mtRegion);
      if (!i) return;
      i.checked = true;
      i.dispatchEvent(new Event("input", { bubbles: true }));
      i.focus();
    });
    el.addEventListener("input", (ev) => regions(ev.target.closest("fieldset")));
    if (el.dataset.mtMode !== "practice") return;

    const data = JSON.parse(el.dataset.mtData), q = data.q, details = $("details", el), status = h("p", { class: "mt-status", role: "status" });
    const bar = h("div", { class: "mt-actions" }), btn = (text, cls) => bar.appendChild(h("button", { type: "button", class: "mt-btn " + cls }, text));
    const check = btn("Check", "mt-primary"), retry = btn("Retry", ""), reveal = btn("Reveal the answer", "");
    const stem = $("legend, .mt-stem", el).textContent.replace(/\s+/g, " ").trim(), about = stem.length > 80 ? stem.slice(0, 79) + "…" : stem;
    for (const b of [check, retry, reveal]) b.setAttribute("aria-label", b.textContent + ": " + about);
    details.hidden = retry.hidden = reveal.hidden = true;
    $("summary", details).textContent = "Explanation";
    details.before(bar, status);
    const qOf = (f) => (whole(f) ? q : q.parts.find((p) => p.id === f.dataset.mtPart));

    function clear() {
      for (const m of $$(".mt-m", el)) m.remove();
      for (const i of $$("[aria-describedby*=mt-m]", el)) {
        const v = i.getAttribute("aria-describedby").replace(/ ?mt-m\w+/g, "");
        v ? i.setAttribute("aria-describedby", v) : i.removeAttribute("aria-describedby");
      }
      el.classList.remove("mt-done");
    }
    function show(r, shown) {
      clear();
      const earned = S().credit(q, r, data.ms, data.neg), w = S().maxCredit(q);
      each(el, r, (f, sub) => control(f).mark(f, qOf(f), sub, whole(f) ? data.fb : data.fb[f.dataset.mtPart], shown));
      const verdict = shown ? "The answer is shown" : earned >= w - 1e-9 ? "Correct" : earned > 0 ? "Partly correct" : "Not correct";
      const full = shown || earned >= w - 1e-9; // the explanation gives the key away: only once it is known
      status.textContent = `${verdict}: ${num(shown ? w : earned)} of ${num(w)} point${w === 1 ? "" : "s"}.` + (full ? "" : " Retry, or reveal the answer.");
      status.dataset.earned = shown ? "" : earned;
      el.classList.add("mt-done");
      retry.hidden = reveal.hidden = false;
      details.hidden = !(details.open = full);
      $(".mt-key", details).hidden = !shown;
      el.mtLast = shown ? null : r;
      tally();
      return earned;
    }
    // scoring.js comes on the first touch of a question (or when an answer is shown)
    for (const t of ["focusin", "pointerdown", "input"]) el.addEventListener(t, () => lazy("scoring", tally), { once: true });
    check.onclick = () => lazy("scoring", () => {
      const r = response(el);
      const still = fields(el).some((f) => $("[data-mt-preset]", f) && !f.dataset.mtMoved); // the order shown is no answer
      const out = fields(el).map((f) => [f, qOf(f), control(f).read(f)]).find(([, p, v]) => typeof v === "number" && ((p.min != null && v < p.min) || (p.max != null && v > p.max)));
      if (still) status.textContent = "Move the items into order first.";
      else if (r === undefined || r.length === 0) status.textContent = "Choose an answer first.";
      else if (Number.isNaN(r) || (isObj(r) && Object.values(r).some(Number.isNaN))) status.textContent = "Enter a number, like 2.5.";
      else if (out) {
        const p = out[1], n = (x) => x != null && num(x);
        status.textContent = "Enter a number " + (n(p.min) && n(p.max) ? `between ${n(p.min)} and ${n(p.max)}` : n(p.min) ? "of at least " + n(p.min) : "of at most " + n(p.max)) + ".";
        $("input", out[0]).focus();
      } else {
        const w = S().maxCredit(q), e = show(r, false);
        record(el, e / w, r);
        fire("answered", { kind: "practice", id: q.id, lesson: el.dataset.mtLesson, q, r, earned: e, max: w, at: new Date().toISOString() });
        lessonVisit(1);
        navMarks();
        if (M.progress) M.progress.summary();
      }
    });
    retry.onclick = () => {
      clear();
      each(el, undefined, (f) => control(f).write(f, undefined, qOf(f)));
      status.textContent = "";
      delete status.dataset.earned;
      details.hidden = retry.hidden = reveal.hidden = true;
      $("input, select, button:enabled", el).focus();
    };
    reveal.onclick = () => lazy("scoring", () => {
      if (!el.mtLast && !current(...ref(el))) record(el, 0, null);
      restore(el, S().key(q));
      show(S().key(q), true);
    });
    el.addEventListener("input", () => { if (el.classList.contains("mt-done")) { clear(); status.textContent = ""; } });
    el.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && ev.target.type === "text") { ev.preventDefault(); check.click(); }
    });
    const prev = !el.closest("[data-mt-pool]") && current(...ref(el));
    if (prev && prev.r != null) lazy("scoring", () => {
      restore(el, prev.r);
      show(prev.r, false);
      status.textContent = "Your last answer — " + status.textContent;
    });
  }

  // ordering without drag; focus stays on the moved item
  function buttons(f) {
    const items = $$("li", f);
    items.forEach((li, i) => {
      if (!$(".mt-move", li)) {
        const box = li.appendChild(h("span", { class: "mt-move" })), name = $(".mt-item", li).textContent.trim();
        for (const [d, sign] of [["up", "↑"], ["down", "↓"]]) {
          box.appendChild(h("button", { type: "button", class: "mt-btn mt-" + d, "aria-label": `Move “${name}” ${d}` }, sign)).onclick = () => move(f, li, d);
        }
      }
      $(".mt-up", li).disabled = i === 0;
      $(".mt-down", li).disabled = i === items.length - 1;
    });
  }

  // a new order that is neither the key nor the order just tried
  function shuffle(f, key) {
    const was = control(f).read(f).join();
    let ids = [];
    for (let n = 0; n < 50 && (!ids.length || ids.join() === key.join() || ids.join() === was); n++) {
      ids = key.slice();
      for (let i = ids.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [ids[i], ids[j]] = [ids[j], ids[i]]; }
    }
    control(f).write(f, ids);
    delete f.dataset.mtMoved;
  }

  function move(f, li, dir) {
    const up = dir === "up", other = up ? li.previousElementSibling : li.nextElementSibling;
    if (!other) return;
    (up ? other.before(li) : other.after(li));
    f.dataset.mtMoved = 1;
    buttons(f);
    const b = $(".mt-" + dir, li);
    (b.disabled ? $(up ? ".mt-down" : ".mt-up", li) : b).focus();
    const q = f.closest(".mt-q"), items = $$("li", f);
    let s = $(".mt-status", q) || $(".mt-live", q);
    if (!s) s = f.appendChild(h("p", { class: "mt-live mt-sr", role: "status" }));
    q.dispatchEvent(new Event("input", { bubbles: true }));
    s.textContent = `${$(".mt-item", li).textContent.trim()}: position ${items.indexOf(li) + 1} of ${items.length}.`;
  }

  function regions(f) {
    if (f) for (const s of $$("[data-mt-region]", f)) if (s.classList.toggle("mt-sel", !!$$("input:checked", f).find((x) => x.value === s.dataset.mtRegion))) s.parentNode.append(s); // on top: no neighbour hides its outline
  }

  function tally() {
    const qs = $$(".mt-q[data-mt-data]").filter((q) => !q.closest("[data-mt-pool]"));
    if (!qs.length || !S()) return;
    let t = $(".mt-tally"), earned = 0, possible = 0, done = 0;
    if (!t) qs[qs.length - 1].after((t = h("p", { class: "mt-tally" })));
    for (const q of qs) {
      const d = JSON.parse(q.dataset.mtData);
      possible += S().maxCredit(d.q);
      if (q.mtLast != null) { earned += S().credit(d.q, q.mtLast, d.ms, d.neg); done++; }
    }
    t.dataset.earned = earned;
    t.textContent = `Score on this page: ${num(earned)} of ${num(possible)} points (${done} of ${qs.length} questions checked).`;
  }

  let was;
  function lessonVisit(checked) {
    const meta = $(".mt-lesson-meta[data-mt-lesson]");
    if (!meta) return;
    const id = meta.dataset.mtLesson, t = ($("h1") || meta).textContent.trim(), u = location.pathname, l = { u, t, q: $$(`.mt-q[data-mt-lesson="${id}"]`).map(ref) };
    load().l[id] = l;
    mem.last = { u, t, id };
    save();
    const now = finished(l), st = (status) => fire("lesson", { id, title: t, url: location.href, status });
    if (!checked) st("attempted");
    if (now && !(checked && was)) st("completed");
    was = now;
  }

  const finished = (l) => l.q.every((p) => current(...p));

  function navMarks() {
    const done = Object.values(load().l).filter(finished).map((l) => l.u);
    for (const a of $$("a.md-nav__link[href]")) {
      const on = !a.hash && done.includes(a.pathname), sr = $(".mt-sr", a);
      a.classList.toggle("mt-done", on);
      if (on && !sr) a.append(h("span", { class: "mt-sr" }, " (done)"));
      if (!on && sr) sr.remove();
    }
  }

  // glossary definitions and citation marks open on tap and on Enter, not only on hover
  const TIP = ".md-content a[title]:not(.headerlink), .md-content abbr[title]";
  function closeTip(back) {
    const t = $(".mt-tip");
    if (t) { t.remove(); if (back) t.mtFor.focus(); }
    return t;
  }
  function tip(ev) {
    const a = ev.target.closest && ev.target.closest(TIP);
    if (ev.type === "keydown") {
      if (ev.key === "Escape") closeTip(true);
      if (ev.key !== "Enter" || !a || a.tagName === "A") return;
    }
    if (!a) return ev.target.closest(".mt-tip") || closeTip();
    ev.preventDefault();
    ev.stopPropagation();
    if (closeTip() && closeTip.was === a) return (closeTip.was = null);
    const t = h("span", { class: "mt-tip", role: "status" }, a.title);
    if (a.href) t.append(" ", h("a", { href: a.href }, /glossary/.test(a.pathname) ? "Open in the glossary" : "Go to the source"));
    t.mtFor = closeTip.was = a;
    a.after(t);
    const over = t.getBoundingClientRect().right - D.documentElement.clientWidth + 8;
    if (over > 0) t.style.marginLeft = -over + "px";
  }
  D.addEventListener("click", tip, true);
  D.addEventListener("keydown", tip, true);

  // code for the progress and review pages only, loaded there (and once)
  const ME = D.currentScript && D.currentScript.src, wait = {};
  function lazy(name, fn) {
    if (M[name]) return fn();
    if (!wait[name]) D.head.append(Object.assign(h("script", { src: ME.replace(/quiz\.js.*$/, `lazy/${name}.js`) }), { onload: () => wait[name].forEach((f) => f()) }));
    (wait[name] = wait[name] || []).push(fn);
  }

  function init() {
    for (const a of $$(".md-content abbr[title]")) a.tabIndex = 0;
    mem = null;
    $$(".mt-q").forEach(setup);
    lessonVisit();
    tally();
    navMarks();
    showNotice();
    if ($("[data-mt-dashboard], [data-mt-pool], [data-mt-review]")) lazy("progress", () => M.progress.init());
    if ($("[data-mt-exam]")) lazy("scoring", () => { }); // the open exam scores in the browser
  }

  // the offline copy (sw.js, written by the build); not under mkdocs serve (live reload)
  function toast(text, act, fn) {
    const t = h("div", { class: "mt-toast", role: "status" }, text + " ");
    const ok = (label, f) => (t.appendChild(h("button", { type: "button", class: "mt-btn" }, label)).onclick = () => { t.remove(); f && f(); });
    if (act) ok(act, fn);
    ok(act ? "Later" : "OK");
    D.body.append(t);
  }
  const SW = navigator.serviceWorker;
  if (SW && M.offline !== false) addEventListener("load", () => {
    if (window.livereload) return SW.getRegistration(ROOT).then((r) => r && r.unregister());
    let reload = false;
    SW.addEventListener("controllerchange", () => reload && location.reload());
    const fresh = (w) => toast("A new version of the course is available.", "Reload", () => { reload = true; w.postMessage("update"); });
    const watch = (w) => w && (w.onstatechange = () => w.state === "installed" && (SW.controller ? fresh(w) : toast("The course is ready to use offline.")));
    SW.register(ROOT + "sw.js").then((reg) => {
      if (reg.waiting && SW.controller) fresh(reg.waiting);
      watch(reg.installing);
      reg.onupdatefound = () => watch(reg.installing);
    }, () => { });
  });

  M.quiz = { response, restore, setup, need: lazy, storageKey: KEY, types: TYPES };
  // for lazy/progress.js
  M.quiz.my = { load, save, clean, current, h, $, $$, pct, navMarks, ROOT, KEY, fresh: () => (mem = fresh()), say: (t) => { notice = t; showNotice(); } };
  const boot = () => (window.document$ ? window.document$.subscribe(init) : init());
  D.readyState === "loading" ? D.addEventListener("DOMContentLoaded", boot) : boot();
})();
