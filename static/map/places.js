/*
 * Incident map: town and city labels by zoom, so the map orients with no tiles.
 * Capitals show first; smaller towns appear as the map zooms in. Names are set as text.
 */
(function () {
  "use strict";

  var IM = window.IncidentMap;
  var el = IM.dom.el;

  // args: the named payload of layers/boundaries.py BoundaryLayer (data), drawn by zoom.
  function placeLayer(args) {
    var p = IM.decode(args.data);
    var group = L.layerGroup();
    var shown = [];
    function marker(i) {
      var node = el("span", "place-label place-" + p.kind[i].replace(/ /g, "-"), p.name[i]);
      return L.layerGroup([
        L.circleMarker([p.lat[i], p.lon[i]], {
          radius: p.kind[i] === "town" ? 2 : 3, color: "#333", weight: 1, fillColor: "#fff", fillOpacity: 1,
          interactive: false, pane: "incLabels",
        }),
        L.marker([p.lat[i], p.lon[i]], {
          icon: L.divIcon({ html: node, className: "map-label place-anchor", iconSize: null }),
          interactive: false, keyboard: false, pane: "incLabels",
        }),
      ]);
    }
    function update() {
      var map = group._map;
      if (!map) return;
      var zoom = map.getZoom();
      for (var i = 0; i < p.name.length; i++) {
        var want = p.min_zoom[i] <= zoom;
        if (want && !shown[i]) { shown[i] = marker(i); group.addLayer(shown[i]); }
        else if (!want && shown[i]) { group.removeLayer(shown[i]); shown[i] = null; }
      }
    }
    group.onAdd = function (map) {
      IM.dom.labelPane(map);
      L.LayerGroup.prototype.onAdd.call(this, map);
      map.on("zoomend", update);
      update();
    };
    group.onRemove = function (map) {
      map.off("zoomend", update);
      L.LayerGroup.prototype.onRemove.call(this, map);
      shown = [];
    };
    return group;
  }

  IM.placeLayer = placeLayer;
})();
