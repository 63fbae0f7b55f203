/*
 * Incident map: counts per grid cell, the view for very many incidents.
 */
(function () {
  "use strict";

  var IM = window.IncidentMap;
  var el = IM.dom.el;

  // args: the named payload of layers/counts.py CountLayer (cells).
  function countLayer(args) {
    var p = IM.decode(args.cells);
    var group = L.featureGroup();
    group.incidentTotal = p.total; // incidents this layer represents (read by the benchmark)
    var max = Math.max.apply(null, p.count.concat([1]));
    for (var i = 0; i < p.count.length; i++) {
      var n = p.count[i];
      var radius = 6 + 22 * Math.sqrt(n / max);
      var circle = L.circleMarker([p.lat[i], p.lon[i]], {
        radius: radius, color: "#7a1f1f", weight: 1, fillColor: "#d9534f", fillOpacity: 0.55,
      });
      var box = el("div", "inc-popup");
      box.appendChild(el("div", "inc-head", n.toLocaleString("en") + " incidents"));
      box.appendChild(el("div", null, "in the " + p.cell + "\u00b0 cell " + p.south[i] + "\u2013" + (p.south[i] + p.cell) +
        "\u00b0N, " + p.west[i] + "\u2013" + (p.west[i] + p.cell) + "\u00b0E (marker points)"));
      if (p.area_only[i]) {
        box.appendChild(el("div", null, p.area_only[i].toLocaleString("en") +
          " of them are located only to a district, province, region or country"));
      }
      circle.bindPopup(box);
      group.addLayer(circle);
      if (radius >= 12) {
        group.addLayer(L.marker([p.lat[i], p.lon[i]], {
          icon: L.divIcon({ html: el("span", "count-label", n >= 1000 ? Math.round(n / 100) / 10 + "k" : String(n)), className: "map-label", iconSize: null }),
          interactive: false, keyboard: false,
        }));
      }
    }
    return group;
  }

  IM.countLayer = countLayer;
})();
