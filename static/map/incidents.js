/*
 * Incident map: the incident layer. Packed rows in, clusters and markers out, only
 * for what is in view: the page holds a few hundred elements however many incidents are loaded.
 * Clicking a cluster zooms in; when its incidents share one position (or the map is at its last
 * zoom) it spreads them out.
 */
(function () {
  "use strict";

  var IM = window.IncidentMap;
  var C = IM.cluster;
  var M = IM.markers;

  function toLatLng(x, y) {
    var p = C.unproject(x, y);
    return L.latLng(p[0], p[1]);
  }

  // Which incident's popup is open and which is selected, across the layers a rerun swaps in
  // (a filter change builds a new layer; the selection outlives it). Private to this part.
  var selection = { openKey: null, selectedKey: null, detaching: false };

  // The marker's own click handler runs before streamlit-folium's (registered later), so the
  // popup it binds is the one whose text the component reports to the server. A spread-out
  // marker sits away from its incident: the click reports the incident's position.
  function onMarkerClick(e) {
    if (this._incLatLng) e.latlng = this._incLatLng;
    var layer = this._incLayer;
    var options = M.popupOptions(layer._legend);
    if (!this.getPopup()) {
      var details = layer._details[this._incKey];
      var meta = layer._meta, style = meta.styles[this._incStyle];
      var content = details ? M.fullContent(meta, details) : M.briefContent(meta, this._incKey, style, meta.precision_labels[style.precision]);
      this.bindPopup(content, options);
      this.openPopup();
    } else {
      L.setOptions(this.getPopup(), options); // the legend may have been folded or unfolded since
    }
    selection.openKey = this._incKey;
  }

  var IncidentLayer = L.FeatureGroup.extend({
    initialize: function (metaB64, rowsB64, options) {
      L.FeatureGroup.prototype.initialize.call(this, [], options);
      var meta = IM.decode(metaB64);
      this._meta = meta;
      this._details = {};
      var n = meta.n;
      var cols = IM.unpack(IM.decodeBytes(rowsB64), meta.layout, n);
      this._key = cols.key;
      this._style = cols.style;
      this._start = cols.start; // first and last possible day of each row (playback)
      this._end = cols.end;
      this._active = null; // the rows playback shows (Int32Array), or null for all
      this._lat = new Float64Array(n);
      this._lon = new Float64Array(n);
      this._x = new Float64Array(n);
      this._y = new Float64Array(n);
      this._row = new Map(); // incident key -> row in this layer
      for (var i = 0; i < n; i++) {
        this._lat[i] = cols.lat[i] / meta.scale;
        this._lon[i] = cols.lon[i] / meta.scale;
        this._x[i] = C.mercX(this._lon[i]);
        this._y[i] = C.mercY(this._lat[i]);
        this._row.set(this._key[i], i);
      }
      this._icons = meta.styles.map(function (s) {
        return M.styleIcon(meta, s.colors.map(function (k) { return meta.palette[k]; }), meta.precisions[s.precision], s.credibility);
      });
      this._levels = {};
      this._shown = new Map(); // "p<row>", "s<row>" (spread out) or "c<zoom>:<cell>" -> marker on the map
      this._spread = null; // {zoom, cell, rows} while a cluster is spread out
      this.on("popupclose", function (e) {
        // a popup closed by the user (not by a rerun taking the layer off the map) stays closed
        if (!selection.detaching && e.layer && e.layer._incKey === selection.openKey) selection.openKey = null;
      });
      this._legend = M.legendControl(meta);
    },

    _zoom: function () {
      var map = this._map;
      return Math.max(map.getMinZoom(), Math.min(Math.round(map.getZoom()), map.getMaxZoom()));
    },

    _level: function (zoom) {
      if (!this._levels[zoom]) this._levels[zoom] = C.buildLevel(this._x, this._y, zoom, this._active);
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
      var marker = new L.Marker(toLatLng(level.cx[c], level.cy[c]), { icon: M.clusterIcon(this._meta, level.count[c]), keyboard: true });
      var layer = this;
      marker.on("click", function () { layer._openCluster(level, c); });
      return marker;
    },

    // Zoom to a cluster's incidents, or spread them out when zooming cannot separate them.
    _openCluster: function (level, c) {
      var map = this._map;
      if (C.stacked(level, c) || level.zoom >= map.getMaxZoom()) {
        this._spreadCluster(level, c);
        return;
      }
      var bounds = L.latLngBounds(toLatLng(level.minx[c], level.maxy[c]), toLatLng(level.maxx[c], level.miny[c]));
      // the incidents fill the view clear of its edges and of the legend (bottom left), one zoom in at least
      var legend = M.legendClearance(this._legend);
      map.fitBounds(bounds, {
        paddingTopLeft: [legend[0], 40], paddingBottomRight: [40, legend[1]], maxZoom: map.getMaxZoom(), animate: false,
      });
      if (map.getZoom() <= level.zoom) map.setView(bounds.getCenter(), level.zoom + 1, { animate: false });
    },

    _spreadCluster: function (level, c) {
      this._spread = { zoom: level.zoom, cell: c, rows: C.rowsOf(level, c) };
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
        if (M.isApproximate(this._meta, this._meta.precisions[this._meta.styles[this._style[s.rows[k]]].precision])) { spacing = 30; break; }
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
      var x0 = C.mercX(b.getWest()), x1 = C.mercX(b.getEast()), y0 = C.mercY(b.getNorth()), y1 = C.mercY(b.getSouth());
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

    // Move the map to the chosen region, or to show every row, clear of the legend (after a filter
    // change, when asked).
    _fit: function (map) {
      this._fitOnAdd = false;
      var n = this._key.length;
      var s = Infinity, w = Infinity, no = -Infinity, e = -Infinity;
      if (this._fitTo) {
        w = this._fitTo[0]; s = this._fitTo[1]; e = this._fitTo[2]; no = this._fitTo[3];
      } else {
        if (!n) return;
        for (var i = 0; i < n; i++) {
          if (this._lat[i] < s) s = this._lat[i];
          if (this._lat[i] > no) no = this._lat[i];
          if (this._lon[i] < w) w = this._lon[i];
          if (this._lon[i] > e) e = this._lon[i];
        }
      }
      var legend = M.legendClearance(this._legend);
      map.fitBounds(L.latLngBounds([s, w], [no, e]), {
        paddingTopLeft: [legend[0], 40], paddingBottomRight: [40, 40], maxZoom: 10, animate: false,
      });
    },

    // Show only the rows whose possible days meet [lo, hi] (null: every row); returns how many are shown.
    setWindow: function (lo, hi) {
      this._active = lo === null ? null : IM.playback.activeRows(this._start, this._end, lo, hi);
      this._levels = {};
      this._spread = null;
      this._render();
      return this._active ? this._active.length : this._key.length;
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
        if (level.count[c] === 1 || C.stacked(level, c) || zoom === map.getMaxZoom()) {
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
      if (marker && marker.getPopup()) marker.setPopupContent(M.fullContent(this._meta, sel));
      var wasOpen = selection.openKey === sel.key;
      var isNew = selection.selectedKey !== sel.key;
      selection.selectedKey = sel.key;
      if ((wasOpen || isNew) && this._map) {
        marker = this._reveal(row);
        if (!marker) return;
        if (!marker.getPopup()) marker.bindPopup(M.fullContent(this._meta, sel), M.popupOptions(this._legend));
        if (!marker.isPopupOpen()) marker.openPopup();
        selection.openKey = sel.key;
      }
    },

    onAdd: function (map) {
      L.FeatureGroup.prototype.onAdd.call(this, map);
      this._legend.addTo(map);
      if (!this._player) this._player = IM.playback.control(this);
      this._player.addTo(map);
      if (this._fitOnAdd) this._fit(map);
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
      this._player.remove();
      if (this._active) { this._active = null; this._levels = {}; } // a layer reused by a later rerun shows every row
      selection.detaching = true;
      try {
        L.FeatureGroup.prototype.onRemove.call(this, map);
      } finally {
        selection.detaching = false;
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
  var lastId = null; // the rows of the layer shown last: a new set (a filter change) may fit the map

  // args: the named payloads of layers/markers.py IncidentLayer (id, meta, rows, selected, options).
  function incidentLayer(args) {
    var id = atob(args.id);
    var opt = args.options ? IM.decode(args.options) : {};
    var layer = null;
    for (var i = 0; i < built.length; i++) if (built[i].id === id) layer = built[i].layer;
    if (layer) {
      if (layer._map) layer._map.removeLayer(layer);
    } else {
      layer = new IncidentLayer(args.meta, args.rows);
      built = built.slice(-1).concat([{ id: id, layer: layer }]);
    }
    layer._fitOnAdd = !!opt.fit && lastId !== null && lastId !== id;
    layer._fitTo = opt.bounds || null; // [west, south, east, north] of the chosen region, else the rows
    lastId = id;
    var sel = IM.decode(args.selected);
    layer._pending = sel && sel.key !== undefined ? sel : null;
    if (!layer._pending) selection.selectedKey = null;
    return layer;
  }

  IM.incidentLayer = incidentLayer;
})();
