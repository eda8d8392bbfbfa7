"""The pages every role has: logging in and out, today's page per role, a zone, the day's
signs and the visits status. A roster's pages are in `cocoon.web.rosters`.

Each view reads the form or the path, calls one use case and renders a template.
"""

from __future__ import annotations

from flask import Flask, Response, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from cocoon.app.reasons import NO_ACTIVE_ZONE
from cocoon.app.users import LoginRefused, User, normal_name
from cocoon.errors import NotFoundError
from cocoon.web.guard import (
    LOGIN_COOKIE,
    PUBLIC,
    SESSION_COOKIE,
    actor,
    begin_session,
    check_csrf,
    client_address,
    current,
    end_session,
    installation,
    now,
    roles,
)

#: The longest user name or password a login form may send; more is not a login.
MAX_FIELD = 1024


def safe_next(target: str | None) -> str:
    """Where to go after the login: a path on this server only (no //host, no scheme)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("today")
    return target


@roles(*PUBLIC)
def login() -> BaseResponse | tuple[str, int] | str:
    """The login form (fields `username` and `password`); a new session when they are right."""
    if request.method == "GET":
        if current() is not None:
            return redirect(url_for("today"))
        return render_template("login.html", next=safe_next(request.args.get("next")))
    session = current()  # a logged-in user's form carries the session's token
    check_csrf(session.csrf_token if session else request.cookies.get(LOGIN_COOKIE, ""))
    name = request.form.get("username", "")[:MAX_FIELD]
    password = request.form.get("password", "")[:MAX_FIELD]
    target = safe_next(request.form.get("next"))
    app = installation()
    if session is not None:  # a user logging in again, perhaps as another: the old one ends
        app.users.logout(request.cookies.get(SESSION_COOKIE, ""), actor(), now())
        end_session()
    try:
        opened = app.users.login(name, password, client_address(), now())
    except LoginRefused as refused:
        status = 429 if refused.wait_minutes else 401
        message = refused.render(app.settings.output.language)
        return render_template(
            "login.html", error=message, next=target, username=normal_name(name)
        ), status
    begin_session(opened)
    return redirect(target)


@roles(*PUBLIC)
def logout() -> BaseResponse:
    """End the session on the server; its cookie is worth nothing after."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if current() is not None:
        check_csrf(current().csrf_token)  # type: ignore[union-attr]
        installation().users.logout(token, actor(), now())
    end_session()
    return redirect(url_for("login"))


@roles("admin", "team", "viewer")
def today() -> str:
    """Today's page: what the user's role has to do now."""
    app = installation()
    user = _me()
    at = now()
    if user.role == "team":
        return render_template("today_team.html", rosters=app.field.rosters(user, at))
    zones = app.zones(at)
    daily = app.field.daily_list(at, zones)
    shown = app.field.zones_map(at, zones)
    if user.role == "viewer":
        return render_template("today_viewer.html", daily=daily, map=shown.as_json())
    return render_template(
        "today_admin.html",
        daily=daily,
        map=shown.as_json(),
        new_reports=app.field.new_reports(at),
        rosters=app.field.rosters(user, at, zones),
        waiting=app.field.waiting(user, at),
    )


@roles("admin", "viewer")
def zone(zone_id: str) -> str:
    """One active zone: its level and days left, its rosters and visits, its signs."""
    if len(zone_id) > 16:
        raise NotFoundError(NO_ACTIVE_ZONE(zone_id=f"{zone_id[:16]}…"))
    view = installation().field.zone(_me(), zone_id, now())
    return render_template("zone.html", zone=view, map=view.map.as_json())


@roles("admin", "viewer")
def signs() -> str:
    """The day's signs to put up and take down, each with its tick."""
    return render_template("signs.html", day=installation().field.signs_day(now()))


@roles("admin", "viewer")
def check_sign(sign_id: str) -> BaseResponse:
    """Tick (or, with undo, untick) that a sign was put up or taken down."""
    action = request.form.get("action", "")[:16]
    undo = request.form.get("undo") == "1"
    installation().field.check_sign(_me(), sign_id[:16], action, now(), undo)
    g.change_detail = f"sign {sign_id[:16]} {action}{' undone' if undo else ''}"
    return redirect(url_for("signs") + f"#sign-{sign_id[:16]}", 303)


@roles("admin")
def visits() -> str:
    """Visits status per zone (as `cocoon visits status`), with each zone's rosters."""
    return render_template(
        "visits.html",
        status=installation().field.visits_status(now()),
        followup=FOLLOWUP_ENDPOINT in _flask_views(),
    )


#: The follow-up of the visits (issue 13, `cocoon followup`) gets its page under this endpoint;
#: the visits page links to it as soon as a view of that name is registered.
FOLLOWUP_ENDPOINT = "followup"


def _flask_views() -> dict[str, object]:
    from flask import current_app

    return dict(current_app.view_functions)


def _me() -> User:
    session = current()
    assert session is not None  # the guard let only users in
    return session.user


def register(app: Flask) -> None:
    app.add_url_rule("/login", view_func=login, methods=["GET", "POST"])
    app.add_url_rule("/logout", view_func=logout, methods=["POST"])
    app.add_url_rule("/", view_func=today, endpoint="today")
    app.add_url_rule("/zones/<zone_id>", view_func=zone)
    app.add_url_rule("/signs", view_func=signs)
    app.add_url_rule("/signs/<sign_id>", view_func=check_sign, methods=["POST"])
    app.add_url_rule("/visits", view_func=visits)


__all__ = ["Response", "register"]
