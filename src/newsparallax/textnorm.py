"""Text normalisation shared by search indexing, queries and near-duplicate shingles.

The same function runs at index time and at query time, so forms that a reader considers the
same word meet in the index:

* Unicode NFKC, case folding, ``ё`` → ``е``;
* Russian words reduced to their lemma with pymorphy3 (санкций, санкциями → санкция);
* Persian and Arabic script unified (ي/ى → ی, ك → ک, ۀ/ة → ه, آ/أ/إ → ا), diacritics and tatweel
  removed, Persian and Arabic-Indic digits read as ASCII, and the zero-width non-joiner handled:
  a plural or enclitic suffix after it is dropped (تحریم‌ها → تحریم), otherwise the parts join
  (می‌شود → میشود);
* English stemming is left to SQLite's ``porter`` tokenizer, which leaves other scripts alone.

For display, :func:`strip_bidi_controls` removes the bidirectional controls that can reorder
what is shown around a string from a feed (:func:`bidi_safe` is the Jinja ``finalize`` of the
pages and briefings).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"\w+", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_ZWNJ_SUFFIX = re.compile(
    "\u200c(?:هایی|های|ها|ترین|تر|ای|ی|اش|ام|ات|مان|تان|شان)(?![\\w])", re.UNICODE
)
_PERSIAN_MAP = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ۀ": "ه",
        "ة": "ه",
        "آ": "ا",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ـ": None,
        "\u200c": None,
        "\u200d": None,
        "۰": "0",
        "۱": "1",
        "۲": "2",
        "۳": "3",
        "۴": "4",
        "۵": "5",
        "۶": "6",
        "۷": "7",
        "۸": "8",
        "۹": "9",
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
    }
)
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")

_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI)."""

_morph_lock = threading.Lock()
_morph: Any = None


def russian_analyzer() -> Any:
    """The shared pymorphy3 analyzer (loaded once, thread-safe)."""
    global _morph
    if _morph is None:
        with _morph_lock:
            if _morph is None:
                import pymorphy3

                _morph = pymorphy3.MorphAnalyzer(lang="ru")
    return _morph


@lru_cache(maxsize=300_000)
def _russian_lemma(word: str) -> str:
    parses = russian_analyzer().parse(word)
    return str(parses[0].normal_form).replace("ё", "е") if parses else word


def strip_bidi_controls(text: str) -> str:
    """``text`` without bidirectional embedding, override and isolate controls (U+202A-U+202E,
    U+2066-U+2069): from a feed, an override such as U+202E reverses what is shown after it, in
    a page's title or beside other text. The marks LRM, RLM and ALM (U+200E, U+200F, U+061C),
    which Persian and Arabic text needs and which cannot reorder a run, stay, as do ZWNJ and
    ZWJ."""
    return _BIDI_CONTROLS.sub("", text) if _BIDI_CONTROLS.search(text) else text


def bidi_safe(value: Any) -> Any:
    """A Jinja ``finalize``: every string output, :func:`strip_bidi_controls`'d, of the same
    type (``Markup`` stays ``Markup``: removing these characters cannot make markup)."""
    if isinstance(value, str) and _BIDI_CONTROLS.search(value):
        return type(value)(_BIDI_CONTROLS.sub("", value))
    return value


def prepare(text: str) -> str:
    """Script-level clean-up before tokenising (NFKC, Persian forms, ZWNJ, diacritics)."""
    text = unicodedata.normalize("NFKC", text)
    if _ARABIC_SCRIPT.search(text):
        text = _ZWNJ_SUFFIX.sub("", text)
        text = _ARABIC_MARKS.sub("", text).translate(_PERSIAN_MAP)
    return text


@lru_cache(maxsize=300_000)
def normalize_token(token: str) -> str:
    """Normalise one word (as split from :func:`prepare`'d text)."""
    word = token.casefold().replace("ё", "е")
    if _CYRILLIC.search(word) and word.isalpha():
        return _russian_lemma(word)
    return word


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, normalised)`` with offsets into the original ``text``.

    Splits the original on word characters (ZWNJ joins Persian parts into one span) and
    normalises each span, so highlights land on what the reader sees.
    """
    for m in _SPAN.finditer(text):
        for norm in _span_words(m.group()):
            yield m.start(), m.end(), norm


_SPAN = re.compile(r"\w+(?:\u200c\w+)*")


@lru_cache(maxsize=300_000)
def _span_words(span: str) -> tuple[str, ...]:
    """The normalised words of one span of :func:`word_spans` (kept: news repeats its words)."""
    return tuple(normalize_token(t) for t in _WORD.findall(prepare(span)))


def normalize(text: str) -> str:
    """The normalised form of ``text``: its normalised words joined by spaces."""
    return " ".join(normalize_words(text))


def normalize_words(text: str) -> list[str]:
    """The normalised words of ``text``, in order (the hot path: no offsets)."""
    return [normalize_token(word) for word in _WORD.findall(prepare(text))]


def prefix_words(text: str) -> list[str]:
    """The normalised words of a prefix pattern (``Росси`` of ``Росси*``): every word but the
    last is normalised as usual; the last is a word's beginning, so it is case-folded and its
    script unified but never lemmatised (the lemma of a beginning is another word: «росси» would
    become «росси» → «россь»-like guesses that begin no indexed lemma)."""
    words = _WORD.findall(prepare(text))
    if not words:
        return []
    *head, last = words
    return [*(normalize_token(w) for w in head), last.casefold().replace("ё", "е")]
