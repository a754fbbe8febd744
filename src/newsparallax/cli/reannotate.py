"""``parallax reannotate``: run annotation stages whose version changed on stored articles."""

from __future__ import annotations

import click

from .options import (
    db_option,
    emit_json,
    json_option,
    load_watch,
    open_store,
    progress,
    watch_option,
)


def register(main: click.Group) -> None:
    """Add the ``reannotate`` command to the main command (idempotent)."""
    if "reannotate" not in main.commands:
        main.add_command(reannotate)


@click.command()
@click.option(
    "--stage",
    "stages",
    multiple=True,
    type=click.Choice(["actors", "events", "themes"]),
    help="Only this stage and the ones after it that read its output (repeatable; default: all"
    " annotation stages).",
)
@click.option("--since", help="Only articles published from this date (YYYY, YYYY-MM, YYYY-MM-DD).")
@click.option("--until", help="Only articles published up to and including this date.")
@click.option("--batch", default=200, show_default=True, type=click.IntRange(1, 100_000),
              help="Articles per transaction.")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Only say how many articles each stage would redo.")
@click.option(
    "--jobs/--no-jobs",
    default=True,
    show_default=True,
    help="Then rebuild the relation index and bring stories and alerts up to date.",
)
@watch_option
@db_option
@json_option
def reannotate(
    stages: tuple[str, ...],
    since: str | None,
    until: str | None,
    batch: int,
    dry_run: bool,
    jobs: bool,
    watch_name: str,
    db: str,
    as_json: bool,
) -> None:
    """Run the current actors, events and themes stages on stored articles an older version
    annotated (e.g. events.v1), replacing their rows; then update relations, stories and alerts.

    Resumable (an interrupted run goes on where it stopped) and idempotent (a finished one, run
    again, does nothing). No re-ingest needed."""
    from ..errors import QueryError
    from ..reannotate import pending
    from ..reannotate import reannotate as run

    watch = load_watch(watch_name)
    with open_store(db, readonly=dry_run) as store:
        try:
            if dry_run:
                todo = pending(store, watch, stages=stages or None, since=since, until=until)
                if as_json:
                    emit_json({"pending": todo})
                else:
                    for name, n in todo.items():
                        click.echo(f"{name}: {n} articles to annotate again")
                return
            summary = run(
                store, watch, stages=stages or None, since=since, until=until, batch=batch,
                progress=progress("reannotate"), jobs=jobs,
            )  # fmt: skip
        except QueryError as err:
            raise click.BadParameter(str(err)) from err
    if as_json:
        emit_json(summary.as_dict())
        return
    s = summary
    click.echo(
        f"{', '.join(s.stages)}: {s.articles} of {s.pending} articles annotated again"
        f" in {s.seconds:.1f} s"
    )
    for table, n in s.before.items():
        click.echo(f"  {table}: {n} rows before, {s.after.get(table, 0)} after")
    if "events_counted" in s.after:
        click.echo(f"  events at the confidence threshold: {s.after['events_counted']}")
    for failed in s.failed[:20]:
        click.echo(f"  ! {failed['id']}: {failed['error']}", err=True)
    if s.relations is not None:
        r = s.relations
        click.echo(f"  relation index rebuilt: {r.points} points over {r.dyads} dyads")
    if s.refresh is not None:
        click.echo(f"  {s.refresh.describe()}")
