"""Quality gate for event coding on human-coded PLOVER sentences (floors may only rise).

`python bench/events_eval.py` prints the same figures; the floors sit a little under them, and
the syntactic coder must beat the trigger-lookup baseline in the same run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import events_eval
import events_real_eval
from newsparallax.annotate.events.signals import confidence_model

TYPE_ACCURACY = 0.58  # measured 0.598 (v1: 0.585)
TYPE_MACRO_F1 = 0.54  # measured 0.559 (v1: 0.539)
DYAD_ACCURACY = 0.55  # measured 0.567 (v1: 0.518)
BOTH = 0.38  # measured 0.390 (v1: 0.354)

# Hand-labelled real sentences, test half (`python bench/events_real_eval.py`): precision of
# every coded event, and of the events kept at the default confidence threshold.
REAL_FULL_PRECISION = 0.35  # measured 0.38 (0.37 last stop; v1: 0.14)
REAL_TYPE_PRECISION = 0.48  # measured 0.52 (0.51; v1: 0.43)
REAL_TYPE_RECALL = 0.50  # measured 0.52 (0.50; v1: 0.43)
KEPT_TYPE_PRECISION = 0.90  # measured 0.91 on 33 events (0.91 on 34 last stop)
KEPT_FULL_PRECISION = 0.78  # measured 0.82 on 33 events (0.79 on 34 last stop)
KEPT_FULL_RECALL = 0.15  # measured 0.18 (0.14 last stop)
# The Iran–Russia stratum's test half (`python bench/events_real_eval.py --set bilateral`)
BILATERAL_KEPT_FULL_PRECISION = 0.80  # measured 1.00 on 10 events (0.91 on 11 last stop)
BILATERAL_KEPT = 8


@pytest.fixture(scope="module")
def results() -> dict[str, events_eval.Scores]:
    if not events_eval.DEFAULT_GOLD.exists():
        pytest.skip("../shared/data/events is not beside the checkout")
    gold, _ = events_eval.load_gold()
    return {name: events_eval.score(coder, gold) for name, coder in events_eval.coders().items()}


def test_syntactic_coder_meets_its_floors(results: dict[str, events_eval.Scores]) -> None:
    ours = results["syntax (Parallax)"]
    assert ours.n >= 150
    assert ours.type_accuracy >= TYPE_ACCURACY, ours.as_dict()
    assert ours.macro_f1 >= TYPE_MACRO_F1, ours.as_dict()
    assert ours.dyad_accuracy >= DYAD_ACCURACY, ours.as_dict()
    assert ours.both_accuracy >= BOTH, ours.as_dict()


def test_syntax_beats_the_trigger_lookup_baseline(results: dict[str, events_eval.Scores]) -> None:
    ours, baseline = results["syntax (Parallax)"], results["trigger lookup (baseline)"]
    assert ours.type_accuracy > baseline.type_accuracy
    assert ours.macro_f1 > baseline.macro_f1
    assert ours.both_accuracy > baseline.both_accuracy


def test_old_labels_map_as_the_codebook_says() -> None:
    gold, skipped = events_eval.load_gold()
    kinds = {g.type for g in gold}
    assert kinds <= events_eval.TYPES and skipped <= 2
    assert "DEMAND" not in kinds and "REQUEST" in kinds and "ACCUSE" in kinds


def test_real_sentences_meet_their_floors() -> None:
    sample = events_real_eval.events_sample  # the gold's loader (bench/labels)
    items = [i for i in sample.load(sample.DEFAULT_DATA) if i["split"] == "test"]
    if not items:
        pytest.skip("../shared/data is not beside the checkout")
    every = events_real_eval.evaluate(items, threshold=0.0)["all"]
    assert every["full"]["precision"] >= REAL_FULL_PRECISION, every
    assert every["type"]["precision"] >= REAL_TYPE_PRECISION, every
    assert every["type"]["recall"] >= REAL_TYPE_RECALL, every
    shipped = confidence_model().threshold  # (the tests' environment sets PARALLAX_EVENT_...=0)
    by_language = events_real_eval.evaluate(items, threshold=shipped)
    kept = by_language["all"]
    assert kept["predicted"] >= 30, kept  # the threshold keeps some events at all
    # ...in every language: Persian reports that never count would hide the Iranian camp
    assert all(by_language[lang]["predicted"] >= 1 for lang in ("en", "ru", "fa")), by_language
    assert kept["type"]["precision"] >= KEPT_TYPE_PRECISION, kept
    assert kept["full"]["precision"] >= KEPT_FULL_PRECISION, kept
    assert kept["full"]["recall"] >= KEPT_FULL_RECALL, kept


def test_a_mutual_events_mirror_is_scored_once() -> None:
    from newsparallax.records import Event

    met = Event(type="CONSULT", source="IRN", target="RUS", trigger="met", sentence_start=0,
                sentence_end=9)  # fmt: skip
    mirror = Event(type="CONSULT", source="RUS", target="IRN", trigger="met", sentence_start=0,
                   sentence_end=9)  # fmt: skip
    aid = Event(type="AID", source="IRN", target="RUS", trigger="sent", sentence_start=0,
                sentence_end=9)  # fmt: skip
    back = Event(type="AID", source="RUS", target="IRN", trigger="sent", sentence_start=0,
                 sentence_end=9)  # fmt: skip
    assert events_real_eval.unordered([met, mirror, aid, back]) == [met, aid, back]
    gold = [{"type": "CONSULT", "source": "RUS", "target": "IRN", "asserted": True,
             "negated": False}]  # fmt: skip
    assert events_real_eval.fully_right(events_real_eval.unordered([met, mirror]), gold) == [True]


def test_the_iran_russia_stratum_meets_its_floors() -> None:
    import events_bilateral

    items = [i for i in events_bilateral.load() if i["split"] == "test"]
    if not items:
        pytest.skip("../shared/data is not beside the checkout")
    kept = events_real_eval.evaluate(items, threshold=confidence_model().threshold)["all"]
    assert kept["predicted"] >= BILATERAL_KEPT, kept
    assert kept["full"]["precision"] >= BILATERAL_KEPT_FULL_PRECISION, kept
