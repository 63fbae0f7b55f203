/*
 * Incident map: what an incident looks like: marker and cluster icons, popup
 * contents and the legend. Every text is set with textContent.
 */
(function () {
  "use strict";

  var IM = window.IncidentMap;
  var el = IM.dom.el;

  // The shared words and codes come with each layer's payload (layers/protocol.py: vocabulary()).
  function isApproximate(vocab, precision) {
    return vocab.approximate.indexOf(precision) >= 0;
  }

  function markerNode(vocab, colors, precision, credibility) {
    var stops = [];
    var n = Math.max(colors.length, 1);
    for (var i = 0; i < n; i++) {
      var c = colors[i] || "#777777";
      stops.push(c + " " + Math.round((i * 100) / n) + "% " + Math.round(((i + 1) * 100) / n) + "%");
    }
    var node = el("div", "inc-marker inc-" + precision + (isApproximate(vocab, precision) ? " inc-approx" : "") +
      (credibility && credibility !== "plain" ? " inc-cred-" + credibility : ""));
    node.style.background = "conic-gradient(" + stops.join(",") + ")";
    var letter = vocab.precision_letters[precision];
    if (letter) node.appendChild(el("span", "inc-letter", letter));
    return node;
  }

  // One icon object per style, shared by all its markers; each marker on screen gets its own node.
  var StyleIcon = L.DivIcon.extend({
    createIcon: function (oldIcon) {
      var div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      div.appendChild(markerNode(this.options.vocab, this.options.colors, this.options.precision, this.options.credibility));
      return div;
    },
  });

  function styleIcon(vocab, colors, precision, credibility) {
    var size = isApproximate(vocab, precision) ? 26 : 16;
    return new StyleIcon({
      html: "", className: "inc-icon", iconSize: [size, size], iconAnchor: [size / 2, size / 2],
      colors: colors, precision: precision, vocab: vocab, credibility: credibility,
    });
  }

  // A cluster's icon: its count (in full in data-count and the title) on a disc sized by log(count).
  var ClusterIcon = L.DivIcon.extend({
    createIcon: function (oldIcon) {
      var div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      var n = this.options.count;
      div.setAttribute("data-count", String(n));
      div.title = n.toLocaleString("en") + " " + this.options.vocab.words.cluster_title;
      div.appendChild(el("span", "inc-cluster-count", IM.cluster.countLabel(n)));
      return div;
    },
  });

  function clusterIcon(vocab, n) {
    var size = Math.round(28 + 5 * Math.log10(n));
    return new ClusterIcon({ html: "", className: "inc-cluster", iconSize: [size, size], count: n, vocab: vocab });
  }

  function row(label, value) {
    var div = el("div", "inc-row");
    div.appendChild(el("span", "inc-label", label + ": "));
    div.appendChild(el("span", "inc-value", value));
    return div;
  }

  // What a popup shows before the server has sent the incident's source text.
  function briefContent(vocab, key, style, precisionLabel) {
    var w = vocab.words;
    var box = el("div", "inc-popup");
    box.appendChild(IM.dom.refNode(vocab, "incident", key));
    box.appendChild(el("div", "inc-head", w.incident + " #" + key));
    box.appendChild(row(w.groups, style.groups));
    box.appendChild(row(w.location_precision, precisionLabel));
    box.appendChild(el("div", "inc-loading", w.loading));
    return box;
  }

  // The full popup, from the incident's details (layers/protocol.py: IncidentDetails).
  function fullContent(vocab, d) {
    var w = vocab.words;
    var box = el("div", "inc-popup");
    box.appendChild(IM.dom.refNode(vocab, "incident", d.key));
    box.appendChild(el("div", "inc-head", w.incident + " #" + d.key + " \u00b7 " + d.event_id));
    box.appendChild(el("div", "inc-type", d.event_type));
    box.appendChild(row(w.date, d.date_text));
    box.appendChild(row(w.groups, d.actors_text));
    box.appendChild(row(w.place, d.place_text));
    box.appendChild(row(w.fatalities, d.fatalities_text));
    box.appendChild(row(w.grade, d.grade_text));
    if (d.no_text) box.appendChild(el("div", "inc-notext", d.no_text));
    else box.appendChild(el("blockquote", "inc-excerpt", d.excerpt));
    var src = el("div", "inc-source");
    src.appendChild(el("span", "inc-label", w.source + ": "));
    var url = IM.dom.safeUrl(d.source_url);
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

  // The legend starts folded (a small control that covers no part of Balochistan in the default
  // view); unfolded or folded again, it stays so across the layers later reruns bring.
  var legendOpen = false;

  function legendControl(meta) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var box = el("details", "inc-legend leaflet-bar");
      box.open = legendOpen;
      box.addEventListener("toggle", function () { legendOpen = box.open; });
      var w = meta.words;
      box.appendChild(el("summary", "inc-legend-summary", w.legend));
      box.appendChild(el("div", "inc-legend-title", w.groups));
      meta.legend.groups.forEach(function (g) {
        var item = el("div", "inc-legend-item");
        var swatch = el("span", "inc-swatch");
        swatch.style.background = g.color;
        item.appendChild(swatch);
        item.appendChild(el("span", null, g.name));
        box.appendChild(item);
      });
      box.appendChild(el("div", "inc-legend-title", w.location_precision));
      meta.legend.precisions.forEach(function (pr) {
        var item = el("div", "inc-legend-item");
        var icon = markerNode(meta, ["#888888"], pr.precision);
        icon.classList.add("inc-legend-icon");
        icon.style.width = icon.style.height = (isApproximate(meta, pr.precision) ? 26 : 16) + "px";
        item.appendChild(icon);
        item.appendChild(el("span", null, pr.label));
        box.appendChild(item);
      });
      box.appendChild(el("div", "inc-legend-title", w.credibility));
      meta.legend.credibility.forEach(function (c) {
        var item = el("div", "inc-legend-item");
        var icon = markerNode(meta, ["#888888"], meta.precisions[0], c.band);
        icon.classList.add("inc-legend-icon");
        icon.style.width = icon.style.height = "16px";
        item.appendChild(icon);
        item.appendChild(el("span", null, c.label));
        box.appendChild(item);
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    return control;
  }

  // The room to keep free in the bottom-left corner, where the legend is: [width, height] in pixels.
  function legendClearance(legend) {
    var box = legend && legend.getContainer && legend.getContainer();
    if (!box || !box.offsetWidth) return [20, 20];
    return [box.offsetWidth + 20, box.offsetHeight + 20];
  }

  // The room to keep free in the bottom-right corner, where playback and the attribution are.
  function cornerClearance() {
    var corner = document.querySelector(".leaflet-bottom.leaflet-right");
    if (!corner || !corner.offsetHeight) return [20, 20];
    return [20, corner.offsetHeight + 30];
  }

  // Popup options: popups open (and pan the map) clear of the legend and of the playback control,
  // so the marker a popup points at is never left under a control.
  function popupOptions(legend) {
    return {
      maxWidth: 420,
      minWidth: 280,
      autoPanPadding: [20, 20],
      autoPanPaddingBottomLeft: legendClearance(legend),
      autoPanPaddingBottomRight: cornerClearance(),
    };
  }

  IM.markers = {
    isApproximate: isApproximate,
    styleIcon: styleIcon,
    clusterIcon: clusterIcon,
    briefContent: briefContent,
    fullContent: fullContent,
    legendControl: legendControl,
    legendClearance: legendClearance,
    popupOptions: popupOptions,
  };
})();
