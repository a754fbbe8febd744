"""Token-level scoring of extracted article text against a gold article body.

Tokens are lowercase ``\\w+`` runs; precision and recall count tokens as a bag (a token that
occurs three times in the gold text can be matched three times), as the Scrapinghub
article-extraction benchmark does. Shared by ``bench/extraction_f1.py`` and the quality test.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

_TOKEN = re.compile(r"\w+")

SCRAPINGHUB = Path("extraction") / "scrapinghub-article-extraction-benchmark"
TRAFILATURA_EVAL = Path("extraction") / "trafilatura-eval-en"


def tokens(text: str) -> Counter[str]:
    """The bag of lowercase word tokens of ``text``."""
    return Counter(_TOKEN.findall(text.lower()))


@dataclass(frozen=True, slots=True)
class PageScore:
    """Counts for one page: matched, predicted and gold tokens."""

    matched: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        if self.predicted == 0:
            return 1.0 if self.gold == 0 else 0.0
        return self.matched / self.predicted

    @property
    def recall(self) -> float:
        if self.gold == 0:
            return 1.0
        return self.matched / self.gold

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def score_page(predicted: str, gold: str) -> PageScore:
    """Score one extracted text against its gold text."""
    pred, ref = tokens(predicted), tokens(gold)
    matched = sum((pred & ref).values())
    return PageScore(matched, sum(pred.values()), sum(ref.values()))


@dataclass(frozen=True, slots=True)
class Summary:
    """Per-page means (macro) and pooled-count F1 (micro) over a set of pages."""

    pages: int
    precision: float
    recall: float
    f1: float
    micro_f1: float


def summarize(scores: Iterable[PageScore]) -> Summary:
    items = list(scores)
    n = len(items) or 1
    matched = sum(s.matched for s in items)
    predicted = sum(s.predicted for s in items)
    gold = sum(s.gold for s in items)
    micro = PageScore(matched, predicted, gold).f1
    return Summary(
        pages=len(items),
        precision=sum(s.precision for s in items) / n,
        recall=sum(s.recall for s in items) / n,
        f1=sum(s.f1 for s in items) / n,
        micro_f1=micro,
    )


def scrapinghub_pages(data_dir: Path) -> Iterator[tuple[str, bytes, str, str]]:
    """Yield ``(id, html bytes, url, gold article body)`` for each page of the benchmark."""
    root = data_dir / SCRAPINGHUB
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        html = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes())
        yield page_id, html, truth[page_id].get("url", ""), truth[page_id]["articleBody"]


@dataclass(frozen=True, slots=True)
class SnippetScore:
    """Trafilatura's own evaluation: snippets found that should be, and should not be."""

    with_found: int
    with_total: int
    without_found: int
    without_total: int

    @property
    def accuracy(self) -> float:
        good = self.with_found + (self.without_total - self.without_found)
        total = self.with_total + self.without_total
        return good / total if total else 1.0


def score_snippets(text: str, *, with_: list[str], without: list[str]) -> SnippetScore:
    return SnippetScore(
        with_found=sum(1 for s in with_ if s in text),
        with_total=len(with_),
        without_found=sum(1 for s in without if s in text),
        without_total=len(without),
    )


def trafilatura_eval_pages(data_dir: Path) -> Iterator[tuple[str, bytes, list[str], list[str]]]:
    """Yield ``(url, html bytes, must-contain, must-not-contain)`` for pages whose HTML exists."""
    root = data_dir / TRAFILATURA_EVAL
    index = json.loads((root / "evaldata_en.json").read_text(encoding="utf-8"))
    for url in sorted(index):
        entry = index[url]
        path = root / "html" / f"{entry['file']}.gz"
        if not path.exists():
            continue
        html = gzip.decompress(path.read_bytes())
        yield url, html, list(entry.get("with", [])), list(entry.get("without", []))
