"""The daily list as one HTML page for a patrol's phone: zone cards, then today's signs.

Self-contained: inline CSS, no script, no font, image or link to fetch, and a content security
policy that forbids any request, so it opens the same offline, from a mail or a file share.
Readable from 360 px wide. Every text is escaped, characters XML and HTML forbid are left
out, and the page is well-formed XML too (void elements closed).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from cocoon.core.daily import DailyZone
from cocoon.core.signs.rules import Sign
from cocoon.i18n import Language, text
from cocoon.outputs import register
from cocoon.outputs.clean import printable
from cocoon.outputs.content import DailyPaper
from cocoon.outputs.daily_common import LEVEL_COLOURS, heading, local_day, zone_title

#: No request of any kind: styles only from the page's own <style> element.
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 40rem; padding: 12px; background: #f2f2f2; color: #1a1a1a;
  font: 16px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
h1 { font-size: 1.15rem; margin: 0 0 2px; }
h2 { font-size: 1.1rem; margin: 18px 0 8px; }
p { margin: 2px 0; }
.made, .meta { color: #555; font-size: 0.9rem; }
.summary { margin: 8px 0 4px; font-weight: 600; }
.zone { background: #fff; border-radius: 6px; margin: 0 0 10px; overflow: hidden;
  box-shadow: 0 1px 2px rgba(0, 0, 0, 0.2); }
.band { padding: 3px 10px; font-weight: 700; font-size: 0.9rem; }
.zone-body { padding: 6px 10px 8px; }
.zone h3 { font-size: 1.1rem; margin: 0 0 4px; overflow-wrap: anywhere; }
.badge { display: inline-block; margin-left: 6px; padding: 0 7px; border-radius: 9px;
  background: #1a1a1a; color: #fff; font-size: 0.8rem; font-weight: 700;
  vertical-align: middle; }
.signs { list-style: none; margin: 0; padding: 0; }
.signs li { background: #fff; border-radius: 6px; margin: 0 0 8px; padding: 6px 10px;
  overflow-wrap: anywhere; }
"""


def _css() -> str:
    levels = "".join(
        f".{level.value} .band {{ background: {fill}; color: {ink}; }}\n"
        for level, (fill, ink) in LEVEL_COLOURS.items()
    )
    return _CSS.lstrip() + levels


@register(DailyPaper, "html")
def daily_html(content: DailyPaper) -> bytes:
    """The page in the list's language, UTF-8."""
    lang, daily = content.language, content.daily
    top = heading(content)
    made = " · ".join(part for part in (top.area, top.made) if part)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang)}">',
        "<head>",
        '<meta charset="utf-8" />',
        '<meta name="viewport" content="width=device-width, initial-scale=1" />',
        f'<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}" />',
        '<meta name="robots" content="noindex, nofollow" />',
        f"<title>{escape(top.title)}</title>",
        f"<style>\n{_css()}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(top.title)}</h1>",
        f'<p class="made">{escape(made)}</p>',
        f'<p class="summary">{escape(top.summary)}</p>',
        "</header>",
        "<main>",
    ]
    if daily.zones:
        parts.append(f"<section>\n<h2>{escape(text('daily_zones', lang))}</h2>")
        parts += [_card(zone, content) for zone in daily.zones]
        parts.append("</section>")
    parts.append(_signs("daily_put_up", daily.put_up, lang))
    parts.append(_signs("daily_take_down", daily.take_down, lang))
    parts += ["</main>", "</body>", "</html>", ""]
    return printable("\n".join(parts)).encode("utf-8")


def _card(zone: DailyZone, content: DailyPaper) -> str:
    """A zone: its level as a coloured band, its streets as the title, how long, how many."""
    lang, tz = content.language, content.tz
    badge = (
        f' <span class="badge">{escape(text("daily_new", lang))}</span>' if zone.new_reports else ""
    )
    days = text("daily_card_days", lang, days=zone.days_left, until=local_day(zone.level_until, tz))
    if zone.then_elevated_until is not None:
        days += ", " + text("daily_then", lang, until=local_day(zone.then_elevated_until, tz))
    reports = text("daily_card_reports", lang, reports=zone.reports, new=zone.new_reports)
    ident = text("daily_zone", lang, zone_id=zone.zone_id)
    return "\n".join(
        [
            f'<article class="zone {escape(zone.level.value)}">',
            f'<div class="band">{escape(text(zone.level.value, lang))}</div>',
            '<div class="zone-body">',
            f"<h3>{escape(zone_title(zone, lang))}{badge}</h3>",
            f"<p>{escape(days)}</p>",
            f"<p>{escape(reports)}</p>",
            *([f'<p class="meta">{escape(ident)}</p>'] if zone.streets else []),
            "</div>",
            "</article>",
        ]
    )


def _signs(key: str, signs: Sequence[Sign], lang: Language) -> str:
    """Today's signs of one kind as a list, or 'Inga' / 'None'."""
    head = f"<section>\n<h2>{escape(text(key, lang))}</h2>"
    if not signs:
        return f"{head}\n<p>{escape(text('daily_none', lang))}</p>\n</section>"
    items = []
    for s in signs:
        where = text(
            "daily_sign_line", lang,
            zone_id=s.zone_id, sign_id=s.sign_id, take_down=s.take_down.isoformat(),
        )  # fmt: skip
        items.append(
            f"<li><strong>{escape(s.description)}</strong><br />\n"
            f'<span class="meta">{escape(where)}</span></li>'
        )
    return "\n".join([head, '<ul class="signs">', *items, "</ul>", "</section>"])
