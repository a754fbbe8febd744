"""Language identification on small hand-written strings (written for these tests)."""

from __future__ import annotations

import pytest

from newsparallax.annotate.language import (
    SUPPORTED,
    UNDETERMINED,
    LanguageGuess,
    LanguageStage,
    detect_language,
    language_sample,
)
from newsparallax.annotate.pipeline import Doc, Pipeline

CORE = ("en", "ru", "fa", "uk", "ar", "tr", "fr", "de", "zh")


def test_supported_covers_the_core_languages() -> None:
    assert set(CORE) <= set(SUPPORTED)
    assert UNDETERMINED not in SUPPORTED
    assert all(len(code) == 2 for code in SUPPORTED)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The foreign ministers met in Geneva on Tuesday to discuss the nuclear talks.", "en"),
        ("Министры иностранных дел встретились во вторник в Женеве для переговоров.", "ru"),
        ("Міністри закордонних справ зустрілися у вівторок у Женеві для переговорів.", "uk"),
        ("وزیران امور خارجه روز سه‌شنبه برای گفتگو درباره مذاکرات هسته‌ای در ژنو دیدار کردند.", "fa"),
        ("التقى وزراء الخارجية يوم الثلاثاء في جنيف لمناقشة المحادثات النووية.", "ar"),
        (
            "Dışişleri bakanları salı günü nükleer görüşmeleri ele almak için bir araya geldi.",
            "tr",
        ),
        (
            "Les ministres des affaires étrangères se sont réunis mardi à Genève pour discuter.",
            "fr",
        ),
        (
            "Die Außenminister trafen sich am Dienstag in Genf, um über die Gespräche zu beraten.",
            "de",
        ),
        ("外交部长们周二在日内瓦会面，讨论核谈判问题。", "zh"),
    ],
)
def test_core_languages_on_one_sentence(text: str, lang: str) -> None:
    guess = detect_language(text)
    assert guess.language == lang
    assert 0.5 <= guess.confidence <= 1.0


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # the same headline in both languages; the letters ы/э and і/ї/є decide short ones
        ("Президент выступил с обращением к нации", "ru"),
        ("Президент виступив зі зверненням до нації", "uk"),
        ("Власти объявили эвакуацию жителей", "ru"),
        ("Влада оголосила евакуацію мешканців", "uk"),
        ("Где будут новые переговоры о перемирии?", "ru"),
        ("Де відбудуться нові переговори про перемир'я?", "uk"),
    ],
)
def test_russian_and_ukrainian_headlines_are_told_apart(text: str, lang: str) -> None:
    assert detect_language(text).language == lang


def test_ukrainian_name_in_russian_article_does_not_flip_it() -> None:
    text = (
        "Глава МИД заявил, что переговоры продолжатся на следующей неделе. "
        "Об этом сообщило агентство Укрінформ со ссылкой на источники в Києві. "
        "По его словам, стороны обсудят обмен пленными и гуманитарные коридоры."
    )
    assert detect_language(text).language == "ru"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("رئیس جمهور امروز در جلسه هیئت دولت گفت که این طرح اجرا می‌شود", "fa"),
        # older Persian sites type the Arabic ي and ك; Persian function words decide
        ("رئيس جمهور امروز در جلسه هيئت دولت گفت كه اين طرح اجرا مي شود", "fa"),
        ("قال الرئيس اليوم في اجتماع مجلس الوزراء إن هذه الخطة سيتم تنفيذها", "ar"),
        ("أعلنت الحكومة عن خطة جديدة لدعم الاقتصاد الوطني", "ar"),
    ],
)
def test_persian_and_arabic_are_told_apart(text: str, lang: str) -> None:
    assert detect_language(text).language == lang


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "12345",
        "!!!",
        "2024-11-30 23:43",
        "https://example.org/news/12345 @somebody #breaking",
        "asdf qwer zxcv",
        "lol ok xD brb",
        "Путин",
        "Ukraine",
    ],
)
def test_und_when_there_is_nothing_to_go_on(text: str) -> None:
    guess = detect_language(text)
    assert guess.language == UNDETERMINED
    assert 0.0 <= guess.confidence < 0.5


def test_unsupported_scripts_and_languages_give_und() -> None:
    assert detect_language("Ο πρωθυπουργός συναντήθηκε με τους υπουργούς σήμερα").language == "und"
    assert detect_language("პრემიერ-მინისტრი დღეს მინისტრებს შეხვდა").language == "und"
    dutch = "De minister heeft vandaag met zijn collega's gesproken over de nieuwe wet."
    assert detect_language(dutch).language == "und"


def test_min_chars() -> None:
    text = "Peace talks resume"
    assert detect_language(text).language == "en"
    assert detect_language(text, min_chars=100).language == "und"


def test_confidence_is_a_probability() -> None:
    for text in ("A short one", "Совсем коротко", "Short and sweet line here", "x" * 50):
        guess = detect_language(text)
        assert isinstance(guess, LanguageGuess)
        assert 0.0 <= guess.confidence <= 1.0
    long_en = "The ministers agreed that the talks would continue next week in Vienna. " * 5
    assert detect_language(long_en).confidence > 0.99


def test_mixed_script_follows_the_dominant_script() -> None:
    text = "Переговоры NATO и EU о санкциях против Ирана продолжатся в Брюсселе"
    assert detect_language(text).language == "ru"


def test_sample_drops_urls_handles_digits_and_markdown() -> None:
    sample = language_sample("**Срочно:** https://t.me/x/1 @channel #news 2024 [читать](url)")
    assert "http" not in sample and "@" not in sample and "#" not in sample
    assert not any(ch.isdigit() for ch in sample)
    assert "*" not in sample and "[" not in sample
    assert len(language_sample("слово " * 2000, max_chars=300)) <= 300


def test_stage_sets_language_and_counts() -> None:
    stage = LanguageStage()
    doc = stage(Doc(source="t", title="Talks resume", text="The talks resumed in Vienna today."))
    assert (doc.language, stage.counts["en"]) == ("en", 1)
    assert 0.5 < doc.language_confidence <= 1.0
    doc = stage(Doc(source="t", title="", text="", summary="Переговоры возобновились в Вене."))
    assert doc.language == "ru"
    assert stage.counts == {"en": 1, "ru": 1}


def test_stage_falls_back_to_the_declared_language() -> None:
    stage = LanguageStage()
    doc = stage(Doc(source="t", title="", text="12 34", meta={"language": "fa"}))
    assert (doc.language, doc.language_confidence) == ("fa", 0.5)
    doc = stage(Doc(source="t", title="", text="!!!", meta={"language": "en-GB"}))
    assert doc.language == "en"
    doc = stage(Doc(source="t", title="", text="...", meta={"language": "xx"}))
    assert (doc.language, doc.language_confidence) == ("und", 0.0)
    # a detected language wins over the declared one
    doc = stage(Doc(source="t", title="Talks resume in Vienna", text="", meta={"language": "ru"}))
    assert doc.language == "en"
    assert stage.counts["declared_fallback"] == 2
    assert stage.counts["fa"] == 1 and stage.counts["und"] == 1 and stage.counts["en"] == 2


def test_stage_is_registered_and_fits_a_pipeline() -> None:
    stage = LanguageStage()
    assert stage.name == "language.v1"
    assert stage.provides == ("language", "language_confidence")
    pipeline = Pipeline([stage])
    doc = pipeline(Doc(source="t", title="Переговори тривають", text="Сторони домовилися."))
    assert doc.language == "uk"
    assert doc.stages == ["language.v1"]
