"""The kommunpolis's pages: accounts and what teams are given, uploading report files, placing
and withdrawing reports, the access log and its CSV export."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from flask import Flask, Response, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from cocoon.app.reasons import AT_MOST_CHARACTERS
from cocoon.errors import InputError
from cocoon.messages import Language
from cocoon.web import reasons
from cocoon.web.guard import actor, current, installation, now, roles
from cocoon.web.words import word

#: What of an uploaded file's name is kept: letters, digits, . _ - (its suffix says its format).
_UNSAFE = re.compile(r"[^\w.-]+")
#: Entries the access log page shows; the CSV has them all.
LOG_PAGE = 200


def _language() -> Language:
    return installation().settings.output.language


def _field(name: str, limit: int = 200) -> str:
    value = request.form.get(name, "")
    if len(value) > limit:
        raise InputError(AT_MOST_CHARACTERS(name=name, limit=limit))
    return value


@roles("admin")
def users() -> str:
    """The accounts, their roles and what each team is given; forms to change them."""
    app = installation()
    given: dict[str, list[tuple[str, str]]] = {}
    for a in app.users.assignments():
        given.setdefault(a.user_name, []).append((a.kind, a.zone_key))
    return render_template(
        "users.html",
        users=app.users.all(),
        given=given,
        rosters=app.field.rosters(current().user, now()),  # type: ignore[union-attr]
        done=request.args.get("done", "")[:200],
    )


def _back(message: str) -> BaseResponse:
    g.change_detail = message
    return redirect(url_for("users", done=message))


@roles("admin")
def add_user() -> BaseResponse:
    name, role = _field("username", 64), _field("role", 16)
    installation().users.add(name, role, _field("password", 1024), now(), actor())
    return _back(word("user_added", _language(), name=name.strip().lower()))


@roles("admin")
def disable_user(name: str) -> BaseResponse:
    user = installation().users.disable(name, now(), actor())
    return _back(word("user_disabled", _language(), name=user.name))


@roles("admin")
def set_password(name: str) -> BaseResponse:
    app = installation()
    app.users.set_password(name, _field("password", 1024), now(), actor())
    return _back(word("password_set", _language(), name=app.users.get(name).name))


@roles("admin")
def assign(name: str) -> BaseResponse:
    kind, key = _field("kind", 8), _field("key", 32)
    installation().users.assign(name, kind, key, now(), actor())
    return _back(word("assigned", _language(), name=name, kind=kind, key=key.strip().upper()))


@roles("admin")
def unassign(name: str) -> BaseResponse:
    kind, key = _field("kind", 8), _field("key", 32)
    installation().users.unassign(name, kind, key, now(), actor())
    return _back(word("unassigned", _language(), name=name, kind=kind, key=key))


@roles("admin")
def upload() -> str | tuple[str, int]:
    """A report file ingested as `cocoon ingest` does it; its rejected rows on the page."""
    if request.method == "GET":
        return render_template("upload.html")
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        return render_template("upload.html", error=word("no_file", _language())), 400
    name = _UNSAFE.sub("_", Path(sent.filename.replace("\\", "/")).name).strip("._")[-100:]
    folder = Path(tempfile.mkdtemp(prefix="cocoon-upload-"))
    try:
        path = folder / (name or "upload")
        sent.save(path)
        result = installation().reports.ingest(path, now())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    g.change_detail = (
        f"ingested {path.name}: {result.created} new, {result.updated} updated, "
        f"{result.unchanged} unchanged, {len(result.rejections)} rejected"
    )
    return render_template("upload.html", result=result)


@roles("admin")
def reports() -> str:
    """Reports without a place (to locate) and the last day's reports (to withdraw)."""
    app = installation()
    at = now()
    return render_template(
        "reports.html",
        unlocated=app.reports.unlocated(),
        new_reports=app.field.new_reports(at),
        done=request.args.get("done", "")[:300],
    )


def _report_id() -> str:
    report_id = _field("report_id", 100).strip()
    if not report_id:
        raise InputError(reasons.GIVE_REPORT_ID())
    return report_id


def _to_reports(message: str) -> BaseResponse:
    g.change_detail = message
    return redirect(url_for("reports", done=message), 303)


@roles("admin")
def locate() -> BaseResponse:
    """Place a report by an address of the register, or by WGS 84 latitude and longitude."""
    report_id = _report_id()
    address = _field("address").strip()
    lat, lon = _field("lat", 32).strip(), _field("lon", 32).strip()
    app = installation()
    if address:
        placed = app.reports.locate(report_id, now(), address=address)
    else:
        placed = app.reports.locate(report_id, now(), lon=_degrees("lon", lon),
                                    lat=_degrees("lat", lat))  # fmt: skip
    return _to_reports(
        word("located", _language(), id=placed.report_id, lat=placed.lat, lon=placed.lon)
    )


def _degrees(name: str, value: str) -> float:
    try:
        degrees = float(value.replace(",", "."))
    except ValueError:
        raise InputError(reasons.NOT_DEGREES(name=name, value=value[:32])) from None
    if not -180 <= degrees <= 180:
        raise InputError(reasons.NOT_LAT_OR_LON(name=name, degrees=degrees))
    return degrees


@roles("admin")
def retract() -> BaseResponse:
    """Withdraw a report (kept on record, its zone goes); the reason is required."""
    report_id = _report_id()
    reason = _field("reason", 500).strip()
    if not reason:
        raise InputError(reasons.GIVE_WITHDRAW_REASON())
    installation().reports.retract(report_id, reason, now())
    return _to_reports(word("retracted", _language(), id=report_id))


@roles("admin")
def access_page() -> str:
    entries = installation().access.entries(limit=LOG_PAGE)
    return render_template("access.html", entries=entries[::-1], count=LOG_PAGE)


@roles("admin")
def access_csv() -> Response:
    """The whole access log as CSV: a download, itself on the log."""
    data = installation().access.csv()
    stamp = now().astimezone(installation().tz).strftime("%Y%m%dT%H%M%S")
    return Response(
        data,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="access-log-{stamp}.csv"'},
    )


def register(app: Flask) -> None:
    app.add_url_rule("/admin/users", view_func=users)
    app.add_url_rule("/admin/users", view_func=add_user, methods=["POST"], endpoint="add_user")
    app.add_url_rule("/admin/users/<name>/disable", view_func=disable_user, methods=["POST"])
    app.add_url_rule("/admin/users/<name>/password", view_func=set_password, methods=["POST"])
    app.add_url_rule("/admin/users/<name>/assign", view_func=assign, methods=["POST"])
    app.add_url_rule("/admin/users/<name>/unassign", view_func=unassign, methods=["POST"])
    app.add_url_rule("/admin/upload", view_func=upload, methods=["GET", "POST"])
    app.add_url_rule("/admin/reports", view_func=reports)
    app.add_url_rule("/admin/reports/locate", view_func=locate, methods=["POST"])
    app.add_url_rule("/admin/reports/retract", view_func=retract, methods=["POST"])
    app.add_url_rule("/admin/access", view_func=access_page)
    app.add_url_rule("/admin/access.csv", view_func=access_csv)
