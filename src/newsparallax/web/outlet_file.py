"""Adding an outlet to the user outlet file (``PARALLAX_OUTLETS``), as a person would by hand.

The new ``[[outlets]]`` table is appended to the file (its comments and layout are kept), the
watch is loaded again so the watch loader checks it like any other entry, and on any complaint
the file is put back as it was.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..records import Outlet
from .context import WebContext

_lock = threading.Lock()
_FIELDS = (
    "id", "name", "domains", "country", "languages", "camp", "ownership", "state_affiliated",
    "founded", "evidence", "feeds",
)  # fmt: skip


class OutletFileError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    # A JSON string is a valid TOML basic string (same escapes, \uXXXX included).
    return json.dumps(str(value), ensure_ascii=False)


def outlet_toml(data: dict[str, Any]) -> str:
    lines = ["", "[[outlets]]"]
    for key in _FIELDS:
        value = data.get(key)
        if value is None or value == [] or (key == "state_affiliated" and value is False):
            continue
        lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add_outlet(ctx: WebContext, path: Path | None, data: dict[str, Any]) -> Outlet:
    """Append ``data`` as an outlet to ``path``, reload the watch and return the new outlet."""
    if path is None:
        raise OutletFileError(
            409, "no user outlet file: start the server with PARALLAX_OUTLETS=FILE.toml"
        )
    if ctx.watch.outlet(data["id"]) is not None:
        raise OutletFileError(409, f"outlet {data['id']!r} already exists in the watch")
    camp = data.get("camp")
    if camp and camp not in ctx.watch.camps:
        known = ", ".join(ctx.watch.camps)
        raise OutletFileError(422, f"unknown camp {camp!r}; known camps: {known}")
    if not data.get("domains") and not str(data["id"]).startswith("telegram:"):
        data = {**data, "domains": [data["id"]]}
    with _lock:
        existed = path.exists()
        before = path.read_text(encoding="utf-8") if existed else ""
        separator = "" if not before or before.endswith("\n") else "\n"
        _write(path, before + separator + outlet_toml(data))
        problem = None
        try:
            added = ctx.reload_watch().outlet(data["id"])
            if added is None:
                problem = OutletFileError(
                    409, f"{path} is not the outlet file the watch reads (PARALLAX_OUTLETS)"
                )
        except ConfigError as err:
            problem = OutletFileError(422, str(err))
        if problem is not None:
            if existed:
                _write(path, before)
            else:
                path.unlink(missing_ok=True)
            ctx.reload_watch()
            raise problem
    assert added is not None
    return added
