"""Token F1 of article extraction on the Scrapinghub benchmark, plus trafilatura's snippet set.

Run from the repository root::

    python bench/extraction_f1.py [--data ../shared/data] [--limit N]

Prints, side by side in one run, plain ``trafilatura.extract(html)`` with its defaults and
Parallax's :func:`newsparallax.annotate.extract.extract_article`: per-page mean precision, recall
and F1 (tokens = lowercase ``\\w+``), micro F1 over pooled counts, and docs/s on one core; then the
share of must-contain / must-not-contain snippets found on trafilatura's English eval pages.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import trafilatura  # noqa: E402 - after the path set-up above

from extraction_score import (  # noqa: E402
    PageScore,
    SnippetScore,
    score_page,
    score_snippets,
    scrapinghub_pages,
    summarize,
    trafilatura_eval_pages,
)
from newsparallax.annotate.extract import extract_article  # noqa: E402

Extractor = Callable[[bytes, str | None], str]


def plain_trafilatura(html: bytes, url: str | None) -> str:
    return trafilatura.extract(html) or ""


def make_parallax(winners: Counter[str]) -> Extractor:
    def run(html: bytes, url: str | None) -> str:
        found = extract_article(html, url=url)
        winners[found.extractor] += 1
        return found.text

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # both extractors log per-page warnings

    winners: Counter[str] = Counter()
    systems: dict[str, Extractor] = {
        "trafilatura.extract defaults": plain_trafilatura,
        "extract_article": make_parallax(winners),
    }
    pages = list(scrapinghub_pages(args.data))
    if args.limit:
        pages = pages[: args.limit]
    print(f"Scrapinghub article-extraction benchmark: {len(pages)} pages")
    print(f"{'system':32s} {'P':>6s} {'R':>6s} {'F1':>6s} {'microF1':>8s} {'docs/s':>7s}")
    for name, run in systems.items():
        scores: list[PageScore] = []
        seconds = 0.0
        for _page_id, html, url, gold in pages:
            t0 = time.perf_counter()
            text = run(html, url or None)
            seconds += time.perf_counter() - t0
            scores.append(score_page(text, gold))
        s = summarize(scores)
        print(
            f"{name:32s} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.4f} {s.micro_f1:8.4f} "
            f"{len(pages) / seconds:7.1f}"
        )
    print("extract_article winners:", dict(winners.most_common()))

    snippet_pages = list(trafilatura_eval_pages(args.data))
    if args.limit:
        snippet_pages = snippet_pages[: args.limit]
    if not snippet_pages:
        print("trafilatura eval set: no HTML files present, skipped")
        return
    winners.clear()
    print(f"\nTrafilatura eval (en): {len(snippet_pages)} pages, share of snippets found")
    print(f"{'system':32s} {'with':>6s} {'without':>8s} {'acc':>6s}")
    for name, run in systems.items():
        found: list[SnippetScore] = []
        for url, html, with_, without in snippet_pages:
            page_url = None if url.startswith("hard::") else url
            found.append(score_snippets(run(html, page_url), with_=with_, without=without))
        with_share = sum(f.with_found for f in found) / max(1, sum(f.with_total for f in found))
        without_share = sum(f.without_found for f in found) / max(
            1, sum(f.without_total for f in found)
        )
        accuracy = sum(f.accuracy for f in found) / len(found)
        print(f"{name:32s} {with_share:6.3f} {without_share:8.3f} {accuracy:6.3f}")
    print("extract_article winners:", dict(winners.most_common()))


if __name__ == "__main__":
    main()
