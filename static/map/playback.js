/*
 * Incident map: playback. A window (a week, a month or a quarter) steps through the
 * incidents' dates in the browser, with no call to the server: the packed rows carry each
 * incident's first and last possible day, and an incident shows while any of its possible days
 * falls in the window (as the date filter reads a range).
 */
(function () {
  "use strict";

  var IM = window.IncidentMap;
  var DAY = 86400000;
  var UNITS = ["week", "month", "quarter"];
  var SPEEDS = [1, 2, 5, 10];

  // The window of ``unit`` holding day ``d`` (days since 1970-01-01), as [first, last] days:
  // weeks from Monday, calendar months and quarters (UTC, so no time zone moves a day).
  function windowOf(d, unit) {
    var t = new Date(d * DAY);
    if (unit === "week") {
      var first = d - ((t.getUTCDay() + 6) % 7);
      return [first, first + 6];
    }
    var y = t.getUTCFullYear(), m = t.getUTCMonth();
    var span = unit === "quarter" ? 3 : 1;
    if (unit === "quarter") m -= m % 3;
    return [Date.UTC(y, m, 1) / DAY, Date.UTC(y, m + span, 1) / DAY - 1];
  }

  function nextWindow(w, unit) { return windowOf(w[1] + 1, unit); }
  function previousWindow(w, unit) { return windowOf(w[0] - 1, unit); }
  function dayText(d) { return new Date(d * DAY).toISOString().slice(0, 10); }

  // The rows whose possible days [start, end] meet the window [lo, hi], in row order.
  function activeRows(start, end, lo, hi) {
    var n = 0, i;
    for (i = 0; i < start.length; i++) if (start[i] <= hi && end[i] >= lo) n++;
    var out = new Int32Array(n);
    n = 0;
    for (i = 0; i < start.length; i++) if (start[i] <= hi && end[i] >= lo) out[n++] = i;
    return out;
  }

  function button(text, title, onClick) {
    var b = IM.dom.el("button", "play-button", text);
    b.type = "button";
    b.title = title;
    L.DomEvent.on(b, "click", function (e) { L.DomEvent.stop(e); onClick(); });
    return b;
  }

  function select(options, chosen, label, onChange) {
    var s = IM.dom.el("select", "play-select");
    s.title = label;
    options.forEach(function (o) {
      var opt = IM.dom.el("option", null, String(o.text));
      opt.value = String(o.value);
      if (o.value === chosen) opt.selected = true;
      s.appendChild(opt);
    });
    L.DomEvent.on(s, "change", function () { onChange(s.value); });
    return s;
  }

  // The play control of an incident layer (which has _start, _end and setWindow).
  function control(layer) {
    var state = { unit: "month", fps: 2, window: null, timer: null };
    var lo = Infinity, hi = -Infinity;
    for (var i = 0; i < layer._start.length; i++) {
      if (layer._start[i] < lo) lo = layer._start[i];
      if (layer._end[i] > hi) hi = layer._end[i];
    }
    var label = IM.dom.el("span", "play-label", "Playback: all dates");
    layer._playStats = { frames: 0, renderMs: 0, started: 0, last: 0 };

    function show(w) {
      state.window = w;
      var t0 = performance.now();
      var n = layer.setWindow(w[0], w[1]);
      var s = layer._playStats;
      s.renderMs += performance.now() - t0;
      s.frames++;
      s.last = performance.now();
      label.textContent = dayText(w[0]) + " \u2013 " + dayText(w[1]) + ": " + n.toLocaleString("en") + " incidents";
    }
    function first() { return windowOf(lo, state.unit); }
    function step(forward) {
      var w = state.window ? (forward ? nextWindow(state.window, state.unit) : previousWindow(state.window, state.unit)) : first();
      if (w[0] > hi || w[1] < lo) { pause(); return false; }
      show(w);
      return true;
    }
    function tick() {
      state.timer = null;
      if (step(true)) state.timer = setTimeout(tick, 1000 / state.fps);
    }
    function play() {
      if (state.timer) return;
      if (!state.window || nextWindow(state.window, state.unit)[0] > hi) state.window = null;
      layer._playStats.started = performance.now();
      layer._playStats.frames = 0;
      layer._playStats.renderMs = 0;
      tick();
    }
    function pause() {
      if (state.timer) clearTimeout(state.timer);
      state.timer = null;
    }
    function all() {
      pause();
      state.window = null;
      layer.setWindow(null, null);
      label.textContent = "Playback: all dates";
    }

    // bottom right: off the theatre (the Arabian Sea and India at the first view), clear of the legend (bottom left)
    var box = L.control({ position: "bottomright" });
    box.onAdd = function () {
      var div = IM.dom.el("div", "play-control leaflet-bar");
      div.appendChild(button("\u25b6 Play", "Play: step the window through the dates", play));
      div.appendChild(button("Pause", "Pause", pause));
      div.appendChild(button("\u25c0", "One window back", function () { pause(); step(false); }));
      div.appendChild(button("\u25b6|", "One window forward", function () { pause(); step(true); }));
      div.appendChild(button("All", "Show all dates again", all));
      div.appendChild(select(UNITS.map(function (u) { return { value: u, text: u }; }), state.unit, "Window", function (v) {
        state.unit = v;
        if (state.window) show(windowOf(state.window[0], v));
      }));
      div.appendChild(select(SPEEDS.map(function (f) { return { value: f, text: f + " per s" }; }), state.fps, "Speed", function (v) {
        state.fps = Number(v);
      }));
      div.appendChild(label);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    box.onRemove = pause;
    box.play = play;
    box.pause = pause;
    box.step = step;
    box.all = all;
    box.state = state;
    return box;
  }

  IM.playback = {
    UNITS: UNITS, windowOf: windowOf, nextWindow: nextWindow, previousWindow: previousWindow,
    dayText: dayText, activeRows: activeRows, control: control,
  };
})();
