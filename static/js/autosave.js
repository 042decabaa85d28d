// Autosave of the page's form marked data-autosave (the PRD form, a review): a few seconds after the
// last change, the whole form goes to that address with the version it started from. The form works
// without it: its own Save button sends the same fields, and is how a stale save is resolved.
// Texts come from #form-texts; the server's answer (JSON) says what to show in #save-status.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  var texts = document.getElementById("form-texts");
  if (!form || !texts) { return; }
  function text(name) { return texts.getAttribute("data-" + name) || ""; }

  var status = document.getElementById("save-status");
  var version = form.querySelector('input[name="base_version"]');
  // The signed starting version that lets the server merge a save with another person's (PRD form).
  var base = form.querySelector('input[name="base"]');
  // What the form's own script does with a merged answer: true once the merge is on screen.
  var showMerged = null;
  var dirty = false;
  var conflict = false;
  var saving = null;
  var saveTimer = null;
  var refused = null;  // the field the server last refused, cleared once a save goes through

  function setStatus(message, kind) {
    status.textContent = message;
    status.className = "save-status" + (kind ? " " + kind : "");
  }

  // A field the server refused: its message beside it, as the page without JavaScript shows it.
  function fieldProblem(name, message) {
    var input = name && form.querySelector('[name="' + name + '"]');
    if (!input) { return; }
    var id = input.id + "-error";
    var error = document.getElementById(id);
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (part) {
      return part && part !== id;
    });
    if (!message) {
      if (error) { error.remove(); }
      input.removeAttribute("aria-invalid");
    } else {
      if (!error) {
        error = document.createElement("p");
        error.className = "error";
        error.id = id;
        input.insertAdjacentElement("afterend", error);
      }
      error.textContent = message;
      input.setAttribute("aria-invalid", "true");
      described.push(id);
    }
    if (described.length) { input.setAttribute("aria-describedby", described.join(" ")); }
    else { input.removeAttribute("aria-describedby"); }
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
    });
  }

  // A newer version on the server stops autosave: a normal save then shows both.
  function autosave() {
    if (conflict || !dirty) { return; }
    if (saving) { schedule(); return; }
    dirty = false;
    setStatus(text("saving"));
    var sent = new FormData(form);
    saving = post(form.getAttribute("data-autosave"), sent)
      .then(function (response) {
        return response.json().then(function (data) { return { code: response.status, data: data }; });
      })
      .then(function (result) {
        if (result.code === 200 && result.data.status === "merged" && showMerged) {
          // A field typed in while the save was on its way keeps the page's older version, so
          // that the next save is merged again rather than overwriting it.
          if (showMerged(result.data, sent)) { keep(result.data); } else { dirty = true; schedule(); }
          fieldProblem(refused, null);
          refused = null;
          setStatus(result.data.message, "ok");
        } else if (result.code === 200) {
          keep(result.data);
          fieldProblem(refused, null);
          refused = null;
          // Typing during the request: what is on screen is not all saved yet.
          if (dirty) { setStatus(text("unsaved")); } else { setStatus(result.data.message, "ok"); }
        } else if (result.code === 409) {
          conflict = true;
          setStatus(result.data.message, "problem");
        } else if (result.data.status === "invalid" && result.data.field) {
          dirty = true;
          setStatus(result.data.message, "problem");
          fieldProblem(refused, null);
          refused = result.data.field;
          fieldProblem(refused, result.data.message);
        } else {
          dirty = true;
          setStatus(text("not-saved"), "problem");
        }
      })
      .catch(function () { dirty = true; setStatus(text("offline"), "problem"); schedule(); })
      .finally(function () { saving = null; });
  }
  function keep(data) {
    version.value = data.version;
    if (base && data.base) { base.value = data.base; }
  }
  function schedule() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(autosave, 2500);
  }
  // Every change (typing, a choice, a row added or removed) says so at once.
  function changed() {
    dirty = true;
    if (!conflict) { setStatus(text("unsaved")); }
    schedule();
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // Sending this form is how a conflict is resolved: no "Leave site?" question then.
  var sending = false;
  form.addEventListener("submit", function () { sending = true; dirty = false; clearTimeout(saveTimer); });
  window.addEventListener("beforeunload", function (event) {
    if (!sending && (dirty || conflict)) { event.preventDefault(); event.returnValue = ""; }
  });
  // Back to this page from the browser's cache: it may be left again with unsaved changes.
  window.addEventListener("pageshow", function () { sending = false; });

  // For the form's own script (proposal-form.js): changes made without an input event, and requests.
  window.portalAutosave = {
    changed: changed, post: post, text: text,
    onMerged: function (show) { showMerged = show; }
  };
})();
