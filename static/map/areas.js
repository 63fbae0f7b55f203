/*
 * Incident map: counts per district (areas filled by class, a legend, coarser units labelled).
 */
(function () {
  "use strict";

  var IM = window.IncidentMap;
  var el = IM.dom.el;

  function fmt(v) {
    return Math.round(v).toLocaleString("en");
  }

  function legend(p) {
    var box = L.control({ position: "bottomright" });
    box.onAdd = function () {
      var div = el("div", "inc-legend area-legend");
      div.appendChild(el("strong", null, (p.measure === "events" ? "Incidents" : "Fatalities") + " per area"));
      p.class_labels.forEach(function (label, i) {
        var line = el("div", "area-class");
        var swatch = el("span", "area-swatch");
        swatch.style.background = p.colours[i];
        line.appendChild(swatch);
        line.appendChild(el("span", null, label));
        div.appendChild(line);
      });
      div.appendChild(el("div", "area-note", "Each area holds the incidents located to it or finer; labels give a province's own count."));
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    return box;
  }

  // args: the named payloads of layers/areas.py AreaCountLayer (shapes, counts).
  function areaLayer(args) {
    var shapes = IM.decode(args.shapes);
    var p = IM.decode(args.counts);
    var word = p.measure === "events" ? "incidents" : "fatalities";
    var group = L.featureGroup();
    group.incidentTotal = p.total;
    var layer = L.geoJSON(shapes, {
      style: function (feature) {
        var c = p.classes[feature.properties.i];
        return c < 0
          ? { color: "#777", weight: 0.6, fillOpacity: 0 }
          : { color: "#555", weight: 0.7, fillColor: p.colours[c], fillOpacity: 0.75 };
      },
      onEachFeature: function (feature, lyr) {
        var props = feature.properties;
        var box = el("div", "inc-popup area-popup");
        box.appendChild(IM.dom.refNode(p, "area", props.i));
        box.appendChild(el("div", "inc-head", p.words.area + " #" + props.i + " \u00b7 " + props.name));
        box.appendChild(el("div", null, props.kind + (props.parent ? ", " + props.parent : "")));
        box.appendChild(el("div", "area-value", fmt(p.values[props.i]) + " " + word + " located to it or finer"));
        lyr.bindPopup(box);
      },
    });
    group.addLayer(layer);
    (p.coarse || []).forEach(function (c) {
      var node = el("span", "area-coarse", c.unit + ": " + fmt(c.value) + " " + word + " located only to the province");
      group.addLayer(L.marker([c.lat, c.lon], {
        icon: L.divIcon({ html: node, className: "map-label", iconSize: null }), interactive: false, keyboard: false,
      }));
    });
    var key = legend(p);
    group.on("add", function () { key.addTo(group._map); });
    group.on("remove", function () { key.remove(); });
    return group;
  }

  IM.areaLayer = areaLayer;
})();
