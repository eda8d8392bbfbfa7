"""The `cocoon` command: its global options and its commands, and one-line errors.

Errors a user can act on end as one line on stderr and a non-zero exit status.
"""

from __future__ import annotations

import sys

import click

from cocoon.cli.common import State
from cocoon.cli.export import export
from cocoon.cli.reports import (
    ingest,
    init,
    load_addresses,
    load_roads,
    locate,
    retract,
    unlocated,
    zones,
)
from cocoon.cli.service import daily, serve, status
from cocoon.cli.signs import signs
from cocoon.cli.visits import visits
from cocoon.errors import CocoonError


@click.group()
@click.option(
    "--db", metavar="URL", help="Database URL [default: $COCOON_DB, else ./var/cocoon.sqlite]"
)
@click.option(
    "--config", metavar="FILE", help="Settings TOML [default: $COCOON_CONFIG, else built-in]"
)
@click.version_option(package_name="cocoon")
@click.pass_context
def cli(ctx: click.Context, db: str | None, config: str | None) -> None:
    """cocoon: near-repeat burglary alerts (cocooning) for local police."""
    ctx.obj = State(db, config)


for command in (
    init, ingest, load_addresses, load_roads, zones, unlocated, locate, retract,
    visits, signs, daily, export, serve, status,
):  # fmt: skip
    cli.add_command(command)


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("cocoon: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except CocoonError as exc:
        click.echo(f"cocoon: error: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()

__all__ = ["cli", "main"]
