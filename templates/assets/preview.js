// Casebook preview: reload this page when the preview is rebuilt (a file in knowledge/ or
// templates/ was saved). Only preview pages load this script.
(function () {
  "use strict";
  if (!window.EventSource) return;
  var events = new EventSource("/_preview/events");
  var seen = null;
  events.onmessage = function (e) {
    if (seen === null) {
      seen = e.data;
    } else if (e.data !== seen) {
      events.close();
      window.location.reload();
    }
  };
})();
