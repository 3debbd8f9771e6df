/* mesotrain progress and review pages: the dashboard, export, import, reset and the spaced
   review of missed questions. Loaded by quiz.js on those pages only; uses its store. */
(() => {
  "use strict";
  const M = window.mesotrain, { load, save, clean, current, h, $, $$, pct, navMarks, ROOT, KEY, fresh, say } = M.quiz.my;

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
      fresh();
      refresh("Your progress was reset.");
    };
  }

  function refresh(text) { dashboard(); navMarks(); say(text); }

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

  M.progress = { init: () => { review(); dashboard(); }, summary: reviewSummary };
})();
