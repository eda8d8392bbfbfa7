"""The field app's work pages: outcomes tapped on a roster (each kept once by its id, with or
without the page's script), the printable roster, the zone page, the day's signs and their
ticks, the visits per zone, placing and withdrawing reports, and Leaflet from the package."""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.servicetown import NOW
from tests.test_web_town import (
    EVIL_REPORT,
    EVIL_STREET,
    Town,
    client,
    logged_in,
    page_token,
    token_in,
)
from tests.test_web_town import town as town  # the fixture


def stops_of(town: Town) -> list[Any]:
    return list(town.app.field.roster(town.app.users.get("team1"), town.roster_key, NOW).stops)


def send(c: FlaskClient, town: Town, **tap: str) -> Any:
    """POST one tap as the roster page's script does: JSON, the CSRF token in a header."""
    token = token_in(c.get(f"/rosters/{town.roster_key}").text)
    return c.post(f"/rosters/{town.roster_key}/outcomes", json=tap, headers={"X-CSRF-Token": token})


def new_tap(address_id: str, outcome: str = "visited", **more: str) -> dict[str, str]:
    return {"tap_id": str(uuid.uuid4()), "address_id": address_id, "outcome": outcome, **more}


# --- taps ----------------------------------------------------------------------------------


def test_a_tap_sent_twice_is_recorded_once_and_the_repeat_gets_the_stored_result(
    town: Town,
) -> None:
    c = logged_in(town, "team")
    first = stops_of(town)[0]
    tap = new_tap(first.address_id, "not_home", note="lapp lämnad")
    one, two = send(c, town, **tap), send(c, town, **tap)
    assert one.status_code == two.status_code == 200
    assert one.json == {**two.json, "repeat": False}
    assert two.json["repeat"] is True and two.json["result"] == "created"
    assert [t.tap_id for t in town.app.field.taps("5000-K1-26")] == [tap["tap_id"]]
    assert stops_of(town)[0].outcome == "not_home"
    status = {v.zone.zone_id: v for v in town.app.visits.status(NOW)}[town.zone_id]
    assert status.not_home == 1


def test_a_repeat_does_not_undo_a_later_tap_of_the_same_stop(town: Town) -> None:
    c = logged_in(town, "team")
    stop = stops_of(town)[0].address_id
    early = new_tap(stop, "not_home")
    send(c, town, **early)
    town.clock.move(minutes=5)
    send(c, town, **new_tap(stop, "visited"))
    assert send(c, town, **early).json["repeat"] is True
    assert stops_of(town)[0].outcome == "visited"


def test_an_outcome_tapped_offline_before_a_stored_one_does_not_replace_it(town: Town) -> None:
    c = logged_in(town, "team")
    stop = stops_of(town)[0].address_id
    town.clock.move(minutes=20)
    at = NOW + timedelta(minutes=15)
    send(c, town, **new_tap(stop, "visited", tapped_at=at.isoformat()))
    early = (at - timedelta(minutes=10)).isoformat()
    late = send(c, town, **new_tap(stop, "declined", tapped_at=early))
    assert late.json["result"] == "superseded"
    assert stops_of(town)[0].outcome == "visited"
    assert len(town.app.field.taps("5000-K1-26")) == 2  # both kept as sent


def test_a_tap_from_the_future_counts_as_now(town: Town) -> None:
    c = logged_in(town, "team")
    stop = stops_of(town)[0].address_id
    send(c, town, **new_tap(stop, "visited", tapped_at="2099-01-01T00:00:00+00:00"))
    assert stops_of(town)[0].visited_at == NOW  # the town's clock


def test_what_a_neighbour_saw_is_kept_with_the_visit_and_shown_to_the_team_only(
    town: Town,
) -> None:
    c = logged_in(town, "team")
    stop = stops_of(town)[0].address_id
    send(c, town, **new_tap(stop, "visited", saw_what="<b>skåpbil</b>", saw_when="i natt 02"))
    kept = stops_of(town)[0]
    assert (kept.saw_what, kept.saw_when) == ("<b>skåpbil</b>", "i natt 02")
    roster = c.get(f"/rosters/{town.roster_key}").text
    assert "&lt;b&gt;skåpbil&lt;/b&gt;" in roster and "<b>skåpbil" not in roster
    for role in ("viewer", "admin"):
        assert "skåpbil" not in logged_in(town, role).get("/").text


def test_the_roster_form_works_without_the_pages_script(town: Town) -> None:
    c = logged_in(town, "team")
    page = c.get(f"/rosters/{town.roster_key}").text
    form = re.search(
        r'name="tap_id" value="([^"]+)">\s*<input type="hidden" name="address_id" value="([^"]+)"',
        page,
    )
    assert form is not None
    data = {"csrf_token": token_in(page), "tap_id": form.group(1), "address_id": form.group(2),
            "outcome": "declined", "note": "ville inte prata"}  # fmt: skip
    done = c.post(f"/rosters/{town.roster_key}/outcomes", data=data)
    assert done.status_code == 303 and done.headers["Location"].startswith(
        f"/rosters/{town.roster_key}#stop-"
    )
    again = c.post(f"/rosters/{town.roster_key}/outcomes", data=data)  # a double submit
    assert again.status_code == 303
    assert len(town.app.field.taps("5000-K1-26")) == 1
    assert stops_of(town)[0].note == "ville inte prata"


@pytest.mark.parametrize(
    ("change", "status", "says"),
    [
        ({"tap_id": "1"}, 400, "inte ett UUID"),
        ({"outcome": "maybe"}, 400, "inget av visited"),
        ({"address_id": "nowhere"}, 404, "finns inte på besökslistan"),
        ({"note": "x" * 2001}, 400, "högst 2000"),
        ({"tapped_at": "igår"}, 400, "tapped_at"),
    ],
)
def test_a_bad_tap_is_refused_in_one_clear_line(
    town: Town, change: dict[str, str], status: int, says: str
) -> None:
    c = logged_in(town, "team")
    answer = send(c, town, **(new_tap(stops_of(town)[0].address_id) | change))
    assert answer.status_code == status and says in answer.json["error"]
    assert town.app.field.taps("5000-K1-26") == []


def test_a_team_cannot_tap_on_a_roster_it_is_not_given(town: Town) -> None:
    c = logged_in(town, "team")
    token = page_token(c)
    stop = stops_of(town)[0].address_id
    answer = c.post(f"/rosters/{town.other_key}/outcomes", json=new_tap(stop),
                    headers={"X-CSRF-Token": token})  # fmt: skip
    assert answer.status_code == 404


def test_another_users_tap_id_tells_nothing(town: Town) -> None:
    tap = new_tap(stops_of(town)[0].address_id)
    send(logged_in(town, "team"), town, **tap)
    town.app.users.assign("reserv", "roster", town.roster_key, NOW, town_actor())
    from tests.test_web_town import PASSWORD, login

    other = client(town)
    login(other, "reserv", PASSWORD["team"])
    assert send(other, town, **tap).status_code == 404


def town_actor() -> Any:
    from tests.test_web_town import CLI

    return CLI


def test_a_tap_without_the_csrf_header_is_refused(town: Town) -> None:
    c = logged_in(town, "team")
    answer = c.post(f"/rosters/{town.roster_key}/outcomes",
                    json=new_tap(stops_of(town)[0].address_id))  # fmt: skip
    assert answer.status_code == 403 and town.app.field.taps("5000-K1-26") == []


def test_each_tap_is_on_the_access_log_with_its_result(town: Town) -> None:
    c = logged_in(town, "team")
    tap = new_tap(stops_of(town)[0].address_id, "visited")
    send(c, town, **tap)
    send(c, town, **tap)
    changes = [e.detail for e in town.app.access.entries() if e.action == "change"]
    assert changes[-2].endswith(f"(tap {tap['tap_id']}): created")
    assert changes[-1].endswith("created (repeat)")


# --- the roster's page, map and PDF --------------------------------------------------------


def map_data(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', page, re.S)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_a_teams_roster_map_has_its_stops_in_walking_order_and_no_zone(town: Town) -> None:
    page = logged_in(town, "team").get(f"/rosters/{town.roster_key}").text
    data = map_data(page)
    assert data["zones"] == [] and data["signs"] == []
    assert [(s["sheet"], s["stop"]) for s in data["stops"]] == [
        (s.sheet, s.stop) for s in stops_of(town)
    ]
    assert any(r["n"] == EVIL_STREET for r in data["labels"])
    for rid in town.report_ids:
        assert rid not in json.dumps(data)


def test_the_printed_roster_is_a_pdf_download_on_the_access_log(town: Town) -> None:
    c = logged_in(town, "team")
    pdf = c.get(f"/rosters/{town.roster_key}/roster.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert c.get(f"/rosters/{town.other_key}/roster.pdf").status_code == 404
    seen = [(e.user_name, e.action, e.target) for e in town.app.access.entries()]
    assert ("team1", "download", f"/rosters/{town.roster_key}/roster.pdf") in seen


# --- a zone, the visits, what waits --------------------------------------------------------


def test_the_zone_page_shows_level_days_left_rosters_and_visits(town: Town) -> None:
    admin = logged_in(town, "admin").get(f"/zones/{town.zone_id}").text
    assert "hög risk" in admin and "14 dagar kvar" in admin
    assert town.roster_key in admin and "listor planerade" in admin
    assert any(z["id"] == town.zone_id for z in map_data(admin)["zones"])
    patrol = logged_in(town, "viewer").get(f"/zones/{town.zone_id}").text
    assert "14 dagar kvar" in patrol and "/rosters/" not in patrol
    assert logged_in(town, "viewer").get("/zones/Z-NONE-NONE").status_code == 404


def test_the_visits_page_counts_as_the_cli_does_and_leaves_a_hook_for_the_follow_up(
    town: Town,
) -> None:
    c = logged_in(town, "team")
    send(c, town, **new_tap(stops_of(town)[0].address_id, "visited"))
    page = logged_in(town, "admin").get("/visits").text
    row = page.split(f">{town.zone_id}</a>")[1].split("</tr>")[0]
    cells = re.findall(r"<td>([^<]*)</td>", row)
    total = len(stops_of(town))
    assert cells[1:7] == ["1 / 2", str(total), "1", "0", "0", str(total - 1)]
    assert "cocoon followup" in page


def test_the_follow_up_is_linked_once_its_page_is_registered(town: Town) -> None:
    from cocoon.web.guard import roles

    town.web.add_url_rule("/followup", "followup", roles("admin")(lambda: "follow-up"))
    page = logged_in(town, "admin").get("/visits").text
    assert 'href="/followup"' in page


def test_today_shows_the_admin_what_waits(town: Town) -> None:
    page = logged_in(town, "admin").get("/").text
    waits = page.split("<h2>Väntar</h2>")[1].split("</ul>")[0]
    assert "0 anmälningar utan plats" in waits
    assert "1 besökslistor inte påbörjade" in waits  # the other roster found no door
    assert town.roster_key in waits
    c = logged_in(town, "team")
    send(c, town, **new_tap(stops_of(town)[0].address_id))
    waits = logged_in(town, "admin").get("/").text.split("<h2>Väntar</h2>")[1]
    assert "0 besökslistor inte påbörjade" in waits.split("</ul>")[0]


# --- signs ---------------------------------------------------------------------------------


@pytest.fixture
def signed(town: Town) -> Town:
    town.app.signs.plan(NOW)
    return town


def test_a_patrol_ticks_a_sign_put_up_and_the_pages_know_it(signed: Town) -> None:
    day = signed.app.field.signs_day(NOW)
    assert day.put_up, "the town's sign plan put up no sign"
    sign = day.put_up[0].sign.sign_id
    c = logged_in(signed, "viewer")
    page = c.get("/signs").text
    assert f'id="sign-{sign}" class="due"' in page
    for rid in signed.report_ids:
        assert rid not in page
    done = c.post(f"/signs/{sign}", data={"csrf_token": page_token(c), "action": "up"})
    assert done.status_code == 303
    page = c.get("/signs").text
    assert f'id="sign-{sign}" class="ticked"' in page and "av patrull" in page
    tick = signed.app.field.signs_day(NOW).put_up[0].up
    assert tick is not None and (tick.by, tick.at) == ("patrull", NOW)
    shown = map_data(c.get("/").text)["signs"]
    assert next(s for s in shown if s["id"] == sign)["done"] is True
    waits = logged_in(signed, "admin").get("/").text.split("<h2>Väntar</h2>")[1]
    assert f"{len(day.put_up) - 1} skyltar i dag inte avbockade" in waits


def test_a_sign_nobody_ticked_is_on_the_next_days_list_marked_late(signed: Town) -> None:
    first, *others = signed.app.field.signs_day(NOW).put_up
    assert others, "the town's sign plan put up one sign only"
    c = logged_in(signed, "viewer")
    c.post(f"/signs/{first.sign.sign_id}", data={"csrf_token": page_token(c), "action": "up"})
    signed.clock.move(days=1)
    page = logged_in(signed, "viewer").get("/signs").text  # a new day, a new login
    assert f'id="sign-{first.sign.sign_id}"' not in page
    for s in others:
        assert f'id="sign-{s.sign.sign_id}" class="due"' in page
    assert f"skulle ha satts upp {others[0].sign.put_up}" in page
    waits = logged_in(signed, "admin").get("/").text.split("<h2>Väntar</h2>")[1]
    unticked = signed.app.field.signs_day(signed.clock.at).unticked  # with the new day's own
    assert unticked >= len(others) and f"{unticked} skyltar i dag inte avbockade" in waits


def test_a_sign_ticked_up_stays_on_the_take_down_list_until_ticked_down(signed: Town) -> None:
    first, *_ = signed.app.field.signs_day(NOW).put_up
    c = logged_in(signed, "viewer")
    c.post(f"/signs/{first.sign.sign_id}", data={"csrf_token": page_token(c), "action": "up"})
    due_down = first.sign.take_down
    signed.clock.move(days=(due_down - NOW.date()).days + 2)  # two days after it was due down
    day = signed.app.field.signs_day(signed.clock.at)
    late = [s.sign.sign_id for s in day.take_down if s.sign.take_down < day.day]
    assert late == [first.sign.sign_id]  # the signs never ticked up are not carried over
    c = logged_in(signed, "viewer")
    page = c.get("/signs").text
    assert f"skulle ha tagits ner {due_down}" in page
    c.post(f"/signs/{first.sign.sign_id}", data={"csrf_token": page_token(c), "action": "down"})
    signed.clock.move(days=1)
    day = signed.app.field.signs_day(signed.clock.at)
    assert first.sign.sign_id not in {s.sign.sign_id for s in day.take_down}


def test_a_tick_taken_back_is_gone_and_a_second_tick_keeps_the_first(signed: Town) -> None:
    sign = signed.app.field.signs_day(NOW).put_up[0].sign.sign_id
    c = logged_in(signed, "viewer")
    token = page_token(c)
    c.post(f"/signs/{sign}", data={"csrf_token": token, "action": "up"})
    signed.clock.move(minutes=5)
    c.post(f"/signs/{sign}", data={"csrf_token": token, "action": "up"})
    assert signed.app.field.signs_day(NOW).put_up[0].up.at == NOW  # type: ignore[union-attr]
    c.post(f"/signs/{sign}", data={"csrf_token": token, "action": "up", "undo": "1"})
    assert signed.app.field.signs_day(NOW).put_up[0].up is None


def test_a_sign_not_on_the_days_list_cannot_be_ticked(signed: Town) -> None:
    c = logged_in(signed, "viewer")
    sign = signed.app.field.signs_day(NOW).put_up[0].sign.sign_id
    token = page_token(c)
    assert (
        c.post("/signs/S-NONE-NONE", data={"csrf_token": token, "action": "up"}).status_code == 404
    )
    down = c.post(f"/signs/{sign}", data={"csrf_token": token, "action": "down"})
    assert down.status_code == 404 and "ska tas ner" in down.text


# --- reports: locate and withdraw ----------------------------------------------------------


def unlocated_report(town: Town) -> str:
    path = town.root / "unplaced.csv"
    path.write_text(
        "report_id,reported_at,address,premises\n"
        f'5000-K7-26,{(NOW - timedelta(hours=1)).isoformat()},"Okändgatan 99, Kalmar",villa\n',
        encoding="utf-8",
    )
    town.app.reports.ingest(path, NOW)
    return "5000-K7-26"


def test_the_admin_locates_a_report_by_an_address_of_the_register(town: Town) -> None:
    rid = unlocated_report(town)
    c = logged_in(town, "admin")
    page = c.get("/admin/reports").text
    assert rid in page and "Okändgatan 99" in page
    done = c.post("/admin/reports/locate", data={
        "csrf_token": page_token(c), "report_id": rid, "address": "Storgatan 5, Kalmar",
    }, follow_redirects=True)  # fmt: skip
    assert done.status_code == 200 and f"{rid} är placerad" in done.text
    assert rid not in [r.report_id for r, _ in town.app.reports.unlocated()]


def test_a_report_placed_by_coordinates_outside_the_area_gets_one_clear_line(
    town: Town,
) -> None:
    rid = unlocated_report(town)
    c = logged_in(town, "admin")
    answer = c.post("/admin/reports/locate", data={
        "csrf_token": page_token(c), "report_id": rid, "lat": "10", "lon": "10",
    })  # fmt: skip
    assert answer.status_code == 400 and "utanför tjänsteområdet" in answer.text  # in sv
    bad = c.post("/admin/reports/locate", data={
        "csrf_token": page_token(c), "report_id": rid, "lat": "north", "lon": "10",
    })  # fmt: skip
    assert bad.status_code == 400 and "inget gradtal" in bad.text


def test_the_admin_withdraws_a_report_with_a_reason_and_its_zone_goes(town: Town) -> None:
    c = logged_in(town, "admin")
    before = {z.zone_id for z in town.app.zones(NOW)}
    no_reason = c.post("/admin/reports/retract",
                       data={"csrf_token": page_token(c), "report_id": "5000-K9-26"})  # fmt: skip
    assert no_reason.status_code == 400 and "reason" in no_reason.text
    done = c.post("/admin/reports/retract", data={
        "csrf_token": page_token(c), "report_id": "5000-K9-26", "reason": "felregistrerad",
    })  # fmt: skip
    assert done.status_code == 303
    assert len({z.zone_id for z in town.app.zones(NOW)}) == len(before) - 1
    entry = town.app.access.entries()[-1]
    assert entry.action == "change" and "5000-K9-26" in entry.detail


def test_a_script_in_a_report_id_is_text_on_the_reports_page(town: Town) -> None:
    page = logged_in(town, "admin").get("/admin/reports").text
    assert EVIL_REPORT not in page
    assert "&lt;script&gt;alert(&#34;id&#34;)&lt;/script&gt;K1" in page


# --- Leaflet from the package --------------------------------------------------------------


def test_leaflet_is_served_from_the_installed_package_and_nothing_else_of_it(town: Town) -> None:
    c = client(town)
    js = c.get("/vendor/leaflet/leaflet.js")
    assert js.status_code == 200 and b"Leaflet" in js.data[:500]
    assert "max-age" in js.headers["Cache-Control"]
    assert c.get("/vendor/leaflet/leaflet.css").mimetype == "text/css"
    for path in ("leaflet-src.js.map", "../__init__.py", "images/../leaflet.js.map"):
        assert c.get(f"/vendor/leaflet/{path}").status_code == 404
