// The tracker's numbers as charts (Chart.js), drawn from the page's json_script data. Each
// chart repeats a table on the page, which screen readers and no-JS browsers read instead.
(function () {
  "use strict";

  function init() {
    var source = document.getElementById("tracker-chart-data");
    if (!window.Chart || !source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var brand = getComputedStyle(document.documentElement).getPropertyValue("--brand").trim() || "#4b2bb3";
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var series = data[canvas.dataset.chart];
      if (!series || !series.labels.length) {
        canvas.hidden = true;
        return;
      }
      new window.Chart(canvas, {
        type: canvas.dataset.kind || "bar",
        data: {
          labels: series.labels,
          datasets: [{ data: series.values, backgroundColor: brand }],
        },
        options: {
          animation: false,
          plugins: { legend: { display: false } },
          scales: { y: { beginAtZero: true } },
        },
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
