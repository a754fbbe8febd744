"""MinHash signatures and LSH band keys: the shared vocabulary of near-duplicate detection.

Pure functions (no store, no stage): the dedupe stage computes signatures and looks them up; the
store indexes their band keys. Signatures hash word 3-shingles with fixed permutations, so the
signatures stored by one run stay comparable with the next.
"""

from __future__ import annotations

import hashlib
import zlib
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from .textnorm import normalize_words

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE = 3
MIN_WORDS = 25

_PRIME = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64(0xFFFFFFFF)
_rng = np.random.RandomState(1)  # fixed: stored signatures must stay comparable across runs
_A = _rng.randint(1, 1 << 32, size=NUM_PERM, dtype=np.uint64)
_B = _rng.randint(0, 1 << 32, size=NUM_PERM, dtype=np.uint64)

Signature = npt.NDArray[np.uint32]


def content_hash(title: str, text: str) -> str:
    """Hash of the normalised words of title and text (equal for exact copies)."""
    return hash_words(normalize_words(title), normalize_words(text))


def hash_words(title_words: list[str], body_words: list[str]) -> str:
    """Hash of already normalised title and body words (see :func:`content_hash`)."""
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
