"""The field app's pages per role, the admin pages (users, upload, access log) and the friendly
error pages."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.servicetown import NOW
from tests.test_web_town import CLI, PASSWORD, Town, client, logged_in, login, page_token
from tests.test_web_town import town as town  # the fixture


def test_the_login_page_is_a_form_with_username_and_password(town: Town) -> None:
    page = client(town).get("/login").text
    assert '<form class="login" method="post"' in page
    assert 'name="username"' in page and 'name="password" type="password"' in page


def test_the_admin_sees_new_reports_with_their_ids_and_the_zones(town: Town) -> None:
    page = logged_in(town, "admin").get("/").text
    assert "Nya anmälningar senaste 24 timmarna" in page
    assert "5000-K1-26" in page and "Storgatan 7" in page
    assert "5000-K9-26" not in page.split("Dagens zoner")[0]  # two days old: not new
    assert town.roster_key in page and town.other_key in page


def test_a_team_sees_its_roster_and_no_report_id_or_burgled_address(town: Town) -> None:
    c = logged_in(town, "team")
    today = c.get("/").text
    roster = c.get(f"/rosters/{town.roster_key}").text
    assert town.roster_key in today and town.other_key not in today
    assert "Storgatan" in roster  # the neighbours' doors
    for page in (today, roster):
        for rid in town.report_ids:
            assert rid not in page and "-K1-" not in page  # nor a part of one
        assert "Storgatan 7," not in page and "Storgatan 7<" not in page  # the burgled home
    assert c.get(f"/rosters/{town.other_key}").status_code == 404


def test_a_team_given_a_zone_sees_every_roster_of_it(town: Town) -> None:
    admin = town.app.users.get("anna")
    other = next(r for r in town.app.field.rosters(admin, NOW) if r.key == town.other_key)
    town.app.users.assign("reserv", "zone", other.zone_id, NOW, CLI)
    c = client(town)
    login(c, "reserv", PASSWORD["team"])
    assert c.get(f"/rosters/{town.other_key}").status_code == 200
    assert c.get(f"/rosters/{town.roster_key}").status_code == 404


def test_a_roster_of_a_zone_that_has_ended_is_no_longer_shown(town: Town) -> None:
    c = logged_in(town, "team")
    town.clock.move(days=60)
    assert c.get(f"/rosters/{town.roster_key}").status_code in (302, 404)  # the session ends
    c = logged_in(town, "team")
    assert town.roster_key not in c.get("/").text


def test_a_patrol_sees_the_daily_lists_zones_by_street_and_no_report(town: Town) -> None:
    page = logged_in(town, "viewer").get("/").text
    assert "Dagens zoner" in page and "Gata 4, Väg 5" in page
    for rid in town.report_ids:
        assert rid not in page
    assert "/rosters/" not in page


def test_the_admin_adds_a_user_who_can_then_log_in(town: Town) -> None:
    c = logged_in(town, "admin")
    response = c.post("/admin/users", data={
        "csrf_token": page_token(c), "username": "Berit", "role": "team",
        "password": "berits-långa-lösen",
    }, follow_redirects=True)  # fmt: skip
    assert "Användaren berit är tillagd." in response.text
    assert login(client(town), "berit", "berits-långa-lösen")[0] == 302


@pytest.mark.parametrize(
    ("form", "says"),
    [
        ({"username": "a b", "role": "team", "password": "x" * 12}, "användarnamnet"),
        ({"username": "ok", "role": "boss", "password": "x" * 12}, "okänd roll"),
        ({"username": "ok", "role": "team", "password": "kort"}, "för kort"),
        ({"username": "anna", "role": "team", "password": "x" * 12}, "finns redan"),
        ({"username": "ok" * 200, "role": "team", "password": "x" * 12}, "högst 64 tecken"),
    ],
)
def test_a_bad_user_form_gets_a_clear_message(town: Town, form: dict[str, str], says: str) -> None:
    c = logged_in(town, "admin")
    response = c.post("/admin/users", data={"csrf_token": page_token(c), **form})
    assert response.status_code == 400 and says in response.text
    assert "Traceback" not in response.text


def test_the_admin_gives_and_takes_back_a_roster(town: Town) -> None:
    c = logged_in(town, "admin")
    token = page_token(c)
    data = {"csrf_token": token, "kind": "roster", "key": town.other_key.lower()}
    assert c.post("/admin/users/reserv/assign", data=data).status_code == 302
    assert [a.zone_key for a in town.app.users.assignments("reserv")] == [town.other_key]
    assert town.other_key in c.get("/admin/users").text
    data["key"] = town.other_key
    assert c.post("/admin/users/reserv/unassign", data=data).status_code == 302
    assert town.app.users.assignments("reserv") == []


def test_only_a_team_can_be_given_rosters(town: Town) -> None:
    c = logged_in(town, "admin")
    data = {"csrf_token": page_token(c), "kind": "zone", "key": town.roster_key}
    response = c.post("/admin/users/patrull/assign", data=data)
    assert response.status_code == 400 and "inte ett besöksteam" in response.text


def test_an_unknown_user_on_an_admin_form_is_a_404_page(town: Town) -> None:
    c = logged_in(town, "admin")
    response = c.post("/admin/users/nobody/disable", data={"csrf_token": page_token(c)})
    assert response.status_code == 404 and "ingen användare nobody" in response.text


def test_an_upload_is_ingested_as_the_cli_does_and_shows_the_rejected_rows(town: Town) -> None:
    c = logged_in(town, "admin")
    text = (
        "report_id,reported_at,address,premises\n"
        f'5000-K5-26,{NOW.isoformat()},"Storgatan 11, Kalmar",villa\n'
        '5000-K6-26,32/13,"Storgatan 13, Kalmar",villa\n'
    )
    response = c.post(
        "/admin/upload",
        data={"csrf_token": page_token(c), "file": (_bytes(text), "v48 anmälningar.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "1 nya" in response.text and "1 avvisade" in response.text
    assert "line 3, field reported_at" in response.text
    rejects = list((town.root / "rejects").glob("v48_anmälningar-*.rejects.csv"))
    assert len(rejects) == 1 and "5000-K6-26" in rejects[0].read_text(encoding="utf-8")
    assert "5000-K5-26" in c.get("/").text
    entry = town.app.access.entries()[-2]
    assert entry.action == "change" and "1 new" in entry.detail


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("reports.xlsx", b"PK\x03\x04", "xlsx"),
        ("reports.csv", b"\xff\xfe\x00garbage", "reports.csv"),
        ("reports.csv", b"", "reports.csv"),
    ],
)
def test_an_unreadable_upload_gets_one_clear_line(
    town: Town, name: str, data: bytes, says: str
) -> None:
    c = logged_in(town, "admin")
    response = c.post(
        "/admin/upload",
        data={"csrf_token": page_token(c), "file": (_bytes(data), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert says in response.text and "Traceback" not in response.text


def test_an_upload_without_a_file_says_so(town: Town) -> None:
    c = logged_in(town, "admin")
    response = c.post("/admin/upload", data={"csrf_token": page_token(c)})
    assert response.status_code == 400 and "Välj en fil" in response.text


def test_an_upload_over_the_limit_is_a_413_page(db_url: str, tmp_path: Path) -> None:
    from tests.test_web_town import build

    town = build(db_url, tmp_path, web={"upload_max_mb": 1})
    c = logged_in(town, "admin")
    response = c.post(
        "/admin/upload",
        data={"csrf_token": page_token(c), "file": (_bytes(b"x" * (2 * 1024**2)), "big.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413 and "1 MB" in response.text
    town.app.engine.dispose()


def test_an_unknown_page_is_a_friendly_404(town: Town) -> None:
    response = logged_in(town, "viewer").get("/no/such/page?x=<b>")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.text and "<b>" not in response.text


def test_a_wrong_method_is_a_friendly_405(town: Town) -> None:
    response = logged_in(town, "viewer").get("/logout")
    assert response.status_code == 405 and "Metoden stöds inte" in response.text


def test_a_bug_is_a_500_page_and_its_traceback_goes_to_the_log_only(
    town: Town, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(town.app.field, "daily_list", broken)
    response = logged_in(town, "viewer").get("/")
    assert response.status_code == 500
    assert "Något gick fel" in response.text
    assert "secret internals" not in response.text and "Traceback" not in response.text
    failed = [r for r in caplog.records if r.name == "cocoon.web" and r.levelno == logging.ERROR]
    assert failed and failed[0].exc_info is not None


def test_every_page_says_it_loads_nothing_from_outside_the_server(town: Town) -> None:
    c = logged_in(town, "admin")
    for path in ("/", "/admin/users", "/admin/upload", "/admin/access", "/login"):
        response = c.get(path)
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "http://" not in response.text and "https://" not in response.text


def test_the_pages_speak_english_when_the_output_language_is_english(
    db_url: str, tmp_path: Path
) -> None:
    from tests.test_web_town import build

    town = build(db_url, tmp_path, output={"language": "en"})
    page = logged_in(town, "viewer").get("/").text
    assert "Today&#39;s zones" in page and "Log out" in page
    town.app.engine.dispose()


def _bytes(data: str | bytes):  # type: ignore[no-untyped-def]
    import io

    return io.BytesIO(data.encode("utf-8") if isinstance(data, str) else data)
