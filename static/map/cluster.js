/*
 * Incident map: clustering, pure (no DOM, no Leaflet).
 *
 * Incidents are grouped per zoom level on a grid of CELL_PX screen pixels: one pass over the
 * rows, a few milliseconds per 100,000. A cell holding several incidents is one cluster with
 * their count at their mean position. Cells whose mean positions lie closer than MERGE_PX are
 * merged, largest first, so that clusters either side of a cell border do not cover each other.
 * Positions are Web Mercator fractions of the world (0..1 east and south), as Leaflet's tiles.
 */
(function () {
  "use strict";

  var CELL_PX = 48;
  var MERGE_PX = 36;
  var TILE = 256;
  var MAX_LAT = 85.0511;

  function mercX(lon) { return (lon + 180) / 360; }

  function mercY(lat) {
    var s = Math.sin((Math.max(Math.min(lat, MAX_LAT), -MAX_LAT) * Math.PI) / 180);
    return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }

  // [lat, lon] of a Mercator position.
  function unproject(x, y) {
    return [(Math.atan(Math.exp(Math.PI * (1 - 2 * y))) * 360) / Math.PI - 90, x * 360 - 180];
  }

  // The clusters of positions (x, y) at ``zoom``: per row its cluster (cellOf, -1 for a row left
  // out), per cluster its count (0 for a cell merged into a neighbour), first row, mean position
  // and extent. ``active`` (optional) lists the rows to cluster, in order; by default, all.
  function buildLevel(x, y, zoom, active) {
    var scale = (TILE * Math.pow(2, zoom)) / CELL_PX;
    var n = x.length;
    var rows = active ? active.length : n;
    var ids = new Map();
    var cellOf = new Int32Array(n).fill(-1);
    var keys = [], count = [], sx = [], sy = [], first = [], minx = [], maxx = [], miny = [], maxy = [];
    for (var t = 0; t < rows; t++) {
      var i = active ? active[t] : t;
      var k = Math.floor(x[i] * scale) * 1e7 + Math.floor(y[i] * scale);
      var c = ids.get(k);
      if (c === undefined) {
        c = count.length;
        ids.set(k, c);
        keys.push(k);
        count.push(0); sx.push(0); sy.push(0); first.push(i);
        minx.push(x[i]); maxx.push(x[i]); miny.push(y[i]); maxy.push(y[i]);
      }
      count[c]++; sx[c] += x[i]; sy[c] += y[i];
      if (x[i] < minx[c]) minx[c] = x[i]; else if (x[i] > maxx[c]) maxx[c] = x[i];
      if (y[i] < miny[c]) miny[c] = y[i]; else if (y[i] > maxy[c]) maxy[c] = y[i];
      cellOf[i] = c;
    }
    var m = count.length;
    var into = new Int32Array(m).fill(-1);
    var order = Array.from(count.keys()).sort(function (a, b) { return count[b] - count[a]; });
    var near = (MERGE_PX / CELL_PX) * (MERGE_PX / CELL_PX);
    order.forEach(function (c) {
      if (into[c] !== -1) return; // already merged into a larger neighbour
      into[c] = c;
      var gx = Math.floor(keys[c] / 1e7), gy = keys[c] - gx * 1e7;
      for (var dx = -1; dx <= 1; dx++) {
        for (var dy = -1; dy <= 1; dy++) {
          var d = ids.get((gx + dx) * 1e7 + gy + dy);
          if (d === undefined || d === c || into[d] !== -1) continue;
          var ex = (sx[c] / count[c] - sx[d] / count[d]) * scale, ey = (sy[c] / count[c] - sy[d] / count[d]) * scale;
          if (ex * ex + ey * ey >= near) continue;
          into[d] = c;
          count[c] += count[d]; sx[c] += sx[d]; sy[c] += sy[d];
          minx[c] = Math.min(minx[c], minx[d]); maxx[c] = Math.max(maxx[c], maxx[d]);
          miny[c] = Math.min(miny[c], miny[d]); maxy[c] = Math.max(maxy[c], maxy[d]);
          first[c] = Math.min(first[c], first[d]);
          count[d] = 0;
        }
      }
    });
    for (var i2 = 0; i2 < n; i2++) if (cellOf[i2] >= 0) cellOf[i2] = into[cellOf[i2]];
    var cx = new Float64Array(m), cy = new Float64Array(m);
    for (var j = 0; j < m; j++) if (count[j]) { cx[j] = sx[j] / count[j]; cy[j] = sy[j] / count[j]; }
    return {
      zoom: zoom, cellOf: cellOf, count: count, first: first, cx: cx, cy: cy,
      minx: minx, maxx: maxx, miny: miny, maxy: maxy,
    };
  }

  // Whether a cluster's incidents all share one position (zooming in cannot separate them).
  function stacked(level, c) {
    return level.minx[c] === level.maxx[c] && level.miny[c] === level.maxy[c];
  }

  // The rows of cluster ``c``.
  function rowsOf(level, c) {
    var rows = [];
    for (var i = 0; i < level.cellOf.length; i++) if (level.cellOf[i] === c) rows.push(i);
    return rows;
  }

  // A cluster's count as its icon shows it.
  function countLabel(n) {
    if (n < 10000) return n.toLocaleString("en");
    if (n < 1e6) return Math.floor(n / 1000) + "k";
    return (Math.floor(n / 1e5) / 10) + "M";
  }

  var root = (window.IncidentMap = window.IncidentMap || {});
  root.cluster = {
    CELL_PX: CELL_PX, MERGE_PX: MERGE_PX,
    mercX: mercX, mercY: mercY, unproject: unproject,
    buildLevel: buildLevel, stacked: stacked, rowsOf: rowsOf, countLabel: countLabel,
  };
})();
