// Keeps a job's status page current while the job is queued or running: asks the API every
// two seconds, updates the status region (announced politely to screen readers) and reloads
// the page once the job has finished, so that the result and its link appear.
(function () {
  "use strict";
  var box = document.getElementById("taakstatus");
  if (!box || box.dataset.finished === "1") return;
  var url = box.dataset.api;
  function set(name, text) {
    var el = box.querySelector('[data-field="' + name + '"]');
    if (el && el.textContent !== text) el.textContent = text;
  }
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) {
        if (!job) return;
        if (job.status === "done" || job.status === "failed") { window.location.reload(); return; }
        var bar = document.getElementById("voortgang");
        if (bar && job.progress !== null) { bar.value = job.progress; }
        set("progress", job.progress !== null ? job.progress + "%" : "");
        set("progress_note", job.progress_note || "");
        set("status", job.status_label || job.status);
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
