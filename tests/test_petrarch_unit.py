"""PETRARCH-2's unit-test sentences as a regression check of who-did-what-to-whom roles.

Only the dyads apply (the suite codes its own invented verbs; see bench/petrarch_unit.py).
Measured with `python bench/petrarch_unit.py`: 64.5 % of 183 records; the floor sits under it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import petrarch_unit

DYAD_FLOOR = 0.61


def test_petrarch_unit_dyads_meet_their_floor() -> None:
    if not petrarch_unit.RECORDS.exists():
        pytest.skip("../shared is not beside the checkout")
    report = petrarch_unit.run()
    assert report["applicable_records"] >= 150
    assert report["dyad_found"] >= DYAD_FLOOR, report


def test_validation_actors_load_with_their_aliases() -> None:
    if not petrarch_unit.ACTORS.exists():
        pytest.skip("../shared is not beside the checkout")
    dictionary = petrarch_unit.validation_dictionary()
    found = {a.country for a in dictionary.search("Arnor")}
    assert "ARN" in found
    australian = [a for a in dictionary if "Australian" in a.names.get("en", ())]
    assert australian and australian[0].country == "AUS"
