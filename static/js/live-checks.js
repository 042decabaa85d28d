// Live checks of the PRD form: the server runs its submission rules on what is typed
// (portal/proposals/live_checks.py) and this script only places the answer beside each field. It
// holds no rule and no wording, so the page says what Submit would say. Without it, nothing changes:
// Save and Submit check on the server.
(function () {
  "use strict";
  var form = document.getElementById("proposal-form");
  var url = form && form.getAttribute("data-checks");
  if (!url || !window.fetch) { return; }
  var touched = {};     // ids of the fields the user changed: every problem of theirs is shown
  var baseline = null;  // the live problems at load, by field id: not news, so shown only once touched
  var shown = {};       // ids of the fields showing a live message
  var timer = null;
  var latest = 0;

  function checkable(element) {
    return element && element.id && element.matches("input, select, textarea") &&
      element.type !== "hidden" && !element.classList.contains("markdown-editor");
  }

  // The message's place: after the field, always there while the field is, so that a screen reader
  // hears what is written into it later (a live region must exist before it changes).
  function place(input) {
    var id = input.id + "-check";
    var element = document.getElementById(id);
    if (!element) {
      element = document.createElement("p");
      element.id = id;
      element.className = "error live-check";
      element.setAttribute("aria-live", "polite");
      (input.closest(".field, td") || input.parentNode).appendChild(element);
    }
    return element;
  }

  function describedBy(input, id, on) {
    var ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (part) {
      return part && part !== id;
    });
    if (on) { ids.push(id); }
    if (ids.length) { input.setAttribute("aria-describedby", ids.join(" ")); }
    else { input.removeAttribute("aria-describedby"); }
  }

  function say(input, message) {
    var element = place(input);
    // Once the field is changed, its message from the last Save or Submit is this one's to give.
    var stale = touched[input.id] && document.getElementById(input.id + "-error");
    if (stale) { stale.remove(); describedBy(input, stale.id, false); }
    if (element.textContent !== message) { element.textContent = message; }
    describedBy(input, element.id, Boolean(message));
    var invalid = Boolean(message) || Boolean(document.getElementById(input.id + "-error"));
    if (invalid) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
    var box = input.closest(".field, td");
    if (box) { box.classList.toggle("has-error", invalid); }
    if (message) { shown[input.id] = true; } else { delete shown[input.id]; }
  }

  function byField(problems) {
    var found = {};
    problems.forEach(function (problem) { (found[problem.field] = found[problem.field] || []).push(problem); });
    return found;
  }

  function show(answer) {
    var found = byField(answer.problems);
    var ids = Object.keys(found).concat(Object.keys(shown), Object.keys(touched));
    ids.forEach(function (id) {
      var input = document.getElementById(id);
      if (!checkable(input)) { return; }
      var before = (baseline && baseline[id]) || [];
      var messages = (found[id] || []).filter(function (problem) {
        return touched[id] || (problem.live && baseline && before.indexOf(problem.message) < 0);
      }).map(function (problem) { return problem.message; });
      say(input, messages.join(" "));
    });
    Object.keys(answer.students).forEach(function (who) { students(who, answer.students[who]); });
  }

  // The total and the cap of the doctoral school chosen, as the server counts them.
  function students(who, summary) {
    var block = document.querySelector('[data-students="' + who + '"]');
    if (!block) { return; }
    block.querySelector("[data-share-total]").textContent = summary.total;
    block.querySelector("[data-cap-label]").textContent = summary.cap_label ? "(" + summary.cap_label + ")" : "";
    var region = block.querySelector("[data-cap-warning]");
    var notice = region.querySelector(".notice");
    if (summary.warning && !notice) {
      notice = document.createElement("p");
      notice.className = "notice warning";
      region.appendChild(notice);
    }
    if (notice && notice.textContent !== summary.warning) {
      if (summary.warning) { notice.textContent = summary.warning; } else { notice.remove(); }
    }
    block.querySelectorAll("input.share").forEach(function (input) {
      describedBy(input, region.id, Boolean(summary.warning));
    });
  }

  function body() {
    var data = new FormData(form);
    data.delete("description");  // measured apart, and the largest field by far
    return data;
  }

  function ask(first) {
    var number = ++latest;
    fetch(url, {
      method: "POST", body: body(), credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer) { return; }
        if (first) {
          baseline = {};
          answer.problems.forEach(function (problem) {
            if (problem.live) { (baseline[problem.field] = baseline[problem.field] || []).push(problem.message); }
          });
        }
        if (number === latest) { show(answer); }  // an older answer would undo a newer one
      })
      .catch(function () { /* Save and Submit still check */ });
  }

  function later() { clearTimeout(timer); timer = setTimeout(function () { ask(false); }, 400); }
  function now() { clearTimeout(timer); ask(false); }

  form.addEventListener("input", function (event) {
    if (!checkable(event.target)) { return; }
    touched[event.target.id] = true;
    later();
  });
  // Leaving a changed field, ticking a box, choosing a school: at once.
  form.addEventListener("change", function (event) {
    if (!checkable(event.target)) { return; }
    touched[event.target.id] = true;
    now();
  });
  // A field about to be typed in gets its message's place first.
  form.addEventListener("focusin", function (event) { if (checkable(event.target)) { place(event.target); } });
  form.addEventListener("students-changed", later);
  form.querySelectorAll("input, select, textarea").forEach(function (input) {
    if (checkable(input)) { place(input); }
  });
  ask(true);
})();
