"""A map export as KML for Google Earth: WGS 84, one folder per layer, shared styles (high red,
elevated orange, signs and stops as tinted pins) and readable names and descriptions.

Written directly rather than through GDAL's LIBKML driver: that one styles each feature inline
and shows its style string in every balloon, and has no shared styles or folder names.
Characters XML forbids (a NUL in a street name) are left out, so the file always parses.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from cocoon.outputs import register
from cocoon.outputs.clean import printable
from cocoon.outputs.maps import COLOURS, FILL_OPACITY, ExportMap, Feature, Layer, field_text

KML_NS = "http://www.opengis.net/kml/2.2"


@register(ExportMap, "kml")
def export_kml(content: ExportMap) -> bytes:
    kml = ET.Element("kml", xmlns=KML_NS)
    doc = ET.SubElement(kml, "Document")
    ET.SubElement(doc, "name").text = content.title
    ET.SubElement(doc, "open").text = "1"
    ET.SubElement(doc, "description").text = content.note
    used = sorted({f.style for layer in content.layers for f in layer.features})
    for style in used:
        _style(doc, style)
    for layer in content.layers:
        _folder(doc, layer, content)
    ET.indent(kml, space=" ")
    body = ET.tostring(kml, encoding="unicode", xml_declaration=False)
    return printable('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def kml_colour(hex_colour: str, alpha: float = 1.0) -> str:
    """KML's aabbggrr from '#rrggbb'."""
    h = hex_colour.lstrip("#")
    return f"{round(alpha * 255):02x}{h[4:6]}{h[2:4]}{h[0:2]}"


def _style(doc: ET.Element, key: str) -> None:
    style = ET.SubElement(doc, "Style", id=key)
    colour = COLOURS[key]
    if key in ("high", "elevated"):
        line = ET.SubElement(style, "LineStyle")
        ET.SubElement(line, "color").text = kml_colour(colour)
        ET.SubElement(line, "width").text = "2"
        poly = ET.SubElement(style, "PolyStyle")
        ET.SubElement(poly, "color").text = kml_colour(colour, FILL_OPACITY)
        return
    icon = ET.SubElement(style, "IconStyle")  # Google Earth's own pin, tinted: no icon file
    ET.SubElement(icon, "color").text = kml_colour(colour)
    ET.SubElement(icon, "scale").text = "1.2" if key in ("sign", "report") else "0.8"
    label = ET.SubElement(style, "LabelStyle")  # names show on hover, not all at once
    ET.SubElement(label, "scale").text = "0"


def _folder(doc: ET.Element, layer: Layer, content: ExportMap) -> None:
    folder = ET.SubElement(doc, "Folder", id=layer.name)
    ET.SubElement(folder, "name").text = layer.label
    if layer.name == "zones":
        ET.SubElement(folder, "description").text = content.note
    for feature in layer.features:
        mark = ET.SubElement(folder, "Placemark")
        ET.SubElement(mark, "name").text = feature.title
        ET.SubElement(mark, "description").text = _table(feature)
        ET.SubElement(mark, "styleUrl").text = f"#{feature.style}"
        data = ET.SubElement(mark, "ExtendedData")
        for name, value in feature.values.items():
            item = ET.SubElement(data, "Data", name=name)
            ET.SubElement(item, "value").text = field_text(value, content.tz)
        _geometry(mark, content.projection.geometry_to_wgs84(feature.geometry))


def _table(feature: Feature) -> str:
    """The balloon: the feature's readable rows as a small HTML table."""
    rows = "".join(
        f"<tr><th align='left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
        for k, v in feature.rows
    )
    return f"<table>{rows}</table>"


def _coordinates(coords: np.ndarray[Any, Any]) -> str:
    return " ".join(f"{_num(x)},{_num(y)}" for x, y in coords)


def _num(value: float) -> str:
    return f"{value:.7f}".rstrip("0").rstrip(".")


def _geometry(parent: ET.Element, geom: BaseGeometry) -> None:
    if isinstance(geom, shapely.Point):
        point = ET.SubElement(parent, "Point")
        ET.SubElement(point, "coordinates").text = f"{_num(geom.x)},{_num(geom.y)}"
        return
    polygons = list(shapely.get_parts(geom))
    holder = ET.SubElement(parent, "MultiGeometry") if len(polygons) > 1 else parent
    for part in polygons:
        polygon = orient(part, sign=1.0)  # outer rings anticlockwise, as KML asks
        element = ET.SubElement(holder, "Polygon")
        rings = [("outerBoundaryIs", polygon.exterior)]
        rings += [("innerBoundaryIs", ring) for ring in polygon.interiors]
        for tag, ring in rings:
            boundary = ET.SubElement(ET.SubElement(element, tag), "LinearRing")
            ET.SubElement(boundary, "coordinates").text = _coordinates(
                shapely.get_coordinates(ring)
            )
