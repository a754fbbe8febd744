"""Quality flag rates per real-news corpus (false-positive check for
``newsparallax.annotate.quality``).

Run from the repository root::

    python bench/quality_flags.py [--limit N] [--show FLAG]

Reads ``../shared/data`` (real pages, never copied into the repository): the 181 Scrapinghub
benchmark pages (raw HTML plus the text ``trafilatura`` extracts from it), Tehran Times, Kremlin
and Russian Telegram demo texts, and Fars News articles. Prints, for each corpus, how many items
were assessed and the share of items raising each flag. ``tests/test_quality_real.py`` uses the
same loaders and pins ceilings on these rates.
"""

from __future__ import annotations

import argparse
import ast
import gzip
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
FLAGS = (
    "empty_text",
    "headline_only",
    "short_text",
    "boilerplate",
    "keyword_stuffing",
    "linkbait_tail",
    "filler",
    "seo_spam",
)


@dataclass(frozen=True, slots=True)
class Item:
    """One input for :func:`assess_quality`: where it came from, title, text and raw HTML."""

    ref: str
    title: str
    text: str
    html: bytes | None = None


def scrapinghub(data: Path = DATA) -> Iterator[Item]:
    """The 181 benchmark pages: raw HTML and trafilatura's precision-oriented extraction."""
    import trafilatura

    base = data / "extraction" / "scrapinghub-article-extraction-benchmark" / "html"
    for path in sorted(base.glob("*.html.gz")):
        html = gzip.decompress(path.read_bytes())
        text = trafilatura.extract(html, include_comments=False, favor_precision=True) or ""
        yield Item(path.name, "", text, html)


def demo(name: str, data: Path = DATA) -> Iterator[Item]:
    """Records of one ``demo/<name>.jsonl.gz`` file."""
    with gzip.open(data / "demo" / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            yield Item(str(rec.get("id")), rec.get("title") or "", rec.get("text") or "")


def farsnews(data: Path = DATA) -> Iterator[Item]:
    """Fars News articles: abstract and paragraphs (stored as a Python list literal) as text."""
    base = data / "news" / "farsnews-fa" / "exploring-datasets" / "news"
    for path in sorted(base.glob("fars-news-*.json")):
        for rec in json.loads(path.read_text(encoding="utf-8")):
            paras = rec.get("paragraphs") or "[]"
            try:
                body = ast.literal_eval(paras) if isinstance(paras, str) else paras
            except (ValueError, SyntaxError):
                body = [paras]
            text = "\n".join([rec.get("abstract") or "", *map(str, body)]).strip()
            yield Item(rec.get("link") or "", rec.get("title") or "", text)


def corpora(data: Path = DATA, *, limit: int | None = None, seed: int = 7) -> dict[str, list[Item]]:
    """Every corpus as a list, each sampled down to ``limit`` items (seeded) when given."""
    loaded = {
        "scrapinghub": list(scrapinghub(data)),
        "tehrantimes": list(demo("tehrantimes", data)),
        "kremlin": list(demo("kremlin", data)),
        "telegram-ru": list(demo("telegram-ru-2024", data)),
        "farsnews": list(farsnews(data)),
    }
    if limit is not None:
        rng = random.Random(seed)
        loaded = {k: v if len(v) <= limit else rng.sample(v, limit) for k, v in loaded.items()}
    return loaded


def flag_rates(items: list[Item]) -> tuple[Counter[str], list[tuple[Item, tuple[str, ...]]]]:
    """Count of items per flag, and each item with the flags it raised."""
    from newsparallax.annotate.quality import assess_quality

    counts: Counter[str] = Counter()
    raised = []
    for item in items:
        q = assess_quality(title=item.title, text=item.text, html=item.html)
        counts.update(q.flags)
        raised.append((item, q.flags))
    return counts, raised


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="sample at most N items a corpus")
    parser.add_argument("--show", default=None, help="list the items that raised this flag")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"no data at {DATA}", file=sys.stderr)
        return 2
    header = f"{'corpus':<13}{'items':>6}" + "".join(f"{f[:11]:>12}" for f in FLAGS)
    print(header)
    for name, items in corpora(limit=args.limit).items():
        t0 = time.perf_counter()
        counts, raised = flag_rates(items)
        n = len(items) or 1
        row = f"{name:<13}{len(items):>6}" + "".join(
            f"{100 * counts[f] / n:>11.1f}%" for f in FLAGS
        )
        print(row + f"   ({time.perf_counter() - t0:.1f}s)")
        if args.show:
            for item, flags in raised:
                if args.show in flags:
                    print(f"    {args.show}: {item.ref} {item.title[:60]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
