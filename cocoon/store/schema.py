"""Tables. Changes go through a new migration in store/migrations/versions."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from cocoon.store.types import PointWKB, UTCDateTime

metadata = MetaData()

reports = Table(
    "reports",
    metadata,
    Column("report_id", String(100), primary_key=True),
    Column("zone_key", String(16), nullable=False, unique=True),
    Column("reported_at", UTCDateTime, nullable=False),
    Column("occurred_from", UTCDateTime),
    Column("occurred_to", UTCDateTime),
    Column("risk_start", UTCDateTime, nullable=False),
    Column("premises", String(16), nullable=False),
    Column("attempt", Boolean, nullable=False),
    Column("address", Text),  # the victim's address: internal outputs only
    Column("address_id", String(64)),
    Column("geom", PointWKB),
    Column("located_by", String(16)),
    Column("source", Text, nullable=False),
    Column("ingest_hash", String(64), nullable=False),
    Column("retracted_at", UTCDateTime),
    Column("retract_reason", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_reports_risk_start", "risk_start"),
    Index("ix_reports_geom", "geom", postgresql_using="gist"),
)

report_events = Table(
    "report_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("report_id", String(100), ForeignKey("reports.report_id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("kind", String(16), nullable=False),  # created, updated, located, retracted
    Column("source", Text, nullable=False),
    Column("detail", Text, nullable=False),  # JSON: the fields before and after
    Index("ix_report_events_report_id", "report_id"),
)

addresses = Table(
    "addresses",
    metadata,
    Column("address_id", String(64), primary_key=True),
    Column("street", Text, nullable=False),
    Column("number", String(32), nullable=False),
    Column("postcode", String(16)),
    Column("town", Text),
    Column("dwelling", String(16)),
    Column("geom", PointWKB, nullable=False),
    # lon/lat repeat the point so that a box query uses a plain index on SQLite and PostgreSQL alike
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("source", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_addresses_geom", "geom", postgresql_using="gist"),
    Index("ix_addresses_lat_lon", "lat", "lon"),
)

roads = Table(
    "roads",
    metadata,
    Column("road_id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", String(64)),  # e.g. the OSM way id
    Column("road_class", String(32), nullable=False),
    Column("name", Text),
    Column("geom", LargeBinary, nullable=False),  # a WGS 84 LineString as WKB
    Column("min_lon", Float, nullable=False),
    Column("min_lat", Float, nullable=False),
    Column("max_lon", Float, nullable=False),
    Column("max_lat", Float, nullable=False),
    Column("source", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_roads_box", "min_lat", "max_lat", "min_lon", "max_lon"),
)

visit_plans = Table(
    "visit_plans",
    metadata,
    Column("report_id", String(100), ForeignKey("reports.report_id"), primary_key=True),
    Column("zone_id", String(16), nullable=False),
    Column("planned_at", UTCDateTime, nullable=False),
    Column("stops", Integer, nullable=False),  # 0 is a plan too: no door was left to visit
    # set once its roster files are written: a plan without them is not done yet
    Column("roster_written_at", UTCDateTime),
    Column("roster_path", Text),  # where they were written (a FILE without suffix)
    Index("ix_visit_plans_planned_at", "planned_at"),
)

visits = Table(
    "visits",
    metadata,
    Column("visit_id", Integer, primary_key=True, autoincrement=True),
    Column("report_id", String(100), ForeignKey("visit_plans.report_id"), nullable=False),
    Column("address_id", String(64), nullable=False),
    Column("address", Text, nullable=False),  # the neighbour's address as printed on the roster
    Column("covers", Text, nullable=False),  # JSON list of address ids the stop stands for
    Column("visit_kind", String(16), nullable=False),
    Column("distance_m", Integer, nullable=False),
    Column("sheet", Integer, nullable=False),
    Column("stop", Integer, nullable=False),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("outcome", String(16)),  # None while pending
    Column("visited_at", UTCDateTime),
    Column("note", Text),
    Column("recorded_at", UTCDateTime),
    Column("saw_what", Text),  # what a neighbour saw (internal), with when, as they said it
    Column("saw_when", Text),
    UniqueConstraint("report_id", "address_id", name="uq_visits_report_address"),
    Index("ix_visits_address_id", "address_id"),
    Index("ix_visits_visited_at", "visited_at"),
)


signs = Table(
    "signs",
    metadata,
    Column("sign_id", String(16), primary_key=True),
    Column("zone_id", String(16), nullable=False),
    Column("report_ids", Text, nullable=False),  # JSON: the zone's reports, its lineage (internal)
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("description", Text, nullable=False),
    Column("on_road", Boolean, nullable=False),
    Column("put_up", Date, nullable=False),
    Column("take_down", Date, nullable=False),
    Column("down_on", Date),  # set when the sign came down (or its plan was dropped)
    Column("down_reason", String(16)),
    Column("placed_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_signs_down_on", "down_on"),
)

sign_runs = Table(
    "sign_runs",
    metadata,
    Column("day", Date, primary_key=True),  # the local day a sign plan was made for
    Column("at", UTCDateTime, nullable=False),
)

# --- the field app's work: outcome taps (each once by its client's id) and sign ticks ---------

visit_taps = Table(
    "visit_taps",
    metadata,
    Column("tap_id", String(36), primary_key=True),  # the phone's UUID: a retry finds it here
    Column("report_id", String(100), nullable=False),
    Column("address_id", String(64), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("visited_at", UTCDateTime, nullable=False),
    Column("note", Text),
    Column("saw_what", Text),
    Column("saw_when", Text),
    Column("user_name", String(64), nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    Column("result", String(16), nullable=False),  # created, updated, unchanged, superseded
    Index("ix_visit_taps_report_id", "report_id"),
)

sign_checks = Table(
    "sign_checks",
    metadata,
    Column("sign_id", String(16), primary_key=True),
    Column("action", String(8), primary_key=True),  # up, down
    Column("at", UTCDateTime, nullable=False),
    Column("by", String(64), nullable=False),
)


runs = Table(
    "runs",
    metadata,
    Column("run_id", Integer, primary_key=True, autoincrement=True),
    Column("job", String(16), nullable=False),  # poll, daily
    Column("trigger", String(16), nullable=False),  # schedule, catch-up, manual
    Column("day", Date),  # the calendar day a daily run was for
    Column("started_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime),
    Column("outcome", String(16), nullable=False),  # running, ok, idle, skipped, failed, …
    Column("counts", Text, nullable=False),  # JSON: what the run did
    Column("error", Text),
    Index("ix_runs_job_started", "job", "started_at"),
    Index("ix_runs_job_day", "job", "day"),
)

ingested_files = Table(
    "ingested_files",
    metadata,
    Column("sha256", String(64), primary_key=True),  # of the file's bytes: its identity
    Column("name", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("ingested_at", UTCDateTime, nullable=False),
    Column("created", Integer, nullable=False),
    Column("updated", Integer, nullable=False),
    Column("unchanged", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("rejects_path", Text),
)

alerts = Table(
    "alerts",
    metadata,
    Column("report_id", String(100), ForeignKey("reports.report_id"), primary_key=True),
    Column("zone_id", String(16), nullable=False),
    Column("alerted_at", UTCDateTime, nullable=False),
    Column("folder", Text, nullable=False),  # the outbox folder of its roster and sign plan
    Column("line", Text, nullable=False),  # the alert log's line
    Column("mail", String(16), nullable=False),  # off, sent, failed
    Column("mail_attempts", Integer, nullable=False),
    Column("mail_error", Text),
)

alert_failures = Table(
    "alert_failures",
    metadata,
    # a report whose alert could not be made: tried again at later polls, a bounded number of times
    Column("report_id", String(100), ForeignKey("reports.report_id"), primary_key=True),
    Column("attempts", Integer, nullable=False),
    Column("first_failed_at", UTCDateTime, nullable=False),
    Column("last_failed_at", UTCDateTime, nullable=False),
    Column("error", Text, nullable=False),
)

# --- the field app: accounts, sessions, throttling, team assignments, the access log ----------

users = Table(
    "users",
    metadata,
    Column("user_id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),  # lower case
    Column("role", String(16), nullable=False),  # admin, team, viewer
    Column("password_hash", Text, nullable=False),  # argon2id; never the password itself
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("disabled_at", UTCDateTime),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # SHA-256 of the cookie's token
    Column("user_id", Integer, ForeignKey("users.user_id"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),  # the absolute end
    Column("client", String(64), nullable=False),
    Index("ix_web_sessions_user_id", "user_id"),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("failure_id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False),  # as typed, lower case, cut to 64
    Column("client", String(64), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_login_failures_name_at", "name", "at"),
    Index("ix_login_failures_client_at", "client", "at"),
)

team_assignments = Table(
    "team_assignments",
    metadata,
    Column("user_id", Integer, ForeignKey("users.user_id"), primary_key=True),
    Column("kind", String(8), primary_key=True),  # zone, roster
    Column("zone_key", String(16), primary_key=True),  # a report's key: names no report
    Column("assigned_at", UTCDateTime, nullable=False),
    Column("assigned_by", String(64), nullable=False),
)

access_log = Table(
    "access_log",
    metadata,
    Column("entry_id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("user_name", String(64), nullable=False),  # "-" before a login
    Column("role", String(16), nullable=False),
    Column("client", String(64), nullable=False),
    Column("action", String(16), nullable=False),  # view, download, change, login, …
    Column("target", Text, nullable=False),  # the page, file or record
    Column("detail", Text, nullable=False),
    Index("ix_access_log_at", "at"),
)

# partner groups (cocoon groups): the register, and the messages each group has had

partner_groups = Table(
    "partner_groups",
    metadata,
    Column("group_id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("language", String(2)),  # None: the installation's output.language
    Column(
        "geom", LargeBinary, nullable=False
    ),  # WGS 84 WKB: the polygon, or the addresses' points
    Column("members", Text, nullable=False),  # JSON: the register addresses of an address list
    Column("source", Text, nullable=False),  # the file it was loaded from; a reload replaces it
    Column("loaded_at", UTCDateTime, nullable=False),
    Index("ix_partner_groups_source", "source"),
)

group_contacts = Table(
    "group_contacts",
    metadata,
    Column("contact_id", Integer, primary_key=True, autoincrement=True),
    Column("group_id", String(64), ForeignKey("partner_groups.group_id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("channel", String(8), nullable=False),  # email, sms
    Column("recipient", Text, nullable=False),  # the e-mail address or the number (+46…)
    Index("ix_group_contacts_group_id", "group_id"),
)

group_notices = Table(
    "group_notices",
    metadata,
    Column("notice_id", Integer, primary_key=True, autoincrement=True),
    Column("group_id", String(64), nullable=False),  # no foreign key: a reload keeps the record
    Column("group_name", Text, nullable=False),
    Column("zone_id", String(16), nullable=False),  # the zone as it was named when told
    Column("level", String(16), nullable=False),
    Column("anchor_key", String(16), nullable=False),  # the oldest report it covers
    Column("report_keys", Text, nullable=False),  # JSON: zone keys of the reports it covers
    Column("until", UTCDateTime, nullable=False),
    Column("decided_at", UTCDateTime, nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    UniqueConstraint("group_id", "level", "anchor_key", name="uq_group_notices_anchor"),
    Index("ix_group_notices_decided_at", "decided_at"),
)

group_messages = Table(
    "group_messages",
    metadata,
    Column("message_id", Integer, primary_key=True, autoincrement=True),
    Column("notice_id", Integer, ForeignKey("group_notices.notice_id"), nullable=False),
    Column("contact_name", Text, nullable=False),
    Column("channel", String(8), nullable=False),
    Column("recipient", Text, nullable=False),
    Column("status", String(16), nullable=False),  # pending, sent, failed
    Column("attempts", Integer, nullable=False),
    Column("error", Text),
    Column("tried_at", UTCDateTime),
    Column("sent_at", UTCDateTime),
    Index("ix_group_messages_status", "status"),
    Index("ix_group_messages_notice_id", "notice_id"),
)


def is_cocoon_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic filter: compare cocoon's own tables only, not PostGIS's (spatial_ref_sys, …)."""
    return not (type_ == "table" and reflected and name not in metadata.tables)
