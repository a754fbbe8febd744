"""The Parquet files of a batch run: their schemas (derived from the record dataclasses), the
rows of one partition, writing them and reading them back."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from ...acquire.remote import Folder
from ...annotate.pipeline import Doc
from ...records import Article, Event, Mention, Outlet, ThemeTag
from ...store.rows import article_from_row, event_from_row, mention_from_row, theme_from_row
from .extras import import_parquet, import_pyarrow
from .partitions import TABLES, as_folder, part_name

# -- Parquet schemas, derived from the record dataclasses ---------------------------------------

_SCALARS = {"int": "int64", "str": "string", "float": "float64", "bool": "bool_"}


def _fields_schema(cls: type, *, prefix: Sequence[tuple[str, Any]]) -> Any:
    """A pyarrow schema: the ``prefix`` columns, then one column per dataclass field."""
    pa = import_pyarrow()
    columns = list(prefix)
    for f in dataclasses.fields(cls):
        hint = str(f.type).replace(" | None", "").strip()
        if hint in _SCALARS:
            columns.append((f.name, getattr(pa, _SCALARS[hint])()))
        else:  # nested values (theme evidence): JSON text
            columns.append((f.name, pa.string()))
    return pa.schema(columns)


def _annotation_prefix() -> list[tuple[str, Any]]:
    pa = import_pyarrow()
    return [("article_id", pa.string()), ("ordinal", pa.int32())]


def _schemas() -> dict[str, Any]:
    pa = import_pyarrow()
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


def article_row(doc: Doc, article: Article, *, partition: int, position: int) -> dict[str, Any]:
    """The ``articles`` row of one article (``position``: its place in the partition)."""
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


def annotation_rows(article_id: str, records: Iterable[Any]) -> list[dict[str, Any]]:
    """The ``mentions``, ``events`` or ``themes`` rows of one article, in order."""
    rows = []
    for ordinal, rec in enumerate(records):
        row: dict[str, Any] = {"article_id": article_id, "ordinal": ordinal}
        for f in dataclasses.fields(rec):
            value = getattr(rec, f.name)
            row[f.name] = json.dumps(value) if isinstance(value, tuple | list | dict) else value
        rows.append(row)
    return rows


def write_partition(out: Folder, index: int, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Write one partition's Parquet file of each table (the marker comes after)."""
    pa = import_pyarrow()
    schemas = _schemas()
    for name in TABLES:
        table = pa.Table.from_pylist(rows[name], schema=schemas[name])
        write_table(out, f"{name}/{part_name(index)}.parquet", table)


def write_table(out: Folder, rel: str, table: Any) -> None:
    """Write a pyarrow table as the Parquet file ``rel`` under ``out`` (in one write, so an
    object store gets it whole)."""
    pa, pq = import_pyarrow(), import_parquet()
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    out.write_bytes(rel, sink.getvalue().to_pybytes())


def signature_of(raw: bytes | None) -> Any:
    """The MinHash signature stored in the ``signature`` column (uint32 values), or None."""
    return np.frombuffer(raw, dtype=np.uint32).copy() if raw is not None else None


def read_table(out: str | Path | Folder, table: str, index: int, **options: Any) -> Any:
    """One partition's Parquet file of ``table`` as a pyarrow table (``columns=`` ...)."""
    folder = as_folder(out)
    with folder.open(f"{table}/{part_name(index)}.parquet") as fh:
        return import_parquet().read_table(fh, **options)


def read_articles(
    out: str | Path | Folder, index: int
) -> Iterator[tuple[Article, Outlet, Any, Any]]:
    """The articles of one partition: ``(article, outlet, signature, canonical_url)``."""
    base = as_folder(out)
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
        yield article, outlet, signature_of(row["signature"]), row["canonical_url"]


def _ordered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: int(r["ordinal"]))
