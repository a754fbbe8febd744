"""Corpus jobs on the Parquet output of ``parallax batch``: duplicate links, stories, relations.

``parallax corpus DIR`` computes from the batch partitions what ``parallax load`` followed by
``parallax stories`` and ``parallax relations`` computes in the store, and writes it as Parquet
under ``DIR/corpus`` (or ``--dest``). No quantity is defined twice: each job runs the store job's
own code on the rows it needs.

1. **links** (always; one sequential pass in the driver over three narrow columns): the store
   order and the duplicate links ``parallax load`` would give. Articles are taken in input order
   (partition, position), an id seen before is dropped (the store keeps the first), and every
   article is looked up with :func:`~newsparallax.annotate.dedupe.find_duplicate` against the
   articles before it, so a copy in another partition is linked to its original. ``rowid`` is the
   row id the article gets when loaded into an empty store. Holds one MinHash signature per article
   in memory (about 0.5 KB each).
2. **stories**: the items (fingerprints) are built on the engine, one task per partition, with
   :func:`~newsparallax.analyze.stories.cluster.make_item`; the single-pass clustering
   (:func:`~newsparallax.analyze.stories.cluster.cluster`) is sequential by design and runs in the
   driver, as ``stories.rebuild`` does. Writes ``stories/articles.parquet`` (each article's story,
   as the ``story_articles`` table), ``stories/stories.parquet`` (with each story's arc) and
   ``stories/arcs.parquet`` (story lines: their stories, span, counts and terms).
3. **relations**: Dask dataframes read the article and event columns, join them with the links,
   the outlets' camps (from the watch, as ``load`` records them) and the stories, and shuffle the
   rows by the UTC month of publication (every day and month bucket of an article lies in that
   month). Each shuffled partition is folded by :func:`newsparallax.analyze.relations.rebuild`
   itself, on a scratch store holding only those rows, so the counting rules, grains and
   normalisation are relations.py's. Writes ``relations/points.parquet`` and
   ``relations/volume.parquet`` with the columns of the ``relation_points`` and ``relation_volume``
   tables.

Engines: ``local`` runs the tasks on Dask's threads in this process; ``dask`` on
``dask.distributed`` (a ``LocalCluster`` of ``workers`` processes, or ``scheduler``).
"""

from __future__ import annotations

import importlib
import json
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from .. import settings
from ..acquire.remote import Folder, check_url, is_url, join
from ..annotate.dedupe import MemoryIndex, find_duplicate
from ..records import Event, Mention
from ..watches import Watch
from .batch import BatchError, read_manifest, read_table, written_partitions

FORMAT = "parallax-corpus/1"
JOBS = ("stories", "relations")
_EVENT_COLUMNS = (
    "article_id",
    "ordinal",
    "instance",
    "type",
    "quad",
    "intensity",
    "source",
    "target",
    "asserted",
    "negated",
)


def _pd() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError as err:  # pragma: no cover - depends on the install
        raise BatchError("corpus jobs need pandas: pip install 'newsparallax[batch]'") from err


def _dd() -> Any:
    _pd()
    try:
        return importlib.import_module("dask.dataframe")
    except ImportError as err:  # pragma: no cover - depends on the install
        raise BatchError(
            "corpus jobs need dask dataframes: pip install 'newsparallax[batch]'"
        ) from err


@dataclass
class CorpusReport:
    """What a corpus run did; ``as_dict`` is also ``manifest.json`` of the destination."""

    source: str
    dest: str
    jobs: list[str]
    engine: str
    partitions: int = 0
    articles: int = 0
    duplicates: int = 0
    repeated: int = 0
    missing: list[int] = field(default_factory=list)
    """Partitions the batch run failed to write (listed in its manifest): not in the results."""
    stories: dict[str, int] = field(default_factory=dict)
    relations: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "source": self.source,
            "dest": self.dest,
            "jobs": self.jobs,
            "engine": self.engine,
            "partitions": self.partitions,
            "articles": self.articles,
            "duplicates": self.duplicates,
            "repeated_ids": self.repeated,
            "missing_partitions": self.missing,
            "stories": self.stories,
            "relations": self.relations,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "updated": datetime.now(UTC).isoformat(timespec="seconds"),
        }


# -- 1. links: store order and cross-partition duplicates --------------------------------------


def link(source: Folder, *, threshold: float) -> tuple[Any, int]:
    """One row per article ``parallax load`` would store, in its order: ``id, partition,
    position, rowid, duplicate_of, duplicate_similarity, events_before`` (a pandas frame),
    and the number of repeated ids dropped."""
    pd = _pd()
    index = MemoryIndex()
    seen: set[str] = set()
    rows: list[dict[str, Any]] = []
    repeated = 0
    events_before = 0
    for part in written_partitions(source):
        table = read_table(source, "articles", part, columns=["id", "content_hash", "signature"])
        events = read_table(source, "events", part, columns=["article_id"]).column("article_id")
        per_article: dict[str, int] = {}
        for aid in events.to_pylist():
            per_article[aid] = per_article.get(aid, 0) + 1
        for position, row in enumerate(table.to_pylist()):
            aid = row["id"]
            if aid in seen:
                repeated += 1
                continue
            seen.add(aid)
            raw = row["signature"]
            signature = np.frombuffer(raw, dtype=np.uint32).copy() if raw is not None else None
            match = find_duplicate(
                index,
                article_id=aid,
                content=row["content_hash"],
                signature=signature,
                threshold=threshold,
            )
            index.add(aid, row["content_hash"], signature)
            rows.append(
                {
                    "id": aid,
                    "partition": part,
                    "position": position,
                    "rowid": len(rows) + 1,
                    "duplicate_of": match.article_id if match else None,
                    "duplicate_similarity": round(match.similarity, 4) if match else None,
                    "events_before": events_before,
                }
            )
            events_before += per_article.get(aid, 0)
    columns = [
        "id",
        "partition",
        "position",
        "rowid",
        "duplicate_of",
        "duplicate_similarity",
        "events_before",
    ]
    frame = pd.DataFrame(rows, columns=columns).astype(
        {"partition": "int64", "position": "int64", "rowid": "int64", "events_before": "int64"}
    )
    return frame, repeated


# -- 2. stories ---------------------------------------------------------------------------------


def story_items(source_url: str, part: int, links: Any) -> list[Any]:
    """The clustering items of one partition (one engine task)."""
    from ..analyze.stories.cluster import make_item

    source = Folder(source_url)
    kept = {r.position: r for r in links.itertuples(index=False)}
    mentions: dict[str, list[Mention]] = {}
    for m in read_table(
        source, "mentions", part, columns=["article_id", "start", "end", "actor", "kind", "field"]
    ).to_pylist():
        aid = m.pop("article_id")
        mentions.setdefault(aid, []).append(Mention(text="", **m))
    events: dict[str, list[Event]] = {}
    for e in read_table(
        source,
        "events",
        part,
        columns=[
            "article_id",
            "type",
            "source",
            "target",
            "negated",
            "sentence_start",
            "sentence_end",
        ],
    ).to_pylist():
        aid = e.pop("article_id")
        events.setdefault(aid, []).append(Event(**e))
    columns = ["id", "language", "published", "date_precision", "title", "summary", "text"]
    items = []
    for position, row in enumerate(
        read_table(source, "articles", part, columns=columns).to_pylist()
    ):
        link_row = kept.get(position)
        if link_row is None:  # a repeated id: the store keeps the first
            continue
        items.append(
            make_item(
                rowid=int(link_row.rowid),
                id=row["id"],
                language=row["language"],
                published=datetime.fromisoformat(row["published"]) if row["published"] else None,
                date_precision=row["date_precision"],
                title=row["title"] or "",
                summary=row["summary"] or "",
                text=row["text"] or "",
                mentions=mentions.get(row["id"], ()),
                events=events.get(row["id"], ()),
                duplicate_of=link_row.duplicate_of,
            )
        )
    return items


def story_rows(
    items: Sequence[Any],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Cluster ``items`` with the store job's code; rows as ``story_articles``, stories and
    story arcs (open stories linked provisionally, as the store does when it saves)."""
    from ..analyze.stories.cluster import Params, cluster, iso
    from ..analyze.stories.saved import arc_terms

    clusterer = cluster(items, Params.from_settings())
    linker = clusterer.arcs
    linker.members()  # provisional links of the open stories
    member_of: dict[int, tuple[str, float | None, bool]] = {}
    for story in clusterer.stories.values():
        for rowid, sim, dup in story.members:
            member_of[rowid] = (story.key, sim, dup)
    ids = {item.rowid: item.id for item in items}
    memberships = []
    for item in items:
        if item.rowid in member_of:
            key, sim, dup = member_of[item.rowid]
            central = None if dup else round(clusterer.centrality(item, clusterer.stories[key]), 4)
            memberships.append(
                {
                    "article_id": item.id,
                    "rowid": item.rowid,
                    "story_id": key,
                    "similarity": sim,
                    "centrality": central,
                    "duplicate": bool(dup),
                    "skipped": None,
                }
            )
        else:
            memberships.append(
                {
                    "article_id": item.id,
                    "rowid": item.rowid,
                    "story_id": None,
                    "similarity": None,
                    "centrality": None,
                    "duplicate": False,
                    "skipped": item.skip or "not clustered",
                }
            )
    stories: list[dict[str, Any]] = [
        {
            "id": s.key,
            "first_seen": iso(s.first_ts),
            "last_seen": iso(s.last_ts),
            "status": "closed" if s.closed else "open",
            "articles": sum(not dup for _, _, dup in s.members),
            "duplicates": sum(bool(dup) for _, _, dup in s.members),
            "article_ids": sorted(ids[r] for r, _, _ in s.members),
            "arc_id": linker.resolve(s.arc) if s.arc else None,
            "arc_similarity": s.arc_similarity,
            "arc_final": bool(s.arc_final),
        }
        for s in sorted(clusterer.stories.values(), key=lambda s: s.key)
    ]
    by_story = {s.key: s for s in clusterer.stories.values()}
    members: dict[str, list[dict[str, Any]]] = {}
    for row in stories:
        if row["arc_id"]:
            members.setdefault(str(row["arc_id"]), []).append(row)
    arcs = []
    for key in sorted(members):
        rows = members[key]
        arc = linker.arcs.get(key)
        # an arc no closed story has joined yet: named by the open story's own vector
        vector = arc.centroid if arc else by_story[rows[0]["id"]].arc_vector
        first = min(rows, key=lambda r: by_story[r["id"]].first_ts)
        last = max(rows, key=lambda r: by_story[r["id"]].last_ts)
        arcs.append(
            {
                "id": key,
                "first_seen": first["first_seen"],
                "last_seen": last["last_seen"],
                "stories": len(rows),
                "articles": sum(r["articles"] for r in rows),
                "duplicates": sum(r["duplicates"] for r in rows),
                "terms": arc_terms(vector),
                "story_ids": sorted(r["id"] for r in rows),
            }
        )
    return memberships, stories, arcs


# -- 3. relations -------------------------------------------------------------------------------


def fold_relations(frame: Any) -> tuple[list[str], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Points and volumes of the months in ``frame`` (article rows ``kind == "a"`` and event rows
    ``kind == "e"``), computed by :func:`newsparallax.analyze.relations.rebuild` on a scratch
    store."""
    from ..analyze import relations
    from ..store.database import Store

    pd = _pd()
    arts = frame[frame["kind"] == "a"]
    events = frame[frame["kind"] == "e"]
    with (
        tempfile.TemporaryDirectory(prefix="parallax-relations-") as tmp,
        Store(Path(tmp) / "fold.db") as store,
    ):
        conn = store.conn
        outlets = {
            str(o): (None if pd.isna(c) else str(c))
            for o, c in zip(arts["outlet"], arts["camp"], strict=True)
        }
        stories = sorted({str(s) for s in arts["story_id"] if not pd.isna(s)})
        with store.transaction():
            conn.executemany(
                "INSERT INTO outlets(id, name, camp) VALUES (?, ?, ?)",
                [(o, o, c) for o, c in sorted(outlets.items())],
            )
            conn.executemany(
                "INSERT INTO stories(id, first_seen, first_seen_ts, last_seen, last_seen_ts,"
                " builder, updated_at) VALUES (?, '', 0, '', 0, 'corpus', '')",
                [(s,) for s in stories],
            )
            conn.executemany(
                "INSERT INTO articles(rowid, id, outlet, domain, published_ts, date_precision,"
                " duplicate_of, ingested_at) VALUES (?, ?, ?, '', ?, ?, ?, '')",
                [
                    (
                        int(r.rowid),
                        r.id,
                        r.outlet,
                        int(r.published_ts.timestamp()),
                        _none(pd, r.date_precision),
                        _none(pd, r.duplicate_of),
                    )
                    for r in arts.itertuples(index=False)
                ],
            )
            conn.executemany(
                "INSERT INTO story_articles(article_rowid, story_id) VALUES (?, ?)",
                [
                    (int(r.rowid), r.story_id)
                    for r in arts.itertuples(index=False)
                    if not pd.isna(r.story_id)
                ],
            )
            conn.executemany(
                "INSERT INTO events(rowid, article_rowid, instance, type, quad, intensity,"
                " source, target, asserted, negated, sentence_start, sentence_end)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
                [
                    (
                        int(r.event_rowid),
                        int(r.rowid),
                        _none(pd, r.instance),
                        r.type,
                        _none(pd, r.quad),
                        float(r.intensity) if not pd.isna(r.intensity) else 0.0,
                        _none(pd, r.source),
                        _none(pd, r.target),
                        int(bool(r.asserted)),
                        int(bool(r.negated)),
                    )
                    for r in events.itertuples(index=False)
                ],
            )
        relations.rebuild(store)
        cur = conn.execute("SELECT * FROM relation_points")
        names = [d[0] for d in cur.description]
        points = [tuple(r) for r in cur.fetchall()]
        volume = [tuple(r) for r in conn.execute("SELECT * FROM relation_volume")]
    return names, points, volume


def _partition_frame(part: int, *, source_url: str, table: str, fields: list[str]) -> Any:
    """One partition's ``table`` as a pandas frame, with its partition number."""
    frame = read_table(Folder(source_url), table, part, columns=fields).to_pandas()
    frame["partition"] = part
    if "position" in frame:
        frame["position"] = frame["position"].astype("int64")
    return frame


def _none(pd: Any, value: Any) -> Any:
    return None if value is None or pd.isna(value) else value


def _relation_frame(
    source: Folder,
    parts: Sequence[int],
    links: Any,
    camps: dict[str, str | None],
    memberships: Any,
) -> Any:
    """Article and event rows of the stored articles, shuffled so each month is in one
    partition (a Dask dataframe)."""
    dd = _dd()
    article_columns = ["id", "outlet", "published_ts", "date_precision", "partition", "position"]
    arts = dd.from_map(
        _partition_frame, parts, source_url=source.url, table="articles", fields=article_columns
    )
    keep = links[["id", "partition", "position", "rowid", "duplicate_of", "events_before"]]
    arts = arts.merge(keep, on=["id", "partition", "position"], how="inner")
    arts = arts[arts["published_ts"].notnull()]  # relations.py leaves undated articles out
    arts["camp"] = arts["outlet"].map(camps, meta=("camp", "object"))
    if memberships is not None and len(memberships):
        arts = arts.merge(memberships[["rowid", "story_id"]], on="rowid", how="left")
    else:
        arts["story_id"] = None
    arts["month"] = arts["published_ts"].dt.strftime("%Y-%m")
    events = dd.from_map(
        _partition_frame, parts, source_url=source.url, table="events", fields=list(_EVENT_COLUMNS)
    )
    events = events.merge(
        arts[["id", "partition", "rowid", "month", "events_before"]],
        left_on=["article_id", "partition"],
        right_on=["id", "partition"],
        how="inner",
    )
    events["event_rowid"] = events["events_before"] + events["ordinal"] + 1
    a_cols = [
        "rowid",
        "id",
        "outlet",
        "camp",
        "published_ts",
        "date_precision",
        "duplicate_of",
        "story_id",
        "month",
    ]
    e_cols = [
        "rowid",
        "event_rowid",
        "instance",
        "type",
        "quad",
        "intensity",
        "source",
        "target",
        "asserted",
        "negated",
        "month",
    ]
    combined = dd.concat(
        [arts[a_cols].assign(kind="a"), events[e_cols].assign(kind="e")],
        interleave_partitions=True,
    )
    return combined.shuffle(on="month", npartitions=max(1, len(parts)))


# -- the driver ---------------------------------------------------------------------------------


def run_corpus(
    source: str | Path,
    *,
    watch: Watch,
    dest: str | None = None,
    jobs: Sequence[str] = JOBS,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int = 2,
    dask_processes: bool = True,
) -> CorpusReport:
    """Run ``jobs`` over the batch output at ``source``; write the results under ``dest``
    (``source/corpus`` by default)."""
    unknown = [j for j in jobs if j not in JOBS]
    if unknown:
        raise BatchError(f"unknown corpus job(s) {', '.join(unknown)}; choose from {JOBS}")
    if engine not in ("local", "dask"):
        raise BatchError(f"unknown engine {engine!r} (local or dask)")
    for url in (str(source), dest or ""):
        if is_url(url):
            check_url(url)
    folder = Folder(str(source))
    manifest = read_manifest(folder)
    out = Folder(dest) if dest else Folder(join(folder.url, "corpus"))
    report = CorpusReport(
        source=folder.url,
        dest=out.url,
        jobs=[j for j in JOBS if j in jobs],
        engine=engine if scheduler is None else f"dask@{scheduler}",
    )
    parts = written_partitions(folder)
    report.partitions = len(parts)
    report.missing = sorted(int(f["partition"]) for f in manifest.get("failed", []))
    with _Engine(engine, scheduler=scheduler, workers=workers, processes=dask_processes) as compute:
        started = time.perf_counter()
        links, report.repeated = link(folder, threshold=settings.get_float("dedupe_threshold"))
        report.articles = len(links)
        report.duplicates = int(links["duplicate_of"].notnull().sum())
        _write(out, "links.parquet", links)
        report.seconds["links"] = time.perf_counter() - started
        memberships = None
        if "stories" in jobs:
            started = time.perf_counter()
            memberships = _stories(folder, parts, links, compute, out, report)
            report.seconds["stories"] = time.perf_counter() - started
        if "relations" in jobs:
            started = time.perf_counter()
            camps = {o.id: o.camp for o in watch.outlets}
            frame = _relation_frame(folder, parts, links, camps, memberships) if parts else None
            _relations(frame, compute, out, report)
            report.seconds["relations"] = time.perf_counter() - started
    out.write_text("manifest.json", json.dumps(report.as_dict(), indent=1))
    return report


def _stories(
    folder: Folder,
    parts: Sequence[int],
    links: Any,
    compute: Any,
    out: Folder,
    report: CorpusReport,
) -> Any:
    dask = importlib.import_module("dask")
    pd = _pd()
    tasks = [
        dask.delayed(story_items)(folder.url, p, links[links["partition"] == p]) for p in parts
    ]
    items = [item for chunk in compute(*tasks) for item in chunk]
    memberships, stories, arcs = story_rows(items)
    frame = pd.DataFrame(
        memberships,
        columns=[
            "article_id",
            "rowid",
            "story_id",
            "similarity",
            "centrality",
            "duplicate",
            "skipped",
        ],
    )
    _write(out, "stories/articles.parquet", frame)
    _write(
        out,
        "stories/stories.parquet",
        pd.DataFrame(
            stories,
            columns=[
                "id",
                "first_seen",
                "last_seen",
                "status",
                "articles",
                "duplicates",
                "article_ids",
                "arc_id",
                "arc_similarity",
                "arc_final",
            ],
        ),
    )
    _write(
        out,
        "stories/arcs.parquet",
        pd.DataFrame(
            arcs,
            columns=[
                "id",
                "first_seen",
                "last_seen",
                "stories",
                "articles",
                "duplicates",
                "terms",
                "story_ids",
            ],
        ),
    )
    report.stories = {
        "stories": len(stories),
        "arcs": len(arcs),
        "clustered": int(frame["story_id"].notnull().sum()),
        "skipped": int(frame["skipped"].notnull().sum()),
    }
    return frame


def _relations(frame: Any, compute: Any, out: Folder, report: CorpusReport) -> None:
    dask = importlib.import_module("dask")
    pd = _pd()
    if frame is None:  # no partition written: empty tables with the right columns
        results: Sequence[Any] = [fold_relations(_empty_frame(pd))]
    else:
        results = compute(*[dask.delayed(fold_relations)(p) for p in frame.to_delayed()])
    names: list[str] = []
    points: list[tuple[Any, ...]] = []
    volume: list[tuple[Any, ...]] = []
    for cols, p, v in results:
        names = names or cols
        points += p
        volume += v
    points.sort(key=lambda r: r[:5])
    volume.sort(key=lambda r: r[:3])
    _write(out, "relations/points.parquet", pd.DataFrame(points, columns=names))
    _write(
        out,
        "relations/volume.parquet",
        pd.DataFrame(volume, columns=["camp", "grain", "day", "articles"]),
    )
    report.relations = {
        "points": len(points),
        "dyads": len({(r[0], r[1]) for r in points}),
        "days": len({(r[3], r[4]) for r in points} | {(r[1], r[2]) for r in volume}),
    }


def _empty_frame(pd: Any) -> Any:
    cols = [
        "kind",
        "rowid",
        "id",
        "outlet",
        "camp",
        "published_ts",
        "date_precision",
        "duplicate_of",
        "story_id",
        "event_rowid",
        "instance",
        "type",
        "quad",
        "intensity",
        "source",
        "target",
        "asserted",
        "negated",
        "month",
    ]
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})


def _write(out: Folder, rel: str, frame: Any) -> None:
    pa = importlib.import_module("pyarrow")
    pq = importlib.import_module("pyarrow.parquet")
    table = pa.Table.from_pandas(frame, preserve_index=False)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    out.write_bytes(rel, sink.getvalue().to_pybytes())


class _Engine:
    """``compute(*tasks)`` on Dask threads here (``local``) or on ``dask.distributed``."""

    def __init__(
        self, engine: str, *, scheduler: str | None, workers: int, processes: bool
    ) -> None:
        self.engine, self.scheduler = engine, scheduler
        self.workers, self.processes = workers, processes
        self.client: Any = None
        self.cluster: Any = None

    def __enter__(self) -> Any:
        dask = importlib.import_module("dask")
        if self.engine == "local" and self.scheduler is None:
            return lambda *tasks: dask.compute(*tasks, scheduler="threads")
        try:
            distributed: Any = importlib.import_module("distributed")
        except ImportError as err:
            raise BatchError(
                "the dask engine needs dask.distributed: pip install 'newsparallax[batch]'"
            ) from err
        if self.scheduler is None:
            self.cluster = distributed.LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=self.processes,
                dashboard_address=":0",
                silence_logs=40,
            )
            self.client = distributed.Client(self.cluster)
        else:
            self.client = distributed.Client(self.scheduler)
        client = self.client
        return lambda *tasks: tuple(client.compute(list(tasks), sync=True))

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def read_points(dest: str | Path) -> Iterator[dict[str, Any]]:
    """The relation points a corpus run wrote (rows as dicts)."""
    folder = Folder(str(dest))
    with folder.open("relations/points.parquet") as fh:
        yield from importlib.import_module("pyarrow.parquet").read_table(fh).to_pylist()


__all__ = [
    "FORMAT",
    "JOBS",
    "CorpusReport",
    "fold_relations",
    "link",
    "read_points",
    "run_corpus",
    "story_items",
    "story_rows",
]
