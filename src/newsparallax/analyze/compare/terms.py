"""Words and two-word phrases of an article for framing statistics, with checked lemmas.

The search index lemmatises Russian with pymorphy3's first parse, which is right for retrieval
(every form meets) but shows badly as a *term*: a participle becomes its verb («населённых
пунктов» → «населить пункт») and an abbreviation the analyser does not know is guessed into a
verb («БПЛА» → «бпнуть»). Framing keys are made here instead (:func:`checked_lemma`):

* an all-capitals word (an acronym: БПЛА, ВСУ, СВО, IRGC) stays as written, lower-cased;
* a word pymorphy3 does not know keeps its guessed lemma only when the guess is a noun or a
  full adjective (Зеленского → зеленский, шахедов → шахед), else it stays as written;
* a participle keeps its own form (masculine singular nominative: населённых → населённый,
  уничтожены → уничтожен), not its verb's;
* English words get the light stem of the stories' fingerprint, Persian the unified script.

Each term also records how it was written, so a list can show the commonest surface form
(«населённых пунктов») rather than the key. Markup, HTML tags and entities, links (with or
without a scheme: ``bit.ly/x``), digits, stop words and the outlets' own names are left out.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ...textnorm import prepare, russian_analyzer
from ..stories.fingerprint import stem, stopwords

__all__ = ["MAX_WORDS", "checked_lemma", "clean_markup", "terms"]

MAX_WORDS = 250
"""Content words of an article's text used (after the title)."""

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")
_TOKEN = re.compile(r"\w+(?:\u200c\w+)*", re.UNICODE)
_BREAK = re.compile(r"[.,;:!?…()«»\"“”\n—–|/]|\s-\s")
_MARKUP = re.compile(
    r"<[^>]{0,500}>"  # HTML tags (feed summaries: <p>, <a href=...>)
    r"|&(?:[a-z]{2,8}|#\d{1,6});"  # entities
    r"|\(?(?:https?://|www\.|t\.me/)\S+"  # links
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:ly|com|ru|org|net|io|me|ir|uk|co|su|info|news|tv)(?:/\S*)?\b"
    r"|\[|\]|[*_`~]{2,}",
    re.IGNORECASE,
)


def clean_markup(text: str) -> str:
    """``text`` without HTML tags and entities, links (bare domains too) and markdown marks."""
    return _MARKUP.sub("\n", text)


@lru_cache(maxsize=200_000)
def checked_lemma(word: str) -> str:
    """The framing key of a lower-cased Russian word (see the module docstring)."""
    parses = russian_analyzer().parse(word)
    if not parses:
        return word
    p = parses[0]
    pos = p.tag.POS
    if not p.is_known:
        return str(p.normal_form).replace("ё", "е") if pos in ("NOUN", "ADJF") else word
    if pos in ("PRTF", "PRTS"):
        grammemes = {"masc", "sing", "nomn"} if pos == "PRTF" else {"masc", "sing"}
        form = p.inflect(grammemes)
        return str(form.word).replace("ё", "е") if form is not None else word
    return str(p.normal_form).replace("ё", "е")


@lru_cache(maxsize=300_000)
def _key(token: str) -> str | None:
    """The key of one token as written (``None``: not a content word)."""
    if any(c.isdigit() for c in token) or "_" in token:
        return None
    low = token.casefold().replace("ё", "е")
    if len(low) <= 1:
        return None
    stops = stopwords()
    if _CYRILLIC.search(low):
        if not low.isalpha():
            return None
        key = low if token.isupper() else checked_lemma(low)
        return None if key in stops or low in stops else key
    if _LATIN.search(low):
        key = stem(low)
        return None if key in stops or low in stops else key
    return None if low in stops else low


def terms(
    text: str, drop: frozenset[str] = frozenset(), *, limit: int = MAX_WORDS
) -> list[tuple[str, str]]:
    """``(key, surface)`` of the content words of ``text`` (at most ``limit``) and of each pair
    of them adjacent within a clause (stop words between them skipped, punctuation not);
    ``drop`` are keys left out (the outlets' names)."""
    clean = prepare(clean_markup(text))
    words: list[tuple[str, str]] = []
    pairs: list[tuple[str, str]] = []
    last_end, joined = 0, False
    for m in _TOKEN.finditer(clean):
        if _BREAK.search(clean, last_end, m.start()):
            joined = False
        last_end = m.end()
        token = m.group()
        key = _key(token)
        if key is None or key in drop:
            continue
        word = (key, token.casefold())
        if joined:
            (a, x) = words[-1]
            pairs.append((f"{a} {key}", f"{x} {word[1]}"))
        words.append(word)
        joined = True
        if len(words) >= limit:
            break
    return words + pairs
