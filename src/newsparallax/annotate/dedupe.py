"""Exact and near-duplicate detection: content hashes, MinHash signatures and banded LSH.

An article whose normalised title and text equal an earlier one's is an exact duplicate
(similarity 1.0). Otherwise, when its text is long enough to judge
(:data:`~newsparallax.minhash.MIN_WORDS` words), a
MinHash signature over word 3-shingles is looked up in an LSH index of 32 bands × 4 rows; the
candidates' signatures are compared and the first-seen article with an estimated Jaccard
similarity of at least ``threshold`` (0.7 by default) becomes ``duplicate_of``. The duplicate is
still stored, linked to its original, so later counts can count it once.

The index is a seam: :class:`MemoryIndex` for ``annotate`` (within one run), the store for
``ingest`` (across runs). The stage only looks up; whoever keeps the article calls ``add``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol

from ..minhash import (
    Signature,
    band_keys,
    hash_words,
    minhash,
    similarity,
)
from ..textnorm import normalize_words
from .pipeline import BaseStage, Doc

DEFAULT_THRESHOLD = 0.7


class DuplicateIndex(Protocol):
    """What the dedupe stage needs to look up earlier articles."""

    def find_exact(self, content_hash: str) -> str | None: ...

    def candidates(self, keys: list[int]) -> list[tuple[str, Signature]]: ...


class MemoryIndex:
    """An in-memory :class:`DuplicateIndex` for one run (``annotate``, tests)."""

    def __init__(self) -> None:
        self._exact: dict[str, str] = {}
        self._bands: dict[int, list[str]] = defaultdict(list)
        self._signatures: dict[str, Signature] = {}
        self._order: dict[str, int] = {}

    def find_exact(self, content_hash: str) -> str | None:
        return self._exact.get(content_hash)

    def candidates(self, keys: list[int]) -> list[tuple[str, Signature]]:
        found = {aid for key in keys for aid in self._bands.get(key, ())}
        ordered = sorted(found, key=self._order.__getitem__)
        return [(aid, self._signatures[aid]) for aid in ordered]

    def add(self, article_id: str, content_hash: str, signature: Signature | None) -> None:
        self._order.setdefault(article_id, len(self._order))
        self._exact.setdefault(content_hash, article_id)
        if signature is not None:
            self._signatures[article_id] = signature
            for key in band_keys(signature):
                self._bands[key].append(article_id)


@dataclass(frozen=True, slots=True)
class Match:
    article_id: str
    similarity: float
    exact: bool = False


def find_duplicate(
    index: DuplicateIndex,
    *,
    article_id: str,
    content: str,
    signature: Signature | None,
    threshold: float = DEFAULT_THRESHOLD,
) -> Match | None:
    """The first-seen earlier article this one duplicates, if any."""
    exact = index.find_exact(content)
    if exact is not None and exact != article_id:
        return Match(exact, 1.0, exact=True)
    if signature is None:
        return None
    for other_id, other in index.candidates(band_keys(signature)):
        if other_id == article_id:
            continue
        score = similarity(signature, other)
        if score >= threshold:
            return Match(other_id, score)
    return None


class DedupeStage(BaseStage):
    """Link exact and near-duplicate copies to the first-seen article."""

    name = "dedupe.v1"
    requires = ("id", "title", "text", "summary")
    provides = ("content_hash", "signature", "duplicate_of", "duplicate_similarity")

    def __init__(self, *, index: DuplicateIndex, threshold: float = DEFAULT_THRESHOLD) -> None:
        super().__init__()
        self.index = index
        self.threshold = threshold

    def __call__(self, doc: Doc) -> Doc:
        words = normalize_words(doc.body or doc.summary)
        doc.content_hash = hash_words(normalize_words(doc.title), words)
        doc.signature = minhash(words)
        match = find_duplicate(
            self.index,
            article_id=doc.id,
            content=doc.content_hash,
            signature=doc.signature,
            threshold=self.threshold,
        )
        if match is None:
            self.counts["unique"] += 1
            return doc
        doc.duplicate_of, doc.duplicate_similarity = match.article_id, round(match.similarity, 4)
        self.counts["exact" if match.exact else "near"] += 1
        return doc
