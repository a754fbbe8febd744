"""JSON from untrusted input (an input file's lines, a fetched feed): decoding never crashes.

The standard decoder raises more than :class:`json.JSONDecodeError` on hostile input: a
:class:`RecursionError` for a value nested some thousand levels deep (it would stop a whole run),
and a plain :class:`ValueError` for an integer of more than 4,300 digits. :func:`loads` turns
every one of these into :class:`JSONError` (a :class:`ValueError`), and refuses values nested
deeper than :data:`MAX_DEPTH` — a depth no article record or feed needs, and which keeps later
steps that walk the value (``json.dumps`` into the store, pickling to a worker process) well away
from the recursion limit.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["MAX_DEPTH", "JSONError", "loads"]

MAX_DEPTH = 64
"""Deepest nesting of arrays and objects accepted (a record of the corpus schema has depth 1)."""


class JSONError(ValueError):
    """The text is not JSON Parallax accepts; the message says why, for a problem row."""


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """Decode ``text`` like :func:`json.loads`, or raise :class:`JSONError`."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise JSONError(f"invalid JSON: {err.msg}") from None
    except RecursionError:
        raise JSONError(f"invalid JSON: nested deeper than {max_depth} levels") from None
    except ValueError as err:  # an integer over sys.get_int_max_str_digits() digits
        raise JSONError(f"invalid JSON: {str(err).split(';')[0]}") from None
    if _too_deep(value, max_depth):
        raise JSONError(f"invalid JSON: nested deeper than {max_depth} levels")
    return value


def _too_deep(value: Any, max_depth: int) -> bool:
    """Whether arrays and objects in ``value`` nest deeper than ``max_depth`` (no recursion)."""
    if not isinstance(value, dict | list):
        return False
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > max_depth:
                    return True
                stack.append((child, depth + 1))
    return False
