/* mesotrain quiz runtime: feedback, progress, dashboard, review. No build step, no fetch;
   scores with scoring.js; runs on Material's document$ (instant navigation). */
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
      write(f, r) {
        for (const id of r || []) $("ol", f).append($$("li", f).find((li) => li.dataset.mtItem === id) || "");
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
    details.hidden = retry.hidden = reveal.hidden = true;
    $("summary", details).textContent = "Explanation";
    details.before(bar, status);

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
      each(el, r, (f, sub) => control(f).mark(f, whole(f) ? q : q.parts.find((p) => p.id === f.dataset.mtPart), sub,
        whole(f) ? data.fb : data.fb[f.dataset.mtPart], shown));
      const verdict = shown ? "The answer is shown" : earned >= w - 1e-9 ? "Correct" : earned > 0 ? "Partly correct" : "Not correct";
      status.textContent = `${verdict}: ${num(shown ? w : earned)} of ${num(w)} point${w === 1 ? "" : "s"}.`;
      status.dataset.earned = shown ? "" : earned;
      el.classList.add("mt-done");
      details.hidden = retry.hidden = reveal.hidden = false;
      details.open = true;
      $(".mt-key", details).hidden = !shown;
      el.mtLast = shown ? null : r;
      tally();
      return earned / w;
    }
    check.onclick = () => {
      const r = response(el);
      if (r === undefined || r.length === 0) status.textContent = "Choose an answer first.";
      else if (Number.isNaN(r) || (isObj(r) && Object.values(r).some(Number.isNaN))) status.textContent = "Enter a number, like 2.5.";
      else {
        record(el, show(r, false), r);
        lessonVisit();
        navMarks();
        reviewSummary();
      }
    };
    retry.onclick = () => {
      clear();
      restore(el);
      status.textContent = "";
      delete status.dataset.earned;
      details.hidden = retry.hidden = reveal.hidden = true;
      $("input, select, button:enabled", el).focus();
    };
    reveal.onclick = () => {
      if (!el.mtLast && !current(...ref(el))) record(el, 0, null);
      restore(el, S().key(q));
      show(S().key(q), true);
    };
    el.addEventListener("input", () => { if (el.classList.contains("mt-done")) { clear(); status.textContent = ""; } });
    el.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && ev.target.type === "text") { ev.preventDefault(); check.click(); }
    });
    const prev = !el.closest("[data-mt-pool]") && current(...ref(el));
    if (prev && prev.r != null) {
      restore(el, prev.r);
      show(prev.r, false);
      status.textContent = "Your last answer — " + status.textContent;
    }
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

  function move(f, li, dir) {
    const up = dir === "up", other = up ? li.previousElementSibling : li.nextElementSibling;
    if (!other) return;
    (up ? other.before(li) : other.after(li));
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
    if (f) for (const s of $$("[data-mt-region]", f)) s.classList.toggle("mt-sel", !!$$("input:checked", f).find((x) => x.value === s.dataset.mtRegion));
  }

  function tally() {
    const qs = $$(".mt-q[data-mt-data]").filter((q) => !q.closest("[data-mt-pool]"));
    if (!qs.length) return;
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

  function lessonVisit() {
    const meta = $(".mt-lesson-meta[data-mt-lesson]");
    if (!meta) return;
    const id = meta.dataset.mtLesson, t = ($("h1") || meta).textContent.trim(), u = location.pathname;
    load().l[id] = { u, t, q: $$(`.mt-q[data-mt-lesson="${id}"]`).map(ref) };
    mem.last = { u, t, id };
    save();
  }

  const finished = (l) => l.q.every((p) => current(...p));

  function navMarks() {
    const done = Object.values(load().l).filter(finished).map((l) => l.u);
    for (const a of $$("a.md-nav__link[href]")) {
      const on = done.includes(new URL(a.href).pathname), sr = $(".mt-sr", a);
      a.classList.toggle("mt-done", on);
      if (on && !sr) a.append(h("span", { class: "mt-sr" }, " (done)"));
      if (!on && sr) sr.remove();
    }
  }

  const index = () => { const s = $("[data-mt-course]"); return s && JSON.parse(s.dataset.mtCourse); };

  function stats(qs) {
    let a = 0, sum = 0;
    for (const p of qs) { const e = current(...p); if (e) { a++; sum += e.c; } }
    return { a, n: qs.length, m: qs.length ? sum / qs.length : 0, done: a === qs.length };
  }

  function dashboard() {
    const box = $("[data-mt-dashboard]"), idx = index();
    if (!box || !idx) return;
    const d = load(), byDomain = {};
    const fill = (el, s, status) => { // the last cells of el's table row
      const c = el.closest("tr").cells, v = [`${s.a} of ${s.n}`, pct(s.m)].concat(status || []);
      v.forEach((t, n) => (c[c.length - v.length + n].textContent = t));
    };
    let all = [], resume = null;
    box.hidden = !($("[data-mt-nojs]").hidden = true);
    for (const l of idx.lessons) {
      const s = stats(l.q), seen = d.l[l.id], a = $(`a[data-mt-lesson="${l.id}"]`);
      all = all.concat(l.q);
      (byDomain[l.domain] = byDomain[l.domain] || []).push(...l.q);
      if (!(seen && s.done) && (!resume || (d.last && d.last.id === l.id))) resume = a;
      fill(a, s, seen && s.done ? "Done" : seen || s.a ? "In progress" : "Not started");
    }
    for (const x of $$("[data-mt-domain]")) fill(x, stats(byDomain[x.dataset.mtDomain] || []));
    const s = stats(all), p = $("[data-mt-resume]");
    p.textContent = resume ? "Resume where you left off: " : "You have finished every lesson.";
    if (resume) p.append(h("a", { href: resume.href }, resume.textContent));
    $("[data-mt-summary]").textContent = `You have answered ${s.a} of ${s.n} practice questions; overall mastery ${pct(s.m)}. ${due().length} due for review.`;
    const file = $("#mt-import");
    $("[data-mt-export]").onclick = exportFile;
    $("[data-mt-import]").onclick = () => file.click();
    file.onchange = () => file.files[0] && file.files[0].text().then(importText);
    $("[data-mt-reset]").onclick = () => {
      if (!confirm("Erase all your progress in this browser? This cannot be undone.")) return;
      try { localStorage.removeItem(KEY); } catch (e) { }
      mem = fresh();
      refresh("Your progress was reset.");
    };
  }

  function refresh(text) { notice = text; dashboard(); navMarks(); showNotice(); }

  function exportFile() {
    const data = { format: "mesotrain-progress", site: ROOT, exported: new Date().toISOString(), progress: load() };
    const a = h("a", { href: URL.createObjectURL(new Blob([JSON.stringify(data)], { type: "application/json" })), download: "mesotrain-progress.json" });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1e3);
  }

  function importText(text) {
    let got = null, n = 0;
    try { const o = JSON.parse(text); got = o.format === "mesotrain-progress" && clean(o.progress); } catch (e) { }
    if (!got) return refresh("That file is not a mesotrain progress file; nothing was imported.");
    const d = load();
    for (const [id, e] of Object.entries(got[0].q)) if (!d.q[id] || d.q[id].t < e.t) { d.q[id] = e; n++; }
    d.l = Object.assign({}, got[0].l, d.l);
    d.last = d.last || got[0].last;
    save();
    refresh(`Imported progress on ${n} question${n === 1 ? "" : "s"}.`);
  }

  function due() {
    const idx = index(), hash = {}, q = load().q;
    if (!idx) return [];
    for (const l of idx.lessons) for (const [id, fp] of l.q) hash[id] = fp;
    return Object.keys(q).filter((id) => q[id].b && q[id].d <= Date.now() && q[id].h === hash[id]);
  }

  function review() {
    const pool = $("[data-mt-pool]"), ids = due();
    if (!pool) return;
    pool.hidden = false;
    for (const q of $$(".mt-q", pool)) q.hidden = !ids.includes(q.dataset.mtQ);
    reviewSummary();
  }

  function reviewSummary() {
    const box = $("[data-mt-review]"), n = due().length;
    if (!box) return;
    const later = Object.values(load().q).filter((e) => e.b && e.d > Date.now()), next = new Date(Math.min(...later.map((e) => e.d)));
    box.textContent = (n ? `${n} question${n === 1 ? " is" : "s are"} due for review now.` : "Nothing is due for review right now.") +
      (later.length ? ` ${later.length} more scheduled; the next on ${next.toLocaleDateString()}.` : "");
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

  M.quiz = { response, restore, setup, storageKey: KEY, types: TYPES };
  const boot = () => (window.document$ ? window.document$.subscribe(init) : init());
  D.readyState === "loading" ? D.addEventListener("DOMContentLoaded", boot) : boot();
})();
