"""`cocoon web`: serve the field app (waitress), alone or with the service's jobs beside it."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import TYPE_CHECKING

import click

from cocoon.cli.common import State

if TYPE_CHECKING:
    from cocoon.app.installation import Installation
    from cocoon.web.server import WebServer


@click.command()
@click.option("--host", metavar="H", help="Address to listen on [default: web.host, 127.0.0.1].")
@click.option(
    "--port", type=click.IntRange(0, 65535), metavar="P",
    help="TCP port [default: web.port, 8080]; 0 picks a free one.",
)  # fmt: skip
@click.option(
    "--with-service", is_flag=True, default=None,
    help="Also run the service's jobs (inbox, alerts, daily list) [default: web.with_service].",
)  # fmt: skip
@click.option(
    "--log-format", type=click.Choice(["json", "text"]), default="text", show_default=True,
    help="json: one object per line (for journald); text: for people.",
)  # fmt: skip
@click.pass_obj
def web(
    state: State, host: str | None, port: int | None, with_service: bool | None, log_format: str
) -> None:
    """Serve the field app until stopped (SIGTERM or Ctrl-C)."""
    from cocoon.service.logs import setup_logging

    settings = state.settings.web
    both = settings.with_service if with_service is None else with_service
    app = state.app(with_mail=both)
    setup_logging("json" if log_format == "json" else "text")
    server = make_server(app, host or settings.host, settings.port if port is None else port)
    run_until_stopped(app, server, both)


def make_server(app: Installation, host: str, port: int) -> WebServer:
    from cocoon.web import create_app
    from cocoon.web.server import WebServer

    return WebServer(create_app(app), host, port, threads=app.settings.web.threads)


def run_until_stopped(app: Installation, server: WebServer, with_service: bool) -> None:
    """Serve, with the service's scheduler in a thread beside when asked; a stop ends both.

    A service that cannot start (another one holds the database) stops the server too and is
    the command's failure.
    """
    service = None
    failure: list[BaseException] = []
    if with_service:
        from cocoon.service.scheduler import Service

        service = Service(app)

        def run_service() -> None:
            try:
                service.run()
            except BaseException as exc:
                failure.append(exc)
                server.stop()

        thread = threading.Thread(target=run_service, name="cocoon-service", daemon=True)

    def stop(signum: int, _frame: FrameType | None) -> None:
        server.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if service is not None:
        thread.start()
    click.echo(f"cocoon web: serving on {server.url} (Ctrl-C stops)", err=True)
    server.run()
    if service is not None:
        service.stop()
        thread.join()
    if failure:
        raise failure[0]
    click.echo("cocoon web: stopped", err=True)
