"""The quality stage on hand-written fixtures: SEO spam is flagged, clean news is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsparallax.annotate.pipeline import Doc
from newsparallax.annotate.quality import QualityStage, assess_quality

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "quality"
SPAM_SIGNALS = {"keyword_stuffing", "linkbait_tail", "filler", "seo_spam"}


def _title_and_body(name: str) -> tuple[str, str]:
    title, _, body = (FIXTURES / name).read_text(encoding="utf-8").partition("\n\n")
    return title.strip(), body


def test_seo_spam_html_page_is_flagged() -> None:
    trafilatura = pytest.importorskip("trafilatura")
    html = (FIXTURES / "seo_spam_iran_russia.html").read_text(encoding="utf-8")
    text = trafilatura.extract(html, include_comments=False, favor_precision=True) or ""
    q = assess_quality(title="Iran Russia News Today", text=text, html=html)
    assert set(q.flags) >= SPAM_SIGNALS
    assert q.details["bold_repeat"] >= 8
    assert q.details["tail_linkbait_vocab"] >= 0.5
    assert q.score <= 0.3


def test_seo_spam_html_as_bytes_with_plain_paragraph_text() -> None:
    from lxml import html as lhtml

    raw = (FIXTURES / "seo_spam_iran_russia.html").read_bytes()
    root = lhtml.document_fromstring(raw)
    text = "\n\n".join(p.text_content() for p in root.iter("p"))
    q = assess_quality(title="Iran Russia News Today", text=text, html=raw)
    assert {"seo_spam", "keyword_stuffing", "linkbait_tail"} <= set(q.flags)


def test_seo_spam_text_only_is_flagged() -> None:
    title, body = _title_and_body("seo_spam_iran_russia.txt")
    q = assess_quality(title=title, text=body)
    assert set(q.flags) >= SPAM_SIGNALS
    assert q.details["ngram_density"] >= 0.12
    assert q.details["tail_unrelated"] >= 0.75
    assert q.score <= 0.3


@pytest.mark.parametrize("name", ["clean_en.txt", "clean_ru.txt", "clean_fa.txt"])
def test_clean_news_is_not_flagged(name: str) -> None:
    title, body = _title_and_body(name)
    q = assess_quality(title=title, text=body)
    assert not (SPAM_SIGNALS | {"boilerplate", "empty_text", "short_text"}) & set(q.flags)
    assert q.score >= 0.8


def test_boilerplate_lines_are_detected() -> None:
    title, body = _title_and_body("boilerplate_en.txt")
    q = assess_quality(title=title, text=body)
    assert "boilerplate" in q.flags
    assert "seo_spam" not in q.flags
    assert q.details["boilerplate_share"] >= 0.5
    assert q.score < 1.0


def test_russian_and_persian_boilerplate() -> None:
    _, ru = _title_and_body("clean_ru.txt")
    _, fa = _title_and_body("clean_fa.txt")
    ru_noise = (
        "\n\nЧитайте также: В Самаре открыли мост\nПодписывайтесь на наш канал\nВсе права защищены"
    )
    fa_noise = "\n\nهمچنین بخوانید: افتتاح پل جدید\nکلیه حقوق این سایت محفوظ است\nانتهای پیام"
    assert "boilerplate" in assess_quality(title="", text=ru + ru_noise).flags
    assert "boilerplate" in assess_quality(title="", text=fa + fa_noise).flags


def test_empty_headline_only_and_short() -> None:
    empty = assess_quality(title="", text="   \n ")
    assert empty.flags == ("empty_text",)
    assert empty.score == 0.0
    feed = assess_quality(title="Iran and Russia sign a gas deal", text="", summary="A short lead.")
    assert feed.flags == ("empty_text", "headline_only")
    assert 0.0 < feed.score < 1.0
    short = assess_quality(
        title="Brief", text="Officials met in Tehran on Monday to discuss trade."
    )
    assert "short_text" in short.flags
    assert not SPAM_SIGNALS & set(short.flags)


def test_telegram_post_markdown_is_not_stuffing() -> None:
    post = (
        "**⚡️Власти Казахстана и России договорились о поставках газа через новый трубопровод**\n\n"
        "📍Соглашение подписали в Астане министры энергетики двух стран. "
        "По [данным](https://t.me/example/1) ведомства, поставки начнутся весной.\n\n"
        "📍**Объем:** до 10 млрд кубометров в год.\n"
        "📍**Срок:** 15 лет.\n"
        "📍**Цена:** не раскрывается.\n\n"
        "🎯[ Подписывайся на канал](https://t.me/example)\n\n"
        "📩 [Прислать новость](https://t.me/example_bot)"
    )
    q = assess_quality(title="", text=post)
    assert "keyword_stuffing" not in q.flags
    assert "seo_spam" not in q.flags
    assert "linkbait_tail" not in q.flags


def test_repeated_bold_labels_are_not_stuffing() -> None:
    _, body = _title_and_body("clean_en.txt")
    interview = "\n".join(f"**Question:** What happened on day {i}?\nIt rained." for i in range(12))
    q = assess_quality(title="", text=body + "\n" + interview)
    assert "keyword_stuffing" not in q.flags


def test_stage_sets_quality_and_counts_flags() -> None:
    stage = QualityStage()
    assert isinstance(stage, QualityStage)
    assert stage.name == "quality.v1"
    title, body = _title_and_body("seo_spam_iran_russia.txt")
    doc = stage(Doc(source="test", title=title, text=body))
    assert "seo_spam" in doc.quality.flags
    doc2 = stage(Doc(source="test", title="Only a headline"))
    assert "headline_only" in doc2.quality.flags
    assert stage.counts["assessed"] == 2
    assert stage.counts["seo_spam"] == 1
    assert stage.counts["headline_only"] == 1
