"""``parallax ingest``, ``annotate``, ``search``, ``stats`` and ``outlets``: articles in and out of
the store, thin shells over :mod:`newsparallax.ingest`, :mod:`newsparallax.store.search` and
:mod:`newsparallax.analyze.stats`."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from ..analyze.display import display_title
from .options import (
    db_option,
    emit_json,
    json_option,
    load_watch,
    open_store,
    period_options,
    progress,
    refresh_option,
    watch_option,
)


def register(main: click.Group) -> None:
    main.add_command(ingest)
    main.add_command(annotate)
    main.add_command(search)
    main.add_command(stats)
    main.add_command(outlets)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes for the stateless stages (env PARALLAX_WORKERS; default: cores, at most 2).",
)
@db_option
@watch_option
@refresh_option
@json_option
def ingest(
    paths: tuple[str, ...],
    workers: int | None,
    db: str,
    watch_name: str,
    refresh: bool,
    as_json: bool,
) -> None:
    """Ingest JSON Lines, HTML files or folders, WARC files, or - for standard input; then
    bring stories, relations and alerts up to date (unless --no-refresh)."""
    from ..analyze.refresh import refresh as run_refresh
    from ..ingest import ingest as run_ingest

    watch = load_watch(watch_name)
    with open_store(db) as store:
        summary = run_ingest(
            list(paths),
            store=store,
            watch=watch,
            stdin=sys.stdin.buffer,
            progress=progress("ingest"),
            workers=workers,
        )
        refreshed = run_refresh(store, watch) if refresh and summary.stored else None
    data = summary.as_dict()
    data["refresh"] = refreshed.as_dict() if refreshed else None
    if as_json:
        emit_json(data)
    else:
        _print_summary(data, db=db)
        if refreshed is not None:
            click.echo(refreshed.describe())
    if summary.failed:
        sys.exit(1)


def _print_summary(s: dict[str, Any], *, db: str) -> None:
    click.echo(
        f"read {s['read']}, stored {s['stored']} (of which {s['duplicates']} duplicates),"
        f" unchanged {s['unchanged']}, rejected {s['rejected']}, errors {len(s['errors'])}"
        f" in {s['seconds']:.1f} s -> {db}"
    )
    for problem in s["errors"][:20]:
        click.echo(f"  ! {problem['input']}: [{problem['code']}] {problem['reason']}", err=True)
    if len(s["errors"]) > 20:
        click.echo(f"  ... and {len(s['errors']) - 20} more (see --json)", err=True)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@watch_option
@db_option
def annotate(paths: tuple[str, ...], watch_name: str, db: str) -> None:
    """Run the pipeline without storing; print one JSON object per article (JSON Lines).

    Problems go to stderr; duplicates are detected within the run.
    """
    from ..errors import InputProblem
    from ..ingest import annotate as run_annotate

    watch = load_watch(watch_name)
    articles = problems = 0
    for item in run_annotate(list(paths), watch=watch, stdin=sys.stdin.buffer):
        if isinstance(item, InputProblem):
            problems += 1
            click.echo(f"! {item.input}: [{item.code}] {item.reason}", err=True)
        else:
            articles += 1
            click.echo(json.dumps(item, ensure_ascii=False))
    if articles == 0 and problems:
        sys.exit(1)


@click.command()
@click.argument("query")
@click.option("--lang", help="Only articles in this language (ISO 639-1, e.g. ru).")
@click.option("--camp", help="Only outlets of this camp (see `parallax outlets`).")
@click.option("--outlet", help="Only this outlet (id, domain or name).")
@period_options
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--include-duplicates", is_flag=True, help="Also list syndicated copies.")
@db_option
@json_option
def search(
    query: str,
    lang: str | None,
    camp: str | None,
    outlet: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    include_duplicates: bool,
    db: str,
    as_json: bool,
) -> None:
    """Full-text search (EN/RU/FA, inflections folded): words, "phrases", OR, -exclude, pre*."""
    from ..errors import QueryError
    from ..store.search import search as run_search

    with open_store(db, readonly=True) as store:
        try:
            hits = run_search(
                store,
                query,
                lang=lang,
                camp=camp,
                outlet=outlet,
                since=since,
                until=until,
                limit=limit,
                include_duplicates=include_duplicates,
            )
        except QueryError as err:
            raise click.UsageError(str(err)) from err
    if as_json:
        emit_json([h.as_dict() for h in hits])
        return
    if not hits:
        click.echo("no hits")
    for n, h in enumerate(hits, 1):
        snippet = h.snippet
        for start, end in reversed(h.highlights):
            snippet = snippet[:start] + click.style(snippet[start:end], bold=True) + snippet[end:]
        dup = f" (+{h.duplicates} copies)" if h.duplicates else ""
        title = display_title(h.title, h.snippet)
        click.echo(
            f"{n:>3}. {title}{dup}\n     {h.outlet_name or h.outlet}"
            f" [{h.camp or 'no camp'}] {h.published or 'undated'} {h.language} id={h.id}\n"
            f"     {snippet}"
        )


@click.command()
@db_option
@json_option
def stats(db: str, as_json: bool) -> None:
    """Counts by outlet, camp, language and month."""
    from ..analyze.stats import corpus_stats

    with open_store(db, readonly=True) as store:
        data = corpus_stats(store)
    if as_json:
        emit_json(data)
        return
    click.echo(
        f"{data['articles']} articles ({data['unique']} unique, {data['duplicates']} duplicates,"
        f" {data['undated']} undated) from {data['outlets']} outlets,"
        f" {data['first_published'] or '?'} .. {data['last_published'] or '?'}"
    )
    for key, title in (("by_camp", "camp"), ("by_language", "language"), ("by_outlet", "outlet")):
        click.echo(f"\nby {title}:")
        for name, n in list(data[key].items())[:25]:
            click.echo(f"  {n:>8}  {name}")
    click.echo("\nby month:")
    for month, n in data["by_month"].items():
        click.echo(f"  {month}  {n:>7}  {'#' * min(60, max(1, n // 100))}")
    if data["quality_flags"]:
        click.echo("\nquality flags:")
        for flag, n in data["quality_flags"].items():
            click.echo(f"  {n:>8}  {flag}")


@click.command()
@watch_option
@db_option
@json_option
def outlets(watch_name: str, db: str, as_json: bool) -> None:
    """The outlet registry of a watch: domains, country, language, camp and evidence."""
    watch = load_watch(watch_name)
    if as_json:
        emit_json(
            {
                "watch": watch.name,
                "camps": {
                    k: {"label": c.label, "description": c.description, "color": c.color}
                    for k, c in watch.camps.items()
                },
                "outlets": [o.as_dict() for o in watch.outlets],
            }
        )
        return
    click.echo(f"watch {watch.name}: {len(watch.outlets)} outlets in {len(watch.camps)} camps")
    for camp_id, camp in watch.camps.items():
        members = [o for o in watch.outlets if o.camp == camp_id]
        click.echo(f"\n{camp.label} ({camp_id}, {len(members)})")
        for o in members:
            click.echo(
                f"  {o.name:<32} {', '.join(o.domains)[:40]:<40} {o.country or '-':<4}"
                f" {','.join(o.languages):<8} {o.ownership or '-'}"
            )
            if o.evidence:
                click.echo(f"      {o.evidence}")
