"""``parallax events``: stored events with their evidence sentence, outlet and link."""

from __future__ import annotations

import click

from .options import below_threshold_option, period_options


def register(main: click.Group) -> None:
    """Add the ``events`` command to the main command (idempotent)."""
    if "events" not in main.commands:
        main.add_command(events)


@click.command()
@click.option("--source", help="Source country or IGO code (ISO3, e.g. IRN).")
@click.option("--target", help="Target country or IGO code.")
@click.option("--type", "kind", help="PLOVER event type (AID, CONSULT, ASSAULT…).")
@click.option("--actor", help="Only events with this actor id as source or target.")
@period_options
@click.option("--camp", help="Only articles from outlets of this camp.")
@click.option("--asserted", is_flag=True, help="Only events the outlet asserts (not relayed).")
@click.option("--no-negated", is_flag=True, help="Leave out denied or negated events.")
@click.option("--include-duplicates", is_flag=True, help="Also events in syndicated copies.")
@below_threshold_option
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--db", "db", envvar="PARALLAX_DB", default=None, help="SQLite store.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")
def events(
    source: str | None,
    target: str | None,
    kind: str | None,
    actor: str | None,
    since: str | None,
    until: str | None,
    camp: str | None,
    asserted: bool,
    no_negated: bool,
    include_duplicates: bool,
    below_threshold: bool,
    limit: int,
    db: str | None,
    as_json: bool,
) -> None:
    """Coded events (who did what to whom), newest first, each with its evidence sentence.

    Prints how many reports match and how many distinct real-world events they are."""
    from .. import settings
    from ..errors import QueryError
    from ..store.events import list_events
    from .options import emit_json as _emit_json
    from .options import open_store

    with open_store(db or settings.get("db"), readonly=True) as store:
        try:
            found = list_events(
                store,
                source=source,
                target=target,
                type=kind,
                actor=actor,
                since=since,
                until=until,
                camp=camp,
                include_negated=not no_negated,
                asserted_only=asserted,
                include_duplicates=include_duplicates,
                below_threshold=below_threshold,
                limit=limit,
            )
        except QueryError as err:
            raise click.BadParameter(str(err)) from err
    if as_json:
        _emit_json(found.as_dict())
        return
    click.echo(f"{found.reports} reports of {found.instances} events")
    for e in found.events:
        flags = []
        if not e.asserted:
            flags.append("relayed" + (f" from {e.attributed_to}" if e.attributed_to else ""))
        if e.negated:
            flags.append("negated")
        mode = f"/{e.mode}" if e.mode else ""
        click.echo(
            f"{(e.published or '')[:10]}  {e.type}{mode}  {e.source or '?'} → {e.target or '?'}"
            f"  [{e.camp or '-'} · {e.outlet}]" + (f"  ({'; '.join(flags)})" if flags else "")
        )
        click.echo(f"    “{e.evidence.strip()}”")
        if e.url:
            click.echo(f"    {e.url}")
