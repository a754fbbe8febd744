"""``parallax brief``: a thin shell over :mod:`newsparallax.report.brief`."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from .. import settings
from ..store.database import store_exists
from .options import load_watch, open_store


def register(main: click.Group) -> None:
    """Add the command to the main group (idempotent)."""
    if brief_command.name not in main.commands:
        main.add_command(brief_command)


def _day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise click.BadParameter(f"expected YYYY-MM-DD, got {value!r}") from err


@click.command("brief")
@click.option(
    "--watch",
    "watch_name",
    envvar="PARALLAX_WATCH",
    default=settings.get("watch"),
    show_default=True,
    help="Watch name or path to a watch TOML file (env PARALLAX_WATCH).",
)
@click.option(
    "--period", type=click.Choice(["day", "week", "month"]), default="week", show_default=True
)
@click.option(
    "--until",
    callback=_day,
    help="Last day of the period (YYYY-MM-DD; default: the newest article's day, or after a"
    " sparse tail of late articles the newest day of the last busy week).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md", "pdf"]),
    default="html",
    show_default=True,
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (default: standard output; required for pdf).",
)
@click.option(
    "--db",
    "db",
    envvar="PARALLAX_DB",
    default=settings.get("db"),
    show_default=True,
    type=click.Path(dir_okay=False),
    help="SQLite store (env PARALLAX_DB).",
)
def brief_command(
    watch_name: str, period: str, until: date | None, fmt: str, out: Path | None, db: str
) -> None:
    """A self-contained briefing on the watch's relations over a period: what changed, top
    stories by camp, blindspots, alerts and milestones, every claim linked to its sources."""
    from ..report import brief

    if fmt == "pdf" and out is None:
        raise click.UsageError("--format pdf needs --out FILE")
    if fmt == "pdf" and brief.chromium_path() is None:
        raise click.ClickException(
            f"PDF needs Chromium ({brief.CHROMIUM} not found; install the `chromium` package"
            " or set PARALLAX_CHROMIUM)"
        )
    if not store_exists(db):
        raise click.ClickException(f"no store at {db} (run `parallax ingest` or `parallax demo`)")
    watch = load_watch(watch_name)
    try:
        with open_store(db) as store:
            data = brief.build(store, watch, period=period, until=until)
        text = brief.render_markdown(data) if fmt == "md" else brief.render_html(data)
        if fmt == "pdf":
            assert out is not None
            brief.render_pdf(text, out)
            click.echo(f"wrote {out}", err=True)
            return
    except brief.BriefError as err:
        raise click.ClickException(str(err)) from err
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
