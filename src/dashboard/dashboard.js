/*
 * The dashboard's charts, drawn with Chart.js (served by the service from its npm package) from the
 * metrics report embedded in the page as JSON: the same MetricsReport the GraphQL `metrics` field returns.
 * The numbers beside each chart are rendered by the server; this only draws.
 */
(function () {
  'use strict';

  var source = document.getElementById('metrics-report');
  if (!source || typeof window.Chart !== 'function') return;
  var report = JSON.parse(source.textContent);
  var current = report.current;
  var Chart = window.Chart;

  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  var COLOURS = { recognised: '#1a7f37', toConfirm: '#bf8700', unrecognised: '#8c959f', intents: '#0b5cad' };

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#57606a';
  // Drawn at once: no animation to wait for (or to distract).
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  function dayLabel(day) {
    var parts = day.split('-');
    return Number(parts[2]) + ' ' + MONTHS[Number(parts[1]) - 1];
  }

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) new Chart(canvas, config);
  }

  draw('calls-chart', {
    type: 'bar',
    data: {
      labels: current.callsPerDay.map(function (d) { return dayLabel(d.day); }),
      datasets: [
        { label: 'Recognised', data: current.callsPerDay.map(function (d) { return d.recognised; }), backgroundColor: COLOURS.recognised },
        { label: 'To confirm', data: current.callsPerDay.map(function (d) { return d.toConfirm; }), backgroundColor: COLOURS.toConfirm },
        { label: 'New', data: current.callsPerDay.map(function (d) { return d.unrecognised; }), backgroundColor: COLOURS.unrecognised },
      ],
    },
    options: {
      scales: {
        x: { stacked: true, grid: { display: false } },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Calls' } },
      },
      plugins: { legend: { position: 'bottom' } },
    },
  });

  draw('recognition-chart', {
    type: 'doughnut',
    data: {
      labels: ['Recognised', 'To confirm', 'New'],
      datasets: [{
        data: [current.recognised, current.toConfirm, current.unrecognised],
        backgroundColor: [COLOURS.recognised, COLOURS.toConfirm, COLOURS.unrecognised],
      }],
    },
    options: { plugins: { legend: { position: 'right' } } },
  });

  var top = current.intents.topByVolume;
  draw('intents-chart', {
    type: 'bar',
    data: {
      labels: top.map(function (i) { return i.name; }),
      datasets: [{ label: 'Calls', data: top.map(function (i) { return i.calls; }), backgroundColor: COLOURS.intents }],
    },
    options: {
      indexAxis: 'y',
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { grid: { display: false } } },
      plugins: { legend: { display: false } },
    },
  });
})();
