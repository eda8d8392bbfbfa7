"""The field app: server-rendered pages for kommunpolis (admin), visiting teams (team) and
patrols (viewer), over the app layer's use cases.

`create_app(installation)` makes the Flask application; `cocoon.web.server` serves it with
waitress. Routes only translate: they read the request, call one use case, render a template.
Nothing a page shows comes from outside the server (Content-Security-Policy default-src 'self').
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from flask import Flask, g, render_template
from werkzeug.exceptions import HTTPException

from cocoon.core.visits import Outcome
from cocoon.errors import CocoonError, NotFoundError
from cocoon.web import admin, assets, guard, pages, rosters
from cocoon.web.words import word

if TYPE_CHECKING:
    from cocoon.app.installation import Installation

log = logging.getLogger("cocoon.web")


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(installation: Installation, clock: Callable[[], datetime] = utc_now) -> Flask:
    """The field app of one installation; `clock` is its `now` (tests move it)."""
    app = Flask(__name__)
    app.extensions["cocoon"] = installation
    app.extensions["cocoon.clock"] = clock
    settings = installation.settings
    app.config.update(
        MAX_CONTENT_LENGTH=settings.web.upload_max_mb * 1024 * 1024,
        MAX_FORM_MEMORY_SIZE=1024 * 1024,
        TEMPLATES_AUTO_RELOAD=False,
    )
    language = settings.output.language
    tz = installation.tz

    def t(key: str, **values: object) -> str:
        return word(key, language, **values)

    app.jinja_env.globals.update(t=t, lang=language, area=settings.area.name, outcome_of=Outcome)
    app.jinja_env.filters["local"] = lambda moment, fmt="%Y-%m-%d %H:%M": _local(moment, tz, fmt)
    guard.install(app)
    pages.register(app)
    rosters.register(app)
    admin.register(app)
    assets.register(app)
    _errors(app, language)
    return app


def _local(moment: datetime | None, tz: tzinfo, fmt: str) -> str:
    return moment.astimezone(tz).strftime(fmt) if moment is not None else ""


def _errors(app: Flask, language: Any) -> None:
    """Every failure a page: a friendly one with its status; a bug's traceback in the log only."""

    def page(status: int, reason: str) -> tuple[str, int]:
        title_key = f"error.{status}"
        title = word(title_key if title_key in _TITLES else "error.other", language)
        return render_template("error.html", status=status, title=title, reason=reason), status

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> tuple[str, int]:
        status = exc.code or 500
        if status == 403:
            reason = word("why.csrf" if g.get("csrf_failed") else "why.403", language)
        elif status == 404:
            reason = word("why.404", language)
        elif status == 413:
            reason = word("why.413", language, mb=app.config["MAX_CONTENT_LENGTH"] // 1024**2)
        else:
            reason = exc.description or ""
        return page(status, reason)

    @app.errorhandler(CocoonError)
    def _cocoon(exc: CocoonError) -> tuple[str, int]:
        return page(404 if isinstance(exc, NotFoundError) else 400, exc.render(language))

    @app.errorhandler(Exception)
    def _bug(exc: Exception) -> tuple[str, int]:
        log.exception("web request failed", extra={"event": "web.failed"})
        return page(500, word("why.500", language))


_TITLES = {f"error.{n}" for n in (400, 401, 403, 404, 405, 413, 429, 500)}

__all__ = ["create_app"]
