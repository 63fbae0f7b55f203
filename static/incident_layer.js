/*
 * Incident map: boundary and incident layers built in the browser from data payloads.
 *
 * Every payload arrives as base64-encoded UTF-8 JSON. Base64 has no character that HTML,
 * JavaScript, template literals or Jinja give a meaning to, so document text cannot break
 * out of the script it travels in. Every string from the data is put on the page with
 * textContent (never innerHTML), and links are made only from http/https URLs.
 */
(function () {
  "use strict";

  function decode(b64) {
    var bin = atob(b64);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return JSON.parse(new TextDecoder("utf-8").decode(bytes));
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeUrl(url) {
    if (typeof url !== "string") return null;
    try {
      var parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  // ---- boundaries -------------------------------------------------------------------------

  function boundaryLayer(b64) {
    var p = decode(b64);
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
    (p.labels || []).forEach(function (lab) {
      var node = el("span", p.label_class || "boundary-label", lab.text);
      group.addLayer(
        L.marker([lab.lat, lab.lon], {
          icon: L.divIcon({ html: node, className: "map-label", iconSize: null }),
          interactive: false,
          keyboard: false,
        })
      );
    });
    return group;
  }

  // ---- incidents --------------------------------------------------------------------------

  var PRECISION_SHORT = { exact: "", near: "", district: "D", province: "P", region: "R", country: "C" };

  function markerIcon(colors, precision) {
    var approximate = precision !== "exact" && precision !== "near";
    var stops = [];
    var n = Math.max(colors.length, 1);
    for (var i = 0; i < n; i++) {
      var c = colors[i] || "#777777";
      stops.push(c + " " + Math.round((i * 100) / n) + "% " + Math.round(((i + 1) * 100) / n) + "%");
    }
    var node = el("div", "inc-marker inc-" + precision + (approximate ? " inc-approx" : ""));
    node.style.background = "conic-gradient(" + stops.join(",") + ")";
    if (PRECISION_SHORT[precision]) node.appendChild(el("span", "inc-letter", PRECISION_SHORT[precision]));
    var size = approximate ? 26 : 16;
    return L.divIcon({ html: node, className: "inc-icon", iconSize: [size, size], iconAnchor: [size / 2, size / 2] });
  }

  function row(label, value) {
    var div = el("div", "inc-row");
    div.appendChild(el("span", "inc-label", label + ": "));
    div.appendChild(el("span", "inc-value", value));
    return div;
  }

  function popupContent(p, i) {
    var c = p.columns;
    var box = el("div", "inc-popup");
    box.appendChild(el("div", "inc-head", "Incident #" + c.key[i] + " \u00b7 " + c.event_id[i]));
    box.appendChild(el("div", "inc-type", c.event_type[i]));
    box.appendChild(row("Date", c.date_text[i]));
    box.appendChild(row("Groups", c.actors_text[i]));
    box.appendChild(row("Place", c.place_text[i]));
    box.appendChild(row("Fatalities", c.fatalities_text[i]));
    box.appendChild(el("blockquote", "inc-excerpt", c.excerpt[i]));
    var src = el("div", "inc-source");
    src.appendChild(el("span", "inc-label", "Source: "));
    var url = safeUrl(c.source_url[i]);
    if (url) {
      var a = el("a", null, c.source_title[i]);
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      src.appendChild(a);
    } else {
      src.appendChild(el("span", null, c.source_title[i]));
    }
    if (c.offsets_text[i]) src.appendChild(el("span", "inc-offsets", " (" + c.offsets_text[i] + ")"));
    box.appendChild(src);
    return box;
  }

  function legendControl(p) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var box = el("details", "inc-legend leaflet-bar");
      box.open = true;
      box.appendChild(el("summary", "inc-legend-summary", "Legend"));
      box.appendChild(el("div", "inc-legend-title", "Groups"));
      p.legend.groups.forEach(function (g) {
        var item = el("div", "inc-legend-item");
        var swatch = el("span", "inc-swatch");
        swatch.style.background = g.color;
        item.appendChild(swatch);
        item.appendChild(el("span", null, g.name));
        box.appendChild(item);
      });
      box.appendChild(el("div", "inc-legend-title", "Location precision"));
      p.legend.precisions.forEach(function (pr) {
        var item = el("div", "inc-legend-item");
        var icon = markerIcon(["#888888"], pr.precision).options.html;
        icon.classList.add("inc-legend-icon");
        item.appendChild(icon);
        item.appendChild(el("span", null, pr.label));
        box.appendChild(item);
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    return control;
  }

  var IncidentLayer = L.FeatureGroup.extend({
    initialize: function (b64, options) {
      L.FeatureGroup.prototype.initialize.call(this, [], options);
      var p = decode(b64);
      this._payload = p;
      var c = p.columns;
      var cluster = L.markerClusterGroup({
        showCoverageOnHover: false,
        spiderfyOnMaxZoom: true,
        maxClusterRadius: 40,
        chunkedLoading: true,
      });
      var markers = [];
      for (var i = 0; i < c.key.length; i++) {
        var colors = c.colors[i].map(function (k) { return p.palette[k]; });
        var marker = L.marker([c.lat[i], c.lon[i]], {
          icon: markerIcon(colors, p.precisions[c.precision[i]]),
          keyboard: true,
          title: "",
        });
        marker.once("click", (function (idx) {
          return function () {
            this.bindPopup(popupContent(p, idx), { maxWidth: 420, minWidth: 280, autoPanPadding: [20, 20] });
            this.openPopup();
          };
        })(i));
        markers.push(marker);
      }
      cluster.addLayers(markers);
      this.addLayer(cluster);
      this._legend = legendControl(p);
    },
    onAdd: function (map) {
      L.FeatureGroup.prototype.onAdd.call(this, map);
      this._legend.addTo(map);
    },
    onRemove: function (map) {
      this._legend.remove();
      L.FeatureGroup.prototype.onRemove.call(this, map);
    },
  });

  window.IncidentMap = {
    decode: decode,
    boundaryLayer: boundaryLayer,
    incidentLayer: function (b64, options) { return new IncidentLayer(b64, options); },
  };
  if (window.L && L.Icon && L.Icon.Default) {
    L.Icon.Default.imagePath = "/app/static/vendor/leaflet/images/";
  }
})();
