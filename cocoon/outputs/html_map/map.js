/* cocoon offline map: draws the map data of this file as SVG. No network, no library.
   Metric coordinates (x east, y north, metres from data.origin) are drawn at (x, -y) in a
   group scaled by view.k pixels per metre; markers are placed in screen pixels so their size
   does not change with the zoom. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var svg = document.getElementById("map");
  var NS = svg.namespaceURI;
  var world = document.getElementById("world");
  var marks = document.getElementById("marks");
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

  function place() {
    world.setAttribute("transform",
      "matrix(" + view.k + " 0 0 " + view.k + " " + view.tx + " " + view.ty + ")");
    marks.setAttribute("transform", "translate(" + view.tx + " " + view.ty + ")");
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

  var drag = null;
  svg.addEventListener("pointerdown", function (e) {
    drag = { x: e.clientX, y: e.clientY, tx: view.tx, ty: view.ty, moved: false };
    svg.setPointerCapture(e.pointerId);
  });
  svg.addEventListener("pointermove", function (e) {
    if (!drag) { return; }
    var dx = e.clientX - drag.x;
    var dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 4) { drag.moved = true; }
    if (drag.moved) {
      view.tx = drag.tx + dx;
      view.ty = drag.ty + dy;
      world.setAttribute("transform",
        "matrix(" + view.k + " 0 0 " + view.k + " " + view.tx + " " + view.ty + ")");
      marks.setAttribute("transform", "translate(" + view.tx + " " + view.ty + ")");
    }
  });
  svg.addEventListener("pointerup", function (e) {
    var was = drag;
    drag = null;
    if (!was || was.moved) { return; }
    var hit = document.elementsFromPoint(e.clientX, e.clientY).find(function (node) {
      return node.closest && node.closest("[data-f]");
    });
    if (!hit) { hidePopup(); return; }
    var box = svg.getBoundingClientRect();
    var index = Number(hit.closest("[data-f]").getAttribute("data-f"));
    showPopup(features[index], e.clientX - box.left, e.clientY - box.top);
  });
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
