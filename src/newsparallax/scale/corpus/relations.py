"""Corpus job 3, relations: article and event rows shuffled by month and folded by the store
job's own code."""

from __future__ import annotations

import importlib
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ...acquire.remote import Folder
from ..batch import read_table
from ..batch.extras import import_dataframes, import_pandas, import_parquet
from .engine import write_frame
from .manifest import CorpusReport

_EVENT_VALUES = ("instance", "type", "quad", "intensity", "source", "target", "asserted", "negated")
"""The columns of an event read from the batch output and given to the fold as they are."""
_EVENT_COLUMNS = ("article_id", "ordinal", *_EVENT_VALUES)
_ARTICLE_ROW = (
    "id",
    "outlet",
    "camp",
    "published_ts",
    "date_precision",
    "duplicate_of",
    "story_id",
)
_EVENT_ROW = ("event_rowid", *_EVENT_VALUES)
"""Rows to fold: article rows (``kind`` "a") carry ``rowid``, the ``_ARTICLE_ROW`` columns and
``month``; event rows (``kind`` "e") ``rowid``, the ``_EVENT_ROW`` columns and ``month``."""


def fold_relations(frame: Any) -> tuple[list[str], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Points and volumes of the months in ``frame`` (article rows ``kind == "a"`` and event rows
    ``kind == "e"``), computed by :func:`newsparallax.analyze.relations.rebuild` on a scratch
    store."""
    from ...analyze import relations
    from ...store.database import Store

    pd = import_pandas()
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


def relation_frame(
    source: Folder,
    parts: Sequence[int],
    links: Any,
    camps: dict[str, str | None],
    memberships: Any,
) -> Any:
    """Article and event rows of the stored articles, shuffled so each month is in one
    partition (a Dask dataframe)."""
    dd = import_dataframes()
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
    a_cols = ["rowid", *_ARTICLE_ROW, "month"]
    e_cols = ["rowid", *_EVENT_ROW, "month"]
    combined = dd.concat(
        [arts[a_cols].assign(kind="a"), events[e_cols].assign(kind="e")],
        interleave_partitions=True,
    )
    return combined.shuffle(on="month", npartitions=max(1, len(parts)))


def write_relations(frame: Any, compute: Any, out: Folder, report: CorpusReport) -> None:
    """Fold ``frame`` (see :func:`relation_frame`) month by month on the engine and write
    ``relations/points.parquet`` and ``relations/volume.parquet``."""
    dask = importlib.import_module("dask")
    pd = import_pandas()
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
    write_frame(out, "relations/points.parquet", pd.DataFrame(points, columns=names))
    write_frame(
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
    cols = ["kind", "rowid", *_ARTICLE_ROW, *_EVENT_ROW, "month"]
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})


def read_points(dest: str | Path) -> Iterator[dict[str, Any]]:
    """The relation points a corpus run wrote (rows as dicts)."""
    folder = Folder(str(dest))
    with folder.open("relations/points.parquet") as fh:
        yield from import_parquet().read_table(fh).to_pylist()
