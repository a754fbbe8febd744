"""The faster paths give what the plain ones give: the pipeline run stage by stage over a chunk
of docs, and the quality stage's search for the block that ends the body."""

from __future__ import annotations

from typing import ClassVar

import lxml.html
import pytest

from newsparallax.annotate import quality
from newsparallax.annotate.pipeline import BaseStage, Doc, Drop, Pipeline
from newsparallax.annotate.workers import Failed, run_chunk, run_in_chunks, run_stages
from newsparallax.errors import InputProblem


class Upper(BaseStage):
    name = "upper.v1"
    requires: ClassVar[tuple[str, ...]] = ("text",)
    provides: ClassVar[tuple[str, ...]] = ("text",)

    def __init__(self) -> None:
        super().__init__()
        self.prepared: list[int] = []

    def prepare(self, docs: list[Doc]) -> None:
        self.prepared.append(len(docs))

    def __call__(self, doc: Doc) -> Doc:
        if doc.text == "drop":
            raise Drop("dropped here", code="not-article")
        if doc.text == "crash":
            raise RuntimeError("a stage bug")
        doc.text = doc.text.upper()
        return doc


class BadPrepare(Upper):
    name = "bad.v1"

    def prepare(self, docs: list[Doc]) -> None:
        raise RuntimeError("prepare failed")


def _docs(texts: list[str]) -> list[Doc]:
    return [Doc(source=f"s{i}", text=t) for i, t in enumerate(texts)]


def _view(result: Doc | Failed) -> tuple[str, ...]:
    if isinstance(result, Failed):
        return ("failed", result.source, result.code, result.reason)
    return ("doc", result.source, result.text, *result.stages)


def test_run_chunk_gives_what_run_stages_gives() -> None:
    texts = ["a", "drop", "b", "crash", "c"]
    first, second = Upper(), BadPrepare()
    chunked = run_chunk(Pipeline([first, second]), _docs(texts))
    plain = [run_stages(Pipeline([Upper(), BadPrepare()]), d) for d in _docs(texts)]
    assert [_view(r) for r in chunked] == [_view(r) for r in plain]
    assert first.prepared == [5]  # all docs at once; the dropped ones never reach the second


def test_run_in_chunks_keeps_input_order_with_problems_between() -> None:
    problem = InputProblem(input="x", code="unreadable", reason="bad")
    items: list[Doc | InputProblem] = [*_docs(["a"] * 40), problem, *_docs(["b"] * 5)]
    out = list(run_in_chunks(Pipeline([Upper()]), items))
    assert [item for item, _ in out] == items
    assert [r.text for _, r in out if isinstance(r, Doc)] == ["A"] * 40 + ["B"] * 5
    assert [r for item, r in out if item is problem] == [None]


def _plain_search(root: lxml.html.HtmlElement, snippet: str) -> lxml.html.HtmlElement | None:
    found = None
    for el in root.iter(*quality._BLOCKS):
        if len(el) <= 30 and quality._holds(el, snippet):
            found = el
    return found


PAGES = [
    "<div><p>One two three four five six seven eight.</p><p>Other text.</p></div>"
    "<div><span>one two <b>three</b> four five six seven eight</span></div>",
    "<section><div><p>Ira<i>n</i> and Russia sign a treaty on energy and trade</p></div></section>",
    "<div><p>Ир*ан и Россия подписали договор о торговле и энергетике сегодня</p></div>",
    "<div><p>Ира__н и Россия подписали договор о торговле и энергетике</p></div>",
    "<div><p>ΟΔΟΣ ΠΡΟΣ ΤΗΝ ΑΘΗΝΑ ΚΑΙ ΤΗ ΘΕΣΣΑΛΟΝΙΚΗ ΣΗΜΕΡΑ ΤΟ ΠΡΩΙ</p></div>",
    "<div><p>ایران\u200cو روسیه قرارداد تجاری امضا کردند و همکاری ادامه دارد</p></div>",
    "<ul><li>no match at all in this page whatsoever here</li></ul>",
]


@pytest.mark.parametrize("page", PAGES)
def test_last_block_search_matches_the_plain_scan(page: str) -> None:
    root = lxml.html.document_fromstring(f"<html><body>{page}</body></html>")
    text = root.text_content()
    words = quality._words(quality._norm(text))
    for start in range(0, max(1, len(words) - 2)):
        snippet = " ".join(words[start : start + 8])
        if not snippet:
            continue
        assert quality._last_block_with(root, snippet) is _plain_search(root, snippet), snippet
