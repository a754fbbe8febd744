"""Opaque cursors of paged lists: the position after a page's last row (a few integers, or
``None``), as URL-safe text that the next request passes back unchanged.

A cursor that cannot be decoded, or names other keys than the list's, is a :class:`CursorError`
(the API answers it with a ``400`` naming ``cursor``).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from .. import safejson
from ..errors import QueryError

INVALID = "invalid cursor (pass next_cursor unchanged)"


class CursorError(QueryError):
    """A cursor that is not one this list gave out."""


def encode_cursor(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, *, keys: frozenset[str]) -> dict[str, Any] | None:
    """The position a cursor names; :class:`CursorError` if it is not one of ours."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = safejson.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError) as err:  # safejson.JSONError is a ValueError
        raise CursorError(INVALID) from err
    if not isinstance(data, dict) or not set(data) <= keys or not data:
        raise CursorError(INVALID)
    for value in data.values():
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise CursorError(INVALID)
    return data
