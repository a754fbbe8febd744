"""Theme terms: their normal forms (Russian lemmas, Persian script unified and plural ``ها``
dropped, a light English stem; ``word*`` matches a word beginning), the Aho–Corasick automaton
over all of a taxonomy's terms, and the hits it finds in a text."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import ahocorasick

from ...analyze.stories.fingerprint import stem
from ...textnorm import normalize_words, prefix_words, word_spans

_FA_PLURAL = ("هایی", "های", "ها")
STRONG, WEAK, UNRELATED = 1.0, 0.4, 0.0
VOCAB_PREFIX = "vocab:"


@lru_cache(maxsize=200_000)
def norm_word(word: str) -> str:
    """The matching form of a normalised word: English stem, Persian plural dropped."""
    for suffix in _FA_PLURAL:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.isascii():
            return word[: -len(suffix)]
    return stem(word)


@dataclass(slots=True)
class Hit:
    """A term of an owner (a theme id, or ``vocab:<name>``) found at ``start:end``."""

    theme: str
    term: str
    weight: float
    start: int
    end: int


def term_automaton(
    groups: Iterable[tuple[str, float, Mapping[str, Sequence[str]]]],
) -> tuple[Any, int]:
    """The automaton over ``(owner, weight, terms by language)`` groups, and its number of keys
    (0: nothing to match, the automaton is not built)."""
    automaton: Any = ahocorasick.Automaton()
    table: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    for owner, strength, by_lang in groups:
        for terms in by_lang.values():
            for term in terms:
                prefix = term.endswith("*")
                split = prefix_words if prefix else normalize_words
                words = [norm_word(w) for w in split(term.rstrip("*"))]
                if not words:
                    continue
                key = " " + " ".join(words) + ("" if prefix else " ")
                table[key].append((owner, term, strength))
    for key, entries in table.items():
        automaton.add_word(key, (len(key), tuple(entries)))
    if table:
        automaton.make_automaton()
    return automaton, len(table)


def find_hits(automaton: Any, text: str, offset: int = 0) -> list[Hit]:
    """Term hits of a built automaton in ``text`` (spans shifted by ``offset``)."""
    tokens = list(word_spans(text))
    if not tokens:
        return []
    parts, starts = [], []
    pos = 0
    for _, _, norm in tokens:
        starts.append(pos)
        word = " " + norm_word(norm)
        parts.append(word)
        pos += len(word)
    joined = "".join(parts) + " "
    out = []
    for end, (length, entries) in automaton.iter(joined):
        first = bisect.bisect_right(starts, end - length + 1) - 1
        last = bisect.bisect_right(starts, end) - 1
        if first < 0 or starts[first] != end - length + 1:
            continue
        last = min(last, len(tokens) - 1)
        if joined[end] == " " and last > first and starts[last] == end:
            last -= 1  # the trailing space belongs to the next token's slot
        span = (tokens[first][0] + offset, tokens[last][1] + offset)
        for theme, term, weight in entries:
            out.append(Hit(theme, term, weight, *span))
    return out


def kept(hits: list[Hit]) -> list[Hit]:
    """Hits without those inside (or overlapping) an earlier, longer or stronger hit of the same
    theme: "Zionist regime" counts once, not also as "Zionist*"; "Ukraine" inside "Ukraine war"
    is not a weak hit of its own; "oil" inside the theme's `not` phrase "olive oil" is none."""
    hits.sort(key=lambda h: (h.start, h.start - h.end, -h.weight))
    last_end: dict[str, int] = {}
    out = []
    for h in hits:
        if h.start < last_end.get(h.theme, -1):
            continue
        last_end[h.theme] = h.end
        if h.weight > UNRELATED:  # a `not` phrase (olive oil) only masks what it covers
            out.append(h)
    return out
