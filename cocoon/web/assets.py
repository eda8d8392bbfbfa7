"""Leaflet, the map library, served by the app itself from the XStatic-Leaflet package that is
installed with cocoon: no page loads anything from outside the server."""

from __future__ import annotations

from flask import Flask, Response, send_from_directory
from werkzeug.exceptions import NotFound

from cocoon.web.guard import PUBLIC, roles

#: What of the package a page may load: the script, its style sheet and the style's images.
SERVED = ("leaflet.js", "leaflet.css")
#: The library changes only with the installed package: a browser may keep it a day.
MAX_AGE_S = 24 * 3600


def leaflet_dir() -> str:
    import xstatic.pkg.leaflet

    folder: str = xstatic.pkg.leaflet.BASE_DIR
    return folder


def leaflet_version() -> str:
    import xstatic.pkg.leaflet

    version: str = xstatic.pkg.leaflet.VERSION
    return version


@roles(*PUBLIC)
def leaflet(filename: str) -> Response:
    """leaflet.js, leaflet.css or one of its images; nothing else of the package."""
    if filename not in SERVED and not (
        filename.startswith("images/") and filename.endswith(".png") and ".." not in filename
    ):
        raise NotFound()
    return send_from_directory(leaflet_dir(), filename, max_age=MAX_AGE_S)


def register(app: Flask) -> None:
    app.add_url_rule("/vendor/leaflet/<path:filename>", view_func=leaflet)
    app.jinja_env.globals["leaflet_version"] = leaflet_version()
