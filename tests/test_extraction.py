"""extract_article and ExtractStage on small hand-written pages (tests/fixtures/html)."""

from __future__ import annotations

import dataclasses
import socket
from pathlib import Path
from typing import Any

import pytest

from newsparallax.annotate import extract as extraction
from newsparallax.annotate.extract import Extracted, ExtractStage, extract_article
from newsparallax.annotate.pipeline import Doc, Drop, check_order

FIXTURES = Path(__file__).parent / "fixtures" / "html"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


TITLE_ONLY = (
    "<html><head><title>Short notice</title>"
    '<meta property="article:published_time" content="2022-11-02"></head><body></body></html>'
)


def test_metadata_fields() -> None:
    found = extract_article(fixture("article_en.html"), url="https://gazette.example/x")
    assert found.title == "Harbour talks resume after winter pause"
    assert found.author == "Mira Castellan"
    assert found.date == "2023-03-14"
    assert found.date_source == "trafilatura"
    assert found.site_name == "The Lantern Gazette"
    assert found.language_hint == "en-GB"
    assert found.extractor == "trafilatura-precision"
    assert found.candidates["trafilatura-precision"] == len(found.text)
    assert "ending a pause of nearly four months" in found.text
    assert "joint coast guard patrol" in found.text
    for boilerplate in ("Most read", "Rail strike", "Privacy", "Weather"):
        assert boilerplate not in found.text
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.title = "x"  # type: ignore[misc]


def test_paragraphs_are_lines() -> None:
    found = extract_article(fixture("article_en.html"))
    lines = found.text.splitlines()
    assert any(line.startswith("Trade through Velmont fell sharply") for line in lines)
    assert all(line == line.strip() and line for line in lines)


def test_no_date_gives_none() -> None:
    found = extract_article(fixture("article_no_date_en.html"), url="https://example.org/ferry")
    assert found.title == "How the river ferry keeps running through the floods"
    assert "heavier cable" in found.text
    assert found.date is None
    assert found.date_source is None
    assert found.author is None


def test_date_from_the_url() -> None:
    found = extract_article(
        fixture("article_no_date_en.html"), url="https://example.org/2021/05/17/ferry-floods"
    )
    assert found.date == "2021-05-17"


def test_date_fallback_to_htmldate() -> None:
    # no text: trafilatura discards the page with its metadata; htmldate still finds the date
    found = extract_article(TITLE_ONLY, url="https://example.org/notice")
    assert found.date == "2022-11-02"
    assert found.date_source == "htmldate"
    assert found.title == "Short notice"
    assert found.text == ""
    assert found.extractor == "none"


def test_date_fallback_when_trafilatura_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extraction, "_trafilatura", lambda tree, url: {})
    found = extract_article(fixture("article_en.html"))
    assert found.date == "2023-03-14"
    assert found.date_source == "htmldate"
    assert found.extractor == "readability"  # trafilatura gave nothing: the next one wins
    assert "coastal republics" in found.text


def test_russian_cp1251_without_charset() -> None:
    found = extract_article(fixture("article_ru_cp1251.html"))
    assert found.title == "Переговоры о зерне продолжатся в Женеве"
    assert "переговоры о поставках зерна продолжатся на следующей неделе" in found.text
    assert "Контакты" not in found.text
    assert found.language_hint == "ru"


def test_persian_windows_1256_without_charset_keeps_zwnj() -> None:
    found = extract_article(fixture("article_fa_cp1256.html"))
    assert "مذاکرات درباره صادرات گندم" in found.text
    assert "سه\u200cشنبه" in found.text  # the zero-width non-joiner survives extraction
    assert found.title == "مذاکرات درباره صادرات گندم در ژنو ادامه مي\u200cيابد"
    assert found.language_hint == "fa"


def test_broken_html_still_extracts() -> None:
    found = extract_article(fixture("broken.html"))
    assert found.title == "Night market reopens on the old quay"
    assert "repairs to the paving" in found.text
    assert "shuttle bus will connect the quay" in found.text


def test_truncated_page_still_extracts() -> None:
    html = fixture("article_en.html")
    cut = html.index(b"Observers from the regional") + 40
    found = extract_article(html[:cut])
    assert "ending a pause of nearly four months" in found.text
    assert found.title == "Harbour talks resume after winter pause"


def test_fragment_and_empty_pages() -> None:
    found = extract_article("<p>Only a fragment of a page, with one sentence long enough.</p>")
    assert found.text == "Only a fragment of a page, with one sentence long enough."
    empty = extract_article("")
    assert (empty.title, empty.text, empty.extractor) == ("", "", "none")
    assert extract_article("<html><body><script>var a = 1;</script></body></html>").text == ""


def test_cascade_rule() -> None:
    long_text, short_text = "x" * 900, "y" * 300
    pick = extraction._pick
    assert pick([("a", short_text), ("b", long_text)]) == ("b", long_text)
    assert pick([("a", long_text), ("b", "z" * 1500)]) == ("a", long_text)  # not 2x longer
    assert pick([("a", ""), ("b", "tiny")]) == ("b", "tiny")  # anything beats nothing
    assert pick([("a", "x" * 100), ("b", "z" * 249)]) == ("a", "x" * 100)  # under the minimum
    assert pick([("a", ""), ("b", "")]) == ("none", "")


def test_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise OSError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    extract_article(fixture("article_en.html"), url="https://gazette.example/world/x")
    extract_article(TITLE_ONLY, url="https://example.org/2020/01/02/x")
    extract_article("https://example.org/looks-like-a-url")
    assert attempts == []


# --- the stage ---------------------------------------------------------------------------


def test_stage_declarations() -> None:
    stage = ExtractStage()
    check_order([stage])
    assert stage.name == "extract.v1"


def test_stage_passthrough() -> None:
    stage = ExtractStage()
    doc = Doc(source="feed", title="A title", text="Some text", published_raw="2024-01-01")
    assert stage(doc) is doc
    assert (doc.title, doc.text, doc.extractor) == ("A title", "Some text", "input")
    assert stage.counts["passthrough"] == 1


def test_stage_fills_the_doc() -> None:
    stage = ExtractStage()
    doc = Doc(source="warc", url="https://gazette.example/x", html=fixture("article_en.html"))
    doc = stage(doc)
    assert doc.title == "Harbour talks resume after winter pause"
    assert "coastal republics" in doc.text
    assert doc.author == "Mira Castellan"
    assert doc.site_name == "The Lantern Gazette"
    assert doc.extractor == "trafilatura-precision"
    assert doc.published_raw == "2023-03-14"
    assert doc.meta["date_source"] == "trafilatura"
    assert doc.meta["language_hint"] == "en-GB"
    assert stage.counts["trafilatura-precision"] == 1


def test_stage_keeps_input_date_and_title() -> None:
    stage = ExtractStage()
    doc = Doc(source="warc", html=fixture("article_en.html"), published_raw="2023-03-15T10:00:00Z")
    stage(doc)
    assert doc.published_raw == "2023-03-15T10:00:00Z"
    assert "date_source" not in doc.meta
    body = "<p>A notice about the ferry timetable that is long enough to be kept.</p>"
    doc = Doc(source="warc", title="Ferry timetable", html="<html><body>" + body)
    stage(doc)
    assert doc.title == "Ferry timetable"


def test_stage_uses_charset_hint() -> None:
    stage = ExtractStage()
    html = fixture("article_ru_cp1251.html")
    doc = stage(Doc(source="warc", html=html, meta={"charset": "windows-1251"}))
    assert "переговоры о поставках зерна" in doc.text
    doc = stage(Doc(source="warc", html=fixture("article_fa_cp1256.html")))
    assert "مذاکرات درباره صادرات گندم" in doc.text


@pytest.mark.parametrize(
    ("html", "code"),
    [
        (b"%PDF-1.4\n1 0 obj", "binary"),
        (b"<html>" + b"\x00" * 500, "binary"),
        (b"<html><body><p>" + b"x" * 2000, "too-large"),
        (b"<html><head><script>var a = 1;</script></head><body></body></html>", "not-article"),
        (bytes(range(0x80, 0x100)) * 4, "bad-encoding"),
    ],
)
def test_stage_drops(html: bytes, code: str) -> None:
    stage = ExtractStage(max_bytes=1000)
    with pytest.raises(Drop) as err:
        stage(Doc(source="warc", html=html))
    assert err.value.code == code
    assert stage.counts[code] == 1


def test_extracted_is_a_plain_record() -> None:
    fields = {f.name for f in dataclasses.fields(Extracted)}
    assert {"title", "text", "author", "date", "date_source", "site_name"} <= fields
    assert {"language_hint", "extractor", "candidates"} <= fields


DEEP_TEXT = (
    "Tehran and Moscow signed a new agreement on drone production on Tuesday, according to "
    "officials in both capitals. The deal covers the assembly of drones at a plant in Tatarstan "
    "and the training of engineers, and Western governments promised a response."
)


@pytest.mark.parametrize("depth", [300, 5000])
def test_deeply_nested_page_is_extracted(depth: int) -> None:
    """lxml stops parsing a page at 256 levels of nesting (libxml2's limit), so a paragraph
    inside 300 nested divs was lost and the page stored with its title and no text; the page
    is now parsed again with the excess nesting flattened. What follows the deep part stays."""
    html = (
        "<html><head><title>Drone deal signed</title></head><body>"
        + "<div>" * depth
        + f"<p>{DEEP_TEXT}</p>"
        + "</div>" * depth
        + "<p>After the nested part: the ministers will meet again in March in Kazan.</p>"
        + "</body></html>"
    )
    found = extract_article(html)
    assert DEEP_TEXT in found.text
    assert "meet again in March" in found.text
    assert found.title == "Drone deal signed"
    doc = ExtractStage()(Doc(source="deep.html", html=html.encode()))
    assert DEEP_TEXT in doc.text


def test_page_too_deep_even_flattened_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should flattening not bring a page within the parser's limit, the page is refused with
    a problem, not stored with its title and no text."""
    monkeypatch.setattr(extraction, "_flatten", lambda html: html)
    html = "<html><head><title>Deep</title></head><body>" + "<div>" * 300 + f"<p>{DEEP_TEXT}</p>"
    stage = ExtractStage()
    with pytest.raises(Drop) as err:
        stage(Doc(source="deep.html", html=html.encode()))
    assert err.value.code == "not-article" and "deeper" in str(err.value)
