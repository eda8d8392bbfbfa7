"""The composition root: one configured installation, its use cases wired together.

Adapters (command line, scheduler, web) build one Installation and call its use cases; no use
case imports this module, each is handed the context and the siblings it needs. Use cases are
made on first use, so a command pays only for the ones it calls.
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from cocoon import fileio, store
from cocoon.app.context import Context
from cocoon.config import Settings
from cocoon.core.geo import Projection
from cocoon.core.risk import RiskRules, Zone

if TYPE_CHECKING:
    from cocoon.app.access import AccessCases
    from cocoon.app.alerts import AlertCases, Mailer
    from cocoon.app.daily import DailyCases
    from cocoon.app.evidence import EvidenceCases
    from cocoon.app.exports import ExportCases
    from cocoon.app.field import FieldCases
    from cocoon.app.followup import FollowUpCases
    from cocoon.app.groups import Courier, GroupCases
    from cocoon.app.inbox import InboxCases
    from cocoon.app.leaflets import LeafletCases
    from cocoon.app.poll import PollCases
    from cocoon.app.register import RegisterCases
    from cocoon.app.reports import ReportCases
    from cocoon.app.runs import RunCases
    from cocoon.app.signs import SignCases
    from cocoon.app.users import UserCases
    from cocoon.app.visits import VisitCases


class Installation:
    """One configured installation: settings, database, and the use cases of its jobs."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine | None = None,
        mailer: Mailer | None = None,
        courier: Courier | None = None,
    ) -> None:
        fileio.set_internal_access(settings.output.internal_access)  # before the database file
        self.context = Context(settings, engine)
        self.mailer = mailer
        self.courier = courier

    # --- what every adapter reads -------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self.context.settings

    @property
    def engine(self) -> Engine:
        return self.context.engine

    @property
    def database(self) -> str:
        """The database URL as people may see it: without its password."""
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def tz(self) -> ZoneInfo:
        return self.context.tz

    @property
    def projection(self) -> Projection:
        return self.context.projection

    @property
    def rules(self) -> RiskRules:
        return self.context.rules

    def init(self) -> str:
        """Create or upgrade the schema; its revision."""
        return store.upgrade(self.engine)

    def check(self) -> None:
        """Refuse to work on a database whose schema is missing or of another version."""
        store.check_schema(self.engine)

    def zones(self, at: datetime) -> list[Zone]:
        """The risk zones at an instant."""
        return self.context.zones(at)

    # --- the use cases, each made on first use --------------------------------------------

    @cached_property
    def reports(self) -> ReportCases:
        """Ingest, place and withdraw reports."""
        from cocoon.app.reports import ReportCases

        return ReportCases(self.context)

    @cached_property
    def register(self) -> RegisterCases:
        """Load the address register and the road network."""
        from cocoon.app.register import RegisterCases

        return RegisterCases(self.context)

    @cached_property
    def visits(self) -> VisitCases:
        """Door-visit planning, rosters and outcomes."""
        from cocoon.app.visits import VisitCases

        return VisitCases(self.context, self.leaflets)

    @cached_property
    def leaflets(self) -> LeafletCases:
        """The advice leaflets in the residents' languages."""
        from cocoon.app.leaflets import LeafletCases

        return LeafletCases(self.context)

    @cached_property
    def signs(self) -> SignCases:
        """Sign placement and the day's lists."""
        from cocoon.app.signs import SignCases

        return SignCases(self.context)

    @cached_property
    def evidence(self) -> EvidenceCases:
        """The evidence: the Knox test on a file or the stored reports."""
        from cocoon.app.evidence import EvidenceCases

        return EvidenceCases(self.context)

    @cached_property
    def exports(self) -> ExportCases:
        """Map exports (GeoPackage, KML, GeoJSON, offline HTML, PNG) by profile."""
        from cocoon.app.exports import ExportCases

        return ExportCases(self.context)

    @cached_property
    def followup(self) -> FollowUpCases:
        """The medborgarlöfte follow-up of a period against a reference."""
        from cocoon.app.followup import FollowUpCases

        return FollowUpCases(self.context)

    @cached_property
    def runs(self) -> RunCases:
        """The record of the service's job runs, and its one-service lock."""
        from cocoon.app.runs import RunCases

        return RunCases(self.context)

    @cached_property
    def daily(self) -> DailyCases:
        """The daily zone list for patrols, and the job that makes it."""
        from cocoon.app.daily import DailyCases

        return DailyCases(self.context, self.signs, self.exports, self.runs)

    @cached_property
    def inbox(self) -> InboxCases:
        """Report files dropped in the inbox folder."""
        from cocoon.app.inbox import InboxCases

        return InboxCases(self.context, self.reports)

    @cached_property
    def alerts(self) -> AlertCases:
        """Alerts for newly zoned reports."""
        from cocoon.app.alerts import AlertCases

        return AlertCases(self.context, self.visits, self.signs, self.mailer)

    @cached_property
    def groups(self) -> GroupCases:
        """Partner groups (Grannsamverkan, …): their register and their messages."""
        from cocoon.app.groups import GroupCases

        return GroupCases(self.context, self.courier)

    @cached_property
    def poll(self) -> PollCases:
        """The service's frequent job: the inbox, then the alerts."""
        from cocoon.app.poll import PollCases

        return PollCases(self.runs, self.inbox, self.alerts, self.groups)

    @cached_property
    def access(self) -> AccessCases:
        """The access log: who saw, downloaded or changed what."""
        from cocoon.app.access import AccessCases

        return AccessCases(self.context)

    @cached_property
    def users(self) -> UserCases:
        """Accounts and roles of the field app, its sessions and login throttling."""
        from cocoon.app.users import UserCases

        return UserCases(self.context, self.access)

    @cached_property
    def field(self) -> FieldCases:
        """What the field app's pages show, per role."""
        from cocoon.app.field import FieldCases

        return FieldCases(self.context, self.users, self.daily, self.visits, self.reports)
