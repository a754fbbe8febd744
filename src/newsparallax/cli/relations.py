"""``parallax relation``, ``relations``, ``timeline``, ``alerts``, ``export`` and ``import``: thin
shells over :mod:`newsparallax.analyze.relations`, :mod:`newsparallax.analyze.timeline`,
:mod:`newsparallax.analyze.alerts` and :mod:`newsparallax.report.interop`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from .. import settings
from .options import below_threshold_option, load_watch, open_store, period_options
from .options import db_option as _db
from .options import emit_json as _emit
from .options import json_option as _json

F = TypeVar("F", bound=Callable[..., Any])


def register(main: click.Group) -> None:
    """Add the commands to the main group (idempotent)."""
    for command in (relation, relations_command, timeline, alerts_command, export, import_group):
        if command.name not in main.commands:
            main.add_command(command)


def _store(db: str, *, readonly: bool = False) -> Any:

    return open_store(db, readonly=readonly)


def _ids(ids: list[str], n: int = 4) -> str:
    return " ".join(ids[:n]) + (f" +{len(ids) - n}" if len(ids) > n else "")


@click.command()
@click.argument("source")
@click.argument("target")
@click.option("--camp", default="*", show_default=True, help="One camp's series ('*': all).")
@period_options
@click.option(
    "--freq", type=click.Choice(["day", "week", "month"]), default="day", show_default=True
)
@click.option("--both", is_flag=True, help="Both directions together (SOURCE↔TARGET).")
@click.option(
    "--smooth",
    type=click.IntRange(1, 365),
    default=None,
    help="Days of the trailing window of the smoothed daily series (env"
    " PARALLAX_RELATION_SMOOTH_DAYS, default 7).",
)
@click.option("--no-ids", is_flag=True, help="Leave the event/article ids out of the JSON.")
@_db
@_json
def relation(
    source: str,
    target: str,
    camp: str,
    since: str | None,
    until: str | None,
    freq: str,
    both: bool,
    smooth: int | None,
    no_ids: bool,
    db: str,
    as_json: bool,
) -> None:
    """The daily (weekly, monthly) series of SOURCE→TARGET events, with the ids behind each point.

    Counts per quad class, mean Goldstein intensity, events per 100 articles the camp published,
    distinct stories and outlets; negated events out, syndicated copies once. The index is
    brought up to date first (incrementally)."""
    from ..analyze.relations import ensure_current, series
    from ..errors import QueryError

    with _store(db) as store:
        ensure_current(store)
        try:
            found = series(
                store,
                source,
                target,
                camp=camp,
                since=since,
                until=until,
                freq=freq,
                smooth=smooth or settings.get_int("relation_smooth_days"),
                both=both,
                ids=not no_ids,
            )
        except QueryError as err:
            raise click.BadParameter(str(err)) from err
    data = found.as_dict()
    if as_json:
        _emit(data)
        return
    t = data["totals"]
    click.echo(
        f"{data['dyad']} [{camp}] by {freq}: {t['events']} events ({t['reports']} reports,"
        f" {t['copies']} copies) from {t['outlets']} outlets in {len(t['camps'])} camps,"
        f" {t['first'] or '-'} .. {t['last'] or '-'}; mean intensity {t['intensity_mean']}"
    )
    if found.month_only.get("events"):
        click.echo(
            f"  (+{found.month_only['events']} events in articles dated only to the month:"
            " see --freq month)"
        )
    click.echo(
        f"{'start':<10} {'events':>6} {'reps':>5} {'v-co':>4} {'m-co':>4} {'v-cf':>4}"
        f" {'m-cf':>4} {'tone':>6} {'/100':>6} {'7d':>6}  events behind it"
    )
    for p in data["points"]:
        if not p["events"]:
            continue
        smooth_v = p.get("smoothed", {}).get("events")
        click.echo(
            f"{p['start']:<10} {p['events']:>6} {p['reports']:>5} {p['verbal_cooperation']:>4}"
            f" {p['material_cooperation']:>4} {p['verbal_conflict']:>4}"
            f" {p['material_conflict']:>4} {_num(p['intensity_mean']):>6}"
            f" {_num(p['per_100']):>6} {_num(smooth_v):>6}  {_ids(p.get('event_ids', []))}"
        )


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


@click.command(name="relations")
@click.option("--rebuild", is_flag=True, help="Recompute the whole index (else: incremental).")
@click.option("--camp", default="*", show_default=True, help="List the dyads of this camp.")
@click.option("--limit", default=30, show_default=True, type=click.IntRange(1, 100_000))
@_db
@_json
def relations_command(rebuild: bool, camp: str, limit: int, db: str, as_json: bool) -> None:
    """Build or update the relation index and list its dyads, most events first."""
    from ..analyze import relations as rel

    with _store(db) as store:
        summary = rel.rebuild(store) if rebuild else rel.update(store)
        listed = rel.dyads(store, camp=camp)
    if as_json:
        _emit({"build": summary.as_dict(), "dyads": listed[:limit]})
        return
    s = summary
    click.echo(
        f"relation index {s.mode}: {s.days} days, {s.points} points, {s.dyads} dyads"
        f" in {s.seconds:.2f} s -> {db}"
    )
    for d in listed[:limit]:
        click.echo(
            f"  {d['source']}→{d['target']:<8} {d['events']:>6} events  tone"
            f" {_num(d['intensity_mean']):>6}  material conflict {d['material_conflict']:>5}"
            f"  {d['first']} .. {d['last']}"
        )


@click.command()
@click.argument("a")
@click.argument("b")
@period_options
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 10_000))
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(["agreement", "visit", "supply", "sanction", "attack"]),
    help="Only these milestone kinds (repeatable).",
)
@click.option("--chronological", is_flag=True, help="Print the top milestones oldest first.")
@_db
@_json
def timeline(
    a: str,
    b: str,
    since: str | None,
    until: str | None,
    limit: int,
    kinds: tuple[str, ...],
    chronological: bool,
    db: str,
    as_json: bool,
) -> None:
    """Milestones between A and B (agreements, visits and summits, supplies, sanctions, attacks),
    ranked by how many camps and outlets reported them."""
    from ..analyze.timeline import KINDS, UNCONFIRMED_OUTLETS
    from ..analyze.timeline import timeline as run_timeline
    from ..errors import QueryError

    with _store(db, readonly=True) as store:
        try:
            found = run_timeline(
                store, a, b, since=since, until=until, limit=limit, kinds=kinds or tuple(KINDS)
            )
        except QueryError as err:
            raise click.BadParameter(str(err)) from err
    if as_json:
        _emit(found)
        return
    items = found["milestones"]
    if chronological:
        items = sorted(items, key=lambda m: m["first"])
    click.echo(
        f"{found['pair'][0]}–{found['pair'][1]}: {len(items)} of {found['groups']} milestones"
        f" ({found['reports']} reports{'; grouped by story' if found['stories_used'] else ''})"
    )
    for m in items:
        camps = ", ".join(f"{c} {n}" for c, n in m["camps"].items())
        click.echo(
            f"{m['rank']:>3}. {m['date']}  {m['what']:<18} {m['summary'][:110]}\n"
            f"       {m['camp_count']} camps, {m['outlets']} outlets, {m['articles']} articles"
            f" ({', '.join(m['directions'])}) [{camps}]\n"
            f"       events {_ids(m['event_ids'], 3)}; articles {_ids(m['article_ids'], 3)}"
        )
    if found["unconfirmed"]:
        click.echo(
            f"\nReported by {UNCONFIRMED_OUTLETS}+ outlets but only in events under the confidence"
            f" threshold (≥ {found['unconfirmed_floor']}; not counted, shown for inspection):"
        )
        for m in found["unconfirmed"]:
            click.echo(
                f"  ?  {m['date']}  {m['what']:<18} {m['summary'][:110]}\n"
                f"       best confidence {m['confidence']:.2f}; {m['outlets']} outlets,"
                f" {m['articles']} articles ({', '.join(m['directions'])});"
                f" events {_ids(m['event_ids'], 3)}"
            )


@click.command(name="alerts")
@click.option("--ack", "ack_id", type=int, default=None, help="Acknowledge the alert with this id.")
@click.option("--all", "show_all", is_flag=True, help="Also acknowledged alerts.")
@click.option("--live", is_flag=True, help="Leave out historical alerts (older than the horizon).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100_000))
@click.option(
    "--evaluate/--no-evaluate", default=True, show_default=True, help="Run the rules first."
)
@click.option(
    "--deliver/--no-deliver",
    default=True,
    show_default=True,
    help="Send pending alerts to the configured webhook / e-mail.",
)
@click.option(
    "--watch",
    "watch_name",
    envvar="PARALLAX_WATCH",
    default=settings.get("watch"),
    show_default=True,
    help="Watch whose [[alerts]] rules run (env PARALLAX_WATCH).",
)
@_db
@_json
def alerts_command(
    ack_id: int | None,
    show_all: bool,
    live: bool,
    limit: int,
    evaluate: bool,
    deliver: bool,
    watch_name: str,
    db: str,
    as_json: bool,
) -> None:
    """Run the watch's alert rules over the relation index, deliver, and list open alerts."""
    from ..analyze import alerts as al
    from ..errors import ConfigError

    with _store(db) as store:
        if ack_id is not None:
            if not al.ack(store, ack_id):
                raise click.ClickException(f"no alert {ack_id}")
            if as_json:
                _emit({"acked": ack_id})
            else:
                click.echo(f"alert {ack_id} acknowledged")
            return
        watch = load_watch(watch_name)
        evaluation = delivery = None
        if evaluate:
            try:
                evaluation = al.evaluate(store, watch)
            except ConfigError as err:
                raise click.ClickException(str(err)) from err
        if deliver:
            delivery = al.deliver(store)
        listed = al.list_alerts(
            store,
            watch=watch.name,
            include_acked=show_all,
            include_historical=not live,
            limit=limit,
        )
    if as_json:
        _emit(
            {
                "evaluation": evaluation.as_dict() if evaluation else None,
                "delivery": delivery.as_dict() if delivery else None,
                "alerts": listed,
            }
        )
        return
    if evaluation is not None:
        e = evaluation
        skipped = f"; skipped (no stories): {', '.join(e.skipped_rules)}" if e.skipped_rules else ""
        click.echo(
            f"{e.rules} rules: {e.new_triggers} new triggers -> {e.alerts_created} new alerts"
            f" ({e.historical} historical), {e.alerts_folded} folded{skipped}",
            err=True,
        )
    if delivery is not None and delivery.due:
        click.echo(f"delivered {delivery.sent}, failed {delivery.failed} (retried later)", err=True)
    if not listed:
        click.echo("no open alerts")
    for a in listed:
        flags = []
        if a["count"] > 1:
            flags.append(f"×{a['count']}")
        if a["historical"]:
            flags.append("historical")
        if a["acked_at"]:
            flags.append("acked")
        sent = [f"{d['sink']}:{d['state']}" for d in a["deliveries"]]
        click.echo(
            f"#{a['id']:<5} {a['last_day']}  [{a['kind']}] {a['title']}"
            + (f"  ({', '.join(flags)})" if flags else "")
        )
        if a["count"] > 1 and a["summary"] != a["title"]:
            click.echo(f"       latest: {a['summary']}")
        click.echo(
            f"       events {_ids(a['event_ids'], 3)}; articles {_ids(a['article_ids'], 3)}"
            + (f"; stories {_ids(a['story_ids'], 2)}" if a["story_ids"] else "")
            + (f"; {' '.join(sent)}" if sent else "")
        )


@click.group()
def export() -> None:
    """Export stored data for other tools."""


@export.command(name="events")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["gdelt", "csv", "parquet", "jsonl"]),
    default="jsonl",
    show_default=True,
    help="gdelt: GDELT 2.0 event export layout (one row per event); others: one row per report.",
)
@click.option("--out", type=click.Path(dir_okay=False), help="Output file (default: stdout).")
@click.option("--source", help="Source country or IGO code.")
@click.option("--target", help="Target country or IGO code.")
@period_options
@click.option("--camp", help="Only articles from outlets of this camp.")
@click.option("--no-negated", is_flag=True, help="Leave out negated events.")
@click.option("--include-duplicates", is_flag=True, help="Also events in syndicated copies.")
@click.option("--include-imported", is_flag=True, help="Also imported events (camp gdelt).")
@below_threshold_option
@_db
def export_events(
    fmt: str,
    out: str | None,
    source: str | None,
    target: str | None,
    since: str | None,
    until: str | None,
    camp: str | None,
    no_negated: bool,
    include_duplicates: bool,
    include_imported: bool,
    below_threshold: bool,
    db: str,
) -> None:
    """Coded events as GDELT 2.0 event rows, CSV, Parquet or JSON Lines."""
    from ..errors import QueryError
    from ..report.interop import ExportFilter, InteropError, export_events

    flt = ExportFilter(
        source=source,
        target=target,
        since=since,
        until=until,
        camp=camp,
        include_negated=not no_negated,
        include_duplicates=include_duplicates,
        include_imported=include_imported,
        below_threshold=below_threshold,
    )
    if fmt == "parquet" and not out:
        raise click.UsageError("--format parquet needs --out FILE")
    with _store(db, readonly=True) as store:
        try:
            summary = export_events(store, out or sys.stdout, fmt, flt)
        except (InteropError, QueryError) as err:
            raise click.ClickException(str(err)) from err
    skipped = ", ".join(f"{k} {v}" for k, v in summary.skipped.items())
    click.echo(
        f"exported {summary.rows} rows ({fmt})"
        + (f"; skipped {skipped}" if skipped else "")
        + (f" -> {out}" if out else ""),
        err=True,
    )


@click.group(name="import")
def import_group() -> None:
    """Import data made by other tools."""


@import_group.command(name="gdelt")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--country",
    "countries",
    multiple=True,
    help="Keep only rows with this actor country (repeatable, e.g. --country IRN --country RUS).",
)
@_db
@_json
def import_gdelt(
    paths: tuple[str, ...], countries: tuple[str, ...], db: str, as_json: bool
) -> None:
    """Load GDELT 2.0 event export files (.CSV, .zip or .gz) as events of the camp 'gdelt'.

    Compare them with Parallax's own coding: `parallax relation IRN RUS --camp gdelt`."""
    from ..acquire.gdelt import import_gdelt as run_import
    from ..analyze import relations as rel

    with _store(db) as store:
        summary = run_import(store, list(paths), countries=countries)
        if rel.built(store):
            rel.update(store)
    if as_json:
        _emit(summary.as_dict())
    else:
        skipped = ", ".join(f"{k} {v}" for k, v in summary.skipped.items())
        click.echo(
            f"read {summary.rows} rows from {summary.files} files: stored {summary.stored},"
            f" unchanged {summary.unchanged}" + (f", skipped {skipped}" if skipped else "")
        )
        for problem in summary.errors[:20]:
            click.echo(f"  ! {problem['input']}: [{problem['code']}] {problem['reason']}", err=True)
    if summary.files == 0:
        sys.exit(1)
