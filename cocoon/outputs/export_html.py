"""A map export as one self-contained HTML file that works with no network at all.

The map is the project's own small SVG viewer (html_map/map.js, map.css): pan by dragging
(also with a finger), zoom by wheel, pinch, buttons or +/−, a legend, a scale bar that follows
the zoom, street names along the roads and a popup per zone, sign, stop or report.
Everything is inlined: no library, tile, font or other URL, and a Content-Security-Policy that
only lets the file's own script and style run, so not even a mistake could make the page fetch
anything.

The data travels as JSON in metres from a rounded origin in the metric CRS (0.1 m steps);
the base layer is the loaded roads clipped to the map's frame, and on internal maps the
register address points.

Street names are placed here, by the same rules as on paper (street_labels), once per zoom
level: every √2 more pixels per metre, from the whole frame on a phone to 4 px/m. The page
shows the level at or just below its zoom, so the names it shows never collide (a name keeps
its size in pixels while the map grows) and the placing is tested and byte-for-byte the same
on every run; the page only picks the level and draws the names in view, each stretched to
the width measured here (DejaVu Sans), so another font cannot make them collide.

The page is also well-formed XML (void elements closed, the script in a CDATA section), and
characters XML and HTML forbid are left out of it, so a stray NUL in a stored value cannot
break it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import shapely

from cocoon.outputs import register
from cocoon.outputs.clean import printable
from cocoon.outputs.map_roads import (
    PATH_CLASSES,
    SCALE_LENGTHS,
    SheetRoads,
    named_pieces,
    road_width,
)
from cocoon.outputs.maps import ATTRIBUTION, COLOURS, FILL_OPACITY, ExportMap
from cocoon.outputs.street_labels import Box, Layout, Street, place_labels, scaled, streets

#: Street names on screen: base size and halo (CSS pixels), and how far apart a name may repeat.
NAME_SIZE, NAME_HALO, NAME_REPEAT = 12.0, 1.5, 320.0
#: The zoom levels names are placed for: from the whole frame in this many pixels to this
#: many pixels per metre, in steps of √2.
SMALLEST_VIEW_PX, MOST_PX_PER_M = 320.0, 4.0
#: How far (pixels) a name keeps from the centre of a marker of an internal map.
_MARKER_CLEAR = {"sign": 10.0, "report": 11.0}  # the triangle; the cross and its stroke
_STOP_CLEAR = 7.0


@register(ExportMap, "html")
def export_html(content: ExportMap) -> bytes:
    data = map_data(content)
    script = "/*<![CDATA[*/\n" + _asset("map.js") + "/*]]>*/\n"
    style = _css_variables() + _asset("map.css")
    policy = (
        "default-src 'none'; "
        f"script-src '{_sha256(script)}'; style-src '{_sha256(style)}'; "
        "img-src 'none'; connect-src 'none'; font-src 'none'; base-uri 'none'; "
        "form-action 'none'"
    )
    e = html.escape
    head_note = "public" if content.public else "internal"
    body = [
        "<!DOCTYPE html>",
        f'<html lang="{content.language}">',
        "<head>",
        '<meta charset="utf-8" />',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}" />',
        '<meta name="viewport" content="width=device-width, initial-scale=1" />',
        '<meta name="referrer" content="no-referrer" />',
        f"<title>{e(content.title)}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
        '<svg id="map" role="img" aria-label="' + e(content.title) + '">'
        '<g id="world"></g><g id="names"></g><g id="marks"></g></svg>',
        '<div id="head" class="panel">'
        f"<h1>{e(content.title)}</h1>"
        f'<p class="{head_note}">{e(content.note)}</p></div>',
        '<div id="tools" class="panel">'
        + "".join(
            f'<button type="button" id="{key}" title="{e(label)}" aria-label="{e(label)}">'
            f"{symbol}</button>"
            for key, label, symbol in (
                ("zoom-in", content.t("export_zoom_in"), "+"),
                ("zoom-out", content.t("export_zoom_out"), "−"),
                ("zoom-all", content.t("export_zoom_all"), "⤢"),
            )
        )
        + "</div>",
        '<div id="north" aria-hidden="true">▲<br />N</div>',
        f'<div id="legend" class="panel"><h2>{e(content.t("export_legend"))}</h2>'
        '<ul id="legend-list"></ul></div>',
        '<div id="scale" class="panel"><div id="scale-bar"></div><span id="scale-text">'
        "</span></div>",
        f'<div id="attribution">{e(ATTRIBUTION)}</div>' if data["roads"] else "",
        f'<div id="empty">{e(content.t("no_zones"))}</div>' if data["frame"] is None else "",
        '<div id="popup" class="panel" hidden=""></div>',
        f'<script type="application/json" id="map-data">{_json(data)}</script>',
        f"<script>{script}</script>",
        "</body>",
        "</html>",
        "",
    ]
    return printable("\n".join(body)).encode("utf-8")


def map_data(content: ExportMap) -> dict[str, Any]:
    """What the page draws: layers, base and legend in metres from `origin` (y north)."""
    frame = content.frame
    ox, oy = (
        (round((frame[0] + frame[2]) / 2), round((frame[1] + frame[3]) / 2)) if frame else (0, 0)
    )

    def flat(coords: Any) -> list[float]:
        rel = np.round(np.asarray(coords, dtype=float)[:, :2] - (ox, oy), 1)
        return [float(v) for v in rel.ravel()]

    layers = []
    for layer in content.layers:
        features = []
        for f in layer.features:
            if layer.geometry_type == "Point":
                geometry: Any = flat([(f.geometry.x, f.geometry.y)])
            else:
                geometry = [
                    flat(shapely.get_coordinates(ring))
                    for polygon in shapely.get_parts(f.geometry)
                    for ring in (polygon.exterior, *polygon.interiors)
                ]
            rows = [[printable(k), printable(v)] for k, v in f.rows]  # JSON would keep a NUL
            features.append({"s": f.style, "t": printable(f.title), "r": rows, "g": geometry})
        kind = "point" if layer.geometry_type == "Point" else "area"
        layers.append(
            {"name": layer.name, "label": layer.label, "kind": kind, "features": features}
        )
    roads: dict[str, list[list[float]]] = {}
    addresses: list[float] = []
    names: dict[str, Any] = {"names": [], "levels": []}
    if frame is not None:
        network = SheetRoads.of(content.roads, content.projection)
        for road_class, coords in network.within(*frame):
            roads.setdefault(road_class, []).append(flat(coords))
        names = street_names(network, frame, (ox, oy), content)
        if content.addresses:
            xs, ys = content.projection.to_metric(
                [a.lon for a in content.addresses], [a.lat for a in content.addresses]
            )
            x0, y0, x1, y1 = frame
            inside = (xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1)
            addresses = flat(np.column_stack([xs[inside], ys[inside]]))
    return {
        "origin": [ox, oy],
        "crs": content.projection.crs,
        "frame": [frame[0] - ox, frame[1] - oy, frame[2] - ox, frame[3] - oy] if frame else None,
        "roads": [
            {
                "kind": "path" if c in PATH_CLASSES else "street",
                "width": road_width(c) * 1.4,
                "lines": lines,
            }
            for c, lines in sorted(roads.items(), key=lambda kv: road_width(kv[0]))
        ],
        "addresses": addresses,
        "layers": layers,
        "legend": [
            {"style": e.style, "label": e.label, "shape": e.shape} for e in content.legend()
        ],
        "names": names,
        "scale_lengths": list(SCALE_LENGTHS),
        "ui": {"close": content.t("export_close")},
    }


def zoom_levels(frame: tuple[float, float, float, float]) -> list[float]:
    """Pixels per metre of each level names are placed for: powers of √2."""
    x0, y0, x1, y1 = frame
    low = math.floor(2 * math.log2(SMALLEST_VIEW_PX / max(x1 - x0, y1 - y0, 1.0)))
    high = max(low, round(2 * math.log2(MOST_PX_PER_M)))
    return [round(2.0 ** (n / 2), 6) for n in range(low, high + 1)]


def street_names(
    network: SheetRoads,
    frame: tuple[float, float, float, float],
    origin: tuple[float, float],
    content: ExportMap,
) -> dict[str, Any]:
    """The names and, per zoom level, where each goes: [name, x, y, angle, width, size] ...
    with x, y the name's centre on its road in metres from `origin`, the angle in degrees
    anticlockwise, width and size in pixels."""
    from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]

    from cocoon.outputs.fonts import REGULAR, register_fonts

    register_fonts()

    def measure(text: str, size: float) -> float:
        return float(stringWidth(text, REGULAR, size))

    x0, y0, x1, y1 = frame
    named = streets(named_pieces(network, x0, y0, 1.0, x1 - x0, y1 - y0))
    marks = [
        (f.geometry.x - x0, f.geometry.y - y0, _MARKER_CLEAR.get(f.style, _STOP_CLEAR))
        for layer in content.layers[1:]
        for f in layer.features
    ]
    index = {s.name: i for i, s in enumerate(named)}
    levels = []
    for k in zoom_levels(frame):
        layout = Layout((x1 - x0) * k, (y1 - y0) * k, NAME_SIZE, 0.0, NAME_HALO, NAME_REPEAT)
        clear = [Box.around(x * k, y * k, r) for x, y, r in marks]
        on_level: list[Street] = [scaled(s, k) for s in named]
        row: list[float] = []
        for label in place_labels(layout, on_level, measure, clear):
            row += [
                index[label.text],
                round(label.x / k + x0 - origin[0], 1),
                round(label.y / k + y0 - origin[1], 1),
                round(label.angle, 1),
                round(label.width, 1),
                label.size,
            ]
        levels.append({"k": k, "labels": row})
    return {"names": [printable(s.name) for s in named], "levels": levels}


def _json(data: dict[str, Any]) -> str:
    """JSON safe inside a <script> element: no '<' that could end it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@cache
def _asset(name: str) -> str:
    return resources.files("cocoon.outputs").joinpath("html_map", name).read_text("utf-8")


def _css_variables() -> str:
    colours = [f"--{key}: {value};" for key, value in COLOURS.items()]
    for level in ("high", "elevated"):
        h = COLOURS[level].lstrip("#")
        r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
        colours.append(f"--{level}-fill: rgba({r}, {g}, {b}, {FILL_OPACITY});")
    return ":root { " + " ".join(colours) + " }\n"


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")
