"""Quality gate for the themes stage on the hand-labelled theme gold (floors may only rise).

The test half of ``bench/labels/themes_gold.jsonl`` (EN 77, RU 75, FA 63 real items) goes through
the actors and events stages and the themes stage as the pipeline runs them; ``python
bench/themes_eval.py`` prints the same figures beside v1 and the keyword baselines. Micro F1 is
over the themes with gold positives in that language, ``other`` included; the floors sit a
little under the measured figures. The model was fitted on the tune half only.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import themes_eval

#: per language: (micro F1, macro F1) floors on the test half
FLOORS = {
    "en": (0.79, 0.78),  # measured 0.804, 0.794
    "ru": (0.84, 0.72),  # measured 0.860, 0.744
    "fa": (0.83, 0.70),  # measured 0.853, 0.714
}


@pytest.fixture(scope="module")
def cells() -> dict[str, dict[tuple[str, str], themes_eval.Cell]]:
    try:
        rows = [r for r in themes_eval.themes_sample.load() if r["split"] == "test"]
    except FileNotFoundError:
        pytest.skip("../shared/data is not beside the checkout")
    docs = themes_eval.gold_docs(rows)
    themes_eval.annotate(docs)
    new, _ = themes_eval.tag_new(docs)
    keywords = themes_eval.tag_keywords_new(docs)
    return {"new": themes_eval.score(rows, new), "kw": themes_eval.score(rows, keywords)}


@pytest.mark.parametrize("lang", sorted(FLOORS))
def test_themes_meet_their_floors_per_language(
    cells: dict[str, dict[tuple[str, str], themes_eval.Cell]], lang: str
) -> None:
    cell = cells["new"][("test", lang)]
    micro, macro = FLOORS[lang]
    p, r, f1 = cell.micro()
    assert f1 is not None and f1 >= micro, (lang, p, r, f1)
    assert (cell.macro() or 0.0) >= macro, (lang, cell.macro())


@pytest.mark.parametrize("lang", sorted(FLOORS))
def test_themes_beat_their_own_term_lists_used_as_a_keyword_list(
    cells: dict[str, dict[tuple[str, str], themes_eval.Cell]], lang: str
) -> None:
    ours, keywords = cells["new"][("test", lang)], cells["kw"][("test", lang)]
    assert (ours.micro()[2] or 0) > (keywords.micro()[2] or 0)
    assert (ours.micro()[0] or 0) > (keywords.micro()[0] or 0)  # precision: over-tagging


def test_other_is_given_when_nothing_else_fits(
    cells: dict[str, dict[tuple[str, str], themes_eval.Cell]],
) -> None:
    other = cells["new"][("test", "all")]
    p, r, _ = other.theme("other")
    assert p is not None and p >= 0.74 and r is not None and r >= 0.9, (p, r)  # 0.767, 0.972


def test_the_shipped_model_was_fitted_on_the_tune_half() -> None:
    path = resources.files("newsparallax") / "data" / "themes_model.json"
    meta = json.loads(path.read_text(encoding="utf-8"))["meta"]
    assert "tune half" in meta["trained_on"]
