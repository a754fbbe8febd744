"""Batch runs: the ingest pipeline over partitions of the input, on a local loop or on Dask.

``parallax batch`` plans *units* of its inputs (:mod:`~newsparallax.scale.units`: one large
file, or consecutive small files) by listing them, without reading them. Whoever runs a unit
reads it with :func:`~newsparallax.acquire.readers.read_inputs` (the same readers as ``ingest``) and
cuts its items into partitions of ``partition_size`` items, numbered ``unit * STRIDE + chunk``.
Each partition is one call of :func:`run_partition`: it builds the pipeline with
:func:`~newsparallax.ingest.build_pipeline` (the same stages, in the same order, as ``ingest``;
once per process), runs it over every doc, freezes each result with
:func:`~newsparallax.ingest.to_article` and writes four Parquet files, ``articles/``,
``mentions/``, ``events/`` and ``themes/`` ``part-NNNNN.parquet``, then a marker
``_parts/part-NNNNN.json`` with the partition's counts and problems. The marker is written last
(files are renamed into place), so a partition either has a marker and all four files or counts
as not done; a unit whose partitions are all written gets ``_units/unit-NNNNN.json``.

Engines: ``local`` runs the units one after another in this process; ``dask`` uses
``dask.distributed`` (a ``LocalCluster`` of ``workers`` processes, or the scheduler at
``scheduler``) and either sends each worker whole units to read itself (:func:`run_unit`, one
task per unit) or reads the units here and sends partitions of docs (when the input has fewer
units than the cluster has workers, e.g. one big WARC). Workers write to ``out`` themselves, so
on a real cluster it must be a path or URL every worker sees.

Resuming: a re-run over the same inputs with the same partition and unit sizes skips every unit
that has its marker (without reading it) and every partition that has its marker. A partition
whose task raises is retried (``retries`` times) and, if it still fails, listed under ``failed``
in ``manifest.json``; the unit goes on, and the other partitions are written.

Near-duplicates: the dedupe stage runs per partition with an in-memory index, so a copy is only
linked to an original in the same partition. :func:`load` runs the lookup again against the
store in input order, so after ``parallax load`` links are the same as after ``ingest``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import json
import os
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import numpy as np

from .. import settings
from ..acquire.remote import Folder, check_url, is_url
from ..annotate.dedupe import DedupeStage, MemoryIndex, find_duplicate
from ..annotate.pipeline import Doc, Pipeline
from ..annotate.workers import Failed, run_stages
from ..errors import InputProblem, ParallaxError
from ..ingest import build_pipeline, to_article
from ..records import Article, Event, Mention, Outlet, ThemeTag
from ..store.database import Store
from ..store.rows import article_from_row, event_from_row, mention_from_row, theme_from_row
from ..watches import Watch, load_watch
from .units import DEFAULT_UNIT_BYTES, Unit, plan_units, unit_of

FORMAT = "parallax-batch/2"
FORMATS = ("parallax-batch/1", FORMAT)
"""Manifests :func:`load` and ``parallax corpus`` read (version 1 had no units)."""
LAYOUT = "units"
TABLES = ("articles", "mentions", "events", "themes")
DEFAULT_PARTITION_SIZE = 250
"""Items per partition: small enough that a few partitions per worker balance the load (a
1,626-record run in 1,000-item partitions kept one of two workers idle for 40 % of it), large
enough for Parquet files of a few MB."""
DEFAULT_RETRIES = 2

Item = Doc | InputProblem


class BatchError(ParallaxError):
    """A batch run cannot start or its output cannot be read."""


def _pa() -> Any:
    try:
        return importlib.import_module("pyarrow")
    except ImportError as err:  # pragma: no cover - depends on the install
        raise BatchError(
            "batch needs pyarrow: pip install 'newsparallax[batch]' (or pyarrow)"
        ) from err


def _pq() -> Any:
    _pa()
    return importlib.import_module("pyarrow.parquet")


# -- Parquet schemas, derived from the record dataclasses ---------------------------------------

_SCALARS = {"int": "int64", "str": "string", "float": "float64", "bool": "bool_"}


def _fields_schema(cls: type, *, prefix: Sequence[tuple[str, Any]]) -> Any:
    """A pyarrow schema: the ``prefix`` columns, then one column per dataclass field."""
    pa = _pa()
    columns = list(prefix)
    for f in dataclasses.fields(cls):
        hint = str(f.type).replace(" | None", "").strip()
        if hint in _SCALARS:
            columns.append((f.name, getattr(pa, _SCALARS[hint])()))
        else:  # nested values (theme evidence): JSON text
            columns.append((f.name, pa.string()))
    return pa.schema(columns)


def _annotation_prefix() -> list[tuple[str, Any]]:
    pa = _pa()
    return [("article_id", pa.string()), ("ordinal", pa.int32())]


def _schemas() -> dict[str, Any]:
    pa = _pa()
    text, opt = pa.string(), pa.string()
    articles = pa.schema(
        [
            ("id", text),
            ("url", opt),
            ("canonical_url", opt),
            ("outlet", text),
            ("outlet_json", text),
            ("domain", text),
            ("published", opt),
            ("published_ts", pa.timestamp("us", tz="UTC")),
            ("date_precision", opt),
            ("date_claimed", opt),
            ("title", text),
            ("summary", text),
            ("text", text),
            ("author", opt),
            ("site_name", opt),
            ("language", text),
            ("language_confidence", pa.float64()),
            ("quality_score", pa.float64()),
            ("quality_flags", pa.list_(pa.string())),
            ("quality_details", text),
            ("content_hash", text),
            ("signature", pa.binary()),
            ("duplicate_of", opt),
            ("duplicate_similarity", pa.float64()),
            ("extractor", text),
            ("source", text),
            ("collection", opt),
            ("license", opt),
            ("stages", pa.list_(pa.string())),
            ("extra", text),
            ("partition", pa.int32()),
            ("position", pa.int32()),
        ]
    )
    prefix = _annotation_prefix()
    return {
        "articles": articles,
        "mentions": _fields_schema(Mention, prefix=prefix),
        "events": _fields_schema(Event, prefix=prefix),
        "themes": _fields_schema(ThemeTag, prefix=prefix),
    }


def _article_row(doc: Doc, article: Article, *, partition: int, position: int) -> dict[str, Any]:
    outlet = doc.outlet or Outlet(id=article.outlet, name=article.outlet)
    signature = doc.signature
    return {
        "id": article.id,
        "url": article.url,
        "canonical_url": doc.canonical_url,
        "outlet": article.outlet,
        "outlet_json": json.dumps(asdict(outlet), ensure_ascii=False),
        "domain": article.domain,
        "published": article.published.isoformat() if article.published else None,
        "published_ts": article.published,
        "date_precision": article.date_precision.value if article.date_precision else None,
        "date_claimed": article.date_claimed,
        "title": article.title,
        "summary": article.summary,
        "text": article.text,
        "author": article.author,
        "site_name": article.site_name,
        "language": article.language,
        "language_confidence": article.language_confidence,
        "quality_score": article.quality.score,
        "quality_flags": list(article.quality.flags),
        "quality_details": json.dumps(article.quality.details),
        "content_hash": article.content_hash,
        "signature": (
            np.asarray(signature, dtype=np.uint32).tobytes() if signature is not None else None
        ),
        "duplicate_of": article.duplicate_of,
        "duplicate_similarity": article.duplicate_similarity,
        "extractor": article.extractor,
        "source": article.source,
        "collection": article.collection,
        "license": article.license,
        "stages": list(article.stages),
        "extra": json.dumps(article.extra, ensure_ascii=False, default=str),
        "partition": partition,
        "position": position,
    }


def _annotation_rows(article_id: str, records: Iterable[Any]) -> list[dict[str, Any]]:
    rows = []
    for ordinal, rec in enumerate(records):
        row: dict[str, Any] = {"article_id": article_id, "ordinal": ordinal}
        for f in dataclasses.fields(rec):
            value = getattr(rec, f.name)
            row[f.name] = json.dumps(value) if isinstance(value, tuple | list | dict) else value
        rows.append(row)
    return rows


# -- one partition ------------------------------------------------------------------------------

_PIPELINES: dict[str, tuple[Pipeline, Pipeline]] = {}


def _pipelines(watch_ref: str, dedupe_threshold: float | None) -> tuple[Pipeline, Pipeline]:
    """``build_pipeline`` split at dedupe, built once per process (stages may load models)."""
    key = f"{watch_ref}\x1f{dedupe_threshold}\x1f{threading.get_ident()}"  # one per thread
    if key not in _PIPELINES:
        pipeline = build_pipeline(
            watch=load_watch(watch_ref), index=MemoryIndex(), dedupe_threshold=dedupe_threshold
        )
        _PIPELINES[key] = pipeline.split("dedupe")
    return _PIPELINES[key]


def part_name(index: int) -> str:
    return f"part-{index:05d}"


def read_marker(out: Folder, index: int) -> dict[str, Any]:
    """The marker of a written partition (its counts and problems)."""
    marker: dict[str, Any] = out.read_json(f"_parts/{part_name(index)}.json")
    return marker


def run_partition(
    index: int, items: list[Item], out: str, watch_ref: str, dedupe_threshold: float | None
) -> dict[str, Any]:
    """Run the ingest pipeline over one partition and write its files; return its marker.

    Dedupe uses an index of this partition only (see the module docstring)."""
    started = time.perf_counter()
    front, back = _pipelines(watch_ref, dedupe_threshold)
    build_seconds = time.perf_counter() - started
    for stage in (*front.stages, *back.stages):
        stage.counts.clear()
    front.seconds.clear()
    back.seconds.clear()
    index_ = MemoryIndex()
    for stage in back.stages:
        if isinstance(stage, DedupeStage):
            stage.index = index_
    kept: set[str] = set()
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    problems: list[dict[str, Any]] = []
    counts: Counter[str] = Counter()
    for item in items:
        if isinstance(item, InputProblem):
            problems.append(item.as_dict())
            counts["problems"] += 1
            continue
        counts["read"] += 1
        result = run_stages(front, item)
        if not isinstance(result, Failed):
            result = run_stages(back, result)
        if isinstance(result, Failed):
            counts["rejected"] += 1
            problems.append(
                InputProblem(input=result.source, code=result.code, reason=result.reason).as_dict()
            )
            continue
        if result.id in kept:
            counts["unchanged"] += 1  # the same article twice in one partition: first one kept
            continue
        kept.add(result.id)
        index_.add(result.id, result.content_hash, result.signature)
        article = to_article(result)
        rows["articles"].append(
            _article_row(result, article, partition=index, position=len(rows["articles"]))
        )
        rows["mentions"] += _annotation_rows(article.id, article.mentions)
        rows["events"] += _annotation_rows(article.id, article.events)
        rows["themes"] += _annotation_rows(article.id, article.themes)
        counts["articles"] += 1
        counts["duplicates"] += article.duplicate_of is not None
    folder = Folder(out)
    _write_partition(folder, index, rows)
    stage_counts: dict[str, dict[str, int]] = {
        **front.counts(),
        **back.counts(),
    }
    marker = {
        "partition": index,
        "items": len(items),
        "read": counts["read"],
        "articles": counts["articles"],
        "duplicates": counts["duplicates"],
        "rejected": counts["rejected"],
        "unchanged": counts["unchanged"],
        "problems": problems,
        "stages": stage_counts,
        "seconds": round(time.perf_counter() - started, 3),
        "pipeline_build_seconds": round(build_seconds, 3),  # 0 when the process had it built
        "host": os.uname().nodename,
        "pid": os.getpid(),
    }
    folder.write_text(f"_parts/{part_name(index)}.json", json.dumps(marker, indent=1))
    return marker


def _write_partition(out: Folder, index: int, rows: dict[str, list[dict[str, Any]]]) -> None:
    pa, pq = _pa(), _pq()
    schemas = _schemas()
    for name in TABLES:
        table = pa.Table.from_pylist(rows[name], schema=schemas[name])
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink)
        out.write_bytes(f"{name}/{part_name(index)}.parquet", sink.getvalue().to_pybytes())


# -- the driver ---------------------------------------------------------------------------------


def partitions(items: Iterable[Item], size: int) -> Iterator[tuple[int, list[Item]]]:
    """Cut a stream of input items into consecutive slices of ``size`` items (docs and
    problems), numbered from 0."""
    chunk: list[Item] = []
    index = 0
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield index, chunk
            index, chunk = index + 1, []
    if chunk:
        yield index, chunk


@dataclass(frozen=True)
class Job:
    """What every partition of a run shares (sent once with each unit or partition)."""

    out: str
    watch_ref: str
    dedupe_threshold: float | None
    partition_size: int
    retries: int
    max_bytes: int


@dataclass
class BatchReport:
    """What a batch run did; ``as_dict`` is also the body of ``manifest.json``."""

    out: str
    inputs: list[str]
    engine: str
    partition_size: int
    watch: str
    unit_bytes: int = DEFAULT_UNIT_BYTES
    units: int = 0
    read_on: str = "driver"
    done: dict[int, dict[str, Any]] = field(default_factory=dict)
    skipped: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    failed_units: dict[int, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed and not self.failed_units

    def totals(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for marker in self.done.values():
            for key in ("items", "read", "articles", "duplicates", "rejected", "unchanged"):
                total[key] += int(marker.get(key, 0))
            total["problems"] += len(marker.get("problems", []))
        return dict(total)

    def processed(self) -> int:
        """Input items read in this run (partitions skipped as already written not counted)."""
        return sum(int(m.get("read", 0)) for i, m in self.done.items() if i not in self.skipped)

    def merge(self, result: dict[str, Any]) -> None:
        """Take in what :func:`run_unit` returned."""
        self.done.update(result["done"])
        self.skipped.extend(i for i in result["skipped"] if i not in self.skipped)
        for index in result["done"]:
            self.failed.pop(index, None)
        self.failed.update(result["failed"])

    def as_dict(self) -> dict[str, Any]:
        processed = self.processed()
        return {
            "format": FORMAT,
            "layout": LAYOUT,
            "out": self.out,
            "inputs": self.inputs,
            "engine": self.engine,
            "partition_size": self.partition_size,
            "unit_bytes": self.unit_bytes,
            "units": self.units,
            "read_on": self.read_on,
            "watch": self.watch,
            "dedupe": "per-partition (parallax load re-checks against the store)",
            "tables": list(TABLES),
            "partitions": [
                {k: v for k, v in self.done[i].items() if k not in ("problems", "stages")}
                | {"problems": len(self.done[i].get("problems", []))}
                for i in sorted(self.done)
            ],
            "written": len(self.done) - len(self.skipped),
            "skipped": sorted(self.skipped),
            "failed": [{"partition": i, "error": e} for i, e in sorted(self.failed.items())]
            + [{"unit": i, "error": e} for i, e in sorted(self.failed_units.items())],
            "totals": self.totals(),
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(processed / self.seconds, 1) if self.seconds else None,
            "updated": datetime.now(UTC).isoformat(timespec="seconds"),
        }


def _watch_ref(watch: str) -> str:
    """A watch reference every worker resolves the same way (paths made absolute)."""
    path = Path(watch)
    return str(path.resolve()) if path.suffix == ".toml" and path.exists() else watch


def _check_manifest(out: Folder, inputs: list[str], partition_size: int, unit_bytes: int) -> None:
    path = f"{out.url}/manifest.json"
    if not out.exists("manifest.json"):
        return
    try:
        old = out.read_json("manifest.json")
    except (OSError, ValueError) as err:
        raise BatchError(f"{path} is unreadable: {err}") from err
    if old.get("inputs") != inputs or old.get("partition_size") != partition_size:
        raise BatchError(
            f"{out.url} holds a batch run over other inputs or another --partition-size "
            f"({old.get('partition_size')}); use a new --out to start afresh"
        )
    cut_as = (old.get("layout"), old.get("unit_bytes"))
    if cut_as != (LAYOUT, unit_bytes) and written_partitions(out):
        raise BatchError(
            f"{out.url} holds partitions cut another way (an older Parallax or another"
            " unit size); use a new --out to start afresh"
        )


def run_batch(
    inputs: Sequence[str],
    *,
    out: str | Path,
    watch: str = "",
    engine: str = "local",
    scheduler: str | None = None,
    workers: int = 2,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    retries: int = DEFAULT_RETRIES,
    read_on: str = "auto",
    unit_bytes: int = DEFAULT_UNIT_BYTES,
    stdin: IO[bytes] | None = None,
    progress: Callable[[BatchReport], None] | None = None,
    task: Callable[..., dict[str, Any]] = run_partition,
    dask_processes: bool = True,
) -> BatchReport:
    """Run the pipeline over ``inputs`` partition by partition and write the Parquet output.

    ``read_on`` (dask engine): ``workers`` sends each worker units to read itself, ``driver``
    reads the input here and sends partitions of docs, ``auto`` reads on the workers when
    there are at least as many units as workers. ``task`` runs one partition (tests replace
    it); ``dask_processes=False`` makes the LocalCluster's workers threads of this process."""
    if partition_size < 1:
        raise BatchError("--partition-size must be at least 1")
    if engine not in ("local", "dask"):
        raise BatchError(f"unknown engine {engine!r} (local or dask)")
    if read_on not in ("auto", "driver", "workers"):
        raise BatchError(f"unknown --read-on {read_on!r} (auto, driver or workers)")
    watch = watch or str(settings.get("watch"))
    for url in [str(out), *inputs]:
        if is_url(url):
            check_url(url)  # a missing s3fs, gcsfs ... fails here, naming the package
    out_dir = Folder(str(out))
    resolved = [i if i == "-" or is_url(i) else str(Path(i).resolve()) for i in inputs]
    _check_manifest(out_dir, resolved, partition_size, unit_bytes)
    out_dir.makedirs()
    _pa()  # fail early when pyarrow is missing
    report = BatchReport(
        out=out_dir.url,
        inputs=resolved,
        engine=engine if scheduler is None else f"dask@{scheduler}",
        partition_size=partition_size,
        watch=watch,
        unit_bytes=unit_bytes,
    )
    out_dir.write_text("manifest.json", json.dumps(report.as_dict(), indent=1))
    job = Job(
        out=out_dir.url,
        watch_ref=_watch_ref(watch),
        dedupe_threshold=settings.get_float("dedupe_threshold"),
        partition_size=partition_size,
        retries=retries,
        max_bytes=settings.get_int("max_page_bytes"),
    )
    load_watch(job.watch_ref)  # a bad watch fails here, not once per partition
    started = time.perf_counter()
    units = plan_units(list(inputs), unit_bytes=unit_bytes, stdin=stdin, max_bytes=job.max_bytes)
    report.units = len(units)
    written = set(written_partitions(out_dir))
    todo = _todo_units(units, out_dir, written, report)
    if engine == "local":
        for unit in todo:
            report.merge(
                run_unit(
                    unit, job, task=task, written=written, on_partition=_notify(report, progress)
                )
            )
            if progress is not None:
                progress(report)
    else:
        _run_dask(
            todo,
            job,
            report,
            written=written,
            task=task,
            progress=progress,
            scheduler=scheduler,
            workers=workers,
            processes=dask_processes,
            read_on=read_on,
        )
    report.seconds = time.perf_counter() - started
    out_dir.write_text("manifest.json", json.dumps(report.as_dict(), indent=1))
    return report


def _notify(
    report: BatchReport, progress: Callable[[BatchReport], None] | None
) -> Callable[[int, dict[str, Any]], None]:
    def on_partition(index: int, marker: dict[str, Any]) -> None:
        report.done[index] = marker
        if progress is not None:
            progress(report)

    return on_partition


def _unit_name(index: int) -> str:
    return f"_units/unit-{index:05d}.json"


def _todo_units(
    units: list[Unit], out: Folder, written: set[int], report: BatchReport
) -> list[Unit]:
    """The units still to run. A unit whose marker lists only written partitions is done: the
    partition markers it carries are noted as skipped and its input is not read again (one
    listing and one read per finished unit, whatever its number of partitions)."""
    finished = set(out.listdir("_units"))
    todo = []
    for unit in units:
        name = _unit_name(unit.index)
        if name.rsplit("/", 1)[1] in finished:
            data = out.read_json(name)
            parts = data.get("partitions", [])
            if all(p in written for p in parts):
                markers = data.get("markers", {})
                for p in parts:
                    report.done[p] = markers.get(str(p)) or read_marker(out, p)
                    report.skipped.append(p)
                continue
        todo.append(unit)
    return todo


def _to_write(
    unit: Unit,
    job: Job,
    written: set[int] | frozenset[int],
    parts: list[int],
    skip: Callable[[int, dict[str, Any]], None],
) -> Iterator[tuple[int, list[Item]]]:
    """The partitions of ``unit`` still to write, numbered as in the output (reads the unit's
    files). Every partition number goes to ``parts``; a written one goes to ``skip`` with its
    marker instead."""
    folder = Folder(job.out)
    for chunk, items in partitions(unit.items(max_bytes=job.max_bytes), job.partition_size):
        index = unit.partition(chunk)
        parts.append(index)
        if index in written:
            skip(index, read_marker(folder, index))
            continue
        yield index, items


def _finish_unit(
    out: Folder, unit: Unit, parts: list[int], markers: dict[int, dict[str, Any]]
) -> None:
    """The unit's marker: its files, its partitions and a copy of their markers."""
    body = {
        "unit": unit.index,
        "files": unit.files,
        "partitions": parts,
        "markers": {str(p): markers[p] for p in parts},
    }
    out.write_text(
        _unit_name(unit.index),
        json.dumps(body, indent=1),
    )


def run_unit(
    unit: Unit,
    job: Job,
    *,
    task: Callable[..., dict[str, Any]] = run_partition,
    written: set[int] | frozenset[int] = frozenset(),
    on_partition: Callable[[int, dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Read one unit and write its partitions (where the unit runs: this process or a worker).

    Partitions in ``written`` are skipped (their items are read, not processed); a partition
    whose task raises is retried ``job.retries`` times, then reported under ``failed`` while
    the unit goes on. The unit's marker is written when all its partitions are."""
    result: dict[str, Any] = {"done": {}, "skipped": [], "failed": {}}
    parts: list[int] = []

    def skip(index: int, marker: dict[str, Any]) -> None:
        result["done"][index] = marker
        result["skipped"].append(index)

    for index, chunk in _to_write(unit, job, written, parts, skip):
        for _ in range(job.retries + 1):
            try:
                marker = task(index, chunk, job.out, job.watch_ref, job.dedupe_threshold)
            except Exception as err:  # a failed partition must not stop the others
                result["failed"][index] = _describe(err)
                continue
            result["done"][index] = marker
            result["failed"].pop(index, None)
            if on_partition is not None:
                on_partition(index, marker)
            break
    if not result["failed"]:
        _finish_unit(Folder(job.out), unit, parts, result["done"])
    return result


def _describe(err: BaseException) -> str:
    where = traceback.extract_tb(err.__traceback__)[-1:] if err.__traceback__ else []
    at = f" (at {where[0].filename.rsplit('/', 1)[-1]}:{where[0].lineno})" if where else ""
    return f"{type(err).__name__}: {err}{at}"


def _run_dask(
    todo: list[Unit],
    job: Job,
    report: BatchReport,
    *,
    written: set[int],
    task: Callable[..., dict[str, Any]],
    progress: Callable[[BatchReport], None] | None,
    scheduler: str | None,
    workers: int,
    processes: bool,
    read_on: str,
) -> None:
    try:
        distributed: Any = importlib.import_module("distributed")
    except ImportError as err:
        raise BatchError(
            "the dask engine needs dask.distributed: pip install 'newsparallax[batch]'"
        ) from err
    cluster: Any = None
    if scheduler is None:
        cluster = distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=processes,
            dashboard_address=":0",  # any free port: never clash with another cluster
            silence_logs=40,
        )
        client = distributed.Client(cluster)
    else:
        client = distributed.Client(scheduler)
    addresses = list(client.scheduler_info().get("workers", {})) or [None] * workers
    if read_on == "auto":
        read_on = "workers" if len(todo) >= len(addresses) else "driver"
    report.read_on = read_on
    warming = _warm(client, addresses, job)
    # two tasks in flight per worker of the cluster (not of --workers: with --scheduler the
    # cluster may have many more)
    run = _DaskRun(client, job, report, written, task, progress, max(2, 2 * len(addresses)))
    try:
        if read_on == "workers":
            _dask_units(run, todo)
        else:
            _dask_partitions(run, distributed, todo)
    finally:
        for future in warming:
            future.release()
        client.close()
        if cluster is not None:
            cluster.close()


@dataclass(frozen=True)
class _DaskRun:
    """What both ways of running on Dask share."""

    client: Any
    job: Job
    report: BatchReport
    written: set[int]
    task: Callable[..., dict[str, Any]]
    progress: Callable[[BatchReport], None] | None
    in_flight: int


def _dask_units(run: _DaskRun, todo: list[Unit]) -> None:
    """One task per unit: each worker reads its unit's files itself. Two units in flight per
    worker; progress comes from the partition markers the workers write."""
    folder = Folder(run.job.out)
    queue = iter(todo)
    running: dict[Any, Unit] = {}
    by_unit: dict[int, set[int]] = {}
    for p in run.written:
        by_unit.setdefault(unit_of(p), set()).add(p)

    def submit_next() -> None:
        unit = next(queue, None)
        if unit is None:
            return
        future = run.client.submit(
            run_unit,
            unit,
            run.job,
            task=run.task,
            written=by_unit.get(unit.index, set()),
            retries=run.job.retries,  # a lost worker: the unit runs again, skipping what it wrote
            pure=False,
            key=f"parallax-unit-{unit.index:05d}-{os.getpid()}-{time.monotonic_ns()}",
        )
        running[future] = unit

    for _ in range(run.in_flight):
        submit_next()
    seen = set(run.written)
    polled = time.monotonic()
    while running:
        finished = [f for f in running if f.done()]
        for future in finished:
            unit = running.pop(future)
            if future.status == "finished":
                run.report.merge(future.result())
            else:
                run.report.failed_units[unit.index] = (
                    f"{unit.describe()}: {_describe_remote(future)}"
                )
            future.release()
            submit_next()
        # listing the markers costs requests on an object store: less often on big outputs
        interval = 2 if len(seen) < 10_000 else 15
        if run.progress is not None and (not running or time.monotonic() - polled > interval):
            polled = time.monotonic()
            for index in set(written_partitions(folder)) - seen - set(run.report.done):
                with contextlib.suppress(OSError, ValueError):
                    run.report.done[index] = read_marker(folder, index)
            seen |= set(run.report.done)
            run.progress(run.report)
        if not finished:
            time.sleep(0.2)


def _dask_partitions(run: _DaskRun, distributed: Any, todo: list[Unit]) -> None:
    """The driver reads the units and sends partitions of docs: for inputs in fewer units
    than there are workers (one big file). Two partitions in flight per worker."""
    folder = Folder(run.job.out)
    unit_parts: dict[int, list[int]] = {}

    def skip(index: int, marker: dict[str, Any]) -> None:
        run.report.done[index] = marker
        run.report.skipped.append(index)

    def chunks() -> Iterator[tuple[int, list[Item]]]:
        for unit in todo:
            yield from _to_write(
                unit, run.job, run.written, unit_parts.setdefault(unit.index, []), skip
            )

    pending = distributed.as_completed()
    keys: dict[Any, int] = {}
    queue = chunks()

    def submit_next() -> None:
        nxt = next(queue, None)
        if nxt is None:
            return
        index, chunk = nxt
        future = run.client.submit(
            run.task,
            index,
            chunk,
            run.job.out,
            run.job.watch_ref,
            run.job.dedupe_threshold,
            retries=run.job.retries,
            pure=False,
            key=f"parallax-{part_name(index)}-{os.getpid()}-{time.monotonic_ns()}",
        )
        keys[future] = index
        pending.add(future)

    for _ in range(run.in_flight):
        submit_next()
    for future in pending:
        index = keys.pop(future)
        if future.status == "finished":
            run.report.done[index] = future.result()
        else:
            run.report.failed[index] = _describe_remote(future)
        future.release()
        submit_next()
        if run.progress is not None:
            run.progress(run.report)
    for unit in todo:
        parts = unit_parts.get(unit.index, [])
        if all(p in run.report.done for p in parts):
            _finish_unit(folder, unit, parts, run.report.done)


def warm_worker(watch_ref: str, dedupe_threshold: float | None) -> int:
    """Build the pipeline in a worker's task thread before its first partition arrives."""
    _pipelines(watch_ref, dedupe_threshold)
    return os.getpid()


def _warm(client: Any, addresses: list[Any], job: Job) -> list[Any]:
    """One :func:`warm_worker` task pinned to each worker, submitted before any partition: the
    workers load their models while the driver reads the first partitions. A failure here is
    ignored (the partitions report it)."""
    return [
        client.submit(
            warm_worker,
            job.watch_ref,
            job.dedupe_threshold,
            workers=[address],
            allow_other_workers=False,
            pure=False,
            priority=10,
            key=f"parallax-warm-{i}-{os.getpid()}-{time.monotonic_ns()}",
        )
        for i, address in enumerate(addresses)
        if address is not None
    ]


def _describe_remote(future: Any) -> str:
    try:
        err = future.exception()
    except Exception as exc:  # cancelled, lost worker
        return f"{type(exc).__name__}: {exc}"
    return f"{type(err).__name__}: {err}" if err is not None else str(future.status)


# -- reading the output and loading it into the store ------------------------------------------


def read_manifest(out: str | Path | Folder) -> dict[str, Any]:
    folder = _folder(out)
    path = f"{folder.url}/manifest.json"
    try:
        data: dict[str, Any] = folder.read_json("manifest.json")
    except (OSError, ValueError) as err:
        raise BatchError(f"no readable batch manifest at {path}: {err}") from err
    if data.get("format") not in FORMATS:
        raise BatchError(f"{path} is not a {FORMAT} manifest")
    return data


def _folder(out: str | Path | Folder) -> Folder:
    return out if isinstance(out, Folder) else Folder(str(out))


def written_partitions(out: str | Path | Folder) -> list[int]:
    """Partitions with a marker (complete), in order."""
    names = _folder(out).listdir("_parts")
    found = (n.removesuffix(".json").removeprefix("part-") for n in names if n.endswith(".json"))
    return sorted(int(n) for n in found if n.isdigit())


def read_table(out: str | Path | Folder, table: str, index: int, **options: Any) -> Any:
    """One partition's Parquet file of ``table`` as a pyarrow table (``columns=`` ...)."""
    folder = _folder(out)
    with folder.open(f"{table}/{part_name(index)}.parquet") as fh:
        return _pq().read_table(fh, **options)


def read_articles(
    out: str | Path | Folder, index: int
) -> Iterator[tuple[Article, Outlet, Any, Any]]:
    """The articles of one partition: ``(article, outlet, signature, canonical_url)``."""
    base = _folder(out)
    annotations: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for table in ("mentions", "events", "themes"):
        grouped: dict[str, list[dict[str, Any]]] = {}
        for row in read_table(base, table, index).to_pylist():
            grouped.setdefault(row["article_id"], []).append(row)
        annotations[table] = grouped
    for row in read_table(base, "articles", index).to_pylist():
        aid = row["id"]
        article = article_from_row(
            row,
            mentions=[mention_from_row(r) for r in _ordered(annotations["mentions"].get(aid, []))],
            events=[event_from_row(r) for r in _ordered(annotations["events"].get(aid, []))],
            themes=[theme_from_row(r) for r in _ordered(annotations["themes"].get(aid, []))],
        )
        outlet_fields: dict[str, Any] = {
            k: tuple(v) if isinstance(v, list) else v
            for k, v in json.loads(row["outlet_json"]).items()
        }
        outlet = Outlet(**outlet_fields)
        raw = row["signature"]
        signature = np.frombuffer(raw, dtype=np.uint32).copy() if raw is not None else None
        yield article, outlet, signature, row["canonical_url"]


def _ordered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: int(r["ordinal"]))


@dataclass
class LoadSummary:
    partitions: int = 0
    read: int = 0
    stored: int = 0
    unchanged: int = 0
    duplicates: int = 0
    problems: int = 0
    seconds: float = 0.0
    run_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "seconds": round(self.seconds, 3)}


def load(
    out: str | Path | Folder,
    *,
    store: Store,
    watch: Watch,
    dedupe_threshold: float | None = None,
) -> LoadSummary:
    """Load a batch output into ``store``, partition by partition in input order.

    As in ``ingest``: an article already in the store is left alone (``unchanged``), and
    duplicates are looked up again against the store, so a copy of an article from another
    partition or an earlier run gets its ``duplicate_of`` link. Input problems and rejections
    recorded by the batch run are recorded against this load run."""
    started = time.perf_counter()
    out = _folder(out)
    read_manifest(out)
    threshold = (
        dedupe_threshold if dedupe_threshold is not None else settings.get_float("dedupe_threshold")
    )
    summary = LoadSummary(run_id=store.start_run("load"))
    store.sync_outlets(watch.outlets, watch=watch.name)
    batch_size, pending = settings.get_int("batch_size"), 0
    store.begin()
    try:
        for index in written_partitions(out):
            summary.partitions += 1
            marker = read_marker(out, index)
            for problem in marker.get("problems", []):
                if problem.get("code") == "unchanged":
                    continue
                store.record_problem(
                    summary.run_id,
                    InputProblem(
                        input=problem["input"], code=problem["code"], reason=problem["reason"]
                    ),
                )
                summary.problems += 1
            for article, outlet, signature, canonical in read_articles(out, index):
                summary.read += 1
                if store.has(article.id):
                    summary.unchanged += 1
                    continue
                match = find_duplicate(
                    store,
                    article_id=article.id,
                    content=article.content_hash,
                    signature=signature,
                    threshold=threshold,
                )
                article = dataclasses.replace(
                    article,
                    duplicate_of=match.article_id if match else None,
                    duplicate_similarity=round(match.similarity, 4) if match else None,
                )
                if outlet.camp is None:
                    store.ensure_outlet(outlet)
                if (
                    store.add(
                        article, signature=signature, canonical_url=canonical, run_id=summary.run_id
                    )
                    is None
                ):
                    summary.unchanged += 1
                    continue
                summary.stored += 1
                summary.duplicates += article.duplicate_of is not None
                pending += 1
                if pending >= batch_size:
                    store.commit()
                    store.begin()
                    pending = 0
    finally:
        store.commit()
    summary.seconds = time.perf_counter() - started
    store.finish_run(summary.run_id or 0, summary.as_dict())
    return summary


__all__ = [
    "FORMAT",
    "TABLES",
    "BatchError",
    "BatchReport",
    "LoadSummary",
    "load",
    "partitions",
    "read_articles",
    "read_manifest",
    "read_table",
    "run_batch",
    "run_partition",
    "run_unit",
    "written_partitions",
]
