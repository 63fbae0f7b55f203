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

  // ---- incidents ----------------------------------------------------------------------------

  var PRECISION_SHORT = { exact: "", near: "", district: "D", province: "P", region: "R", country: "C" };

  function markerNode(colors, precision) {
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
    return node;
  }

  // One icon object per style, shared by all its markers; each marker on screen gets its own node.
  var StyleIcon = L.DivIcon.extend({
    createIcon: function (oldIcon) {
      var div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      div.appendChild(markerNode(this.options.colors, this.options.precision));
      return div;
    },
  });

  function styleIcon(colors, precision) {
    var approximate = precision !== "exact" && precision !== "near";
    var size = approximate ? 26 : 16;
    return new StyleIcon({
      html: "",
      className: "inc-icon",
      iconSize: [size, size],
      iconAnchor: [size / 2, size / 2],
      colors: colors,
      precision: precision,
    });
  }

  function decodeBytes(b64) {
    var bin = atob(b64);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes.buffer;
  }

  function row(label, value) {
    var div = el("div", "inc-row");
    div.appendChild(el("span", "inc-label", label + ": "));
    div.appendChild(el("span", "inc-value", value));
    return div;
  }

  function briefContent(layer, key, style) {
    var box = el("div", "inc-popup");
    box.appendChild(el("div", "inc-head", "Incident #" + key));
    box.appendChild(row("Groups", style.groups));
    box.appendChild(row("Location precision", layer._meta.precision_labels[style.precision]));
    box.appendChild(el("div", "inc-loading", "Loading the source excerpt\u2026"));
    return box;
  }

  function fullContent(d) {
    var box = el("div", "inc-popup");
    box.appendChild(el("div", "inc-head", "Incident #" + d.key + " \u00b7 " + d.event_id));
    box.appendChild(el("div", "inc-type", d.event_type));
    box.appendChild(row("Date", d.date_text));
    box.appendChild(row("Groups", d.actors_text));
    box.appendChild(row("Place", d.place_text));
    box.appendChild(row("Fatalities", d.fatalities_text));
    box.appendChild(el("blockquote", "inc-excerpt", d.excerpt));
    var src = el("div", "inc-source");
    src.appendChild(el("span", "inc-label", "Source: "));
    var url = safeUrl(d.source_url);
    if (url) {
      var a = el("a", null, d.source_title);
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      src.appendChild(a);
    } else {
      src.appendChild(el("span", null, d.source_title));
    }
    if (d.offsets_text) src.appendChild(el("span", "inc-offsets", " (" + d.offsets_text + ")"));
    box.appendChild(src);
    return box;
  }

  function legendControl(meta) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var box = el("details", "inc-legend leaflet-bar");
      box.open = true;
      box.appendChild(el("summary", "inc-legend-summary", "Legend"));
      box.appendChild(el("div", "inc-legend-title", "Groups"));
      meta.legend.groups.forEach(function (g) {
        var item = el("div", "inc-legend-item");
        var swatch = el("span", "inc-swatch");
        swatch.style.background = g.color;
        item.appendChild(swatch);
        item.appendChild(el("span", null, g.name));
        box.appendChild(item);
      });
      box.appendChild(el("div", "inc-legend-title", "Location precision"));
      meta.legend.precisions.forEach(function (pr) {
        var item = el("div", "inc-legend-item");
        var icon = markerNode(["#888888"], pr.precision);
        icon.classList.add("inc-legend-icon");
        var approximate = pr.precision !== "exact" && pr.precision !== "near";
        icon.style.width = icon.style.height = (approximate ? 26 : 16) + "px";
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

  // The marker's own click handler runs before streamlit-folium's (registered later), so the
  // popup it binds is the one whose text the component reports to the server. A spread-out
  // (spiderfied) marker sits away from its incident: the click reports the incident's position.
  function onMarkerClick(e) {
    if (this._preSpiderfyLatlng) e.latlng = this._preSpiderfyLatlng;
    var layer = this._incLayer;
    if (!this.getPopup()) {
      var details = layer._details[this._incKey];
      var content = details ? fullContent(details) : briefContent(layer, this._incKey, layer._meta.styles[this._incStyle]);
      this.bindPopup(content, { maxWidth: 420, minWidth: 280, autoPanPadding: [20, 20] });
      this.openPopup();
    }
    IncidentMap._openKey = this._incKey;
  }

  var IncidentLayer = L.FeatureGroup.extend({
    initialize: function (metaB64, rowsB64, options) {
      L.FeatureGroup.prototype.initialize.call(this, [], options);
      var meta = decode(metaB64);
      this._meta = meta;
      this._details = {};
      this._byKey = {};
      var n = meta.n;
      var buf = decodeBytes(rowsB64);
      var lat = new Int32Array(buf, 0, n);
      var lon = new Int32Array(buf, 4 * n, n);
      var key = new Int32Array(buf, 8 * n, n);
      var style = new Uint16Array(buf, 12 * n, n);
      var icons = meta.styles.map(function (s) {
        return styleIcon(s.colors.map(function (k) { return meta.palette[k]; }), meta.precisions[s.precision]);
      });
      var cluster = L.markerClusterGroup({
        showCoverageOnHover: false,
        spiderfyOnMaxZoom: true,
        maxClusterRadius: 40,
        // Measured at 100k markers: one pass takes 13.6 s to first paint, chunked loading 19-20 s.
        chunkedLoading: false,
        removeOutsideVisibleBounds: true,
      });
      var markers = new Array(n);
      var scale = meta.scale;
      for (var i = 0; i < n; i++) {
        var marker = new L.Marker([lat[i] / scale, lon[i] / scale], { icon: icons[style[i]], keyboard: true, title: "" });
        marker._incKey = key[i];
        marker._incStyle = style[i];
        marker._incLayer = this;
        marker.on("click", onMarkerClick);
        markers[i] = marker;
        this._byKey[key[i]] = marker;
      }
      cluster.addLayers(markers);
      cluster.on("popupclose", function (e) {
        // a popup closed by the user (not by a rerun taking the layer off the map) stays closed
        if (!IncidentMap._detaching && e.layer && e.layer._incKey === IncidentMap._openKey) IncidentMap._openKey = null;
      });
      this._cluster = cluster;
      this.addLayer(cluster);
      this._legend = legendControl(meta);
    },
    select: function (sel) {
      if (!sel || sel.key === undefined) return;
      this._details[sel.key] = sel;
      var marker = this._byKey[sel.key];
      if (!marker) return;
      if (marker.getPopup()) marker.setPopupContent(fullContent(sel));
      var wasOpen = IncidentMap._openKey === sel.key;
      var isNew = IncidentMap._selectedKey !== sel.key;
      IncidentMap._selectedKey = sel.key;
      if ((wasOpen || isNew) && this._map) {
        if (!marker.getPopup()) {
          marker.bindPopup(fullContent(sel), { maxWidth: 420, minWidth: 280, autoPanPadding: [20, 20] });
        }
        this._cluster.zoomToShowLayer(marker, function () {
          if (!marker.isPopupOpen()) marker.openPopup();
          IncidentMap._openKey = sel.key;
        });
      }
    },
    onAdd: function (map) {
      L.FeatureGroup.prototype.onAdd.call(this, map);
      this._legend.addTo(map);
      if (this._pending) {
        var sel = this._pending;
        this._pending = null;
        this.select(sel);
      }
    },
    onRemove: function (map) {
      this._legend.remove();
      IncidentMap._detaching = true;
      try {
        L.FeatureGroup.prototype.onRemove.call(this, map);
      } finally {
        IncidentMap._detaching = false;
      }
    },
  });

  // Layers built for a set of rows, by data id: a rerun that only changes the selection (a
  // click) reuses the markers instead of rebuilding them. The last two are kept.
  var built = [];

  function incidentLayer(idB64, metaB64, rowsB64, selB64) {
    var id = atob(idB64);
    var layer = null;
    for (var i = 0; i < built.length; i++) if (built[i].id === id) layer = built[i].layer;
    if (layer) {
      if (layer._map) layer._map.removeLayer(layer);
    } else {
      layer = new IncidentLayer(metaB64, rowsB64);
      built = built.slice(-1).concat([{ id: id, layer: layer }]);
    }
    var sel = decode(selB64);
    layer._pending = sel && sel.key !== undefined ? sel : null;
    if (!layer._pending) IncidentMap._selectedKey = null;
    return layer;
  }

  // ---- counts per grid cell (the view for very many incidents) --------------------------------

  function countLayer(b64) {
    var p = decode(b64);
    IncidentMap.countTotal = p.total;
    var group = L.featureGroup();
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

  var IncidentMap = {
    decode: decode,
    boundaryLayer: boundaryLayer,
    incidentLayer: incidentLayer,
    countLayer: countLayer,
    _openKey: null,
    _selectedKey: null,
    _detaching: false,
    countTotal: null, // incidents represented by the last count layer built
  };
  window.IncidentMap = IncidentMap;
  if (window.L && L.Icon && L.Icon.Default) {
    L.Icon.Default.imagePath = "/app/static/vendor/leaflet/images/";
  }
})();
