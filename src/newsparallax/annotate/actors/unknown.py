"""Names the dictionary does not know: statistical NER mentions and the curation report.

``add_ner_mentions`` adds the names an optional NER model (the ``ner`` extra: natasha for
Russian, spaCy for English; none for Persian) finds outside the dictionary's mentions, as
``unknown:<type>:<normalised name>`` actors. ``unknown_names`` counts such names over many
texts so the most frequent can be added to the dictionary (``parallax actors unknown``); where no
model is available it falls back to runs of capitalised words that no entry matches.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ...records import Mention
from ...textnorm import normalize
from .matcher import STAGE

NER_STAGE = f"{STAGE}+ner"
_KIND = {"PER": "person", "ORG": "organisation", "LOC": "place"}
_CAPITALISED_RUN = re.compile(
    r"(?<![\w.])(?:[A-ZА-ЯЁ][\w'’-]+)(?:\s+(?:(?:of|the|de|al|bin|ibn|van|von)\s+)?[A-ZА-ЯЁ][\w'’-]+)*"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?…:\n»\"]\s*)$")


def _overlaps(start: int, end: int, mentions: Sequence[Mention]) -> bool:
    return any(m.start < end and start < m.end for m in mentions)


def add_ner_mentions(
    text: str, mentions: Sequence[Mention], *, language: str | None
) -> list[Mention]:
    """``mentions`` plus the NER entities that do not overlap them, in text order.

    Raises :class:`newsparallax.annotate.ner.NerUnavailable` when the model is not installed."""
    from .. import ner

    if not language or not ner.available(language):
        return list(mentions)
    extra = [
        Mention(
            start=e.start,
            end=e.end,
            text=e.text,
            actor=f"unknown:{e.label.lower()}:{normalize(e.text)}",
            kind=_KIND.get(e.label, "organisation"),
            stage=NER_STAGE,
        )
        for e in ner.entities(text, language)
        if e.label in _KIND and not _overlaps(e.start, e.end, mentions)
    ]
    return sorted([*mentions, *extra], key=lambda m: (m.start, m.end))


def capitalised_names(text: str, mentions: Sequence[Mention]) -> list[tuple[int, int, str]]:
    """Runs of capitalised words not at a sentence start and not already mentions (the
    fallback when no NER model is installed; English and Russian only)."""
    found = []
    for match in _CAPITALISED_RUN.finditer(text):
        start, end = match.span()
        if _SENTENCE_START.search(text[max(0, start - 3) : start]) and " " not in match.group():
            continue
        if _overlaps(start, end, mentions) or len(match.group()) < 3:
            continue
        found.append((start, end, match.group()))
    return found


def _ner_available(language: str) -> bool:
    try:
        from .. import ner
    except ImportError:  # pragma: no cover - the module ships with the package
        return False
    return ner.available(language)


@dataclass(slots=True)
class UnknownName:
    name: str
    count: int = 0
    label: str = ""
    articles: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "count": self.count,
            "label": self.label,
            "articles": self.articles,
        }


def unknown_names(
    items: Iterable[tuple[str, str, str | None, Sequence[Mention]]],
    *,
    use_ner: bool,
    min_count: int = 2,
    limit: int = 50,
) -> list[UnknownName]:
    """Count names outside the dictionary over ``(article id, text, language, mentions)``."""
    counts: dict[str, UnknownName] = {}
    forms: dict[str, Counter[str]] = {}
    for article_id, text, language, mentions in items:
        spans: list[tuple[int, int, str, str]] = []
        if use_ner and language and _ner_available(language):
            from .. import ner

            spans = [
                (e.start, e.end, e.text, e.label)
                for e in ner.entities(text, language)
                if not _overlaps(e.start, e.end, mentions)
            ]
        elif language in ("en", "ru", "uk"):
            spans = [(s, e, t, "") for s, e, t in capitalised_names(text, mentions)]
        for _, _, surface, label in spans:
            key = normalize(surface)
            if not key:
                continue
            entry = counts.setdefault(key, UnknownName(name=surface, label=label))
            entry.count += 1
            forms.setdefault(key, Counter())[surface] += 1
            if article_id not in entry.articles and len(entry.articles) < 5:
                entry.articles.append(article_id)
    ranked = sorted(
        (u for u in counts.values() if u.count >= min_count), key=lambda u: (-u.count, u.name)
    )
    for entry in ranked:
        entry.name = forms[normalize(entry.name)].most_common(1)[0][0]
    return ranked[:limit]
