// Dashboards: draw each chart from its json_script data with ECharts; the table beside it holds
// the same rows (screen readers read it; "表格" shows it). Clicking a bar opens the list behind it.
(function () {
  "use strict";
  if (!window.echarts) return; // without the library the tables stay, which is the whole content
  var PALETTE = ["#b4232a", "#1d4f91", "#2e8b57", "#e0a800", "#6f42c1", "#6c757d"];
  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif';
  var charts = [];

  function barOption(data, horizontal) {
    var cat = { type: "category", data: data.categories, axisLabel: { interval: 0, width: 130, overflow: "truncate" } };
    var val = { type: "value", minInterval: 1 };
    if (!horizontal && data.categories.length > 4) cat.axisLabel.rotate = 30;
    if (horizontal) cat.inverse = true; // the first row (the largest) on top, as in the table
    var series = data.series.map(function (s, i) {
      var item = { name: s.name, type: "bar", data: s.data, barMaxWidth: 28, emphasis: { focus: "series" } };
      if (data.colors.length) item.itemStyle = { color: data.colors[i] };
      return item;
    });
    return {
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: horizontal ? val : cat,
      yAxis: horizontal ? cat : val,
      series: series,
    };
  }

  function lineOption(data) {
    var option = barOption(data, false);
    option.yAxis = [
      { type: "value", minInterval: 1, name: "" },
      { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" }, splitLine: { show: false } },
    ];
    option.series = data.series.map(function (s) {
      return s.line
        ? { name: s.name, type: "line", yAxisIndex: 1, data: s.data, smooth: true, connectNulls: true }
        : { name: s.name, type: "bar", data: s.data, barMaxWidth: 24 };
    });
    return option;
  }

  function pieOption(data) {
    var s = data.series[0];
    return {
      series: [{
        name: s.name, type: "pie", radius: ["35%", "65%"], center: ["50%", "55%"],
        label: { formatter: "{b}\n{c}" },
        data: data.categories.map(function (name, i) {
          var d = { name: name, value: s.data[i] };
          if (data.colors[i]) d.itemStyle = { color: data.colors[i] };
          return d;
        }),
      }],
    };
  }

  function build(data) {
    var option = data.kind === "pie" ? pieOption(data)
      : data.kind === "line" ? lineOption(data)
      : barOption(data, data.kind === "hbar");
    option.color = PALETTE;
    option.textStyle = { fontFamily: FONT };
    option.tooltip = { trigger: data.kind === "pie" ? "item" : "axis", confine: true };
    if (data.series.length > 1 || data.kind === "pie") option.legend = { top: 0, type: "scroll" };
    option.animation = false;
    return option;
  }

  function height(data) {
    if (data.kind === "hbar") return Math.max(220, 60 + data.categories.length * data.series.length * 18) + "px";
    return "300px";
  }

  function show(id, view) {
    var chart = document.querySelector('[data-xc-chart="' + id + '"]');
    var table = document.querySelector('[data-xc-table="' + id + '"]');
    chart.classList.toggle("d-none", view !== "chart");
    // In chart view the table stays readable to screen readers, only hidden from the eye.
    table.classList.toggle("visually-hidden", view === "chart");
    document.querySelectorAll('[data-xc-switch="' + id + '"] [data-xc-view]').forEach(function (b) {
      var on = b.getAttribute("data-xc-view") === view;
      b.classList.toggle("active", on);
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
    if (view === "chart") charts.forEach(function (c) { c.resize(); });
  }

  document.querySelectorAll("[data-xc-chart]").forEach(function (el) {
    var id = el.getAttribute("data-xc-chart");
    var data = JSON.parse(document.getElementById(id).textContent);
    el.style.height = height(data);
    el.classList.remove("d-none");
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(build(data));
    chart.on("click", function (params) {
      var url = data.urls[params.dataIndex];
      if (url) window.location.href = url;
    });
    chart.getZr().on("mousemove", function (e) {
      el.style.cursor = e.target && data.urls.some(Boolean) ? "pointer" : "default";
    });
    el.setAttribute("data-xc-ready", "1");
    charts.push(chart);
    var sw = document.querySelector('[data-xc-switch="' + id + '"]');
    sw.classList.remove("d-none");
    sw.addEventListener("click", function (event) {
      var button = event.target.closest("[data-xc-view]");
      if (button) show(id, button.getAttribute("data-xc-view"));
    });
    show(id, "chart");
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
