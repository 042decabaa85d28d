// Small enhancements; every page works without them.
(function () {
  "use strict";

  // Keep CSRF tokens fresh on pages left open for hours (a director may write all afternoon).
  var REFRESH_MS = 10 * 60 * 1000;
  function refreshTokens() {
    if (!document.querySelector('input[name="csrf_token"]')) { return; }
    fetch("/account/csrf-token", { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.token) { return; }
        document.querySelectorAll('input[name="csrf_token"]').forEach(function (input) {
          input.value = data.token;
        });
      })
      .catch(function () { /* offline: the server keeps what was typed if the token is stale */ });
  }
  setInterval(refreshTokens, REFRESH_MS);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { refreshTokens(); }
  });

  // After a refused form, take the keyboard to the list of problems when the page has one (each
  // links to its field), else to the first field to correct.
  var summary = document.querySelector(".error-summary");
  var invalid = document.querySelector('[aria-invalid="true"]');
  if (summary) { summary.focus(); } else if (invalid) { invalid.focus(); }
  // A problem's link moves the keyboard to its field, not only the view.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-focus-field]");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    }
  });

  // Ask before destructive actions marked with data-confirm.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // Grant forms: show only the scope field that matters for the chosen role.
  document.querySelectorAll("[data-role-scope]").forEach(function (form) {
    var role = form.querySelector('select[name="role"]');
    if (!role) { return; }
    function sync() {
      form.querySelectorAll("[data-scope-for]").forEach(function (block) {
        block.hidden = block.getAttribute("data-scope-for") !== role.value;
      });
    }
    role.addEventListener("change", sync);
    sync();
  });
})();
