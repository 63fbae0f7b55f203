/*
 * Incident map: boundary layers (polygons, lines and their labels) from a payload.
 */
(function () {
  "use strict";

  var IM = window.IncidentMap;
  var el = IM.dom.el;

  // args: the named payload of layers/boundaries.py BoundaryLayer (data).
  function boundaryLayer(args) {
    var p = IM.decode(args.data);
    var shapes = L.geoJSON(p.geojson, {
      style: function (feature) {
        var props = feature.properties || {};
        return props[p.highlight_property] ? p.highlight_style : p.style;
      },
      onEachFeature: function (feature, lyr) {
        var props = feature.properties || {};
        var tip = el("div", "boundary-tip");
        tip.appendChild(el("strong", null, props[p.label_property] || props.name || ""));
        (p.detail_properties || []).forEach(function (key) {
          if (props[key] !== undefined && props[key] !== null && props[key] !== "") {
            tip.appendChild(el("div", null, key.replace(/_/g, " ") + ": " + props[key]));
          }
        });
        lyr.bindTooltip(tip, { sticky: true, className: "boundary-tooltip" });
      },
    });
    var group = L.featureGroup([shapes]);
    group.onAdd = function (map) {
      IM.dom.labelPane(map, true);
      L.FeatureGroup.prototype.onAdd.call(this, map);
    };
    // Labels are on the map from their min_zoom, when they have one (rivers), else always.
    var byZoom = [];
    (p.labels || []).forEach(function (lab) {
      var node = el("span", p.label_class || "boundary-label", lab.text);
      var marker = L.marker([lab.lat, lab.lon], {
        icon: L.divIcon({ html: node, className: "map-label", iconSize: null }),
        interactive: false,
        keyboard: false,
        pane: "incTopLabels",
      });
      if (lab.min_zoom === undefined) group.addLayer(marker);
      else byZoom.push([lab.min_zoom, marker]);
    });
    function zoomed() {
      var map = group._map;
      if (!map) return;
      byZoom.forEach(function (z) {
        if (map.getZoom() >= z[0]) group.addLayer(z[1]);
        else group.removeLayer(z[1]);
      });
    }
    if (byZoom.length) {
      var on = null; // the map the layer listens to, while it is on one
      group.on("add", function () { on = group._map; on.on("zoomend", zoomed); zoomed(); });
      group.on("remove", function () { if (on) on.off("zoomend", zoomed); on = null; });
    }
    return group;
  }

  IM.boundaryLayer = boundaryLayer;
})();
