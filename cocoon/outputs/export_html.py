"""A map export as one self-contained HTML file that works with no network at all.

The map is the project's own small SVG viewer (html_map/map.js, map.css): pan by dragging,
zoom by wheel, buttons or +/−, a legend, a scale bar that follows the zoom and a popup per
zone, sign, stop or report. Everything is inlined: no library, tile, font or other URL, and a
Content-Security-Policy that only lets the file's own script and style run, so not even a
mistake could make the page fetch anything.

The data travels as JSON in metres from a rounded origin in the metric CRS (0.1 m steps);
the base layer is the loaded roads clipped to the map's frame, and on internal maps the
register address points.

The page is also well-formed XML (void elements closed, the script in a CDATA section), and
characters XML and HTML forbid are left out of it, so a stray NUL in a stored value cannot
break it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import shapely

from cocoon.outputs import register
from cocoon.outputs.clean import printable
from cocoon.outputs.map_roads import PATH_CLASSES, SCALE_LENGTHS, SheetRoads, road_width
from cocoon.outputs.maps import ATTRIBUTION, COLOURS, FILL_OPACITY, ExportMap


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
        '<g id="world"></g><g id="marks"></g></svg>',
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
    if frame is not None:
        for road_class, coords in SheetRoads.of(content.roads, content.projection).within(*frame):
            roads.setdefault(road_class, []).append(flat(coords))
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
        "scale_lengths": list(SCALE_LENGTHS),
        "ui": {"close": content.t("export_close")},
    }


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
