"""``parallax batch``, ``parallax load`` and ``parallax corpus``: partitioned runs to Parquet,
loading them into the store, and corpus jobs (stories, relation series) on the Parquet output.

:func:`register` adds the commands to the main ``parallax`` group (idempotent).
"""

from __future__ import annotations

import importlib
import logging
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

import click

from .. import settings
from ..errors import ParallaxError
from .options import db_option, json_option, refresh_option, watch_option
from .options import emit_json as _emit_json

__all__ = ["register"]

F = TypeVar("F", bound=Callable[..., Any])


def _engine_options(local: str) -> Callable[[F], F]:
    """``--engine``, ``--scheduler`` and ``--workers`` (``local``: what the local engine does)."""

    def wrap(func: F) -> F:
        func = click.option(
            "--workers",
            type=click.IntRange(1, 256),
            default=2,
            show_default=True,
            help="Worker processes of the LocalCluster (dask engine without --scheduler).",
        )(func)
        func = click.option(
            "--scheduler",
            default=None,
            help="Address of a running Dask scheduler (tcp://host:8786); implies --engine dask.",
        )(func)
        return click.option(
            "--engine",
            type=click.Choice(["local", "dask"]),
            default="local",
            show_default=True,
            help=local,
        )(func)

    return wrap


def register(main: click.Group) -> None:
    """Add ``batch``, ``load`` and ``corpus`` to the main command (idempotent)."""
    if "batch" not in main.commands:
        main.add_command(batch)
    if "load" not in main.commands:
        main.add_command(load)
    if "corpus" not in main.commands:
        main.add_command(corpus)


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--out",
    "out",
    required=True,
    help="Output folder (Parquet partitions and manifest.json): a path or an fsspec URL"
    " (s3://bucket/run, gs://..., hdfs://...) every worker can write to.",
)
@_engine_options("local: partitions one after another in this process; dask: dask.distributed.")
@click.option(
    "--partition-size",
    type=click.IntRange(1, None),
    default=250,
    show_default=True,
    help="Input items (articles and input problems) per partition.",
)
@click.option(
    "--read-on",
    type=click.Choice(["auto", "workers", "driver"]),
    default="auto",
    show_default=True,
    help="dask engine: who reads the input files. workers: each worker reads the files of its"
    " units (a large file, or small files up to 64 MB together); driver: this process reads"
    " and sends the docs; auto: workers when there are at least as many units as workers.",
)
@click.option(
    "--unit-size",
    "unit_mb",
    type=click.FloatRange(min=0, min_open=True),
    default=64.0,
    show_default=True,
    help="MB of input per unit of work: small files are grouped up to this size, a larger"
    " file is a unit alone. Partitions never span two units.",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=2,
    show_default=True,
    help="Retries of a partition whose task fails before it is reported as failed.",
)
@click.option(
    "--watch",
    "watch_name",
    envvar="PARALLAX_WATCH",
    default=settings.get("watch"),
    show_default=True,
    help="Watch name or path to a watch TOML file (env PARALLAX_WATCH).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON on stdout.")
def batch(
    inputs: tuple[str, ...],
    out: str,
    engine: str,
    scheduler: str | None,
    workers: int,
    partition_size: int,
    read_on: str,
    unit_mb: float,
    retries: int,
    watch_name: str,
    as_json: bool,
) -> None:
    """Run the ingest pipeline over INPUT... in partitions, writing Parquet to --out.

    Re-running with the same inputs, --partition-size and --unit-size skips partitions (and
    whole input files) already written.
    Near-duplicates are linked within a partition; `parallax load` links across partitions.
    """
    from ..scale.batch import BatchReport, run_batch

    started = time.perf_counter()
    if (engine == "dask" or scheduler) and not logging.getLogger().isEnabledFor(logging.INFO):
        _quiet_dask()

    def progress(report: BatchReport) -> None:
        if as_json or not sys.stderr.isatty():
            return
        ran = len(report.done) - len(report.skipped)
        rate = report.processed() / max(time.perf_counter() - started, 1e-9)
        click.echo(
            f"\rpartitions written {ran}, skipped {len(report.skipped)},"
            f" failed {len(report.failed)}; {rate:.1f} articles/s",
            err=True,
            nl=False,
        )

    try:
        report = run_batch(
            list(inputs),
            out=out,
            watch=watch_name,
            engine="dask" if scheduler else engine,
            scheduler=scheduler,
            workers=workers,
            partition_size=partition_size,
            retries=retries,
            read_on=read_on,
            unit_bytes=max(1, int(unit_mb * 1024 * 1024)),
            stdin=sys.stdin.buffer if "-" in inputs else None,
            progress=progress,
        )
    except ParallaxError as err:
        raise click.ClickException(str(err)) from err
    data = report.as_dict()
    if as_json:
        _emit_json(data)
    else:
        if sys.stderr.isatty():
            click.echo("", err=True)
        totals = data["totals"]
        rate = data["articles_per_second"]
        click.echo(
            f"{totals.get('articles', 0)} articles from {totals.get('read', 0)} read"
            f" ({totals.get('duplicates', 0)} duplicates within partitions,"
            f" {totals.get('rejected', 0)} rejected) in {len(data['partitions'])} partitions:"
            f" {data['written']} written, {len(data['skipped'])} skipped,"
            f" {len(data['failed'])} failed; {data['seconds']:.1f} s"
            + (f", {rate} articles/s" if rate else "")
            + f" -> {out}"
        )
        for failure in data["failed"]:
            what = f"partition {failure['partition']}" if "partition" in failure else "unit"
            click.echo(f"  {what} failed: {failure['error']}", err=True)
    if not report.ok:
        sys.exit(1)


def _quiet_dask() -> None:
    """Keep dask.distributed's start-up chatter off stderr (it sets its loggers on import)."""
    try:
        importlib.import_module("distributed")
    except ImportError:
        return  # run_batch explains what to install
    for name in ("distributed", "dask"):
        logging.getLogger(name).setLevel(logging.WARNING)


@click.command()
@click.argument("directory")
@db_option
@watch_option
@refresh_option
@json_option
def load(directory: str, db: str, watch_name: str, refresh: bool, as_json: bool) -> None:
    """Load the Parquet output of `parallax batch` into the store (deduplicated as ingest);
    then bring stories, relations and alerts up to date (unless --no-refresh).

    DIRECTORY is a folder or an fsspec URL (s3://bucket/run ...)."""
    from ..analyze.refresh import refresh as run_refresh
    from ..scale.batch import load as run_load
    from ..store.database import Store
    from ..watches import load_watch

    try:
        watch = load_watch(watch_name)
        with Store(db) as store:
            summary = run_load(directory, store=store, watch=watch)
            refreshed = run_refresh(store, watch) if refresh and summary.stored else None
    except ParallaxError as err:
        raise click.ClickException(str(err)) from err
    if as_json:
        _emit_json({**summary.as_dict(), "refresh": refreshed.as_dict() if refreshed else None})
    else:
        click.echo(
            f"loaded {summary.stored} articles ({summary.duplicates} duplicates,"
            f" {summary.unchanged} already stored) from {summary.partitions} partitions"
            f" in {summary.seconds:.1f} s -> {db}"
        )
        if refreshed is not None:
            click.echo(refreshed.describe())


@click.command()
@click.argument("directory")
@click.option(
    "--dest",
    default=None,
    help="Where to write the results (a folder or fsspec URL); default DIRECTORY/corpus.",
)
@click.option(
    "--jobs",
    default="stories,relations",
    show_default=True,
    help="Comma-separated corpus jobs: stories, relations (duplicate links always run).",
)
@_engine_options("local: Dask's threads in this process; dask: dask.distributed.")
@watch_option
@click.option("--json", "as_json", is_flag=True, help="Print the run's manifest as JSON.")
def corpus(
    directory: str,
    dest: str | None,
    jobs: str,
    engine: str,
    scheduler: str | None,
    workers: int,
    watch_name: str,
    as_json: bool,
) -> None:
    """Corpus jobs on the Parquet output of `parallax batch` (DIRECTORY: folder or URL).

    Computes what `load` + `stories` + `relations` compute in the store: duplicate links
    across partitions, stories, and the relation series per dyad, camp and day; written as
    Parquet (links.parquet, stories/, relations/points.parquet, relations/volume.parquet).
    """
    from ..scale.corpus import run_corpus
    from ..watches import load_watch

    wanted = [j.strip() for j in jobs.split(",") if j.strip()]
    if (engine == "dask" or scheduler) and not logging.getLogger().isEnabledFor(logging.INFO):
        _quiet_dask()
    try:
        report = run_corpus(
            directory,
            watch=load_watch(watch_name),
            dest=dest,
            jobs=wanted,
            engine="dask" if scheduler else engine,
            scheduler=scheduler,
            workers=workers,
        )
    except ParallaxError as err:
        raise click.ClickException(str(err)) from err
    data = report.as_dict()
    if as_json:
        _emit_json(data)
        return
    line = (
        f"{data['articles']} articles ({data['duplicates']} duplicates) in"
        f" {data['partitions']} partitions"
    )
    if data["stories"]:
        line += f"; {data['stories']['stories']} stories"
    if data["relations"]:
        rel = data["relations"]
        line += f"; {rel['points']} relation points, {rel['dyads']} dyads"
    seconds = sum(data["seconds"].values())
    click.echo(f"{line}; {seconds:.1f} s -> {data['dest']}")
