// Draws each role's statistics chart (Chart.js, loaded before this file) from the JSON its
// page holds in a json_script element: <canvas data-chart="ID"> reads <script id="ID">.
// Without JavaScript, or if Chart.js is missing, the table beside each chart carries the
// same figures.
(function () {
  "use strict";
  var COLOURS = {
    view: "#4b2bb3",
    search_appearance: "#8a949e",
    apply_click: "#136c3a",
    tracker_save: "#8a4b00",
  };

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set) {
          var colour = COLOURS[set.key] || "#2f3740";
          return {
            label: set.label,
            data: set.data,
            borderColor: colour,
            backgroundColor: colour,
            borderWidth: 2,
            pointRadius: 0,
            pointHitRadius: 6,
            tension: 0.25,
            // Search appearances outnumber the rest many times over: their own axis keeps
            // views and clicks readable.
            yAxisID: set.key === "search_appearance" ? "appearances" : "y",
          };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: {
          x: { ticks: { maxTicksLimit: 8 } },
          y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "Views, clicks, saves" } },
          appearances: {
            position: "right",
            beginAtZero: true,
            ticks: { precision: 0 },
            grid: { drawOnChartArea: false },
            title: { display: true, text: "Search appearances" },
          },
        },
      },
    });
  }

  function start() {
    if (!window.Chart) {
      return;
    }
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
