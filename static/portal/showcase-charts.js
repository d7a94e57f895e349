// One horizontal bar chart per thematic area, drawn from the figures the page embeds.
(function () {
  const source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  for (const chart of JSON.parse(source.textContent)) {
    const canvas = document.getElementById(chart.id);
    if (!canvas) { continue; }
    canvas.parentElement.style.height = Math.max(160, 28 * chart.labels.length + 60) + "px";
    new Chart(canvas, {
      type: "bar",
      data: { labels: chart.labels, datasets: [{ data: chart.totals, backgroundColor: "#0d6efd" }] },
      options: {
        indexAxis: "y", maintainAspectRatio: false, animation: !reduce,
        plugins: { legend: { display: false } },
        // One scale for every area of the edition: the edition's own, min..max.
        scales: { x: { min: chart.scale[0], max: chart.scale[1] } }
      }
    });
  }
})();
