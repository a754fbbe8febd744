"""Figures of the judged samples in ``bench/compare_judged/`` (see ``bench/compare_judging.md``).

python bench/compare_judged_summary.py
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent / "compare_judged"


def _rows(name: str) -> list[dict[str, str]]:
    with open(HERE / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def main() -> None:
    for version in ("before", "after"):
        print(f"== {version}")
        terms = _rows(f"framing_{version}.tsv")
        labels = Counter(r["label"] for r in terms)
        n = len(terms)
        print(
            f"framing terms: {n}; framing {labels['F']} ({labels['F'] / n:.0%}), topic"
            f" {labels['T']} ({labels['T'] / n:.0%}), noise {labels['N']} ({labels['N'] / n:.0%})"
        )
        for window in sorted({r["window"] for r in terms}):
            sub = Counter(r["label"] for r in terms if r["window"] == window)
            print(
                f"  {window}: {sum(sub.values())} terms, F {sub['F']}, T {sub['T']}, N {sub['N']}"
            )
        milestones = _rows(f"timeline_{version}.tsv")
        for pair in ("IRN-RUS", "RUS-UKR"):
            mine = [r for r in milestones if r["pair"] == pair]
            real = sum(r["real"] == "yes" for r in mine)
            right = sum(r["real"] == "yes" and r["label_right"] == "yes" for r in mine)
            top10 = sum(r["real"] == "yes" for r in mine if int(r["rank"]) <= 10)
            print(
                f"timeline {pair} top {len(mine)}: {real} real, {right} real and labelled right;"
                f" top 10: {top10} real"
            )
        spots = _rows(f"blindspots_{version}.tsv")
        for window in sorted({r["window"] for r in spots}):
            mine = [r for r in spots if r["window"] == window]
            print(
                f"blindspots {window} top {len(mine)}: {sum(r['real'] == 'yes' for r in mine)} real"
            )
        print(f"blindspots all: {sum(r['real'] == 'yes' for r in spots)} of {len(spots)} real")
        if (HERE / f"claims_left_out_{version}.tsv").exists():
            left = _rows(f"claims_left_out_{version}.tsv")
            right = sum(r["hypothetical_right"] == "yes" for r in left)
            print(f"claims left out as hypothetical: {right} of {len(left)} rightly")


if __name__ == "__main__":
    main()
