/*
 * Incident map: the namespace, payload decoding and DOM helpers.
 *
 * Every payload arrives as base64: JSON (UTF-8) or packed numeric columns. Base64 has no
 * character that HTML, JavaScript, template literals or Jinja give a meaning to, so document
 * text cannot break out of the script it travels in. Every string from the data is put on the
 * page with textContent (never innerHTML), and links are made only from http/https URLs.
 *
 * The parts are plain scripts loaded in order (the core's in layers/assets.py, then each map mode's
 * in views/modes.py); each adds its exports to
 * window.IncidentMap. State lives inside the layer objects, never on the namespace.
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

  var TYPED_ARRAYS = {
    Int8Array: Int8Array, Uint8Array: Uint8Array, Int16Array: Int16Array, Uint16Array: Uint16Array,
    Int32Array: Int32Array, Uint32Array: Uint32Array, Float32Array: Float32Array, Float64Array: Float64Array,
  };

  // Packed columns as typed arrays, as the layout written with them says (layers/packing.py).
  function unpack(buffer, layout, n) {
    var out = {};
    layout.forEach(function (c) {
      var Type = TYPED_ARRAYS[c.array];
      if (!Type) throw new Error("unknown column type " + c.array);
      out[c.name] = new Type(buffer, c.offset, n);
    });
    return out;
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

  // The map lives in an iframe. Leaflet makes its container focusable, and the browser's own
  // focus on the first mousedown scrolls the parent page to bring the whole frame into view:
  // the pointer then lies over another element when the button comes up, and the click (on a
  // cluster, a marker) is lost. The map is focused here without scrolling instead.
  function focusWithoutScrolling(e) {
    var container = this.getContainer();
    if (document.activeElement === container || e.button !== 0) return;
    var target = e.target;
    if (target && target.closest && target.closest(".leaflet-popup, .leaflet-control")) return; // text, inputs
    e.preventDefault();
    container.focus({ preventScroll: true });
  }

  if (window.L && L.Map) {
    L.Map.addInitHook(function () {
      var map = this;
      map.getContainer().addEventListener("mousedown", function (e) { focusWithoutScrolling.call(map, e); }, true);
      // The frame takes the window's height (map.css), which the page may set after the map measured
      // itself: measure again once it is drawn, and whenever the container changes size.
      setTimeout(function () { map.invalidateSize({ animate: false }); }, 0);
      if (window.ResizeObserver) new ResizeObserver(function () { map.invalidateSize({ animate: false }); }).observe(map.getContainer());
    });
    if (L.Icon && L.Icon.Default) L.Icon.Default.imagePath = "/app/static/vendor/leaflet/images/";
  }

  // Labels sit in panes of their own, never catching a click. Town names ("incLabels") lie above
  // the boundaries and below the incident markers. The names of districts and lines
  // ("incTopLabels": Mastung, Khuzdar, the Durand Line) lie above the markers, so a cluster's
  // badge never hides them; they stand just above their point (map.css), so a district-level
  // incident drawn at that point stays in sight below its label.
  function labelPane(map, top) {
    var name = top ? "incTopLabels" : "incLabels";
    if (!map.getPane(name)) {
      var pane = map.createPane(name);
      pane.style.zIndex = top ? 620 : 550;
      pane.style.pointerEvents = "none";
    }
    if (top) watchLabels(map);
    return name;
  }

  // The labels of districts and lines move off the incident symbols: above their point first, then
  // below it, right or left of it, then diagonally, the first place where they cover no marker,
  // cluster, province count or other label; where none is free, above. Run a moment after the map moves or its layers change.
  var PLACES = ["", "label-below", "label-right", "label-left", "label-ne", "label-nw", "label-se", "label-sw"];
  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  function placeLabels(map) {
    var top = map.getPane("incTopLabels");
    if (!top) return;
    var symbols = map.getPane("markerPane").querySelectorAll(".leaflet-marker-icon");
    var counts = map.getContainer().querySelectorAll(".area-coarse"); // a province's own count, below the labels
    var taken = Array.prototype.concat.call(
      Array.prototype.map.call(symbols, function (n) { return n.getBoundingClientRect(); }),
      Array.prototype.map.call(counts, function (n) { return n.getBoundingClientRect(); })
    );
    top.querySelectorAll(".boundary-label, .line-label").forEach(function (span) {
      var free = null;
      for (var i = 0; i < PLACES.length && free === null; i++) {
        PLACES.forEach(function (c) { if (c) span.classList.remove(c); });
        if (PLACES[i]) span.classList.add(PLACES[i]);
        var r = span.getBoundingClientRect();
        if (!taken.some(function (b) { return overlaps(r, b); })) free = r;
      }
      if (free === null) {
        PLACES.forEach(function (c) { if (c) span.classList.remove(c); });
        free = span.getBoundingClientRect();
      }
      taken.push(free);
    });
  }
  function watchLabels(map) {
    if (map._incLabelsWatched) return;
    map._incLabelsWatched = true;
    var timer = null;
    function later() {
      clearTimeout(timer);
      timer = setTimeout(function () { placeLabels(map); }, 250);
    }
    map.on("zoomend moveend layeradd layerremove", later);
    later();
  }

  // A popup's first element: the reference of what it belongs to (layers/protocol.py), in the
  // format the payload gives. Hidden from sight (map.css); the page reads it from the clicked
  // popup's text to know what was clicked, so the visible headings are free to change.
  function refNode(vocab, kind, id) {
    var node = el("span", "inc-ref", vocab.ref_format.replace("{kind}", kind).replace("{id}", String(id)));
    node.setAttribute("aria-hidden", "true");
    return node;
  }

  window.IncidentMap = Object.assign(window.IncidentMap || {}, {
    decode: decode,
    decodeBytes: decodeBytes,
    unpack: unpack,
    dom: { el: el, safeUrl: safeUrl, labelPane: labelPane, refNode: refNode },
  });
})();
