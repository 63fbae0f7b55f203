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
      IM.dom.labelPane(map);
      L.FeatureGroup.prototype.onAdd.call(this, map);
    };
    (p.labels || []).forEach(function (lab) {
      var node = el("span", p.label_class || "boundary-label", lab.text);
      group.addLayer(
        L.marker([lab.lat, lab.lon], {
          icon: L.divIcon({ html: node, className: "map-label", iconSize: null }),
          interactive: false,
          keyboard: false,
          pane: "incLabels",
        })
      );
    });
    return group;
  }

  IM.boundaryLayer = boundaryLayer;
})();
