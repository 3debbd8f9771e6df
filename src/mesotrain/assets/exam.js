/* mesotrain exam loader: on a page with the exam or the certificate check (and only there),
   load lazy/exam-run.js and lazy/exam.css once and start it; on every later page of that kind, start it again.
   Material's instant navigation swaps pages without reloading scripts, hence document$. */
(function () {
  "use strict";
  var W = window, D = document, M = (W.mesotrain = W.mesotrain || {});
  var me = D.currentScript && D.currentScript.src;
  function run() {
    if (M.exam) return setTimeout(M.exam.init, 0); /* also on other pages: it stops an exam left behind */
    if (!D.querySelector("[data-mt-exam], [data-mt-verify]")) return;
    if (M.examReady) return;
    M.examReady = function () { setTimeout(M.exam.init, 0); };
    var base = me.replace(/exam\.js(\?.*)?$/, "lazy/exam"), l = D.createElement("link");
    l.rel = "stylesheet"; l.href = base + ".css"; D.head.appendChild(l);
    var s = D.createElement("script");
    s.src = base + "-run.js";
    D.head.appendChild(s);
  }
  if (W.document$ && W.document$.subscribe) W.document$.subscribe(run);
  else if (D.readyState === "loading") D.addEventListener("DOMContentLoaded", run); else run();
})();
