"""The pages every role has: logging in and out, today's page per role, a roster.

Each view reads the form or the path, calls one use case and renders a template.
"""

from __future__ import annotations

from flask import Flask, Response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from cocoon.app.users import LoginRefused, normal_name
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
    session = current()
    assert session is not None
    at = now()
    user = session.user
    if user.role == "team":
        return render_template("today_team.html", rosters=app.field.rosters(user, at))
    daily = app.field.daily_list(at)
    if user.role == "viewer":
        return render_template("today_viewer.html", daily=daily)
    return render_template(
        "today_admin.html",
        daily=daily,
        new_reports=app.field.new_reports(at),
        rosters=app.field.rosters(user, at),
    )


@roles("admin", "team")
def roster(key: str) -> str:
    """One roster's stops in walking order: for an admin, or the team it is given to."""
    session = current()
    assert session is not None
    if len(key) > 16:
        raise NotFoundError(f"no roster {key[:16]}…")
    view = installation().field.roster(session.user, key, now())
    return render_template("roster.html", roster=view)


def register(app: Flask) -> None:
    app.add_url_rule("/login", view_func=login, methods=["GET", "POST"])
    app.add_url_rule("/logout", view_func=logout, methods=["POST"])
    app.add_url_rule("/", view_func=today, endpoint="today")
    app.add_url_rule("/rosters/<key>", view_func=roster)


__all__ = ["Response", "register"]
