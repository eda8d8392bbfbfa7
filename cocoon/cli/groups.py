"""`cocoon groups`: the register of partner groups (Grannsamverkan, housing companies, other
partners), the zones that touch them, and their messages sent by hand."""

from __future__ import annotations

import click

from cocoon.cli.common import State, at_option, now, parse_at, step
from cocoon.errors import CocoonError
from cocoon.messages import (
    GROUP_MESSAGES_FAILED,
    GROUP_ROWS_REJECTED,
    MORE_REJECTED,
    REJECTED_LINE,
)


@click.group()
def groups() -> None:
    """Partner groups: who is told when a zone opens in or grows into their area."""


@groups.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--layer", help="Layer to read from a GeoPackage with several.")
@click.pass_obj
def load(state: State, path: str, layer: str | None) -> None:
    """Load groups (CSV, GeoJSON, GeoPackage); a reload of a file replaces its groups."""
    app = state.app()
    with step(f"loading groups from {path}"):
        r = app.groups.load(path, now(), layer=layer)
    replaced = f" (replacing {r.replaced} loaded earlier from this file)" if r.replaced else ""
    click.echo(f"{path}: {r.stored} group(s){replaced}")
    for rejection in r.rejections[:10]:
        click.echo(REJECTED_LINE(rejection=rejection).render(state.language()), err=True)
    if len(r.rejections) > 10:
        more = MORE_REJECTED(count=len(r.rejections) - 10)
        click.echo(more.render(state.language()), err=True)
    if r.rejections:
        raise CocoonError(GROUP_ROWS_REJECTED(count=len(r.rejections)))


@groups.command("list")
@at_option
@click.pass_obj
def list_groups(state: State, at_text: str | None) -> None:
    """Every group: its contacts, its area and the live zones that touch it now."""
    app = state.app()
    at = parse_at(app, at_text)
    views = app.groups.listing(at)
    if not views:
        click.echo("no groups loaded (cocoon groups load FILE)")
        return
    for view in views:
        g = view.group
        if g.polygon is not None:
            size = f"area {view.area_m2 / 1e6:.2f} km²"
        else:
            size = f"{len(g.members)} address(es)"
        click.echo(f"{g.name} ({g.group_id})  {size}  from {g.source}")
        for c in g.contacts:
            click.echo(f"  {c.channel.value:<5} {c.to}  {c.name}")
        if view.touching:
            zones = ", ".join(f"{zone_id} ({level.value})" for zone_id, level in view.touching)
            click.echo(f"  zones now: {zones}")
        else:
            click.echo("  zones now: none")
        click.echo(f"  messages sent: {view.messages_sent}")


@groups.command("send")
@at_option
@click.pass_obj
def send(state: State, at_text: str | None) -> None:
    """Tell every group what it is owed now, as the service does after each poll."""
    import logging

    logging.getLogger("cocoon.groups").addHandler(logging.NullHandler())  # said below, once
    app = state.app(with_mail=True)  # the same courier as the service's
    at = parse_at(app, at_text)
    r = app.groups.send(at)
    click.echo(f"group messages: {r.notices} notice(s), {r.sent} sent, {r.failed} failed")
    for error in r.errors[:10]:
        click.echo(f"  not sent: {error}", err=True)
    if r.failed:
        raise CocoonError(GROUP_MESSAGES_FAILED(count=r.failed))


__all__ = ["groups"]
