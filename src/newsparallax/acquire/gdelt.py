"""GDELT 2.0 event exports read as a source of events of their own.

``import_gdelt`` reads GDELT 2.0 event exports (tab-separated, 61 columns, optionally
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
import io
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..annotate.events.lexicon import load_lexicon
from ..records import Article, DatePrecision, Event, Outlet
from ..store.bulk import add_in_batches
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


class GdeltError(ValueError):
    """A line that is not a GDELT 2.0 event row."""


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
        raise GdeltError(f"{len(cells)} columns, a GDELT 2.0 event row has {len(GDELT_COLUMNS)}")
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
                for stored in add_in_batches(store, _articles(name, lines, only, summary)):
                    if stored:
                        summary.stored += 1
                    else:
                        summary.unchanged += 1
        except (OSError, zipfile.BadZipFile, EOFError, UnicodeDecodeError) as err:
            summary.errors.append({"input": str(path), "code": "unreadable", "reason": str(err)})
    return summary


def _articles(
    name: str, lines: Iterable[str], only: set[str], summary: ImportSummary
) -> Iterator[Article]:
    """The pseudo-article of each codable row of ``lines`` (rows read, skipped and bad counted
    in ``summary``); with ``only``, the rows with one of those actor countries."""
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
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
        except ValueError as err:  # a GdeltError, or a bad SQLDATE
            summary.skipped["bad row"] += 1
            if len(summary.errors) < 100:
                summary.errors.append(
                    {"input": f"{name}:{lineno}", "code": "bad-row", "reason": str(err)}
                )
            continue
        if only and not ({event.source, event.target} & only):
            summary.skipped["other countries"] += 1
            continue
        yield Article(
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
