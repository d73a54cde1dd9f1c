// The creator dashboard's per-day chart, drawn from the numbers the page rendered.
(function () {
  "use strict";
  const canvas = document.getElementById("creator-chart");
  const source = document.getElementById("creator-chart-data");
  if (!canvas || !source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { type: "bar", label: "Orders", data: data.orders, yAxisID: "count" },
        { type: "line", label: "GMV (¥)", data: data.gmv.map(Number), yAxisID: "money" },
        { type: "line", label: "Views", data: data.views, yAxisID: "count", hidden: true },
        { type: "line", label: "Clicks", data: data.clicks, yAxisID: "count", hidden: true },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      scales: {
        count: { position: "left", beginAtZero: true, ticks: { precision: 0 } },
        money: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false } },
      },
    },
  });
})();
