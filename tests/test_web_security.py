"""The field app's security: every route tried anonymously and as each role, CSRF, session
fixation, throttled logins, logout and expiry, escaping, the proxy header, passwords never in
clear, and the access log (append-only, page views and downloads)."""

from __future__ import annotations

import logging
import re
import warnings
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import MetaData, select
from sqlalchemy.exc import SAWarning

from cocoon.app.users import token_hash
from cocoon.store.schema import web_sessions
from cocoon.web.guard import LOGIN_COOKIE, SESSION_COOKIE
from tests.test_web_town import (
    CLI,
    EVIL_REPORT,
    EVIL_STREET,
    PASSWORD,
    Town,
    build,
    client,
    logged_in,
    login,
    page_token,
    token_in,
)
from tests.test_web_town import town as town  # the fixture

ROLES = ("anonymous", "admin", "team", "viewer")

#: (endpoint, method) → the status for an anonymous user, an admin, a team and a viewer. A POST
#: carries the right CSRF token and an empty form. A route missing here fails the test below.
EXPECTED: dict[tuple[str, str], tuple[int, int, int, int]] = {
    ("login", "GET"): (200, 302, 302, 302),
    ("login", "POST"): (401, 401, 401, 401),
    ("logout", "POST"): (302, 302, 302, 302),
    ("today", "GET"): (302, 200, 200, 200),
    ("roster", "GET"): (302, 200, 200, 403),
    ("users", "GET"): (302, 200, 403, 403),
    ("add_user", "POST"): (403, 400, 403, 403),
    ("disable_user", "POST"): (403, 302, 403, 403),
    ("set_password", "POST"): (403, 400, 403, 403),
    ("assign", "POST"): (403, 400, 403, 403),
    ("unassign", "POST"): (403, 400, 403, 403),
    ("upload", "GET"): (302, 200, 403, 403),
    ("upload", "POST"): (403, 400, 403, 403),
    ("access_page", "GET"): (302, 200, 403, 403),
    ("access_csv", "GET"): (302, 200, 403, 403),
    ("static", "GET"): (200, 200, 200, 200),
    ("leaflet", "GET"): (200, 200, 200, 200),
    ("offline_worker", "GET"): (200, 200, 200, 200),  # code of the service worker, no data
    ("zone", "GET"): (302, 200, 403, 200),
    ("signs", "GET"): (302, 200, 403, 200),
    ("check_sign", "POST"): (403, 400, 403, 400),
    ("visits", "GET"): (302, 200, 403, 403),
    ("roster_pdf", "GET"): (302, 200, 200, 403),
    ("record", "POST"): (403, 400, 400, 403),
    ("reports", "GET"): (302, 200, 403, 403),
    ("locate", "POST"): (403, 400, 403, 403),
    ("retract", "POST"): (403, 400, 403, 403),
}


def routes(town: Town) -> list[tuple[str, str, str]]:
    """(endpoint, method, a path of it) for every route of the app's url_map."""
    found = []
    values = {
        "key": town.roster_key, "name": "reserv", "filename": "app.css",
        "zone_id": town.zone_id, "sign_id": "S-0000-0000",
    }  # fmt: skip
    for rule in town.web.url_map.iter_rules():
        values["filename"] = "leaflet.js" if rule.endpoint == "leaflet" else "app.css"
        path = rule.rule
        for arg in rule.arguments:
            path = path.replace(f"<{arg}>", values[arg]).replace(f"<path:{arg}>", values[arg])
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, path))
    return found


def as_role(town: Town, role: str) -> FlaskClient:
    if role == "anonymous":
        c = client(town)
        c.get("/login")  # the login cookie, whose token an anonymous POST carries
        return c
    return logged_in(town, role)


def test_every_route_is_in_the_table_of_expected_statuses(town: Town) -> None:
    assert {(e, m) for e, m, _ in routes(town)} == set(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_table_says(town: Town, role: str) -> None:
    column = ROLES.index(role)
    wrong = []
    for endpoint, method, path in routes(town):
        c = as_role(town, role)  # a fresh login per route: a logout or disable ends sessions
        if method == "GET":
            response = c.get(path)
        else:
            token = token_in(c.get("/login").text) if role == "anonymous" else page_token(c)
            response = c.post(path, data={"csrf_token": token})
        expected = EXPECTED[(endpoint, method)][column]
        if response.status_code != expected:
            wrong.append(f"{method} {path} as {role}: {response.status_code}, not {expected}")
    assert not wrong, "\n".join(wrong)


def test_an_anonymous_page_request_is_sent_to_the_login_page_and_back(town: Town) -> None:
    c = client(town)
    response = c.get("/admin/users?x=1")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    form = c.get(response.headers["Location"])
    assert 'name="next" value="/admin/users?x=1"' in form.text
    done = c.post("/login", data={
        "csrf_token": token_in(form.text), "username": "anna", "password": PASSWORD["admin"],
        "next": "/admin/users?x=1",
    })  # fmt: skip
    assert done.headers["Location"] == "/admin/users?x=1"


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil"])
def test_the_login_never_redirects_off_the_server(town: Town, target: str) -> None:
    c = client(town)
    form = c.get("/login")
    done = c.post("/login", data={
        "csrf_token": token_in(form.text), "username": "anna", "password": PASSWORD["admin"],
        "next": target,
    })  # fmt: skip
    assert done.headers["Location"] == "/"


def test_a_route_that_declares_no_roles_is_refused_to_everyone(db_url: str, tmp_path: Path) -> None:
    town = build(db_url, tmp_path)
    town.web.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    c = logged_in(town, "admin")
    assert c.get("/forgotten").status_code == 403
    town.app.engine.dispose()


# --- CSRF ----------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "", "wrong-token-000000000000000000000"])
def test_a_form_without_the_right_csrf_token_is_refused(town: Town, token: str | None) -> None:
    c = logged_in(town, "admin")
    data = {"username": "mallory", "role": "admin", "password": "a-long-password-1"}
    if token is not None:
        data["csrf_token"] = token
    response = c.post("/admin/users", data=data)
    assert response.status_code == 403
    assert "Ladda om sidan" in response.text  # the page says what to do
    assert "mallory" not in [u.name for u in town.app.users.all()]


def test_another_sessions_csrf_token_is_refused(town: Town) -> None:
    theirs = page_token(logged_in(town, "admin"))
    mine = logged_in(town, "admin")
    response = mine.post("/admin/users/patrull/disable", data={"csrf_token": theirs})
    assert response.status_code == 403
    assert town.app.users.get("patrull").active


def test_the_csrf_token_may_come_in_a_header(town: Town) -> None:
    c = logged_in(town, "admin")
    response = c.post("/admin/users/patrull/disable", headers={"X-CSRF-Token": page_token(c)})
    assert response.status_code == 302
    assert not town.app.users.get("patrull").active


@pytest.mark.parametrize("token", [None, "not-the-login-cookie-000000000000"])
def test_a_login_form_without_its_token_is_refused(town: Town, token: str | None) -> None:
    c = client(town)
    c.get("/login")
    data = {"username": "anna", "password": PASSWORD["admin"]}
    if token is not None:
        data["csrf_token"] = token
    response = c.post("/login", data=data)
    assert response.status_code == 403
    assert c.get_cookie(SESSION_COOKIE) is None


# --- sessions ------------------------------------------------------------------------------


def test_the_session_id_changes_at_login_and_a_planted_one_is_useless(town: Town) -> None:
    c = client(town)
    planted = "attacker-chosen-session-id-0000000000000"
    c.set_cookie(SESSION_COOKIE, planted)
    status, _ = login(c, "anna", PASSWORD["admin"])
    assert status == 302
    cookie = c.get_cookie(SESSION_COOKIE)
    assert cookie is not None and cookie.value != planted
    assert c.get("/").status_code == 200
    attacker = client(town)
    attacker.set_cookie(SESSION_COOKIE, planted)
    assert attacker.get("/").status_code == 302


def test_the_pre_login_cookie_is_gone_after_the_login_and_opens_nothing(town: Town) -> None:
    c = client(town)
    c.get("/login")
    before = c.get_cookie(LOGIN_COOKIE)
    assert before is not None
    login(c, "anna", PASSWORD["admin"])
    assert c.get_cookie(LOGIN_COOKIE) is None
    other = client(town)
    other.set_cookie(SESSION_COOKIE, before.value)
    assert other.get("/").status_code == 302


def test_two_logins_get_two_different_sessions(town: Town) -> None:
    first, second = logged_in(town, "admin"), logged_in(town, "admin")
    a, b = first.get_cookie(SESSION_COOKIE), second.get_cookie(SESSION_COOKIE)
    assert a is not None and b is not None and a.value != b.value


def test_the_session_cookie_is_httponly_secure_and_samesite(town: Town) -> None:
    c = client(town)
    form = c.get("/login")
    response = c.post("/login", data={
        "csrf_token": token_in(form.text), "username": "anna", "password": PASSWORD["admin"],
    })  # fmt: skip
    header = next(h for h in response.headers.getlist("Set-Cookie") if SESSION_COOKIE in h)
    assert "HttpOnly" in header and "Secure" in header and "SameSite=Lax" in header
    assert "Expires" not in header and "Max-Age" not in header  # gone with the browser


def test_logout_ends_the_session_on_the_server(town: Town) -> None:
    c = logged_in(town, "team")
    cookie = c.get_cookie(SESSION_COOKIE)
    assert cookie is not None
    assert c.post("/logout", data={"csrf_token": page_token(c)}).status_code == 302
    with town.app.engine.connect() as conn:
        rows = conn.execute(
            select(web_sessions).where(web_sessions.c.token_hash == token_hash(cookie.value))
        ).all()
    assert rows == []
    replay = client(town)
    replay.set_cookie(SESSION_COOKIE, cookie.value)
    assert replay.get("/").status_code == 302


def test_a_logout_without_the_csrf_token_ends_nothing(town: Town) -> None:
    c = logged_in(town, "team")
    assert c.post("/logout").status_code == 403
    assert c.get("/").status_code == 200


def test_a_session_idle_longer_than_the_setting_has_ended(town: Town) -> None:
    c = logged_in(town, "viewer")
    town.clock.move(minutes=29)
    assert c.get("/").status_code == 200
    town.clock.move(minutes=29)
    assert c.get("/").status_code == 200  # each request keeps it alive
    town.clock.move(minutes=30)
    response = c.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_session_ends_after_its_absolute_hours_however_busy(town: Town) -> None:
    c = logged_in(town, "viewer")
    for _ in range(11 * 3):
        town.clock.move(minutes=20)
        assert c.get("/").status_code == 200
    town.clock.move(minutes=60)
    assert c.get("/").status_code == 302


def test_disabling_a_user_ends_their_sessions(town: Town) -> None:
    c = logged_in(town, "viewer")
    admin = logged_in(town, "admin")
    admin.post("/admin/users/patrull/disable", data={"csrf_token": page_token(admin)})
    assert c.get("/").status_code == 302
    status, page = login(client(town), "patrull", PASSWORD["viewer"])
    assert status == 401 and "fel användarnamn eller lösenord" in page


# --- throttling ----------------------------------------------------------------------------


def test_five_failed_logins_make_the_user_wait_and_the_page_names_the_wait(town: Town) -> None:
    c = client(town)
    for _ in range(5):
        status, page = login(c, "anna", "wrong-password-1")
        assert status == 401
    status, page = login(c, "anna", PASSWORD["admin"])  # right, but too soon
    assert status == 429
    assert "försök igen om 15 minut(er)" in page
    town.clock.move(minutes=10)
    status, page = login(c, "anna", PASSWORD["admin"])
    assert status == 429 and "försök igen om 5 minut(er)" in page
    town.clock.move(minutes=5)
    assert login(c, "anna", PASSWORD["admin"])[0] == 302


def test_other_users_may_log_in_while_one_user_waits(town: Town) -> None:
    for _ in range(5):
        login(client(town), "anna", "wrong-password-1")
    assert login(client(town), "team1", PASSWORD["team"])[0] == 302


def test_many_failures_from_one_address_make_that_address_wait(town: Town) -> None:
    c = client(town, "127.0.0.9")
    for i in range(20):
        assert login(c, f"guess{i}", "wrong-password-1")[0] == 401
    status, page = login(c, "team1", PASSWORD["team"])
    assert status == 429 and "15 minut(er)" in page
    assert login(client(town, "127.0.0.8"), "team1", PASSWORD["team"])[0] == 302


def test_a_login_clears_the_users_earlier_failures(town: Town) -> None:
    c = client(town)
    for _ in range(4):
        login(c, "anna", "wrong-password-1")
    assert login(c, "anna", PASSWORD["admin"])[0] == 302
    for _ in range(4):
        assert login(client(town), "anna", "wrong-password-1")[0] == 401
    assert login(client(town), "anna", PASSWORD["admin"])[0] == 302


# --- escaping ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "viewer"])
def test_a_script_in_a_street_name_or_a_report_id_is_shown_as_text(town: Town, role: str) -> None:
    page = logged_in(town, role).get("/").text
    assert only_the_apps_own_scripts(page)
    assert "&lt;script&gt;alert(&#34;gata&#34;)&lt;/script&gt;vägen" in page  # the zone's street
    assert '\\u003cscript\\u003ealert(\\"gata\\")' in page  # the map's road, as JSON text
    if role == "admin":
        assert "&lt;script&gt;alert(&#34;id&#34;)&lt;/script&gt;K1" in page
    else:
        assert "alert(&#34;id&#34;)" not in page  # a patrol sees no report id at all
    assert EVIL_STREET not in page and EVIL_REPORT not in page


#: The script elements a page may have: the map's and roster's JSON data, and files of this server.
OWN_SCRIPT = re.compile(
    r'<script (?:type="application/json" id="[a-z-]+"|src="/(?:static|vendor/leaflet)/[a-z.]+")>'
)


def only_the_apps_own_scripts(page: str) -> bool:
    """No script element but the app's own, and no data block that a value could close."""
    tags = re.findall(r"<script[^>]*>", page, flags=re.I)
    blocks = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', page, flags=re.S)
    return all(OWN_SCRIPT.fullmatch(t) for t in tags) and not any("<" in b for b in blocks)


def test_a_script_in_a_query_string_or_a_user_name_is_shown_as_text(town: Town) -> None:
    c = client(town)
    page = c.get('/login?next=/"><script>x</script>').text
    assert "<script>x" not in page
    status, page = login(c, "<script>x</script>", "wrong-password-1")
    assert status == 401 and "<script>x" not in page


# --- single sign-on through a trusted proxy ------------------------------------------------


@pytest.fixture
def sso_town(db_url: str, tmp_path: Path) -> Town:
    web = {"proxy_user_header": "X-Remote-User", "trusted_proxies": ["127.0.0.2"]}
    return build(db_url, tmp_path, web=web)


def test_the_proxy_header_logs_in_from_the_trusted_proxy(sso_town: Town) -> None:
    c = client(sso_town, "127.0.0.2")
    response = c.get("/", headers={"X-Remote-User": "Team1"})
    assert response.status_code == 200 and "team1" in response.text
    assert c.get("/").status_code == 200  # the session goes on with its cookie


def test_the_proxy_header_from_any_other_address_is_ignored(sso_town: Town) -> None:
    c = client(sso_town, "127.0.0.3")
    assert c.get("/", headers={"X-Remote-User": "anna"}).status_code == 302
    assert c.get("/admin/users", headers={"X-Remote-User": "anna"}).status_code == 302


def test_the_proxy_header_is_off_by_default(town: Town) -> None:
    c = client(town, "127.0.0.1")
    assert c.get("/", headers={"X-Remote-User": "anna"}).status_code == 302


def test_the_proxy_header_naming_no_active_user_opens_nothing(sso_town: Town) -> None:
    c = client(sso_town, "127.0.0.2")
    assert c.get("/", headers={"X-Remote-User": "nobody"}).status_code == 302
    sso_town.app.users.disable("patrull", sso_town.clock(), CLI)
    assert c.get("/", headers={"X-Remote-User": "patrull"}).status_code == 302


def test_a_new_name_from_the_proxy_ends_the_old_session(sso_town: Town) -> None:
    c = client(sso_town, "127.0.0.2")
    c.get("/", headers={"X-Remote-User": "team1"})
    page = c.get("/", headers={"X-Remote-User": "patrull"}).text
    assert "patrull" in page and "team1" not in page


# --- passwords -----------------------------------------------------------------------------


def test_passwords_are_never_stored_or_logged_in_clear(
    town: Town, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "Fel-lösenord-som-ingen-har-9"
    login(client(town), "anna", wrong)
    login(client(town), "anna", PASSWORD["admin"])
    admin = logged_in(town, "admin")
    reset = "Nytt-lösenord-för-patrullen-7"
    admin.post("/admin/users/patrull/password",
               data={"csrf_token": page_token(admin), "password": reset})  # fmt: skip
    everything = _database_text(town)
    for secret in (*PASSWORD.values(), wrong, reset):
        assert secret not in everything
        assert secret not in caplog.text
    hashes = [u.password_hash for u in town.app.users.all()]
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert login(client(town), "patrull", reset)[0] == 302


def _database_text(town: Town) -> str:
    meta = MetaData()
    with warnings.catch_warnings():  # PostGIS's geometry type is not SQLAlchemy's: read as is
        warnings.simplefilter("ignore", SAWarning)
        meta.reflect(town.app.engine)
    with town.app.engine.connect() as conn:
        return "\n".join(
            repr(row) for table in meta.sorted_tables for row in conn.execute(select(table))
        )


# --- the access log ------------------------------------------------------------------------


def test_the_access_log_keeps_page_views_downloads_and_changes(town: Town) -> None:
    c = logged_in(town, "admin", "127.0.0.5")
    c.get("/")
    c.get(f"/rosters/{town.roster_key}")
    c.post("/admin/users", data={
        "csrf_token": page_token(c), "username": "ny", "role": "viewer",
        "password": "ett-långt-lösenord",
    })  # fmt: skip
    csv = c.get("/admin/access.csv")
    assert csv.mimetype == "text/csv"
    assert "attachment" in csv.headers["Content-Disposition"]
    seen = [(e.user_name, e.client, e.action, e.target) for e in town.app.access.entries()]
    assert ("anna", "127.0.0.5", "login", "/login") in seen
    assert ("anna", "127.0.0.5", "view", "/") in seen
    assert ("anna", "127.0.0.5", "view", f"/rosters/{town.roster_key}") in seen
    assert ("anna", "127.0.0.5", "change", "/admin/users") in seen
    assert ("anna", "127.0.0.5", "change", "user:ny") in seen
    assert ("anna", "127.0.0.5", "download", "/admin/access.csv") in seen
    assert f"view,/rosters/{town.roster_key}" in csv.text


def test_the_access_log_records_failed_logins_with_the_name_tried(town: Town) -> None:
    login(client(town, "127.0.0.7"), "anna", "wrong-password-1")
    assert ("anna", "127.0.0.7", "login.failed") in [
        (e.user_name, e.client, e.action) for e in town.app.access.entries()
    ]


def test_no_route_changes_or_removes_an_access_log_entry(town: Town) -> None:
    c = logged_in(town, "admin")
    c.get("/")
    before = town.app.access.entries()
    for _endpoint, method, path in routes(town):
        for role in ("admin", "team", "viewer"):
            user = logged_in(town, role) if role != "admin" else c
            if method == "GET":
                user.get(path)
            else:
                for data in ({"csrf_token": page_token(user)}, {"entry_id": "1", "at": "x"}):
                    user.post(path, data=data)
                c = logged_in(town, "admin")
    after = town.app.access.entries()
    assert after[: len(before)] == before
    assert len(after) > len(before)


def test_only_the_access_store_writes_the_access_log_and_it_only_adds() -> None:
    cocoon = Path(__file__).resolve().parents[1] / "cocoon"
    table = re.compile(
        r"import[^\n]*\baccess_log\b|(?i:update|delete\s+from|insert\s+into)\s+access_log"
    )
    users = [
        p.relative_to(cocoon).as_posix()
        for p in cocoon.rglob("*.py")
        if table.search(p.read_text(encoding="utf-8")) and "migrations" not in p.parts
    ]
    assert users == ["store/access.py"]
    source = (cocoon / "store" / "access.py").read_text(encoding="utf-8")
    assert "insert(" in source
    assert not re.search(r"\b(update|delete)\(", source)
