// Charts of the organiser's results page: distribution of totals and juror leniency per
// thematic area, from the JSON the page embeds (id "results-chart-data").
(function () {
  "use strict";
  var source = document.getElementById("results-chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);

  function byArea(list, code) {
    for (var i = 0; i < list.length; i += 1) { if (list[i].area === code) { return list[i]; } }
    return null;
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var code = canvas.getAttribute("data-area");
    if (canvas.getAttribute("data-chart") === "distribution") {
      var histogram = byArea(data.distribution || [], code);
      if (!histogram) { return; }
      canvas.chart = new Chart(canvas, {
        type: "bar",
        data: { labels: data.bins, datasets: [{ data: histogram.counts, backgroundColor: "#0d6efd" }] },
        options: { animation: false, plugins: { legend: { display: false } },
                   scales: { y: { min: 0, max: data.count_max, ticks: { precision: 0 } } } }
      });
    } else {
      var leniency = byArea(data.leniency || [], code);
      if (!leniency) { return; }
      canvas.chart = new Chart(canvas, {
        type: "bar",
        data: { labels: leniency.jurors, datasets: [{
          data: leniency.values,
          backgroundColor: leniency.values.map(function (v) { return v >= 0 ? "#198754" : "#dc3545"; })
        }] },
        options: { animation: false, indexAxis: "y", plugins: { legend: { display: false } },
                   scales: { x: { min: -data.leniency_max, max: data.leniency_max } } }
      });
    }
  });
}());
