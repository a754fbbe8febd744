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
from ..annotate.events.lexicon import load_lexicon
from ..store.database import Store
from ..store.events import event_reports

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


class InteropError(ValueError):
    """A bad export request."""


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
    below_threshold: bool = False
    """Also the events below the confidence threshold (which count nowhere)."""


@dataclass
class ExportSummary:
    format: str
    rows: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {"format": self.format, "rows": self.rows, "skipped": dict(self.skipped)}


def _report_rows(store: Store, flt: ExportFilter) -> Iterator[dict[str, Any]]:
    return event_reports(
        store,
        source=flt.source,
        target=flt.target,
        since=flt.since,
        until=flt.until,
        camp=flt.camp,
        exclude_camp=None if flt.include_imported else GDELT_CAMP,
        include_negated=flt.include_negated,
        include_duplicates=flt.include_duplicates,
        below_threshold=flt.below_threshold,
    )


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
            row.pop("published_ts")
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
        first = min(reports, key=lambda r: (r["published_ts"], r["article"]))
        cameo = Counter(r["cameo"] for r in reports).most_common(1)[0][0]
        code = lexicon.code(cameo)
        day = date.fromisoformat(first["day"])
        quad = first["quad"] or (code.quad if code else None)
        added = datetime.fromtimestamp(first["published_ts"], UTC).strftime("%Y%m%d%H%M%S")
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
