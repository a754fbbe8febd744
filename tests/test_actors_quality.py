"""Quality gate for actor mentions on real NER gold (floors may only rise).

The dictionary alone (no statistical model), on an even spread of documents of each visible
gold set: typed mention F1 (exact spans, PER/ORG/LOC), country-resolution accuracy and
precision where the gold names the country. Measured with `python bench/actors_eval.py`;
the floors sit a little under the measured figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import SHARED_DATA

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import actors_eval
import ner_gold

NER = SHARED_DATA / "ner"
DOCS = 60

# (gold set, language) -> (typed exact F1 floor, country accuracy floor, country precision floor)
FLOORS = {
    ("slavicner", "ru"): (0.56, 0.93, 0.98),  # measured 0.596, 0.966, 0.998
    ("nerel", "ru"): (0.33, 0.93, 0.98),  # measured 0.367, 0.975, 1.000
    ("arman", "fa"): (0.23, None, None),  # measured 0.256 (no country gold)
    ("re3d", "en"): (0.19, None, None),  # measured 0.214 (no country gold)
}


@pytest.fixture(scope="module")
def dictionary() -> actors_eval.SystemFn:
    return actors_eval.dictionary_system(ner=False)


@pytest.mark.parametrize(("gold_set", "language"), sorted(FLOORS))
def test_dictionary_mentions_meet_their_floors(
    dictionary: actors_eval.SystemFn, gold_set: str, language: str
) -> None:
    if not NER.exists():
        pytest.skip("../shared/data/ner is not beside the checkout")
    docs = [d for d in ner_gold.load(gold_set, NER) if d.language == language]
    scores = actors_eval.score(dictionary, actors_eval.spread(docs, DOCS))
    f1_floor, accuracy_floor, precision_floor = FLOORS[(gold_set, language)]
    f1 = scores.exact["ALL"].f1
    assert f1 >= f1_floor, f"{gold_set}/{language}: mention F1 {f1:.3f} < {f1_floor}"
    if accuracy_floor is not None:
        assert scores.country_total > 50
        assert scores.country_accuracy >= accuracy_floor, scores.country_accuracy
        assert scores.country_precision >= precision_floor, scores.country_precision
