"""Interoperability: export coded events (GDELT 2.0 event layout, CSV, Parquet, JSON Lines) and
import GDELT 2.0 event exports as a source of events of their own.

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

**Import.** ``import_gdelt`` reads GDELT 2.0 event exports (tab-separated, 61 columns, optionally
zipped as GDELT distributes them, or gzipped) and stores each row as one event of a textless
*pseudo-article* ``gdelt:<GLOBALEVENTID>`` of the outlet ``gdelt`` in the camp ``gdelt`` (the
row's ``SOURCEURL`` as its URL, the GDELT fields in its ``extra``): the relation index keeps the
camp apart from ``*``, so GDELT's view of a dyad and Parallax's own coding sit side by side in one
chart (``parallax relation IRN RUS --camp gdelt``). The PLOVER type, mode and quad come from the
CAMEO code through the shipped crosswalk. Importing the same file again stores nothing new.
"""

from __future__ import annotations

import csv
import gzip
import importlib
import io
import json
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from ..annotate.events.lexicon import load_lexicon
from ..periods import date_bound
from ..records import Article, DatePrecision, Event, Outlet
from ..store.database import Store

GDELT_CAMP = "gdelt"
GDELT_OUTLET = "gdelt"
GDELT_COLUMNS = (
    "GLOBALEVENTID SQLDATE MonthYear Year FractionDate"
    " Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode"
    " Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code"
    " Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode"
    " Actor2Religion1Code Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code"
    " IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale NumMentions"
    " NumSources NumArticles AvgTone"
    " Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code"
    " Actor1Geo_ADM2Code Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID"
    " Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code"
    " Actor2Geo_ADM2Code Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID"
    " ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code"
    " ActionGeo_ADM2Code ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL"
).split()
"""The 61 columns of a GDELT 2.0 event export, in order."""
QUAD_CLASS = {
    "verbal_cooperation": 1,
    "material_cooperation": 2,
    "verbal_conflict": 3,
    "material_conflict": 4,
}
QUAD_NAME = {v: k for k, v in QUAD_CLASS.items()}
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
    """A bad export request or an unreadable import file."""


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


# -- import -----------------------------------------------------------------------------------


@dataclass
class ImportSummary:
    files: int = 0
    rows: int = 0
    stored: int = 0
    unchanged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    errors: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "rows": self.rows,
            "stored": self.stored,
            "unchanged": self.unchanged,
            "skipped": dict(self.skipped),
            "errors": self.errors,
        }


def _open_lines(path: Path) -> Iterator[tuple[str, Iterable[str]]]:
    """(name, text lines) of a GDELT file: plain, gzip, or a zip of one or more files."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                with archive.open(info) as raw:
                    text = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")
                    yield f"{path}!{info.filename}", text
        return
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        with gzip.open(path, "rt", encoding="utf-8", errors="replace", newline="") as handle:
            yield str(path), handle
        return
    with path.open("r", encoding="utf-8", errors="replace", newline="") as handle:
        yield str(path), handle


def _code_of(country: str, group: str, code: str) -> str | None:
    if country:
        return country
    if group:
        return group
    return code[:3] if len(code) >= 3 else None


def parse_gdelt_row(cells: list[str]) -> tuple[Event, dict[str, Any]] | None:
    """The event of one GDELT 2.0 export row and its fields; ``None`` for an uncodable row."""
    if len(cells) < len(GDELT_COLUMNS):
        raise InteropError(f"{len(cells)} columns, a GDELT 2.0 event row has {len(GDELT_COLUMNS)}")
    row = dict(zip(GDELT_COLUMNS, cells, strict=False))
    cameo = row["EventCode"].strip()
    lexicon = load_lexicon()
    code = lexicon.code(cameo) or lexicon.code(row["EventBaseCode"].strip())
    code = code or lexicon.code(row["EventRootCode"].strip())
    if code is None:
        return None
    try:
        quad_class = int(row["QuadClass"])
    except ValueError:
        quad_class = 0
    try:
        goldstein = float(row["GoldsteinScale"])
    except ValueError:
        goldstein = code.goldstein
    source = _code_of(row["Actor1CountryCode"], row["Actor1KnownGroupCode"], row["Actor1Code"])
    target = _code_of(row["Actor2CountryCode"], row["Actor2KnownGroupCode"], row["Actor2Code"])
    event = Event(
        type=code.type,
        mode=code.mode,
        source=source,
        target=target,
        source_actor=row["Actor1Code"] or None,
        target_actor=row["Actor2Code"] or None,
        sentence_start=0,
        sentence_end=0,
        trigger=f"{cameo} {code.label}".strip(),
        quad=QUAD_NAME.get(quad_class, code.quad),
        intensity=goldstein,
        cameo=cameo or code.cameo,
        asserted=True,
        negated=False,
        confidence=1.0,
        coder="gdelt2",
        field="text",
        instance=f"gdelt-{row['GLOBALEVENTID']}",
    )
    return event, row


def _sqldate(value: str) -> datetime:
    return datetime.strptime(value.strip()[:8], "%Y%m%d").replace(tzinfo=UTC)


def ensure_gdelt_outlet(store: Store) -> None:
    """The outlet ``gdelt`` in the camp ``gdelt`` (not part of any watch)."""
    store.sync_outlets(
        [
            Outlet(
                id=GDELT_OUTLET,
                name="GDELT 2.0 event export",
                domains=("gdeltproject.org",),
                camp=GDELT_CAMP,
                evidence="Events imported from GDELT 2.0 event export files (machine-coded).",
            )
        ],
        watch="import:gdelt",
    )


def import_gdelt(
    store: Store,
    paths: Iterable[str | Path],
    *,
    countries: Iterable[str] = (),
) -> ImportSummary:
    """Store the rows of GDELT 2.0 event export files as events of the camp ``gdelt``.

    With ``countries``, only rows whose actor 1 or actor 2 is one of them are kept."""
    only = {c.upper() for c in countries if c}
    summary = ImportSummary()
    ensure_gdelt_outlet(store)
    for raw_path in paths:
        path = Path(raw_path)
        if not path.is_file():
            summary.errors.append({"input": str(path), "code": "missing", "reason": "no such file"})
            continue
        summary.files += 1
        try:
            for name, lines in _open_lines(path):
                _import_lines(store, name, lines, only, summary)
        except (OSError, zipfile.BadZipFile, EOFError, UnicodeDecodeError) as err:
            summary.errors.append({"input": str(path), "code": "unreadable", "reason": str(err)})
    return summary


def _import_lines(
    store: Store, name: str, lines: Iterable[str], only: set[str], summary: ImportSummary
) -> None:
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    batch = 0
    store.begin()
    try:
        for lineno, cells in enumerate(reader, 1):
            if not cells or (lineno == 1 and cells[0].strip().upper() == "GLOBALEVENTID"):
                continue
            summary.rows += 1
            try:
                parsed = parse_gdelt_row(cells)
                if parsed is None:
                    summary.skipped["unknown CAMEO code"] += 1
                    continue
                event, row = parsed
                published = _sqldate(row["SQLDATE"])
            except (InteropError, ValueError) as err:
                summary.skipped["bad row"] += 1
                if len(summary.errors) < 100:
                    summary.errors.append(
                        {"input": f"{name}:{lineno}", "code": "bad-row", "reason": str(err)}
                    )
                continue
            if only and not ({event.source, event.target} & only):
                summary.skipped["other countries"] += 1
                continue
            article = Article(
                id=f"gdelt:{row['GLOBALEVENTID']}",
                url=row["SOURCEURL"] or None,
                outlet=GDELT_OUTLET,
                domain="gdeltproject.org",
                published=published,
                date_precision=DatePrecision.DAY,
                title="",
                text="",
                language="und",
                source=f"{name}:{lineno}",
                collection="gdelt",
                extractor="gdelt-import",
                stages=("gdelt-import.v1",),
                events=(event,),
                extra={
                    "gdelt": {
                        k: row[k]
                        for k in (
                            "GLOBALEVENTID",
                            "SQLDATE",
                            "Actor1Code",
                            "Actor1Name",
                            "Actor2Code",
                            "Actor2Name",
                            "EventCode",
                            "QuadClass",
                            "GoldsteinScale",
                            "NumMentions",
                            "NumSources",
                            "NumArticles",
                            "AvgTone",
                            "IsRootEvent",
                            "DATEADDED",
                        )
                    }
                },
            )
            if store.add(article) is None:
                summary.unchanged += 1
            else:
                summary.stored += 1
            batch += 1
            if batch >= 2000:
                store.commit()
                store.begin()
                batch = 0
    finally:
        store.commit()
