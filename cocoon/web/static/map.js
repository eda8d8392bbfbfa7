/* cocoon field app: the interactive map (Leaflet, served by this server; no tiles, nothing from
   outside). The base layer is the loaded roads, drawn as lines with their names along them at
   the zoom levels where they fit, decluttered; over them the zones (high red, elevated orange),
   the day's signs, or a roster's stops numbered in walking order. Text goes into the page as
   text (textContent), never as HTML. */
(function () {
  "use strict";
  var holder = document.getElementById("map");
  if (!holder || !window.L) { return; }
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var words = JSON.parse(document.getElementById("map-words").textContent);
  var HIGH = "#c62828", ELEVATED = "#ef6c00";
  // busyness ranks of cocoon.core.roads: secondary 16, tertiary 14, residential 10, service 7
  var MAJOR = 14, MINOR = 7;

  var map = L.map(holder, {
    preferCanvas: true, zoomSnap: 0.5, attributionControl: false, maxZoom: 19, minZoom: 10
  });
  var canvas = L.canvas({ padding: 0.5 });

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // --- the roads: casing and fill, busier roads wider; paths thin and dashed ---------------
  var sorted = data.roads.slice().sort(function (a, b) { return a.r - b.r; });
  var drawn = [];  // [casing, fill, width at zoom 16]
  sorted.forEach(function (road) {
    if (road.r < MINOR) {
      L.polyline(road.p, { renderer: canvas, color: "#9e9e9e", weight: 1.5, dashArray: "4 4",
        interactive: false }).addTo(map);
      return;
    }
    var width = road.r >= MAJOR ? 8 : 5;
    var casing = L.polyline(road.p, { renderer: canvas, color: "#b0b0b0", interactive: false });
    var fill = L.polyline(road.p, { renderer: canvas, interactive: false,
      color: road.r >= MAJOR ? "#fff3c4" : "#ffffff" });
    casing.addTo(map);
    fill.addTo(map);
    drawn.push([casing, fill, width]);
  });
  function widen() {  // roads as wide as they look at the zoom: thin lines far out
    var scale = Math.min(1.3, Math.max(0.3, Math.pow(2, map.getZoom() - 16)));
    drawn.forEach(function (d) {
      var w = Math.max(1, d[2] * scale);
      d[0].setStyle({ weight: w + (w > 2 ? 2 : 1) });
      d[1].setStyle({ weight: w });
    });
  }

  // --- the zones -----------------------------------------------------------------------------
  var zoneUrl = holder.getAttribute("data-zone-url");
  data.zones.forEach(function (zone) {
    var colour = zone.level === "high" ? HIGH : ELEVATED;
    var shape = L.polygon(zone.polys, { color: colour, weight: 2, fillColor: colour,
      fillOpacity: zone.level === "high" ? 0.22 : 0.14 }).addTo(map);
    var box = el("div", "popup");
    box.appendChild(el("b", "", words.zone + " " + zone.id));
    box.appendChild(el("div", "", words[zone.level] + " " + words.until + " " + zone.until));
    if (zoneUrl) {
      var link = el("a", "", words.open_zone);
      link.href = zoneUrl.replace("ZONE", encodeURIComponent(zone.id));
      box.appendChild(link);
    }
    shape.bindPopup(box);
  });

  // --- the day's signs -----------------------------------------------------------------------
  data.signs.forEach(function (sign) {
    var mark = L.circleMarker([sign.lat, sign.lon], { radius: 7, weight: 2, color: "#12355b",
      fillColor: sign.done ? "#2e7d32" : "#ffeb3b", fillOpacity: 1 }).addTo(map);
    var box = el("div", "popup");
    box.appendChild(el("b", "", sign.id));
    box.appendChild(el("div", "", sign.what));
    box.appendChild(el("div", "", (sign.due === "up" ? words.sign_up : words.sign_down) +
      (sign.done ? " – " + words.ticked : "")));
    mark.bindPopup(box);
  });

  // --- a roster's stops, numbered in walking order, the walk between them ----------------------
  var stopMarks = {};
  function stopIcon(stop, outcome) {
    var label = el("span", "", stop.label);
    var wide = stop.label.length > 2 ? 34 : 24;
    return L.divIcon({ className: "stop-mark o-" + outcome, html: label, iconSize: [wide, 20] });
  }
  var sheets = {};
  data.stops.forEach(function (stop) {
    (sheets[stop.sheet] = sheets[stop.sheet] || []).push([stop.lat, stop.lon]);
  });
  Object.keys(sheets).forEach(function (sheet) {
    L.polyline(sheets[sheet], { color: "#12355b", weight: 2, opacity: 0.6, dashArray: "6 6",
      interactive: false }).addTo(map);
  });
  data.stops.forEach(function (stop) {
    var mark = L.marker([stop.lat, stop.lon], { icon: stopIcon(stop, stop.outcome),
      title: stop.label + " " + stop.address, keyboard: true }).addTo(map);
    mark.on("click", function () {
      var target = document.querySelector('li.stop[data-address="' + CSS.escape(stop.id) + '"]');
      if (target) { target.scrollIntoView({ behavior: "smooth", block: "start" }); }
    });
    stopMarks[stop.id] = { mark: mark, stop: stop };
  });
  document.addEventListener("cocoon:outcome", function (event) {
    var found = stopMarks[event.detail.id];
    if (found) { found.mark.setIcon(stopIcon(found.stop, event.detail.outcome)); }
  });

  // --- street names along the roads, decluttered -------------------------------------------
  var labels = map.createPane("labels");
  labels.style.zIndex = 450;
  labels.style.pointerEvents = "none";
  var named = data.labels;
  var LABEL_H = 15, CHAR_W = 6.6, SAME_NAME_GAP = 280;

  function rankShown(zoom) {
    if (zoom >= 15.5) { return 1; }  // every named road, paths too
    if (zoom >= 14) { return 9; }  // residential streets and busier
    if (zoom >= 13) { return MAJOR - 2; }
    if (zoom >= 12) { return 16; }  // secondary roads and busier
    return 99;
  }

  function anchorOf(points, length) {
    // the point halfway along the line, and the direction of the segment it lies on
    var half = length / 2, walked = 0;
    for (var i = 1; i < points.length; i++) {
      var a = points[i - 1], b = points[i];
      var seg = a.distanceTo(b);
      if (walked + seg >= half && seg > 0) {
        var f = (half - walked) / seg;
        var angle = Math.atan2(b.y - a.y, b.x - a.x) * 180 / Math.PI;
        if (angle > 90) { angle -= 180; } else if (angle < -90) { angle += 180; }
        return { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f, angle: angle };
      }
      walked += seg;
    }
    return null;
  }

  function placeLabels() {
    while (labels.firstChild) { labels.removeChild(labels.firstChild); }
    var least = rankShown(map.getZoom());
    var size = map.getSize();
    var topLeft = map.containerPointToLayerPoint([0, 0]);
    var view = L.bounds(topLeft, topLeft.add(size));
    var candidates = [];
    named.forEach(function (road) {
      if (road.r < least) { return; }
      var points = road.p.map(function (p) { return map.latLngToLayerPoint(p); });
      var length = 0;
      for (var i = 1; i < points.length; i++) { length += points[i - 1].distanceTo(points[i]); }
      var width = road.n.length * CHAR_W + 8;
      if (length < width * 1.15) { return; }
      var at = anchorOf(points, length);
      if (!at || !view.contains([at.x, at.y])) { return; }
      candidates.push({ name: road.n, rank: road.r, length: length, at: at, width: width });
    });
    candidates.sort(function (a, b) { return b.rank - a.rank || b.length - a.length; });
    var boxes = [], byName = {};
    candidates.forEach(function (c) {
      var rad = c.at.angle * Math.PI / 180;
      var cos = Math.abs(Math.cos(rad)), sin = Math.abs(Math.sin(rad));
      var hw = (cos * c.width + sin * LABEL_H) / 2, hh = (sin * c.width + cos * LABEL_H) / 2;
      var box = [c.at.x - hw, c.at.y - hh, c.at.x + hw, c.at.y + hh];
      for (var i = 0; i < boxes.length; i++) {
        var o = boxes[i];
        if (box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1]) { return; }
      }
      var same = byName[c.name] || [];
      for (var j = 0; j < same.length; j++) {
        if (Math.hypot(same[j].x - c.at.x, same[j].y - c.at.y) < SAME_NAME_GAP) { return; }
      }
      boxes.push(box);
      same.push(c.at);
      byName[c.name] = same;
      var holderEl = el("div", "road-label" + (c.rank >= MAJOR ? " major" : ""));
      var text = el("span", "", c.name);
      text.style.transform = "translate(-50%, -50%) rotate(" + c.at.angle.toFixed(1) + "deg)";
      holderEl.appendChild(text);
      L.DomUtil.setPosition(holderEl, L.point(c.at.x, c.at.y));
      labels.appendChild(holderEl);
    });
  }
  map.on("zoomstart", function () { labels.style.display = "none"; });
  map.on("zoomend", widen);
  map.on("zoomend moveend", function () { labels.style.display = ""; placeLabels(); });

  // --- the view: what the map is about, else the roads --------------------------------------
  if (data.bounds) {
    var b = data.bounds;
    var degenerate = b[0][0] === b[1][0] && b[0][1] === b[1][1];
    if (degenerate) { map.setView(b[0], 17); } else { map.fitBounds(b, { padding: [16, 16] }); }
  } else {
    map.setView([59.33, 18.07], 12);
  }
  widen();
  placeLabels();
  holder.setAttribute("data-ready", "1");
})();
