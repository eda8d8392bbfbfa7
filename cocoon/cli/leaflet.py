"""`cocoon leaflet`: the advice leaflet in one of the residents' languages, as a PDF to print."""

from __future__ import annotations

import click

from cocoon.cli.common import State, output_file, write_output


@click.command()
@click.option("--lang", "language", metavar="CODE", help="ISO 639-1 code, e.g. sv, ar, so, ti.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="The leaflet's PDF file.")
@click.option("--list", "listing", is_flag=True, help="List the languages and their review.")
@click.pass_obj
def leaflet(state: State, language: str | None, output: str | None, listing: bool) -> None:
    """Print the advice leaflet in a language, with the local contact from the settings."""
    from cocoon.texts import leaflet_infos

    if listing:
        for code, info in leaflet_infos().items():
            review = (
                f"reviewed by {info.reviewed_by} {info.reviewed_on}"
                if info.reviewed
                else "machine-made, to be reviewed"
            )
            click.echo(f"{code}  {info.name}  ({info.direction})  {review}")
        return
    if not language or not output:
        raise click.UsageError("give --lang CODE and -o FILE.pdf (or --list)")
    target = output_file(output, "-o", state.language())
    from cocoon.outputs import render

    made = state.app().leaflets.leaflet(language)
    write_output(target, render("pdf", made), internal=False)  # for anyone's letterbox
    status = "" if made.reviewed else " (machine-made text, not yet reviewed: it says so)"
    click.echo(f"written: {output} ({language}){status}")
