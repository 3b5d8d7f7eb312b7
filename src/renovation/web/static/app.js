// Charts: every <div class="chart" data-chart="ID"> is drawn by ECharts from the JSON in
// <script type="application/json" id="ID">, so pages carry no inline script.
(function () {
  "use strict";
  function draw() {
    document.querySelectorAll("div.chart[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-chart"));
      if (!source || typeof echarts === "undefined") { return; }
      var existing = echarts.getInstanceByDom(element);
      if (existing) { existing.dispose(); }
      echarts.init(element, null, { renderer: "svg" }).setOption(JSON.parse(source.textContent));
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSwap", draw);
  window.addEventListener("resize", function () {
    document.querySelectorAll("div.chart[data-chart]").forEach(function (element) {
      var chart = typeof echarts !== "undefined" && echarts.getInstanceByDom(element);
      if (chart) { chart.resize(); }
    });
  });
})();
