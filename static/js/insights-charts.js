// The insights figures as charts (Chart.js), drawn from the page's json_script data. Each
// chart repeats the table below it, which screen readers and browsers without scripts read.
(function () {
  "use strict";

  // Dark enough against the white card for lines and bars (each at least 4.5:1), and told
  // apart by more than hue for most colour-blind readers.
  var PALETTE = ["#4b2bb3", "#b3470f", "#0b6e4f", "#a4134d", "#1f5f99", "#6b5d00", "#5b5b5b", "#7a2b8f"];

  function init() {
    var source = document.getElementById("insights-chart-data");
    if (!window.Chart || !source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var chart = data[canvas.dataset.chart];
      if (!chart || !chart.labels.length) {
        canvas.hidden = true;
        return;
      }
      var line = chart.kind === "line";
      new window.Chart(canvas, {
        type: chart.kind,
        data: {
          labels: chart.labels,
          datasets: chart.datasets.map(function (set, index) {
            var colour = PALETTE[index % PALETTE.length];
            return {
              label: set.label,
              data: set.values,
              borderColor: colour,
              backgroundColor: colour,
              borderWidth: line ? 2 : 0,
              pointRadius: line ? 2 : 0,
              spanGaps: true,
            };
          }),
        },
        options: {
          animation: false,
          plugins: { legend: { display: chart.datasets.length > 1 } },
          scales: {
            y: {
              beginAtZero: true,
              ticks: chart.unit === "%" ? { callback: function (value) { return value + "%"; } } : {},
            },
          },
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
