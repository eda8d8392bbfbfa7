"""A roster on a phone: its stops in walking order on a map, one tap per stop for the outcome,
the printable PDF beside it.

The page works without its script (each tap a form); with it, taps are kept on the phone and
sent when there is a connection, each with the id the phone gave it, so that a retry is
recorded once (`FieldCases.record_tap`).
"""

from __future__ import annotations

import uuid

from flask import (
    Flask,
    Response,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from werkzeug.wrappers import Response as BaseResponse

from cocoon.app.field import TapSent
from cocoon.app.reasons import NO_ROSTER
from cocoon.app.users import User
from cocoon.errors import CocoonError, InputError, NotFoundError
from cocoon.web.guard import PUBLIC, current, installation, now, roles
from cocoon.web.reasons import JSON_EXPECTED

#: The fields a tap may carry, and the longest value read of each (the use case checks them).
TAP_FIELDS = ("tap_id", "address_id", "outcome", "tapped_at", "note", "saw_what", "saw_when")
MAX_VALUE = 4096


def _me() -> User:
    session = current()
    assert session is not None
    return session.user


def _key(key: str) -> str:
    if len(key) > 16:
        raise NotFoundError(NO_ROSTER(key=f"{key[:16]}…"))
    return key


@roles("admin", "team")
def roster(key: str) -> str:
    """One roster's stops in walking order, for an admin or the team it is given to."""
    view = installation().field.roster(_me(), _key(key), now())
    forms = {s.address_id: str(uuid.uuid4()) for s in view.stops}  # a form's tap, sent once
    max_hours = installation().settings.web.session_max_hours
    return render_template(
        "roster.html", roster=view, map=view.map.as_json(), forms=forms, max_hours=max_hours
    )


@roles(*PUBLIC)
def offline_worker() -> Response:
    """The service worker that keeps roster pages for a dead spot: code, no data, so public;
    served from /rosters/ so that it looks after the roster pages only."""
    folder = current_app.static_folder
    assert folder is not None  # the app is made with its static folder
    response = send_from_directory(folder, "offline.js", mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@roles("admin", "team")
def roster_pdf(key: str) -> Response:
    """The printable roster: a download, on the access log."""
    data = installation().field.roster_pdf(_me(), _key(key), now())
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="roster-{key}.pdf"'},
    )


@roles("admin", "team")
def record(key: str) -> BaseResponse | tuple[BaseResponse, int]:
    """One tapped outcome: JSON from the page's script (answered in JSON), or the stop's form
    (answered by the roster page again)."""
    wants_json = request.is_json
    sent = request.get_json(silent=True) if wants_json else request.form
    if not isinstance(sent, dict) and wants_json:
        language = installation().settings.output.language
        return jsonify({"error": JSON_EXPECTED().render(language)}), 400
    assert sent is not None
    values = {name: str(sent.get(name) or "")[:MAX_VALUE] for name in TAP_FIELDS}
    try:
        done = installation().field.record_tap(_me(), _key(key), TapSent(**values), now())
    except CocoonError as exc:
        if not wants_json:
            raise
        status = 404 if isinstance(exc, NotFoundError) else 400
        g.change_detail = f"tap refused: {exc}"[:500]
        return jsonify({"error": exc.render(installation().settings.output.language)}), status
    g.change_detail = (
        f"outcome {values['outcome']} at {done.address_id} (tap {done.tap_id}): {done.result}"
        f"{' (repeat)' if done.repeat else ''}"
    )
    if wants_json:
        return jsonify(
            tap_id=done.tap_id, address_id=done.address_id, result=done.result, repeat=done.repeat
        )
    return redirect(url_for("roster", key=key) + f"#stop-{_anchor(done.address_id)}", 303)


def _anchor(address_id: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in address_id)


def register(app: Flask) -> None:
    app.add_url_rule("/rosters/offline.js", view_func=offline_worker)
    app.add_url_rule("/rosters/<key>", view_func=roster)
    app.add_url_rule("/rosters/<key>/roster.pdf", view_func=roster_pdf)
    app.add_url_rule("/rosters/<key>/outcomes", view_func=record, methods=["POST"])
    app.jinja_env.filters["anchor"] = _anchor


__all__ = ["InputError", "register"]
