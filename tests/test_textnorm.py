from newsparallax.textnorm import normalize, word_spans


def test_russian_inflections_meet() -> None:
    assert normalize("санкции") == normalize("санкций") == normalize("санкциями")
    assert normalize("Путину") == normalize("Путиным") == "путин"
    assert normalize("ёлка") == normalize("елка")


def test_persian_forms_meet() -> None:
    assert normalize("تحریم‌ها") == normalize("تحریم")
    assert normalize("ايران") == normalize("ایران")  # Arabic yeh vs Persian yeh
    assert normalize("كشور") == normalize("کشور")  # Arabic kaf vs Persian keheh
    assert normalize("۱۴۰۳") == "1403"


def test_english_is_case_folded() -> None:
    assert normalize("Iran's DRONES") == "iran s drones"


def test_word_spans_point_into_the_original() -> None:
    text = "Санкции против تحریم‌ها"
    spans = list(word_spans(text))
    assert [text[s:e] for s, e, _ in spans] == ["Санкции", "против", "تحریم‌ها"]
    assert spans[0][2] == "санкция" and spans[2][2] == "تحریم"
