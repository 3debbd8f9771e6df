/* mesotrain exam loader: on a page with the exam or the certificate check (and only there),
   load lazy/exam-run.js and lazy/exam.css once and start it; on every later page, start it again
   (it also stops an exam left behind). Material's instant navigation swaps pages without
   reloading scripts, hence document$; it also drops from <head> what the new page's head lacks,
   so the two are added to <body>, outside the part it swaps, and the stylesheet is put back if
   it went all the same. */
(function () {
  "use strict";
  var W = window, D = document, M = (W.mesotrain = W.mesotrain || {});
  var me = D.currentScript && D.currentScript.src, base = me.replace(/exam\.js(\?.*)?$/, "lazy/exam");
  function run() {
    var need = D.querySelector("[data-mt-exam], [data-mt-verify]");
    if (need && !D.querySelector("link[data-mt-lazy]")) {
      var l = D.createElement("link");
      l.rel = "stylesheet"; l.href = base + ".css"; l.setAttribute("data-mt-lazy", "");
      D.body.appendChild(l);
    }
    if (M.exam) return setTimeout(M.exam.init, 0);
    if (!need || M.examReady) return;
    M.examReady = function () { setTimeout(M.exam.init, 0); };
    var s = D.createElement("script");
    s.src = base + "-run.js";
    D.body.appendChild(s);
  }
  if (W.document$ && W.document$.subscribe) W.document$.subscribe(run);
  else if (D.readyState === "loading") D.addEventListener("DOMContentLoaded", run); else run();
})();
