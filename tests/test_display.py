"""Untitled items are shown by their first words, never as "(untitled)"."""

from __future__ import annotations

from newsparallax.analyze.display import display_title


def test_a_title_wins_and_is_collapsed() -> None:
    assert display_title("  Iran and\nRussia sign ", "summary") == "Iran and Russia sign"


def test_an_untitled_post_shows_its_first_words() -> None:
    text = (
        "🔥 **Путин и Пезешкиан подписали договор** о всеобъемлющем стратегическом партнёрстве"
        " сроком на двадцать лет, сообщает [Кремль](https://kremlin.ru/x)\n\nВторой абзац"
    )
    shown = display_title(None, None, text)
    assert shown.startswith("Путин и Пезешкиан подписали договор")
    assert shown.endswith("…") and len(shown.split()) == 12
    assert "http" not in shown and "*" not in shown and "🔥" not in shown


def test_the_summary_before_the_text_and_links_dropped() -> None:
    assert display_title("", "https://t.me/x\nShort note.", "text") == "Short note."
    assert display_title("", "", "") == ""
