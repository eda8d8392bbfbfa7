/* cocoon offline map: draws the map data of this file as SVG. No network, no library.
   Metric coordinates (x east, y north, metres from data.origin) are drawn at (x, -y) in a
   group scaled by view.k pixels per metre; markers and street names are placed in screen
   pixels so their size does not change with the zoom. The names come placed per zoom level
   (data.names, see export_html.py): the page shows the level at or below its zoom, so they
   never collide, and draws only those in view. Mouse: drag, wheel. Touch: drag, pinch. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var svg = document.getElementById("map");
  var NS = svg.namespaceURI;
  var world = document.getElementById("world");
  var marks = document.getElementById("marks");
  var names = document.getElementById("names");
  var popup = document.getElementById("popup");
  var view = { k: 1, tx: 0, ty: 0 };
  var features = [];
  var markers = [];
  var addressPath = null;

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function linePath(flat, close) {
    var parts = [];
    for (var i = 0; i < flat.length; i += 2) {
      parts.push((i === 0 ? "M" : "L") + flat[i] + " " + (-flat[i + 1]));
    }
    return parts.join("") + (close ? "Z" : "");
  }

  function symbol(shape, parent) {
    if (shape === "triangle") {
      return el("path", { d: "M0 -8L7 5H-7Z" }, parent);
    }
    if (shape === "cross") {
      return el("path", { d: "M-6 -6L6 6M-6 6L6 -6" }, parent);
    }
    if (shape === "dot") {
      return el("circle", { r: 2 }, parent);
    }
    if (shape === "line") {
      return el("path", { d: "M-8 0H8" }, parent);
    }
    if (shape === "area") {
      return el("rect", { x: -8, y: -6, width: 16, height: 12 }, parent);
    }
    return el("circle", { r: 5 }, parent);
  }

  var shapes = {};
  data.legend.forEach(function (entry) { shapes[entry.style] = entry.shape; });

  function draw() {
    data.roads.forEach(function (group) {
      var d = group.lines.map(function (line) { return linePath(line, false); }).join("");
      el("path", { d: d, "class": "road " + group.kind, "stroke-width": group.width }, world);
    });
    if (data.addresses.length) {
      addressPath = el("path", { "class": "address" }, marks);
    }
    data.layers.forEach(function (layer) {
      layer.features.forEach(function (f) {
        var index = features.length;
        features.push(f);
        if (layer.kind === "area") {
          var d = f.g.map(function (ring) { return linePath(ring, true); }).join("");
          el("path", { d: d, "class": "zone " + f.s, "data-f": index, "data-level": f.s }, world);
        } else {
          var g = el("g", { "class": "mark " + f.s, "data-f": index }, marks);
          symbol(shapes[f.s] || "circle", g);
          markers.push({ node: g, x: f.g[0], y: f.g[1] });
        }
      });
    });
  }

  function shift() {
    world.setAttribute("transform",
      "matrix(" + view.k + " 0 0 " + view.k + " " + view.tx + " " + view.ty + ")");
    var screen = "translate(" + view.tx + " " + view.ty + ")";
    marks.setAttribute("transform", screen);
    names.setAttribute("transform", screen);
  }

  /* The names of the level placed for this zoom or the one below it, those in view. */
  function level() {
    var found = null;
    data.names.levels.forEach(function (lv) {
      if (lv.k <= view.k * 1.000001) { found = lv; }
    });
    return found;
  }

  /* The panels over the map, in map pixels: no name is drawn under them. */
  function panels() {
    var box = svg.getBoundingClientRect();
    return ["head", "tools", "legend", "scale", "attribution", "north"].map(function (id) {
      var node = document.getElementById(id);
      var r = node ? node.getBoundingClientRect() : null;
      return r && r.width ? [r.left - box.left, r.top - box.top, r.right - box.left,
        r.bottom - box.top] : null;
    }).filter(function (r) { return r; });
  }

  function drawNames() {
    names.replaceChildren();
    var lv = level();
    names.setAttribute("data-k", lv ? lv.k : 0);
    if (!lv) { return; }
    var s = size();
    var under = panels();
    var k = view.k;
    var a = lv.labels;
    var count = 0;
    for (var i = 0; i < a.length; i += 6) {
      var x = a[i + 1] * k;
      var y = -a[i + 2] * k;
      var r = a[i + 3] * Math.PI / 180;
      var rx = Math.abs(Math.cos(r)) * a[i + 4] / 2 + Math.abs(Math.sin(r)) * a[i + 5] * 0.6;
      var ry = Math.abs(Math.sin(r)) * a[i + 4] / 2 + Math.abs(Math.cos(r)) * a[i + 5] * 0.6;
      var sx = x + view.tx;
      var sy = y + view.ty;
      if (sx < -rx || sx > s.w + rx || sy < -ry || sy > s.h + ry) { continue; }
      if (under.some(function (p) {
        return sx + rx > p[0] && sx - rx < p[2] && sy + ry > p[1] && sy - ry < p[3];
      })) { continue; }
      var t = el("text", {
        "class": "name",
        transform: "translate(" + x + " " + y + ") rotate(" + (-a[i + 3]) + ")",
        y: (0.345 * a[i + 5]).toFixed(2),
        "font-size": a[i + 5],
        textLength: a[i + 4],
        lengthAdjust: "spacingAndGlyphs"
      }, names);
      t.textContent = data.names.names[a[i]];
      count += 1;
    }
    names.setAttribute("data-count", count);
  }

  var pending = false;
  function redrawNames() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; drawNames(); });
  }

  function place() {
    shift();
    var k = view.k;
    markers.forEach(function (m) {
      m.node.setAttribute("transform", "translate(" + (m.x * k) + " " + (-m.y * k) + ")");
    });
    if (addressPath) {
      var a = data.addresses;
      var d = [];
      for (var i = 0; i < a.length; i += 2) {
        d.push("M" + (a[i] * k - 1.5) + " " + (-a[i + 1] * k - 1.5) + "h3v3h-3Z");
      }
      addressPath.setAttribute("d", d.join(""));
    }
    scaleBar();
    drawNames();
  }

  function scaleBar() {
    var longest = 120 / view.k;
    var metres = data.scale_lengths[0];
    data.scale_lengths.forEach(function (m) { if (m <= longest) { metres = m; } });
    document.getElementById("scale-bar").style.width = Math.round(metres * view.k) + "px";
    document.getElementById("scale-text").textContent =
      metres >= 1000 ? (metres / 1000) + " km" : metres + " m";
  }

  function size() {
    var box = svg.getBoundingClientRect();
    return { w: box.width || 800, h: box.height || 600 };
  }

  function fit() {
    var s = size();
    var f = data.frame;
    if (!f) { return; }
    var k = Math.min(s.w / (f[2] - f[0]), s.h / (f[3] - f[1]));
    view.k = k;
    view.tx = s.w / 2 - k * (f[0] + f[2]) / 2;
    view.ty = s.h / 2 + k * (f[1] + f[3]) / 2;
    place();
  }

  function zoom(factor, cx, cy) {
    var k = Math.min(Math.max(view.k * factor, 0.005), 50);
    factor = k / view.k;
    view.tx = cx - (cx - view.tx) * factor;
    view.ty = cy - (cy - view.ty) * factor;
    view.k = k;
    place();
  }

  function hidePopup() { popup.hidden = true; }

  function showPopup(f, px, py) {
    popup.replaceChildren();
    var head = document.createElement("h2");
    head.textContent = f.t;
    popup.appendChild(head);
    var table = document.createElement("table");
    f.r.forEach(function (row) {
      var tr = document.createElement("tr");
      var th = document.createElement("th");
      var td = document.createElement("td");
      th.textContent = row[0];
      td.textContent = row[1];
      tr.appendChild(th);
      tr.appendChild(td);
      table.appendChild(tr);
    });
    popup.appendChild(table);
    var close = document.createElement("button");
    close.className = "close";
    close.textContent = "×";
    close.title = data.ui.close;
    close.setAttribute("aria-label", data.ui.close);
    close.addEventListener("click", hidePopup);
    popup.appendChild(close);
    popup.hidden = false;
    var s = size();
    var w = popup.offsetWidth;
    var h = popup.offsetHeight;
    popup.style.left = Math.max(4, Math.min(px + 12, s.w - w - 4)) + "px";
    popup.style.top = Math.max(4, Math.min(py + 12, s.h - h - 4)) + "px";
  }

  /* Pointers down on the map: one drags (mouse or finger), two pinch. A press that did not
     move opens the popup of what lies under it. */
  var pointers = {};
  var drag = null;
  var pinch = null;

  function down() { return Object.keys(pointers).map(function (id) { return pointers[id]; }); }

  function startDrag(p, moved) {
    drag = { x: p.x, y: p.y, tx: view.tx, ty: view.ty, moved: moved };
  }

  function startPinch() {
    var p = down();
    var box = svg.getBoundingClientRect();
    pinch = {
      d: Math.max(Math.hypot(p[1].x - p[0].x, p[1].y - p[0].y), 1),
      mx: (p[0].x + p[1].x) / 2 - box.left,
      my: (p[0].y + p[1].y) / 2 - box.top,
      k: view.k, tx: view.tx, ty: view.ty
    };
    drag = null;
  }

  svg.addEventListener("pointerdown", function (e) {
    pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
    svg.setPointerCapture(e.pointerId);
    var count = down().length;
    if (count === 1) { startDrag(pointers[e.pointerId], false); }
    if (count === 2) { startPinch(); }
  });
  svg.addEventListener("pointermove", function (e) {
    if (!pointers[e.pointerId]) { return; }
    pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
    if (pinch) {
      var p = down();
      if (p.length < 2) { return; }
      var box = svg.getBoundingClientRect();
      var mx = (p[0].x + p[1].x) / 2 - box.left;
      var my = (p[0].y + p[1].y) / 2 - box.top;
      var d = Math.max(Math.hypot(p[1].x - p[0].x, p[1].y - p[0].y), 1);
      var k = Math.min(Math.max(pinch.k * d / pinch.d, 0.005), 50);
      var f = k / pinch.k;
      view.k = k;
      view.tx = mx - (pinch.mx - pinch.tx) * f;
      view.ty = my - (pinch.my - pinch.ty) * f;
      place();
      return;
    }
    if (!drag) { return; }
    var dx = e.clientX - drag.x;
    var dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 4) { drag.moved = true; }
    if (drag.moved) {
      view.tx = drag.tx + dx;
      view.ty = drag.ty + dy;
      shift();
      redrawNames();
    }
  });
  function up(e) {
    if (!pointers[e.pointerId]) { return; }
    delete pointers[e.pointerId];
    var rest = down();
    if (pinch) {
      pinch = null;
      if (rest.length === 1) { startDrag(rest[0], true); }  /* the other finger drags on */
      return;
    }
    var was = drag;
    drag = null;
    if (e.type !== "pointerup" || !was || was.moved) { return; }
    var hit = document.elementsFromPoint(e.clientX, e.clientY).find(function (node) {
      return node.closest && node.closest("[data-f]");
    });
    if (!hit) { hidePopup(); return; }
    var box = svg.getBoundingClientRect();
    var index = Number(hit.closest("[data-f]").getAttribute("data-f"));
    showPopup(features[index], e.clientX - box.left, e.clientY - box.top);
  }
  svg.addEventListener("pointerup", up);
  svg.addEventListener("pointercancel", up);
  svg.addEventListener("wheel", function (e) {
    e.preventDefault();
    var box = svg.getBoundingClientRect();
    zoom(Math.pow(1.0015, -e.deltaY), e.clientX - box.left, e.clientY - box.top);
  }, { passive: false });

  function centreZoom(factor) {
    var s = size();
    zoom(factor, s.w / 2, s.h / 2);
  }
  document.getElementById("zoom-in").addEventListener("click", function () { centreZoom(1.5); });
  document.getElementById("zoom-out").addEventListener("click", function () { centreZoom(1 / 1.5); });
  document.getElementById("zoom-all").addEventListener("click", fit);
  document.addEventListener("keydown", function (e) {
    if (e.key === "+" || e.key === "=") { centreZoom(1.5); }
    if (e.key === "-") { centreZoom(1 / 1.5); }
    if (e.key === "Escape") { hidePopup(); }
  });
  window.addEventListener("resize", fit);

  function legend() {
    var list = document.getElementById("legend-list");
    data.legend.forEach(function (entry) {
      var item = document.createElement("li");
      var icon = el("svg", { width: 20, height: 16, viewBox: "-10 -8 20 16" }, null);
      var kinds = { area: "zone " + entry.style, line: "road street", dot: "address" };
      var g = el("g", { "class": kinds[entry.shape] || "mark " + entry.style }, icon);
      symbol(entry.shape, g);
      item.appendChild(icon);
      item.appendChild(document.createTextNode(entry.label));
      list.appendChild(item);
    });
  }

  draw();
  legend();
  fit();
  document.body.setAttribute("data-ready", "1");
})();
