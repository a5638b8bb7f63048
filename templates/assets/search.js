// Casebook results page, enhanced: results follow the query as it is typed. Everything here is
// optional: without this script the page is the same server-rendered form, submitted with its
// button. Filters are still applied with their button, so ticking a box never moves the page
// under a keyboard or screen-reader user (WCAG 3.2.2). Loaded as a file (the Content Security
// Policy allows no inline script); it only ever inserts markup the server rendered itself.
(function () {
  "use strict";
  var input = document.getElementById("results-q");
  var status = document.getElementById("results-status");
  if (!input || !input.form || !window.fetch || !window.DOMParser) {
    return;
  }
  var pending = null;
  var timer = null;

  // Replaces the parts of the page a search changes with those of `html`.
  function swap(html, url) {
    var next = new DOMParser().parseFromString(html, "text/html");
    // The filters stay as the reader left them, open or closed, while the query changes.
    var filters = document.getElementById("filters");
    var nextFilters = next.getElementById("filters");
    if (filters && nextFilters) {
      nextFilters.open = filters.open;
    }
    ["search-notes", "search-answer", "search-results"].forEach(function (id) {
      var now = document.getElementById(id);
      var then = next.getElementById(id);
      if (now && then) {
        now.replaceWith(document.importNode(then, true));
      }
    });
    document.title = next.title;
    window.history.replaceState(null, "", url);
    var heading = document.getElementById("results-heading");
    if (status && heading) {
      status.textContent = heading.textContent;
    }
  }

  function search() {
    var params = new URLSearchParams();
    params.set("q", input.value);
    var form = input.form;
    form.querySelectorAll("input[type=hidden]").forEach(function (h) {
      params.append(h.name, h.value);
    });
    var url = form.getAttribute("action") + "?" + params.toString();
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    fetch(url, { credentials: "same-origin", signal: pending.signal })
      .then(function (r) {
        // A refused search leaves the results as they were and says so; submitting the form
        // shows the server's reason.
        if (!r.ok && status) {
          status.textContent = "This search could not be run; press Search to see why.";
        }
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (html !== null) {
          swap(html, url);
        }
      })
      .catch(function () {});
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 250);
  });
})();
