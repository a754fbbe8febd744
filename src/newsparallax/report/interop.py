"""Interoperability: export coded events (GDELT 2.0 event layout, CSV, Parquet, JSON Lines).

**Export.** ``csv``, ``jsonl`` and ``parquet`` write one row per event *report* with its
provenance (article, outlet, camp, URL, evidence sentence, instance). ``gdelt`` writes one row per
real-world event (instance) in the 61 tab-separated columns of a GDELT 2.0 event export (no header
line, like GDELT's ``*.export.CSV`` files): ``GLOBALEVENTID`` from the instance id, ``SQLDATE``
the UTC day of its first report, the actors' codes (ISO alpha-3 codes in ``ActorNCountryCode``,
IGO codes in ``ActorNKnownGroupCode``), the CAMEO code and its base and root, the quad class
(1–4), the Goldstein scale, ``NumMentions`` (reports), ``NumSources`` (outlets), ``NumArticles``,
``DATEADDED`` (first report's publication, YYYYMMDDHHMMSS) and ``SOURCEURL`` (first report's
URL). Parallax has no tone or geocoding: ``AvgTone`` and the geography columns stay empty (the
geo types 0). Negated events, events in syndicated copies and events dated only to the month or
year are not written in the GDELT layout (GDELT has no way to say so).

GDELT import: :mod:`newsparallax.acquire.gdelt`.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from ..acquire.gdelt import GDELT_CAMP, GDELT_COLUMNS, QUAD_CLASS
from ..acquire.gdelt import InteropError as InteropError
from ..acquire.gdelt import import_gdelt as import_gdelt  # for cli.relations
from ..annotate.events.lexicon import load_lexicon
from ..periods import date_bound
from ..store.database import Store

FORMATS = ("gdelt", "csv", "jsonl", "parquet")
REPORT_COLUMNS = (
    "instance",
    "type",
    "mode",
    "cameo",
    "quad",
    "intensity",
    "source",
    "target",
    "source_actor",
    "target_actor",
    "asserted",
    "attributed_to",
    "negated",
    "confidence",
    "coder",
    "trigger",
    "evidence",
    "field",
    "sentence_start",
    "sentence_end",
    "article",
    "url",
    "title",
    "published",
    "date_precision",
    "day",
    "outlet",
    "camp",
    "language",
    "duplicate_of",
)


@dataclass(frozen=True, slots=True)
class ExportFilter:
    source: str | None = None
    target: str | None = None
    since: str | None = None
    until: str | None = None
    camp: str | None = None
    include_negated: bool = True
    include_duplicates: bool = False
    include_imported: bool = False
    """Also the events of imported sources (camp ``gdelt``)."""


@dataclass
class ExportSummary:
    format: str
    rows: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {"format": self.format, "rows": self.rows, "skipped": dict(self.skipped)}


def _report_rows(store: Store, flt: ExportFilter) -> Iterator[dict[str, Any]]:

    where = ["1"]
    params: list[Any] = []
    for column, value in (("e.source", flt.source), ("e.target", flt.target)):
        if value:
            where.append(f"{column} = ?")
            params.append(value.upper())
    lower, upper = date_bound(flt.since, end=False), date_bound(flt.until, end=True)
    if lower is not None:
        where.append("a.published_ts >= ?")
        params.append(lower)
    if upper is not None:
        where.append("a.published_ts <= ?")
        params.append(upper)
    if flt.camp:
        where.append("o.camp = ?")
        params.append(flt.camp)
    elif not flt.include_imported:
        where.append("COALESCE(o.camp, '') != ?")
        params.append(GDELT_CAMP)
    if not flt.include_negated:
        where.append("e.negated = 0")
    if not flt.include_duplicates:
        where.append("a.duplicate_of IS NULL")
    sql = (
        "SELECT e.rowid AS event_rowid, e.*, a.id AS article_id, a.url, a.title, a.summary,"
        " a.text, a.published, a.published_ts, a.date_precision, a.outlet, a.language,"
        " a.duplicate_of, o.camp FROM events e JOIN articles a ON a.rowid = e.article_rowid"
        " LEFT JOIN outlets o ON o.id = a.outlet WHERE " + " AND ".join(where) + ""
        " ORDER BY a.published_ts, a.rowid, e.rowid"
    )
    for r in store.conn.execute(sql, params):
        fld = r["field"] or "text"
        text = {"title": r["title"], "summary": r["summary"]}.get(fld, r["text"]) or ""
        ts = r["published_ts"]
        yield {
            "instance": r["instance"] or f"r{r['event_rowid']}",
            "type": r["type"],
            "mode": r["mode"],
            "cameo": r["cameo"],
            "quad": r["quad"],
            "intensity": r["intensity"],
            "source": r["source"],
            "target": r["target"],
            "source_actor": r["source_actor"],
            "target_actor": r["target_actor"],
            "asserted": bool(r["asserted"]),
            "attributed_to": r["attributed_to"],
            "negated": bool(r["negated"]),
            "confidence": r["confidence"],
            "coder": r["coder"],
            "trigger": r["trigger"],
            "evidence": text[r["sentence_start"] : r["sentence_end"]].strip(),
            "field": fld,
            "sentence_start": r["sentence_start"],
            "sentence_end": r["sentence_end"],
            "article": r["article_id"],
            "url": r["url"],
            "title": r["title"],
            "published": r["published"],
            "date_precision": r["date_precision"],
            "day": datetime.fromtimestamp(ts, UTC).date().isoformat() if ts is not None else None,
            "outlet": r["outlet"],
            "camp": r["camp"],
            "language": r["language"],
            "duplicate_of": r["duplicate_of"],
            "_ts": ts,
        }


def export_events(
    store: Store, out: IO[str] | IO[bytes] | str | Path, fmt: str, flt: ExportFilter | None = None
) -> ExportSummary:
    """Write the events matching ``flt`` to ``out`` (a path, or an open text stream for the text
    formats, a binary one for parquet) in ``fmt`` (see :data:`FORMATS`)."""
    flt = flt or ExportFilter()
    if fmt not in FORMATS:
        raise InteropError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    summary = ExportSummary(format=fmt)
    if fmt == "parquet":
        _export_parquet(store, out, flt, summary)
        return summary
    if isinstance(out, str | Path):
        with open(out, "w", encoding="utf-8", newline="") as handle:
            _export_text(store, handle, fmt, flt, summary)
    else:
        if isinstance(out, io.BufferedIOBase | io.RawIOBase):
            raise InteropError(f"{fmt} is written to a text stream")
        _export_text(store, out, fmt, flt, summary)  # type: ignore[arg-type]
    return summary


def _export_text(
    store: Store, out: IO[str], fmt: str, flt: ExportFilter, summary: ExportSummary
) -> None:
    if fmt == "jsonl":
        for row in _report_rows(store, flt):
            row.pop("_ts")
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            summary.rows += 1
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(REPORT_COLUMNS), extrasaction="ignore")
        writer.writeheader()
        for row in _report_rows(store, flt):
            writer.writerow(row)
            summary.rows += 1
    else:
        writer_tsv = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE)
        for gdelt_row in gdelt_rows(store, flt, summary):
            writer_tsv.writerow([_clean_cell(v) for v in gdelt_row])
            summary.rows += 1


def _clean_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def _export_parquet(
    store: Store, out: IO[Any] | str | Path, flt: ExportFilter, summary: ExportSummary
) -> None:
    try:
        pa = importlib.import_module("pyarrow")
        pq = importlib.import_module("pyarrow.parquet")
    except ImportError as err:
        raise InteropError(
            "parquet needs pyarrow: pip install 'newsparallax[parquet]' (or pyarrow)"
        ) from err
    columns: dict[str, list[Any]] = {c: [] for c in REPORT_COLUMNS}
    for row in _report_rows(store, flt):
        for c in REPORT_COLUMNS:
            columns[c].append(row[c])
        summary.rows += 1
    types = {
        "intensity": pa.float64(),
        "confidence": pa.float64(),
        "asserted": pa.bool_(),
        "negated": pa.bool_(),
        "sentence_start": pa.int64(),
        "sentence_end": pa.int64(),
    }
    schema = pa.schema([(c, types.get(c, pa.string())) for c in REPORT_COLUMNS])
    table = pa.Table.from_pydict(columns, schema=schema)
    pq.write_table(table, out if not isinstance(out, Path) else str(out))


def _split_code(code: str | None) -> tuple[str, str]:
    """(country code, known group code) of a Parallax actor country code."""
    if not code:
        return "", ""
    if len(code) == 3 and code.isalpha() and code.isupper():
        return code, ""
    return "", code


def _actor_name(actor: str | None, code: str | None) -> str:
    value = actor or code or ""
    return value.replace("-", " ").replace("_", " ").upper()


def _event_id(instance: str, fallback: int) -> int:
    try:
        return int(instance[:15], 16)
    except ValueError:
        return fallback


def gdelt_rows(
    store: Store, flt: ExportFilter | None = None, summary: ExportSummary | None = None
) -> Iterator[list[Any]]:
    """One GDELT 2.0 event row (61 values) per real-world event (instance), oldest first."""
    flt = flt or ExportFilter()
    summary = summary or ExportSummary(format="gdelt")
    flt = replace(flt, include_negated=False, include_duplicates=False)
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in _report_rows(store, flt):
        if row["published"] is None or (row["date_precision"] or "").startswith(("month", "year")):
            summary.skipped["vague or no date"] += 1
            continue
        if not row["cameo"]:
            summary.skipped["no CAMEO code"] += 1
            continue
        key = f"{row['instance']}|{row['source']}|{row['target']}"
        groups.setdefault(key, []).append(row)
    lexicon = load_lexicon()
    for n, reports in enumerate(groups.values(), 1):
        first = min(reports, key=lambda r: (r["_ts"], r["article"]))
        cameo = Counter(r["cameo"] for r in reports).most_common(1)[0][0]
        code = lexicon.code(cameo)
        day = date.fromisoformat(first["day"])
        quad = first["quad"] or (code.quad if code else None)
        added = datetime.fromtimestamp(first["_ts"], UTC).strftime("%Y%m%d%H%M%S")
        a1_country, a1_group = _split_code(first["source"])
        a2_country, a2_group = _split_code(first["target"])
        out: dict[str, Any] = dict.fromkeys(GDELT_COLUMNS, "")
        out.update(
            GLOBALEVENTID=_event_id(first["instance"], n),
            SQLDATE=day.strftime("%Y%m%d"),
            MonthYear=day.strftime("%Y%m"),
            Year=day.year,
            FractionDate=f"{day.year + (day.month * 30 + day.day) / 365:.4f}",
            Actor1Code=first["source"] or "",
            Actor1Name=_actor_name(first["source_actor"], first["source"]),
            Actor1CountryCode=a1_country,
            Actor1KnownGroupCode=a1_group,
            Actor2Code=first["target"] or "",
            Actor2Name=_actor_name(first["target_actor"], first["target"]),
            Actor2CountryCode=a2_country,
            Actor2KnownGroupCode=a2_group,
            IsRootEvent=int(any(r["field"] == "title" for r in reports)),
            EventCode=cameo,
            EventBaseCode=cameo[:3],
            EventRootCode=cameo[:2],
            QuadClass=QUAD_CLASS.get(quad or "", ""),
            GoldsteinScale=f"{float(first['intensity']):.1f}",
            NumMentions=len(reports),
            NumSources=len({r["outlet"] for r in reports}),
            NumArticles=len({r["article"] for r in reports}),
            Actor1Geo_Type=0,
            Actor2Geo_Type=0,
            ActionGeo_Type=0,
            DATEADDED=added,
            SOURCEURL=first["url"] or f"parallax:{first['article']}",
        )
        yield [out[c] for c in GDELT_COLUMNS]
