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

  function decodeBytes(b64) {
    var bin = atob(b64);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes.buffer;
  }

  function decode(b64) {
    return JSON.parse(new TextDecoder("utf-8").decode(decodeBytes(b64)));
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
    // Place names sit in a pane of their own, above the boundaries and below the incident markers:
    // district-level incidents are drawn at the point a label marks, and must stay visible there.
    group.onAdd = function (map) {
      if (!map.getPane("incLabels")) {
        var pane = map.createPane("incLabels");
        pane.style.zIndex = 550;
        pane.style.pointerEvents = "none";
      }
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

  // ---- clustering -----------------------------------------------------------------------------
  //
  // Incidents are grouped per zoom level on a grid of CELL_PX screen pixels, computed the first
  // time that zoom is shown (one pass over the rows, a few milliseconds per 100,000) and kept.
  // Only the clusters and markers inside the view are put on the map, so the page holds a few
  // hundred elements however many incidents are loaded. A cell holding several incidents shows
  // one cluster with their count at their mean position; clicking it zooms in, and when its
  // incidents share one position (or the map is at its last zoom) it spreads them out.

  var CELL_PX = 48;
  var MERGE_PX = 36;
  var TILE = 256;

  function mercX(lon) { return (lon + 180) / 360; }
  function mercY(lat) {
    var s = Math.sin((Math.max(Math.min(lat, 85.0511), -85.0511) * Math.PI) / 180);
    return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }

  function buildLevel(x, y, zoom) {
    var scale = (TILE * Math.pow(2, zoom)) / CELL_PX;
    var n = x.length;
    var ids = new Map();
    var cellOf = new Int32Array(n);
    var keys = [], count = [], sx = [], sy = [], first = [], minx = [], maxx = [], miny = [], maxy = [];
    for (var i = 0; i < n; i++) {
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
    // Cells whose mean positions lie closer than MERGE_PX are merged (largest first), so that
    // clusters either side of a cell border do not cover each other.
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
    for (var i2 = 0; i2 < n; i2++) cellOf[i2] = into[cellOf[i2]];
    var cx = new Float64Array(m), cy = new Float64Array(m);
    for (var j = 0; j < m; j++) if (count[j]) { cx[j] = sx[j] / count[j]; cy[j] = sy[j] / count[j]; }
    return {
      zoom: zoom, cellOf: cellOf, count: count, first: first, cx: cx, cy: cy,
      minx: minx, maxx: maxx, miny: miny, maxy: maxy,
    };
  }

  function toLatLng(x, y) {
    var lat = (Math.atan(Math.exp(Math.PI * (1 - 2 * y))) * 360) / Math.PI - 90;
    return L.latLng(lat, x * 360 - 180);
  }

  function countLabel(n) {
    if (n < 10000) return n.toLocaleString("en");
    if (n < 1e6) return Math.floor(n / 1000) + "k";
    return (Math.floor(n / 1e5) / 10) + "M";
  }

  // A cluster's icon: its count (in full in data-count and the title) on a disc sized by log(count).
  var ClusterIcon = L.DivIcon.extend({
    createIcon: function (oldIcon) {
      var div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      var n = this.options.count;
      div.setAttribute("data-count", String(n));
      div.title = n.toLocaleString("en") + " incidents: click to zoom in";
      div.appendChild(el("span", "inc-cluster-count", countLabel(n)));
      return div;
    },
  });

  function clusterIcon(n) {
    var size = Math.round(28 + 5 * Math.log10(n));
    return new ClusterIcon({ html: "", className: "inc-cluster", iconSize: [size, size], count: n });
  }

  // ---- incident markers and popups --------------------------------------------------------------

  // The room to keep free in the bottom-left corner, where the legend is: [width, height] in pixels.
  function legendClearance(layer) {
    var box = layer._legend && layer._legend.getContainer && layer._legend.getContainer();
    if (!box || !box.offsetWidth) return [20, 20];
    return [box.offsetWidth + 20, box.offsetHeight + 20];
  }

  // Popup options: popups open (and pan the map) clear of the legend.
  function popupOptions(layer) {
    return { maxWidth: 420, minWidth: 280, autoPanPadding: [20, 20], autoPanPaddingBottomLeft: legendClearance(layer) };
  }

  // The marker's own click handler runs before streamlit-folium's (registered later), so the
  // popup it binds is the one whose text the component reports to the server. A spread-out
  // marker sits away from its incident: the click reports the incident's position.
  function onMarkerClick(e) {
    if (this._incLatLng) e.latlng = this._incLatLng;
    var layer = this._incLayer;
    if (!this.getPopup()) {
      var details = layer._details[this._incKey];
      var content = details ? fullContent(details) : briefContent(layer, this._incKey, layer._meta.styles[this._incStyle]);
      this.bindPopup(content, popupOptions(layer));
      this.openPopup();
    } else {
      L.setOptions(this.getPopup(), popupOptions(layer)); // the legend may have been folded or unfolded since
    }
    IncidentMap._openKey = this._incKey;
  }

  var IncidentLayer = L.FeatureGroup.extend({
    initialize: function (metaB64, rowsB64, options) {
      L.FeatureGroup.prototype.initialize.call(this, [], options);
      var meta = decode(metaB64);
      this._meta = meta;
      this._details = {};
      var n = meta.n;
      var buf = decodeBytes(rowsB64);
      var lat = new Int32Array(buf, 0, n);
      var lon = new Int32Array(buf, 4 * n, n);
      this._key = new Int32Array(buf, 8 * n, n);
      this._style = new Uint16Array(buf, 12 * n, n);
      this._lat = new Float64Array(n);
      this._lon = new Float64Array(n);
      this._x = new Float64Array(n);
      this._y = new Float64Array(n);
      this._row = new Map(); // incident key -> row in this layer
      for (var i = 0; i < n; i++) {
        this._lat[i] = lat[i] / meta.scale;
        this._lon[i] = lon[i] / meta.scale;
        this._x[i] = mercX(this._lon[i]);
        this._y[i] = mercY(this._lat[i]);
        this._row.set(this._key[i], i);
      }
      this._icons = meta.styles.map(function (s) {
        return styleIcon(s.colors.map(function (k) { return meta.palette[k]; }), meta.precisions[s.precision]);
      });
      this._levels = {};
      this._shown = new Map(); // "p<row>", "s<row>" (spread out) or "c<zoom>:<cell>" -> marker on the map
      this._spread = null; // {zoom, cell, rows, legs} while a cluster is spread out
      this.on("popupclose", function (e) {
        // a popup closed by the user (not by a rerun taking the layer off the map) stays closed
        if (!IncidentMap._detaching && e.layer && e.layer._incKey === IncidentMap._openKey) IncidentMap._openKey = null;
      });
      this._legend = legendControl(meta);
    },

    _zoom: function () {
      var map = this._map;
      return Math.max(map.getMinZoom(), Math.min(Math.round(map.getZoom()), map.getMaxZoom()));
    },

    _level: function (zoom) {
      if (!this._levels[zoom]) this._levels[zoom] = buildLevel(this._x, this._y, zoom);
      return this._levels[zoom];
    },

    _incidentMarker: function (row, latlng) {
      var marker = new L.Marker(latlng || [this._lat[row], this._lon[row]], {
        icon: this._icons[this._style[row]], keyboard: true, title: "",
      });
      marker._incKey = this._key[row];
      marker._incStyle = this._style[row];
      marker._incLayer = this;
      if (latlng) marker._incLatLng = L.latLng(this._lat[row], this._lon[row]);
      marker.on("click", onMarkerClick);
      return marker;
    },

    _clusterMarker: function (level, c) {
      var marker = new L.Marker(toLatLng(level.cx[c], level.cy[c]), { icon: clusterIcon(level.count[c]), keyboard: true });
      var layer = this;
      marker.on("click", function () { layer._openCluster(level, c); });
      return marker;
    },

    // Zoom to a cluster's incidents, or spread them out when zooming cannot separate them.
    _openCluster: function (level, c) {
      var map = this._map;
      var stacked = level.minx[c] === level.maxx[c] && level.miny[c] === level.maxy[c];
      if (stacked || level.zoom >= map.getMaxZoom()) {
        this._spreadCluster(level, c);
        return;
      }
      var bounds = L.latLngBounds(toLatLng(level.minx[c], level.maxy[c]), toLatLng(level.maxx[c], level.miny[c]));
      // the incidents fill the view clear of its edges and of the legend (bottom left), one zoom in at least
      var legend = legendClearance(this);
      map.fitBounds(bounds, {
        paddingTopLeft: [legend[0], 40], paddingBottomRight: [40, legend[1]], maxZoom: map.getMaxZoom(), animate: false,
      });
      if (map.getZoom() <= level.zoom) map.setView(bounds.getCenter(), level.zoom + 1, { animate: false });
    },

    _spreadCluster: function (level, c) {
      var rows = [];
      for (var i = 0; i < level.cellOf.length; i++) if (level.cellOf[i] === c) rows.push(i);
      this._spread = { zoom: level.zoom, cell: c, rows: rows };
      this._render();
    },

    // Rows of a spread-out cluster on a sunflower spiral around their mean position, in pixels.
    _spreadMarkers: function (want) {
      var s = this._spread;
      var map = this._map;
      var level = this._levels[s.zoom];
      var centre = map.latLngToLayerPoint(toLatLng(level.cx[s.cell], level.cy[s.cell]));
      var spacing = 20;
      for (var k = 0; k < s.rows.length; k++) {
        var pr = this._meta.precisions[this._meta.styles[this._style[s.rows[k]]].precision];
        if (pr !== "exact" && pr !== "near") { spacing = 30; break; }
      }
      var legs = [];
      for (var j = 0; j < s.rows.length; j++) {
        var row = s.rows[j];
        var r = spacing * Math.sqrt(j + 0.6);
        var a = j * 2.39996323;
        var latlng = map.layerPointToLatLng(centre.add(L.point(r * Math.cos(a), r * Math.sin(a))));
        var id = "s" + row;
        want.set(id, this._shown.get(id) || this._incidentMarker(row, latlng));
        legs.push([map.layerPointToLatLng(centre), latlng]);
      }
      var legsId = "legs" + s.zoom + ":" + s.cell;
      want.set(legsId, this._shown.get(legsId) || L.polyline(legs, { color: "#333333", weight: 1, opacity: 0.5, interactive: false }));
    },

    // Put on the map what the current view needs: clusters and markers inside it (with a margin).
    _render: function () {
      var map = this._map;
      if (!map) return;
      var zoom = this._zoom();
      if (this._spread && this._spread.zoom !== zoom) this._spread = null;
      var level = this._level(zoom);
      var b = map.getBounds().pad(0.3);
      var x0 = mercX(b.getWest()), x1 = mercX(b.getEast()), y0 = mercY(b.getNorth()), y1 = mercY(b.getSouth());
      var want = new Map();
      for (var c = 0; c < level.count.length; c++) {
        if (!level.count[c]) continue; // merged into a neighbour
        var cx = level.cx[c], cy = level.cy[c];
        if (cx < x0 || cx > x1 || cy < y0 || cy > y1) continue;
        if (this._spread && this._spread.cell === c) continue;
        var id = level.count[c] === 1 ? "p" + level.first[c] : "c" + zoom + ":" + c;
        var have = this._shown.get(id);
        want.set(id, have || (level.count[c] === 1 ? this._incidentMarker(level.first[c]) : this._clusterMarker(level, c)));
      }
      if (this._spread) this._spreadMarkers(want);
      var layer = this;
      this._shown.forEach(function (marker, id) { if (!want.has(id)) layer.removeLayer(marker); });
      want.forEach(function (marker, id) { if (!layer._shown.has(id)) layer.addLayer(marker); });
      this._shown = want;
    },

    // The marker now standing for row ``row``, if it is on the map as itself.
    _markerOf: function (row) {
      return this._shown.get("p" + row) || this._shown.get("s" + row) || null;
    },

    // Bring row ``row`` into view as its own marker: zoom in until it leaves its cluster, or
    // spread its cluster when its incidents share one position.
    _reveal: function (row) {
      var map = this._map;
      var marker = this._markerOf(row);
      if (marker && map.getBounds().contains(marker.getLatLng())) return marker;
      var latlng = L.latLng(this._lat[row], this._lon[row]);
      for (var zoom = this._zoom(); zoom <= map.getMaxZoom(); zoom++) {
        var level = this._level(zoom);
        var c = level.cellOf[row];
        var stacked = level.minx[c] === level.maxx[c] && level.miny[c] === level.maxy[c];
        if (level.count[c] === 1 || stacked || zoom === map.getMaxZoom()) {
          map.setView(latlng, zoom, { animate: false });
          if (level.count[c] > 1) this._spreadCluster(level, c);
          else this._render();
          return this._markerOf(row);
        }
      }
      return null;
    },

    select: function (sel) {
      if (!sel || sel.key === undefined) return;
      this._details[sel.key] = sel;
      var row = this._row.get(sel.key);
      if (row === undefined) return;
      var marker = this._markerOf(row);
      if (marker && marker.getPopup()) marker.setPopupContent(fullContent(sel));
      var wasOpen = IncidentMap._openKey === sel.key;
      var isNew = IncidentMap._selectedKey !== sel.key;
      IncidentMap._selectedKey = sel.key;
      if ((wasOpen || isNew) && this._map) {
        marker = this._reveal(row);
        if (!marker) return;
        if (!marker.getPopup()) {
          marker.bindPopup(fullContent(sel), popupOptions(this));
        }
        if (!marker.isPopupOpen()) marker.openPopup();
        IncidentMap._openKey = sel.key;
      }
    },

    onAdd: function (map) {
      L.FeatureGroup.prototype.onAdd.call(this, map);
      this._legend.addTo(map);
      map.on("moveend", this._render, this);
      this._render();
      if (this._pending) {
        var sel = this._pending;
        this._pending = null;
        this.select(sel);
      }
    },

    onRemove: function (map) {
      map.off("moveend", this._render, this);
      this._legend.remove();
      IncidentMap._detaching = true;
      try {
        L.FeatureGroup.prototype.onRemove.call(this, map);
      } finally {
        IncidentMap._detaching = false;
      }
      var layer = this;
      this._shown.forEach(function (marker) { layer.removeLayer(marker); });
      this._shown = new Map();
      this._spread = null;
    },
  });

  // Layers built for a set of rows, by data id: a rerun that only changes the selection (a
  // click) reuses them instead of decoding the rows again. The last two are kept.
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
