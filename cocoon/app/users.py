"""Accounts and roles of the field app, its sessions and the throttling of failed logins.

Passwords are hashed with argon2id (argon2-cffi) and never kept or logged in clear. A session is
a random token in the user's cookie, kept in the database as its SHA-256 only, with an idle and
an absolute end. Every change to an account is on the access log, with who made it.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from cocoon.app.access import AccessCases, Actor
from cocoon.app.context import Context
from cocoon.errors import CocoonError, InputError, NotFoundError
from cocoon.messages import Text
from cocoon.store import users as user_store
from cocoon.store.users import Assignment as Assignment
from cocoon.store.users import User as User

#: admin: kommunpolis, everything; team: visiting teams, the rosters they are given;
#: viewer: patrols, the daily list and the zones map.
ROLES = ("admin", "team", "viewer")
#: What a team user may be given: a whole zone (all its rosters) or one roster.
ASSIGNABLE = ("zone", "roster")
#: User names people can type and logs can show: letters, digits and . _ @ -
NAME = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")
#: A password at least this long; longer than this is no password but a mistake (or an attack
#: on the hash's memory).
MIN_PASSWORD, MAX_PASSWORD = 10, 1024
#: last_seen is written at most this often, so a busy page does not write on every request.
TOUCH_EVERY = timedelta(seconds=30)

BAD_NAME = Text(
    "users.bad_name",
    "användarnamnet {name!r} går inte: 1–64 tecken, gemena bokstäver a–z, siffror och . _ @ -",
    "the user name {name!r} is not allowed: 1–64 characters, lower-case letters a–z, digits "
    "and . _ @ -",
)
BAD_ROLE = Text(
    "users.bad_role", "okänd roll {role!r}: admin, team eller viewer",
    "unknown role {role!r}: use admin, team or viewer",
)  # fmt: skip
USER_EXISTS = Text("users.exists", "användaren {name} finns redan", "user {name} exists already")
NO_USER = Text("users.none", "ingen användare {name}", "no user {name}")
SHORT_PASSWORD = Text(
    "users.short_password", "lösenordet är för kort: minst {least} tecken",
    "the password is too short: at least {least} characters",
)  # fmt: skip
LONG_PASSWORD = Text(
    "users.long_password", "lösenordet är för långt: högst {most} tecken",
    "the password is too long: at most {most} characters",
)  # fmt: skip
NOT_A_TEAM = Text(
    "users.not_a_team", "{name} är inte ett besöksteam (roll {role})",
    "{name} is not a visiting team (role {role})",
)  # fmt: skip
BAD_ASSIGNMENT = Text(
    "users.bad_assignment", "okänd tilldelning {kind!r}: zone eller roster",
    "unknown assignment {kind!r}: use zone or roster",
)  # fmt: skip
BAD_KEY = Text(
    "users.bad_key", "{key!r} är inget zon- eller listnummer (som Z-7K3M-Q9TD)",
    "{key!r} is not a zone or roster id (such as Z-7K3M-Q9TD)",
)  # fmt: skip
WRONG_LOGIN = Text(
    "users.wrong_login", "fel användarnamn eller lösenord", "wrong user name or password"
)
THROTTLED = Text(
    "users.throttled",
    "för många misslyckade inloggningar: försök igen om {minutes} minut(er)",
    "too many failed logins: try again in {minutes} minute(s)",
)
_KEY = re.compile(r"Z-[0-9A-Z]{4}-[0-9A-Z]{4}")


class LoginRefused(CocoonError):
    """A login that did not open a session: wrong credentials, or a wait after too many."""

    def __init__(self, wait_minutes: int | None = None) -> None:
        super().__init__(THROTTLED(minutes=wait_minutes) if wait_minutes else WRONG_LOGIN())
        self.wait_minutes = wait_minutes


@dataclass(frozen=True)
class Session:
    """A logged-in user's session: the cookie's token (only at login) and the form token."""

    user: User
    csrf_token: str
    token: str = ""  # given once, when the session is opened; the database has its hash only


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def normal_name(name: str) -> str:
    return name.strip().lower()


class UserCases:
    """The accounts and sessions of one installation."""

    def __init__(self, ctx: Context, access: AccessCases) -> None:
        self.ctx = ctx
        self.access = access

    @cached_property
    def hasher(self) -> PasswordHasher:
        # argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane): about 70 ms a login on
        # the project's 2-core machine; the library's defaults (64 MiB, 3, 4) take 0.45 s
        return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

    @cached_property
    def _dummy_hash(self) -> str:
        """Checked against for unknown names, so a login takes as long whether the name exists."""
        return self.hasher.hash(secrets.token_urlsafe(16))

    # --- accounts ------------------------------------------------------------------------

    def add(self, name: str, role: str, password: str, now: datetime, by: Actor) -> User:
        name = self._valid_name(name)
        if role not in ROLES:
            raise InputError(BAD_ROLE(role=role))
        hashed = self.hasher.hash(self._valid_password(password))
        with self.ctx.engine.begin() as conn:
            if user_store.find_user(conn, name) is not None:
                raise InputError(USER_EXISTS(name=name))
            user_store.add_user(conn, name, role, hashed, now)
            user = user_store.get_user(conn, name)
        self.access.record(by, "change", f"user:{name}", now, f"added with role {role}")
        return user

    def all(self) -> list[User]:
        with self.ctx.engine.connect() as conn:
            return user_store.all_users(conn)

    def get(self, name: str) -> User:
        with self.ctx.engine.connect() as conn:
            found = user_store.find_user(conn, normal_name(name))
        if found is None:
            raise NotFoundError(NO_USER(name=name))
        return found

    def disable(self, name: str, now: datetime, by: Actor) -> User:
        """Disable an account and end its sessions; it stays on record (and in the log)."""
        user = self.get(name)
        with self.ctx.engine.begin() as conn:
            if user.active:
                user_store.disable_user(conn, user.user_id, now)
            user_store.end_sessions_of(conn, user.user_id)
        self.access.record(by, "change", f"user:{user.name}", now, "disabled")
        return self.get(name)

    def set_password(self, name: str, password: str, now: datetime, by: Actor) -> None:
        """A new password; the account's open sessions end."""
        user = self.get(name)
        hashed = self.hasher.hash(self._valid_password(password))
        with self.ctx.engine.begin() as conn:
            user_store.set_password(conn, user.user_id, hashed, now)
            user_store.end_sessions_of(conn, user.user_id)
        self.access.record(by, "change", f"user:{user.name}", now, "password set")

    # --- logging in and out --------------------------------------------------------------

    def wait(self, name: str, client: str, now: datetime) -> int:
        """Whole minutes before `name` may try to log in from `client` again; 0: now."""
        web = self.ctx.settings.web
        window = timedelta(minutes=web.login_window_minutes)
        with self.ctx.engine.connect() as conn:
            by_name = user_store.failures_since(conn, now - window, name=normal_name(name))
            by_client = user_store.failures_since(conn, now - window, client=client)
        until = now
        for failures, most in (
            (by_name, web.login_failures_per_user),
            (by_client, web.login_failures_per_address),
        ):
            if len(failures) >= most:  # free again once the most-th newest leaves the window
                until = max(until, failures[-most] + window)
        return math.ceil((until - now).total_seconds() / 60)

    def login(self, name: str, password: str, client: str, now: datetime) -> Session:
        """Check the password and open a session, unless failed logins make the user wait."""
        name = normal_name(name)
        anonymous = Actor(name[:64] or "-", "-", client)
        wait = self.wait(name, client, now)
        if wait:
            self.access.record(anonymous, "login.refused", "/login", now, f"wait {wait} min")
            raise LoginRefused(wait)
        with self.ctx.engine.connect() as conn:
            user = user_store.find_user(conn, name) if NAME.fullmatch(name) else None
        if not self._verify(user, password[: MAX_PASSWORD + 1]) or user is None or not user.active:
            with self.ctx.engine.begin() as conn:
                user_store.add_failure(conn, name, client, now)
                user_store.prune_failures(conn, now - timedelta(days=1))
            self.access.record(anonymous, "login.failed", "/login", now)
            raise LoginRefused(None)
        if self.hasher.check_needs_rehash(user.password_hash):
            with self.ctx.engine.begin() as conn:
                user_store.set_password(conn, user.user_id, self.hasher.hash(password), now)
        with self.ctx.engine.begin() as conn:
            user_store.clear_failures(conn, name)
        return self._open(user, client, now, "password")

    def login_by_proxy(self, name: str, client: str, now: datetime) -> Session | None:
        """A session for the user a trusted reverse proxy names; None for no active account."""
        with self.ctx.engine.connect() as conn:
            user = user_store.find_user(conn, normal_name(name))
        if user is None or not user.active:
            self.access.record(Actor(name[:64], "-", client), "login.failed", "/", now, "proxy")
            return None
        return self._open(user, client, now, "proxy header")

    def session(self, token: str, now: datetime) -> Session | None:
        """The session a cookie's token stands for, if it is still open; an expired one ends."""
        if not token or len(token) > 128:
            return None
        digest = token_hash(token)
        web = self.ctx.settings.web
        with self.ctx.engine.begin() as conn:
            found = user_store.find_session(conn, digest)
            if found is None:
                return None
            idle = now - found.last_seen_at >= timedelta(minutes=web.session_idle_minutes)
            if idle or now >= found.expires_at or not found.user.active:
                user_store.end_session(conn, digest)
                return None
            if now - found.last_seen_at >= TOUCH_EVERY:
                user_store.touch_session(conn, digest, now)
        return Session(found.user, found.csrf_token)

    def logout(self, token: str, actor: Actor, now: datetime) -> None:
        """End a session on the server: its cookie is worth nothing after."""
        with self.ctx.engine.begin() as conn:
            user_store.end_session(conn, token_hash(token))
        self.access.record(actor, "logout", "/logout", now)

    def _open(self, user: User, client: str, now: datetime, how: str) -> Session:
        """A new session with a new token (never one the browser brought: no fixation)."""
        web = self.ctx.settings.web
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        idle = timedelta(minutes=web.session_idle_minutes)
        with self.ctx.engine.begin() as conn:
            user_store.end_stale_sessions(conn, now - idle, now)
            user_store.open_session(
                conn, token_hash(token), user.user_id, csrf, now,
                now + timedelta(hours=web.session_max_hours), client,
            )  # fmt: skip
        self.access.record(Actor(user.name, user.role, client), "login", "/login", now, how)
        return Session(user, csrf, token)

    def _verify(self, user: User | None, password: str) -> bool:
        try:
            return self.hasher.verify(user.password_hash if user else self._dummy_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    # --- what a visiting team is given ---------------------------------------------------

    def assign(self, name: str, kind: str, key: str, now: datetime, by: Actor) -> bool:
        """Give a team user a zone (all its rosters) or one roster, by its Z-… id."""
        user, kind, key = self._assignable(name, kind, key)
        with self.ctx.engine.begin() as conn:
            added = user_store.assign(conn, user.user_id, kind, key, now, by.name)
        if added:
            self.access.record(by, "change", f"user:{user.name}", now, f"given {kind} {key}")
        return added

    def unassign(self, name: str, kind: str, key: str, now: datetime, by: Actor) -> bool:
        user, kind, key = self._assignable(name, kind, key)
        with self.ctx.engine.begin() as conn:
            removed = user_store.unassign(conn, user.user_id, kind, key) > 0
        if removed:
            self.access.record(by, "change", f"user:{user.name}", now, f"no longer {kind} {key}")
        return removed

    def assignments(self, name: str | None = None) -> list[Assignment]:
        user_id = self.get(name).user_id if name is not None else None
        with self.ctx.engine.connect() as conn:
            return user_store.assignments(conn, user_id)

    def _assignable(self, name: str, kind: str, key: str) -> tuple[User, str, str]:
        user = self.get(name)
        if user.role != "team":
            raise InputError(NOT_A_TEAM(name=user.name, role=user.role))
        if kind not in ASSIGNABLE:
            raise InputError(BAD_ASSIGNMENT(kind=kind))
        key = key.strip().upper()
        if not _KEY.fullmatch(key):
            raise InputError(BAD_KEY(key=key))
        return user, kind, key

    @staticmethod
    def _valid_name(name: str) -> str:
        normal = normal_name(name)
        if not NAME.fullmatch(normal):
            raise InputError(BAD_NAME(name=name))
        return normal

    @staticmethod
    def _valid_password(password: str) -> str:
        if len(password) < MIN_PASSWORD:
            raise InputError(SHORT_PASSWORD(least=MIN_PASSWORD))
        if len(password) > MAX_PASSWORD:
            raise InputError(LONG_PASSWORD(most=MAX_PASSWORD))
        return password
