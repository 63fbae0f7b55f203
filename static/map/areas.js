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
      div.appendChild(el("div", "area-note", "Each area holds the incidents located to it or finer; dashed labels give " +
        "a province's own count (" + (p.measure === "events" ? "incidents" : "fatalities") + " located only to it), " +
        "where they do not overlap; all are listed under the map."));
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
    // A province's own count: short on the map, the sentence in its title. Largest first, a label
    // is shown only where it overlaps none shown before it (every count is listed under the map).
    var labels = (p.coarse || []).map(function (c) {
      var text = c.unit + ": " + fmt(c.value);
      var node = el("span", "area-coarse", text);
      node.title = text + " " + word + " located only to the province";
      var marker = L.marker([c.lat, c.lon], {
        icon: L.divIcon({ html: node, className: "map-label", iconSize: null }), interactive: false, keyboard: false,
      });
      return { marker: marker, latlng: L.latLng(c.lat, c.lon), width: text.length * 6.5 + 12, height: 18 };
    });
    function declutter() {
      var map = group._map;
      if (!map) return;
      var placed = [];
      labels.forEach(function (lab) {
        var pt = map.latLngToContainerPoint(lab.latlng);
        var box = [pt.x - lab.width / 2, pt.y - lab.height / 2, pt.x + lab.width / 2, pt.y + lab.height / 2];
        var clear = placed.every(function (b) { return box[2] < b[0] || box[0] > b[2] || box[3] < b[1] || box[1] > b[3]; });
        if (clear) { placed.push(box); group.addLayer(lab.marker); } else group.removeLayer(lab.marker);
      });
    }
    var key = legend(p);
    var on = null; // the map the layer listens to, while it is on one
    group.on("add", function () { on = group._map; key.addTo(on); on.on("zoomend", declutter); declutter(); });
    group.on("remove", function () { key.remove(); if (on) on.off("zoomend", declutter); on = null; });
    return group;
  }

  IM.areaLayer = areaLayer;
})();
