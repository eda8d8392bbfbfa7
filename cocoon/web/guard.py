"""Who is asking, and whether they may: sessions from the cookie (or a trusted proxy's header),
roles per route, CSRF tokens on every state-changing request, the security headers, and the
access log entry of every internal page, download and change.

Each route declares the roles that may use it (`PUBLIC` for the login page and the style
sheet); a route without a declaration is refused to everyone, so a forgotten one fails closed.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from flask import Flask, Response, abort, g, redirect, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from cocoon.app.access import Actor
from cocoon.app.users import ROLES, Session

if TYPE_CHECKING:
    from cocoon.app.installation import Installation

F = TypeVar("F", bound=Callable[..., Any])

SESSION_COOKIE = "cocoon_session"
#: Before a login there is no session: the login form's token is checked against this cookie.
LOGIN_COOKIE = "cocoon_login"
#: The form field (or X-CSRF-Token header) that carries the session's CSRF token.
CSRF_FIELD = "csrf_token"
#: Whoever may use a route without logging in.
PUBLIC: frozenset[str] = frozenset()
#: Endpoints of files that are the same for everyone (style, scripts, the map library): cached,
#: and not on the access log.
ASSETS = ("static", "leaflet", "offline_worker")
#: Methods that change nothing: no CSRF token is asked for them.
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
#: default-src 'self': no page loads anything from outside the server.
CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class Access:
    """The roles that may use a route; an empty set: everyone, logged in or not."""

    roles: frozenset[str]

    @property
    def public(self) -> bool:
        return not self.roles


def roles(*names: str) -> Callable[[F], F]:
    """Declare who may use a view: `@roles("admin")`, `@roles(*ROLES)`, `@roles()` for all."""
    unknown = set(names) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    def mark(view: F) -> F:
        view.cocoon_access = Access(frozenset(names))  # type: ignore[attr-defined]
        return view

    return mark


def access_of(app: Flask, endpoint: str | None) -> Access | None:
    """The declared access of an endpoint; None: not declared, refused to all."""
    if endpoint == "static":
        return Access(PUBLIC)
    view = app.view_functions.get(endpoint or "")
    found = getattr(view, "cocoon_access", None)
    return found if isinstance(found, Access) else None


def installation() -> Installation:
    from flask import current_app

    found: Installation = current_app.extensions["cocoon"]
    return found


def now() -> datetime:
    from flask import current_app

    clock: Callable[[], datetime] = current_app.extensions["cocoon.clock"]
    return clock()


def client_address() -> str:
    """The client's address: the socket's peer, or what a trusted proxy says it forwarded."""
    peer = request.remote_addr or "-"
    if peer in installation().settings.web.trusted_proxies:
        forwarded = request.headers.get("X-Forwarded-For", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-1][:64]
    return peer[:64]


def current() -> Session | None:
    found: Session | None = g.get("session")
    return found


def actor() -> Actor:
    s = current()
    if s is None:
        return Actor("-", "-", client_address())
    return Actor(s.user.name, s.user.role, client_address())


def login_token() -> str:
    """The login form's token: the login cookie's value, made now if the browser has none."""
    token = request.cookies.get(LOGIN_COOKIE, "")
    if not 20 <= len(token) <= 100:
        token = g.get("new_login_token") or secrets.token_urlsafe(32)
        g.new_login_token = token
    return token


def csrf_token() -> str:
    """The token every form of the page carries."""
    s = current()
    return s.csrf_token if s is not None else login_token()


def same(given: str | None, expected: str) -> bool:
    return bool(given) and bool(expected) and hmac.compare_digest(str(given), expected)


def check_csrf(expected: str) -> None:
    given = request.form.get(CSRF_FIELD) or request.headers.get("X-CSRF-Token")
    if not same(given, expected):
        g.csrf_failed = True
        abort(403)


def begin_session(session: Session) -> None:
    """Use a session just opened for this request, and send its cookie with the response."""
    g.session = session
    g.new_session_token = session.token


def end_session() -> None:
    g.session = None
    g.clear_session = True


def _guard() -> BaseResponse | None:
    """Before every request: find the session, refuse what the user may not do."""
    app = installation()
    access = access_of(_flask(), request.endpoint)
    if request.endpoint is None:  # no such route: the 404 (or 405) page
        return None
    at = now()
    token = request.cookies.get(SESSION_COOKIE, "")
    session = app.users.session(token, at) if token else None
    if token and session is None:
        g.clear_session = True  # an ended or expired session's cookie goes
    web = app.settings.web
    if web.proxy_user_header and request.remote_addr in web.trusted_proxies:
        named = request.headers.get(web.proxy_user_header, "").strip()
        if named and (session is None or session.user.name != named.lower()):
            if session is not None:
                app.users.logout(token, actor_for(session), at)
            opened = app.users.login_by_proxy(named, client_address(), at)
            if opened is not None:
                begin_session(opened)
                session = opened
    g.session = session
    if access is None:
        abort(403)
    if access.public:
        return None
    if session is None:
        if request.method in SAFE_METHODS:
            return redirect(url_for("login", next=request.full_path.rstrip("?")))
        abort(403)
    if session.user.role not in access.roles:
        abort(403)
    if request.method not in SAFE_METHODS:
        check_csrf(session.csrf_token)
    return None


def actor_for(session: Session) -> Actor:
    return Actor(session.user.name, session.user.role, client_address())


def _finish(response: Response) -> Response:
    """After every request: the cookies, the security headers, the access log entry."""
    web = installation().settings.web
    secure = web.cookie_secure
    if g.get("new_session_token"):
        response.set_cookie(
            SESSION_COOKIE, g.new_session_token, httponly=True, secure=secure, samesite="Lax",
            path="/",
        )  # fmt: skip
        response.delete_cookie(LOGIN_COOKIE, path="/", secure=secure, samesite="Strict")
    elif g.get("clear_session"):
        response.delete_cookie(SESSION_COOKIE, path="/", secure=secure, samesite="Lax")
    if g.get("new_login_token") and current() is None:
        response.set_cookie(
            LOGIN_COOKIE, g.new_login_token, httponly=True, secure=secure, samesite="Strict",
            path="/", max_age=3600,
        )  # fmt: skip
    headers = response.headers
    headers["Content-Security-Policy"] = CSP
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "no-referrer"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.endpoint not in ASSETS:
        headers["Cache-Control"] = "no-store"
    _log(response)
    return response


def _log(response: Response) -> None:
    """The access log entry: pages seen and files downloaded by a user, and every change."""
    session = current()
    if session is None or request.endpoint in (None, *ASSETS, "login", "logout"):
        return
    changing = request.method not in SAFE_METHODS
    if not changing and response.status_code >= 300:
        return  # a redirect or a refusal showed nothing
    if changing:
        action = "change"
    elif response.mimetype == "text/html":
        action = "view"
    else:
        action = "download"
    detail = g.get("change_detail", "")
    if changing and response.status_code >= 400:
        detail = f"refused ({response.status_code}) {detail}".strip()
    target = request.full_path.rstrip("?")
    installation().access.record(actor_for(session), action, target, now(), detail)


def _flask() -> Flask:
    from flask import current_app

    return current_app


def install(app: Flask) -> None:
    """Guard every request of `app`."""
    app.before_request(_guard)
    app.after_request(_finish)

    @app.context_processor
    def _forms() -> dict[str, Any]:
        session = current()
        return {"csrf_token": csrf_token, "me": session.user if session else None}
