// The job page's progress: poll the job's JSON status until it ends, and update the bar, the rate and the time left.
(function () {
  "use strict";
  var card = document.getElementById("job");
  if (!card) return;
  var ACTIVE = { queued: true, running: true };
  var LABELS = { queued: "Queued", running: "Running", done: "Done", failed: "Failed", cancelled: "Cancelled" };
  var bar = document.getElementById("job-progress");
  var number = new Intl.NumberFormat();

  function field(name) {
    return card.querySelector('[data-field="' + name + '"]');
  }

  function duration(seconds) {
    if (seconds < 60) return seconds + " s";
    var minutes = Math.floor(seconds / 60);
    return minutes < 60 ? minutes + " min " + (seconds % 60) + " s" : Math.floor(minutes / 60) + " h " + (minutes % 60) + " min";
  }

  function show(job) {
    card.dataset.status = job.status;
    field("status").textContent = LABELS[job.status] || job.status;
    bar.max = Math.max(job.total, 1);
    bar.value = job.processed;
    bar.textContent = job.processed + " of " + job.total;
    field("processed").textContent = number.format(job.processed);
    field("total").textContent = number.format(job.total);
    field("errors").textContent = number.format(job.errors);
    field("rate").textContent = job.rows_per_second ? " · " + number.format(Math.round(job.rows_per_second)) + " rows/s" : "";
    field("left").textContent = job.seconds_left !== null && ACTIVE[job.status] ? " · about " + duration(job.seconds_left) + " left" : "";
    field("positive").textContent = number.format(job.counts.positive);
    field("negative").textContent = number.format(job.counts.negative);
    field("error").textContent = job.error;
    field("error").hidden = !job.error;
    if (job.status === "done") {
      document.getElementById("job-done").hidden = false;
      if (job.results_url) document.getElementById("job-download").href = job.results_url;
    }
    if (job.status !== "queued") {
      // The upload's flash message ("Queued ... rows") is out of date once the job has moved on.
      var flash = document.querySelector("[data-messages]");
      if (flash) flash.remove();
    }
    if (!ACTIVE[job.status]) {
      document.getElementById("job-delete").textContent = "Delete this job and its results…";
    }
  }

  function poll() {
    fetch(card.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (job) {
        show(job);
        if (ACTIVE[job.status]) window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000); // a blip (a restart, the network): try again, more slowly
      });
  }

  if (ACTIVE[card.dataset.status]) poll();
})();
