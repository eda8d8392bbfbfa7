"""A map export as a GeoPackage for QGIS: one table per layer in the metric CRS, typed fields
(dates as DATE, instants as DATETIME in UTC) and a QGIS style per layer in `layer_styles`, so
the layers open coloured: zones high red and elevated orange, signs blue triangles, visit
stops coloured by outcome, reported burglaries dark red crosses.
"""

from __future__ import annotations

import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from cocoon.outputs import register
from cocoon.outputs.maps import COLOURS, FILL_OPACITY, ExportMap, Field, Layer

#: GDAL's time zone flag for UTC: instants are stored as '2026-11-24T06:00:00Z'.
_GDAL_UTC = 100
#: QGIS finds a layer's default style by table name and geometry column (GDAL names it so).
GEOMETRY_COLUMN = "geom"
#: GeoPackage 1.2, which every GDAL since 2.2 validates: GDAL 3.12 writes 1.4 by default, whose
#: R-tree triggers Debian 12's GDAL 3.6 and its validate_gpkg.py count as missing (Req 75).
GPKG_VERSION = {"VERSION": "1.2"}


@register(ExportMap, "gpkg")
def export_gpkg(content: ExportMap) -> bytes:
    """Write the layers to a temporary GeoPackage (GDAL needs a path) and return its bytes."""
    from pyogrio import raw  # GDAL is loaded only when a GeoPackage is written

    with tempfile.TemporaryDirectory(prefix="cocoon-export-") as folder, _gdal_now(content.at):
        path = Path(folder) / "export.gpkg"
        for number, layer in enumerate(content.layers):
            arrays, offsets = _columns(layer)
            raw.write(
                str(path),
                shapely.to_wkb(np.array([f.geometry for f in layer.features], dtype=object)),
                arrays,
                [f.name for f in layer.fields],
                layer=layer.name,
                driver="GPKG",
                geometry_type=layer.geometry_type,
                promote_to_multi=layer.geometry_type.startswith("Multi"),
                crs=content.projection.crs,
                gdal_tz_offsets=offsets,
                dataset_options=GPKG_VERSION if number == 0 else None,
                layer_options={
                    "IDENTIFIER": layer.label,
                    "DESCRIPTION": content.note if layer.name == "zones" else layer.label,
                },
            )
        _write_styles(str(path), content)
        return path.read_bytes()


@contextmanager
def _gdal_now(at: datetime) -> Iterator[None]:
    """GDAL stamps GeoPackage tables with the time they were written; stamp them with the
    export's instant instead, so the same export gives the same bytes."""
    import pyogrio

    key = "OGR_CURRENT_DATE"
    before = pyogrio.get_gdal_config_option(key)
    pyogrio.set_gdal_config_options({key: at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({key: before})


def _columns(layer: Layer) -> tuple[list[NDArray[Any]], dict[str, NDArray[np.int32]]]:
    """One numpy array per field, typed so GDAL makes DATE, DATETIME, BOOLEAN and numbers."""
    arrays: list[NDArray[Any]] = []
    offsets: dict[str, NDArray[np.int32]] = {}
    for field in layer.fields:
        values = [f.values[field.name] for f in layer.features]
        arrays.append(_array(field, values))
        if field.kind == "datetime":
            offsets[field.name] = np.full(len(values), _GDAL_UTC, dtype=np.int32)
    return arrays, offsets


def _array(field: Field, values: Sequence[Any]) -> NDArray[Any]:
    kind = field.kind
    if kind == "date":
        return np.array([v if isinstance(v, date) else None for v in values], "datetime64[D]")
    if kind == "datetime":
        utc = [
            v.astimezone(UTC).replace(tzinfo=None) if isinstance(v, datetime) else None
            for v in values
        ]
        return np.array(utc, dtype="datetime64[ms]")
    if kind == "int":
        return np.array(values, dtype=np.int32)
    if kind == "float":
        return np.array(values, dtype=np.float64)
    if kind == "bool":
        return np.array(values, dtype=bool)
    if kind == "strs":
        return np.array([", ".join(v) for v in values], dtype=object)
    return np.array(values, dtype=object)


def _write_styles(path: str, content: ExportMap) -> None:
    """The `layer_styles` table QGIS reads a layer's default style from (one row per layer)."""
    from pyogrio import raw

    layers = content.layers
    qml = [_qml(layer, content) for layer in layers]
    n = len(layers)
    at = np.array([content.at.astimezone(UTC).replace(tzinfo=None)] * n, dtype="datetime64[ms]")
    columns = {
        "f_table_catalog": np.array([""] * n, dtype=object),
        "f_table_schema": np.array([""] * n, dtype=object),
        "f_table_name": np.array([layer.name for layer in layers], dtype=object),
        "f_geometry_column": np.array([GEOMETRY_COLUMN] * n, dtype=object),
        "styleName": np.array([layer.name for layer in layers], dtype=object),
        "styleQML": np.array(qml, dtype=object),
        "styleSLD": np.array([""] * n, dtype=object),
        "useAsDefault": np.ones(n, dtype=bool),
        "description": np.array([layer.label for layer in layers], dtype=object),
        "owner": np.array([""] * n, dtype=object),
        "ui": np.array([""] * n, dtype=object),
        "update_time": at,
    }
    raw.write(
        path,
        None,
        list(columns.values()),
        list(columns),
        layer="layer_styles",
        driver="GPKG",
        layer_options={"FID": "id"},
        gdal_tz_offsets={"update_time": np.full(n, _GDAL_UTC, dtype=np.int32)},
    )


# -- QGIS styles (QML) -------------------------------------------------------------------------


def _rgba(hex_colour: str, alpha: float = 1.0) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},{round(alpha * 255)}"


def _symbol(parent: ET.Element, name: str, style: str) -> None:
    """The QGIS symbol of a style key: a filled area or a point marker."""
    colour = COLOURS[style]
    if style in ("high", "elevated"):
        kind, layer_class = "fill", "SimpleFill"
        options = {
            "color": _rgba(colour, FILL_OPACITY),
            "style": "solid",
            "outline_color": _rgba(colour),
            "outline_style": "solid",
            "outline_width": "0.6",
            "outline_width_unit": "MM",
        }
    else:
        kind, layer_class = "marker", "SimpleMarker"
        shape, size, outline = {
            "sign": ("triangle", "4.2", COLOURS["stop-pending"]),
            "report": ("cross2", "5", colour),
        }.get(style, ("circle", "3.2", COLOURS["ink"]))
        options = {
            "name": shape,
            "color": _rgba(colour),
            "size": size,
            "size_unit": "MM",
            "outline_color": _rgba(outline),
            "outline_style": "solid",
            "outline_width": "0.8" if shape == "cross2" else "0.3",
            "outline_width_unit": "MM",
        }
    symbol = ET.SubElement(
        parent, "symbol", type=kind, name=name, alpha="1", clip_to_extent="1", force_rhr="0"
    )
    sl = ET.SubElement(
        symbol, "layer", {"class": layer_class, "enabled": "1", "locked": "0", "pass": "0"}
    )
    option_map = ET.SubElement(sl, "Option", type="Map")
    for key, value in options.items():
        ET.SubElement(option_map, "Option", name=key, type="QString", value=value)
    for key, value in options.items():  # what QGIS before 3.20 reads
        ET.SubElement(sl, "prop", k=key, v=value)


def _qml(layer: Layer, content: ExportMap) -> str:
    """A QML style: categorised by level (zones) or outcome (stops), else one symbol."""
    root = ET.Element("qgis", version="3.22.0", styleCategories="Symbology")
    categories: list[tuple[str, str, str]] = []  # (value, style, label)
    if layer.name == "zones":
        attr = "level"
        categories = [(s, s, content.t(f"export_legend_{s}")) for s in ("high", "elevated")]
    elif layer.name == "visit_stops":
        attr = "outcome"
        outcomes = ("visited", "not_home", "declined", "pending")
        categories = [(o, f"stop-{o}", content.t(f"export_outcome_{o}")) for o in outcomes]
    if categories:
        renderer = ET.SubElement(
            root,
            "renderer-v2",
            type="categorizedSymbol",
            attr=attr,
            symbollevels="0",
            enableorderby="0",
            forceraster="0",
        )
        cats = ET.SubElement(renderer, "categories")
        symbols = ET.SubElement(renderer, "symbols")
        for i, (value, style, label) in enumerate(categories):
            ET.SubElement(
                cats,
                "category",
                render="true",
                symbol=str(i),
                value=value,
                label=label,
                type="string",
            )
            _symbol(symbols, str(i), style)
    else:
        renderer = ET.SubElement(
            root,
            "renderer-v2",
            type="singleSymbol",
            symbollevels="0",
            enableorderby="0",
            forceraster="0",
        )
        _symbol(
            ET.SubElement(renderer, "symbols"), "0", "sign" if layer.name == "signs" else "report"
        )
    return ET.tostring(root, encoding="unicode") + "\n"
