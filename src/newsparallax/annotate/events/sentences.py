"""Sentence boundaries (offsets) for English, Russian and Persian news text."""

from __future__ import annotations

import re
from collections.abc import Iterator

_BOUNDARY = re.compile(r"[.!?…؟]+[\"'»”’)\]]*(?=\s)|\n+")
_ABBREVIATIONS = frozenset(
    "u.s u.n u.k e.u mr mrs ms dr gen lt col maj capt sgt st jan feb mar apr jun jul"
    " aug sep sept oct nov dec no vs e.g i.e inc corp co ltd jr sr prof gov sen rep"
    " adm cmdr т.е т.д т.п г гг им ул просп млн млрд тыс руб".split()
)


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each sentence, whitespace trimmed."""
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if match.group().startswith((".",)) and not match.group().startswith(".."):
            word = re.search(r"(\S+)\.$", text[start : match.start() + 1])
            token = word.group(1).lower().lstrip("(\"'«") if word else ""
            if token in _ABBREVIATIONS or (
                re.fullmatch(r"[A-ZА-Я]", token.upper()) and len(token) == 1
            ):
                continue
            following = text[end : end + 3].lstrip()
            if following[:1].islower():
                continue
        yield from _trimmed(text, start, end)
        start = end
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end
