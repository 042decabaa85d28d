// The PRD form (autosave: autosave.js): live page count and preview, student rows inline, merged saves shown, countdown.
// The form works without any of it: every button here is also a plain submit button.
(function () {
  "use strict";
  var form = document.getElementById("proposal-form");
  // Autosave is autosave.js (loaded first); this script tells it of changes made without an event.
  var shared = window.portalAutosave;
  if (!form || !shared) { return; }
  var changed = shared.changed;
  var post = shared.post;
  var text = shared.text;
  var description = form.querySelector("textarea.markdown-editor");

  // What an input holds now, or held in `sent` (the FormData of a save), as the form posts it.
  function valueOf(name, sent) {
    if (sent) { return sent.has(name) ? sent.get(name) : ""; }
    var input = form.elements.namedItem(name);
    if (input && input.type === "checkbox") { return input.checked ? input.value : ""; }
    return input ? input.value : "";
  }
  // A students table's filled rows, as one text, to tell whether it changed.
  function rowsOf(who, sent) {
    var pattern = new RegExp("^" + who + "-students-(\\d+)-(name|start|funding|share)$");
    var rows = {};
    var entries = sent ? Array.from(sent.entries()) : Array.from(form.elements).map(function (input) {
      return [input.name, input.value];
    });
    entries.forEach(function (entry) {
      var match = pattern.exec(entry[0]);
      if (match) { (rows[match[1]] = rows[match[1]] || {})[match[2]] = entry[1]; }
    });
    return Object.keys(rows).sort(function (a, b) { return a - b; }).map(function (index) {
      var row = rows[index];
      return [row.name, row.start, row.funding, row.share].join("\u0001");
    }).join("\u0002");
  }
  function setRows(who, rows) {
    var block = document.querySelector('[data-students="' + who + '"]');
    block.querySelectorAll("tbody tr").forEach(function (row) { row.remove(); });
    rows.forEach(function (values) {
      addRow(block, false);
      var row = block.querySelector("tbody tr:last-child");
      Object.keys(values).forEach(function (key) {
        row.querySelector('input[name$="-' + key + '"]').value = values[key];
      });
    });
    refreshRows(block);
  }
  // A merged save: the other person's changes put on screen. A field typed in while the save was
  // on its way keeps what was typed, and the page keeps the version it knew, so that the next
  // save is merged again and that field compared, never overwritten.
  function showMerged(data, sent) {
    var settled = true;
    Object.keys(data.fields || {}).forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (!input) { return; }
      if (valueOf(name) !== valueOf(name, sent)) { settled = false; return; }
      var wanted = data.fields[name];
      if (input.type === "checkbox") { input.checked = wanted === true; } else { input.value = wanted; }
      if (input === description && preview) { refreshPreview(); }
    });
    Object.keys(data.students || {}).forEach(function (who) {
      if (rowsOf(who) !== rowsOf(who, sent)) { settled = false; return; }
      setRows(who, data.students[who]);
    });
    return settled;
  }

  shared.onMerged(showMerged);

  // Live preview and page count of the description, laid out as in the PDF by the server.
  var preview = document.getElementById("description-preview");
  var pageCount = document.getElementById("page-count");
  var previewTimer = null;
  var previewSeq = 0;
  function refreshPreview() {
    var body = new FormData();
    body.append("csrf_token", form.querySelector('input[name="csrf_token"]').value);
    body.append("description", description.value);
    var seq = ++previewSeq;
    pageCount.setAttribute("aria-busy", "true");
    post(form.getAttribute("data-preview"), body)
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { showCount(data, seq); })
      .catch(function () { /* the Preview button still works */ })
      .finally(function () { if (seq === previewSeq) { pageCount.removeAttribute("aria-busy"); } });
  }
  // A count still being made by a worker (202): "counting…", then the poll address until it is.
  // The first poll after 1 s, the next ones every 1.5 s (bench/rush_director.py does the same):
  // when counts queue at the deadline, looking every second took the web's processor from the pages.
  function showCount(data, seq, delay) {
    if (seq !== previewSeq) { return; }
    if (!data) { pageCount.removeAttribute("aria-busy"); return; }  // overtaken: a newer ask answers
    pageCount.textContent = data.label;
    if (data.status === "counting" && data.poll) {
      var wait = delay || 1000;
      pageCount.setAttribute("aria-busy", "true");
      setTimeout(function () {
        if (seq !== previewSeq) { return; }
        fetch(data.poll, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (response) { return response.status === 200 || response.status === 202 ? response.json() : null; })
          .then(function (next) { showCount(next, seq, 1500); })
          .catch(function () { /* the next edit asks again */ });
      }, wait);
      return;
    }
    pageCount.removeAttribute("aria-busy");
    preview.innerHTML = data.html;  // sanitised by the server (documents/markdown.py)
    pageCount.classList.toggle("over", !data.fits);
  }
  if (description && preview) {
    description.addEventListener("input", function () {
      clearTimeout(previewTimer);
      previewTimer = setTimeout(refreshPreview, 800);
    });
    var previewButton = form.querySelector("[data-preview-button]");
    if (previewButton) { previewButton.hidden = true; }
    refreshPreview();
  }

  // Student rows: add and remove in place. The total share and the doctoral school's cap are the
  // live check's (static/js/live-checks.js), told of each row added or removed.
  function refreshRows(block) {
    var rows = block.querySelectorAll("tbody tr");
    block.querySelector("[data-student-count]").textContent =
      (rows.length === 1 ? text("one-student") : text("many-students")).replace("{n}", rows.length);
    block.querySelector(".students-empty").hidden = rows.length > 0;
    form.dispatchEvent(new Event("students-changed"));
  }
  function addRow(block, focus) {
    var body = block.querySelector("tbody");
    var next = 0;
    body.querySelectorAll("input").forEach(function (input) {
      var match = input.name.match(/-students-(\d+)-/);
      if (match) { next = Math.max(next, parseInt(match[1], 10) + 1); }
    });
    // The server's own row, from the page's template: the same labels, placeholders and button.
    var template = block.querySelector("template[data-student-row]");
    var row = template.content.querySelector("tr").cloneNode(true);
    var number = String(body.children.length + 1);
    row.querySelectorAll("input, button").forEach(function (element) {
      ["name", "id", "aria-label", "value"].forEach(function (attribute) {
        var value = element.getAttribute(attribute);
        if (value) {
          element.setAttribute(attribute, value.replace(/__N__/g, next).replace(/__NUMBER__/g, number));
        }
      });
    });
    // Without the server's round trip, the button only removes the row.
    row.querySelector("[data-remove-row]").type = "button";
    body.appendChild(row);
    if (focus !== false) { row.querySelector("input").focus(); }
    refreshRows(block);
  }
  document.querySelectorAll("[data-students]").forEach(function (block) {
    block.addEventListener("click", function (event) {
      var add = event.target.closest("[data-add-row]");
      var remove = event.target.closest("[data-remove-row]");
      if (add) { event.preventDefault(); addRow(block); changed(); }
      if (remove) {
        event.preventDefault();
        remove.closest("tr").remove();
        refreshRows(block);
        block.querySelector("[data-add-row]").focus();
        changed();
      }
    });
  });

  // "Fill from their profile": the same look-up as the plain button, answered in place. Only the
  // fields an account shares are filled; the message goes beside the address either way.
  var findButton = form.querySelector("[data-find-co-supervisor]");
  var lookupStatus = document.getElementById("co-supervisor-lookup");
  if (findButton && lookupStatus) {
    findButton.addEventListener("click", function (event) {
      event.preventDefault();
      var body = new FormData(form);
      body.set("action", findButton.value);
      findButton.disabled = true;
      post(findButton.formAction.split("#")[0], body)
        .then(function (response) { return response.json(); })
        .then(function (data) {
          var kind = { found: "ok", invalid: "problem", limited: "problem", refused: "problem" }[data.status];
          lookupStatus.textContent = data.message;
          lookupStatus.className = "save-status" + (kind ? " " + kind : "");
          Object.keys(data.fields || {}).forEach(function (name) {
            var input = form.elements.namedItem(name);
            if (!input) { return; }
            input.value = data.fields[name];
            // As if typed: totals, the school's cap and autosave follow.
            input.dispatchEvent(new Event("change", { bubbles: true }));
          });
        })
        .catch(function () {
          lookupStatus.textContent = text("lookup-failed");
          lookupStatus.className = "save-status problem";
        })
        .finally(function () { findButton.disabled = false; });
    });
  }

  // Countdown: from the seconds the server counted, so a wrong clock on the laptop does not lie.
  var countdown = document.querySelector("[data-countdown]");
  if (countdown) {
    var end = Date.now() + parseInt(countdown.getAttribute("data-seconds-left"), 10) * 1000;
    var tick = function () {
      var left = Math.max(0, Math.floor((end - Date.now()) / 1000));
      var days = Math.floor(left / 86400), hours = Math.floor(left % 86400 / 3600);
      var minutes = Math.floor(left % 3600 / 60);
      countdown.textContent = left === 0 ? text("closed") : text("left")
        .replace("{d}", days).replace("{h}", hours).replace("{m}", minutes);
    };
    tick();
    setInterval(tick, 30000);
  }
})();
