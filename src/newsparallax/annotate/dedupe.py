"""Exact and near-duplicate detection: content hashes, MinHash signatures and banded LSH.

An article whose normalised title and text equal an earlier one's is an exact duplicate
(similarity 1.0). Otherwise, when its text is long enough to judge (:data:`MIN_WORDS` words), a
MinHash signature over word 3-shingles is looked up in an LSH index of 32 bands × 4 rows; the
candidates' signatures are compared and the first-seen article with an estimated Jaccard
similarity of at least ``threshold`` (0.7 by default) becomes ``duplicate_of``. The duplicate is
still stored, linked to its original, so later counts can count it once.

The index is a seam: :class:`MemoryIndex` for ``annotate`` (within one run), the store for
``ingest`` (across runs). The stage only looks up; whoever keeps the article calls ``add``.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ..textnorm import normalize_words
from .pipeline import BaseStage, Doc, register_stage

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE = 3
MIN_WORDS = 25
DEFAULT_THRESHOLD = 0.7

_PRIME = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64(0xFFFFFFFF)
_rng = np.random.RandomState(1)  # fixed: stored signatures must stay comparable across runs
_A = _rng.randint(1, 1 << 32, size=NUM_PERM, dtype=np.uint64)
_B = _rng.randint(0, 1 << 32, size=NUM_PERM, dtype=np.uint64)

Signature = npt.NDArray[np.uint32]


def content_hash(title: str, text: str) -> str:
    """Hash of the normalised words of title and text (equal for exact copies)."""
    return _hash_words(normalize_words(title), normalize_words(text))


def _hash_words(title_words: list[str], body_words: list[str]) -> str:
    joined = " ".join(title_words) + "\x1f" + " ".join(body_words)
    return hashlib.blake2b(joined.encode("utf-8"), digest_size=12).hexdigest()


def minhash(words: list[str]) -> Signature | None:
    """MinHash signature of the word 3-shingles of ``words``, or ``None`` if too short."""
    if len(words) < MIN_WORDS:
        return None
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    hv = np.fromiter(
        (zlib.crc32(s.encode("utf-8")) for s in shingles), dtype=np.uint64, count=len(shingles)
    )
    values = (np.outer(hv, _A) + _B) % _PRIME & _MAX_HASH
    signature: Signature = values.min(axis=0).astype(np.uint32)
    return signature


def band_keys(signature: Signature) -> list[int]:
    """One signed 64-bit key per LSH band (band index mixed in), for an SQL index.

    Memoised on the signature's bytes: the lookup and the write of one article both need them.
    """
    return list(_band_keys(signature.astype(np.uint32).tobytes()))


@lru_cache(maxsize=256)
def _band_keys(raw: bytes) -> tuple[int, ...]:
    width = ROWS * 4  # bytes per band of uint32 values
    keys = []
    for band in range(BANDS):
        chunk = raw[band * width : (band + 1) * width]
        digest = hashlib.blake2b(chunk, digest_size=8, salt=band.to_bytes(2, "little")).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return tuple(keys)


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


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


@register_stage("dedupe")
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
        doc.content_hash = _hash_words(normalize_words(doc.title), words)
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
