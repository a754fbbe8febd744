"""Readers: turn input paths (and standard input) into :class:`~newsparallax.annotate.pipeline.Doc`
items.

Formats are recognised by content, not only by name: gzip is looked through, ``WARC/`` starts a
WARC file, ``{`` a JSON Lines file, markup an HTML page; a folder is read recursively in name
order. Every problem becomes an :class:`~newsparallax.errors.InputProblem` in the stream, and
reading goes on: a truncated gzip keeps the records before the break, a corrupt WARC record keeps
the records before it, one bad JSON line costs only that line. Files, standard input and fsspec
files are read as streams, never whole: a page or a JSON Lines line of more than ``max_bytes``
(``PARALLAX_MAX_PAGE_BYTES``; a line counted in bytes, so in UTF-8) is a ``too-large`` problem,
skipped without being held in memory — a gzip bomb costs time, not memory. The formats and the
JSON Lines schema are :mod:`newsparallax.acquire.formats`'; fsspec URLs are
:mod:`newsparallax.acquire.remote`'.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from ..errors import InputProblem
from .formats import SKIP_NAMES, Item, read_stream
from .remote import is_url, list_url, read_url

log = logging.getLogger(__name__)


def read_inputs(
    paths: Sequence[str], *, stdin: IO[bytes] | None = None, max_bytes: int = 16 * 1024 * 1024
) -> Iterator[Item]:
    """Yield docs and problems for each path; ``-`` reads standard input."""
    for raw in paths:
        if raw == "-":
            fh = stdin if stdin is not None else io.BytesIO()
            yield from _guarded("<stdin>", read_stream("<stdin>", fh, max_bytes=max_bytes))
            continue
        if is_url(raw):  # s3://, gs://, hdfs://, file://, memory://: read through fsspec
            yield from _guarded(raw, read_url(raw, max_bytes=max_bytes))
            continue
        listed = list_input(raw)
        if isinstance(listed, InputProblem):
            yield listed
            continue
        for name, _ in listed:
            yield from _guarded(name, _read_file(Path(name), max_bytes=max_bytes))


def _guarded(name: str, items: Iterator[Item]) -> Iterator[Item]:
    """``items``, ended by an ``internal`` problem for ``name`` should reading it raise
    something unexpected (a bug, or a library failing on a hostile file): one input never
    stops the run."""
    try:
        yield from items
    except Exception as err:
        log.error("reading %s failed", name, exc_info=True)
        yield InputProblem(
            input=name,
            code="internal",
            reason=f"reading stopped on an unexpected error: {type(err).__name__}: {err}",
        )


def list_input(raw: str) -> list[tuple[str, int]] | InputProblem:
    """The files behind one input path or URL as ``(path or URL, bytes)``, in the order
    :func:`read_inputs` reads them (each, read alone, yields the same items), or the problem
    that stops reading it. ``parallax batch`` plans its units of work with this."""
    if is_url(raw):
        return list_url(raw)
    path = Path(raw)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.name not in SKIP_NAMES)
        if not files:
            return InputProblem(input=str(path), code="empty", reason="folder has no files")
        return [(str(f), _size(f)) for f in files]
    if path.is_file():
        return [(raw, _size(path))]
    return InputProblem(input=raw, code="not-found", reason="no such file or folder")


def _size(path: Path) -> int:
    """Bytes of ``path``; 0 when it cannot be read (reading it then records the problem)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _read_file(path: Path, *, max_bytes: int) -> Iterator[Item]:
    try:
        fh = path.open("rb")
    except OSError as err:
        yield InputProblem(input=str(path), code="unreadable", reason=str(err))
        return
    with fh:
        yield from read_stream(str(path), fh, max_bytes=max_bytes)
