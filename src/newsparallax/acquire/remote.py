"""Files behind fsspec URLs (``s3://``, ``gs://``, ``hdfs://``, ``file://``, ``memory://`` ...).

``batch`` reads its inputs and writes its output through this module, so the same command runs
against local folders and cloud storage. A plain path (no ``scheme://``) stays a local path and
is handled by :mod:`newsparallax.acquire.readers` as before; web addresses (``http://``, ``https://``)
are refused here: pages on the web are fetched by the live monitor (``parallax watch``, with
``parallax feeds add``), with its politeness and network guards.

:func:`filesystem` turns a URL into an fsspec filesystem and a path on it, and explains a
missing package (``s3://`` needs ``s3fs``) instead of failing with an import error.
:func:`read_url` yields the docs and problems of a file or folder URL with the same format
detection as local inputs. :class:`Folder` is a folder on any filesystem with the few
operations a batch output needs (atomic-enough writes, listing, reading).
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterator
from typing import Any

from ..annotate.pipeline import Doc
from ..errors import InputProblem, ParallaxError
from .formats import SKIP_NAMES, read_stream

Item = Doc | InputProblem

_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")
_WEB = ("http", "https")
_PACKAGES = {
    "s3": "s3fs",
    "s3a": "s3fs",
    "gs": "gcsfs",
    "gcs": "gcsfs",
    "abfs": "adlfs",
    "az": "adlfs",
    "adl": "adlfs",
    "hdfs": "pyarrow (with a Hadoop client: libhdfs and Java)",
    "webhdfs": "requests",
    "sftp": "paramiko",
    "ssh": "paramiko",
    "oci": "ocifs",
}


class RemoteError(ParallaxError):
    """A URL cannot be used: unknown protocol, missing package, unreachable filesystem."""


def is_url(value: str) -> bool:
    """True for ``scheme://...`` (not for local paths, ``-`` or Windows drive letters)."""
    m = _URL.match(value)
    return m is not None and len(m.group(1)) > 1


def protocol(url: str) -> str:
    m = _URL.match(url)
    return m.group(1).lower() if m else "file"


def check_url(url: str) -> None:
    """Raise :class:`RemoteError` when ``url`` cannot be opened with what is installed."""
    proto = protocol(url)
    if proto in _WEB:
        raise RemoteError(
            f"{url}: web pages are not read as files; add the site's feed with"
            " `parallax feeds add` and fetch it with `parallax watch`"
        )
    fsspec = _fsspec()
    try:
        fsspec.get_filesystem_class(proto)
    except ImportError as err:
        package = _PACKAGES.get(proto)
        hint = f"pip install {package}" if package and " " not in package else package
        raise RemoteError(
            f"{proto}:// needs a package that is not installed"
            + (f": {hint}" if hint else f" ({err})")
        ) from err
    except ValueError as err:
        raise RemoteError(f"{url}: unknown protocol {proto}:// ({err})") from err


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec filesystem of ``url`` and the path on it (options from the URL and the
    filesystem's own configuration: credentials come from the usual environment)."""
    check_url(url)
    try:
        fs, path = _fsspec().core.url_to_fs(url)
    except Exception as err:  # bad options, unreachable endpoint
        raise RemoteError(f"cannot open {url}: {type(err).__name__}: {err}") from err
    return fs, str(path)


def _fsspec() -> Any:
    try:
        return importlib.import_module("fsspec")
    except ImportError as err:  # pragma: no cover - fsspec comes with dask and pyarrow
        raise RemoteError("reading URLs needs fsspec: pip install 'newsparallax[batch]'") from err


def join(base: str, *parts: str) -> str:
    return "/".join([base.rstrip("/"), *(p.strip("/") for p in parts)])


# -- reading inputs -----------------------------------------------------------------------------


def read_url(url: str, *, max_bytes: int) -> Iterator[Item]:
    """Docs and problems of a file, folder or glob URL, in name order (as local folders)."""
    listed = _listing(url)
    if isinstance(listed, InputProblem):
        yield listed
        return
    fs, files = listed
    for file in files:
        yield from _read_remote_file(fs, file, name=_name(fs, file), max_bytes=max_bytes)


def list_url(url: str) -> list[tuple[str, int]] | InputProblem:
    """The files of a file, folder or glob URL as ``(url, bytes)`` in the order
    :func:`read_url` reads them (each URL, read alone, yields the same docs), or the problem
    that stops reading it (not found, empty folder, unreachable)."""
    listed = _listing(url)
    if isinstance(listed, InputProblem):
        return listed
    fs, files = listed
    return [(_name(fs, f), size) for f, size in files.items()]


def _listing(url: str) -> tuple[Any, dict[str, int]] | InputProblem:
    """The filesystem of ``url`` and its files with their sizes, or the problem that stops
    reading it."""
    try:
        fs, path = filesystem(url)
        files = _file_sizes(fs, path)
    except (RemoteError, OSError) as err:
        reason = str(err) if isinstance(err, RemoteError) else f"{type(err).__name__}: {err}"
        return InputProblem(input=url, code="unreadable", reason=reason)
    if files is None:
        return InputProblem(input=url, code="not-found", reason="no such file or folder")
    if not files:
        return InputProblem(input=url, code="empty", reason="folder has no files")
    return fs, files


def _file_sizes(fs: Any, path: str) -> dict[str, int] | None:
    """The files at ``path`` (itself, a folder's files, recursively, or a glob's matches) with
    their sizes, in name order, from the listings themselves (one request per thousand objects
    on an object store, not one per file); ``None`` when nothing is there."""

    if any(ch in path for ch in "*?["):
        found = fs.glob(path, detail=True)
        return {p: _size(i) for p, i in sorted(found.items()) if i.get("type") == "file"}
    if not fs.exists(path):
        return None
    if fs.isdir(path):
        found = fs.find(path, detail=True)
        return {
            p: _size(i)
            for p, i in sorted(found.items())
            if p.rsplit("/", 1)[-1] not in SKIP_NAMES and i.get("type", "file") == "file"
        }
    return {path: _size(fs.info(path))}


def _size(info: dict[str, Any]) -> int:
    return int(info.get("size") or 0)


def _name(fs: Any, path: str) -> str:
    """The input's name in problems and ``Doc.source``: the URL it came from."""
    return str(fs.unstrip_protocol(path))


def _read_remote_file(fs: Any, path: str, *, name: str, max_bytes: int) -> Iterator[Item]:
    """The docs and problems of one file, read as it goes like a local one."""

    try:
        fh = fs.open(path, "rb")
    except OSError as err:
        yield InputProblem(input=name, code="unreadable", reason=f"{type(err).__name__}: {err}")
        return
    with fh:
        yield from read_stream(name, fh, max_bytes=max_bytes)


# -- an output folder ---------------------------------------------------------------------------


class Folder:
    """A folder on a local disk or any fsspec filesystem (the output of ``batch``).

    On file systems where a file is visible while it is written (local disks, HDFS, SFTP),
    writes go to a temporary name first and are then renamed into place; on object stores
    (``s3://``, ``gs://``, ``memory://`` ...) an object appears whole or not at all, so it is
    written in place (a rename there would be a copy). Readers wait for the marker written
    last either way, so a half-written partition is never read."""

    def __init__(self, location: str) -> None:
        self.location = location
        if is_url(location):
            self.fs, self.root = filesystem(location)
        else:
            import os

            self.fs = _fsspec().filesystem("file")
            self.root = os.path.abspath(location)
        self.url = location if is_url(location) else self.root
        protocols = self.fs.protocol if isinstance(self.fs.protocol, tuple) else (self.fs.protocol,)
        # file systems where a file is visible while it is written: write aside, then rename
        self._renames = bool({"file", "local", "hdfs", "webhdfs", "sftp"} & set(protocols))

    def path(self, *parts: str) -> str:
        return join(self.root, *parts)

    def exists(self, *parts: str) -> bool:
        return bool(self.fs.exists(self.path(*parts)))

    def makedirs(self, *parts: str) -> None:
        self.fs.makedirs(self.path(*parts), exist_ok=True)

    def write_bytes(self, rel: str, data: bytes) -> None:
        target = self.path(rel)
        parent, _, leaf = target.rpartition("/")
        self.fs.makedirs(parent, exist_ok=True)
        if not self._renames:  # an object store shows a whole object or none: one PUT
            with self.fs.open(target, "wb") as fh:
                fh.write(data)
            return
        tmp = f"{parent}/.{leaf}.{_token()}.tmp"
        with self.fs.open(tmp, "wb") as fh:
            fh.write(data)
        self.fs.mv(tmp, target)

    def write_text(self, rel: str, text: str) -> None:
        self.write_bytes(rel, text.encode("utf-8"))

    def read_bytes(self, rel: str) -> bytes:
        with self.fs.open(self.path(rel), "rb") as fh:
            data: bytes = fh.read()
        return data

    def read_json(self, rel: str) -> Any:
        return json.loads(self.read_bytes(rel).decode("utf-8"))

    def listdir(self, rel: str) -> list[str]:
        """Names of the files in ``rel`` (empty when it does not exist)."""
        target = self.path(rel)
        if not self.fs.exists(target):
            return []
        return sorted(
            str(p).rstrip("/").rsplit("/", 1)[-1] for p in self.fs.ls(target, detail=False)
        )

    def open(self, rel: str, mode: str = "rb") -> Any:
        return self.fs.open(self.path(rel), mode)


def _token() -> str:
    import os
    import threading

    return f"{os.getpid()}-{threading.get_ident()}"


__all__ = [
    "Folder",
    "RemoteError",
    "check_url",
    "filesystem",
    "is_url",
    "join",
    "protocol",
    "read_url",
]
