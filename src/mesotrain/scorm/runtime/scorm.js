/* mesotrain SCORM runtime (in a SCORM package only): the package has no offline worker. */
(function () {
  "use strict";
  var M = (window.mesotrain = window.mesotrain || {});
  M.offline = false;
})();
