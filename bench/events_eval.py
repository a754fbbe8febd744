"""Event coding quality on human-coded PLOVER sentences, beside a trigger-lookup baseline.

Reads ``../shared/data/events/plover-gold/PLOVER_GSR_dev.json`` (English sentences coded with a
PLOVER event type and source/target actors with CAMEO country codes). Older labels map as the
PLOVER codebook says: DEMAND → REQUEST, DISAPPROVE → ACCUSE, INVESTIGATE → ACCUSE, FIGHT →
ASSAULT; sentences with labels outside the 16 types (DOCUMENT) are skipped and counted.

Each sentence gets the actors stage (the shipped dictionary, resolved on the gold date) and then
a coder; the sentence's predicted event is its *primary* one: not negated, with the most roles
filled, earliest in the sentence. Reported, per coder:

* event-type accuracy and macro-F1 over the types present in the gold;
* dyad accuracy: source country and target country both right (a missing gold target must be
  missing too; any of several gold actors counts; IGO codes such as UN/EU count as "IGO");
* both together.

    python bench/events_eval.py [--gold FILE] [--json] [--errors N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from newsparallax.annotate.actors import default_matcher
from newsparallax.records import Event, Mention

DEFAULT_GOLD = (
    Path(__file__).resolve().parents[1].parent
    / "shared/data/events/plover-gold/PLOVER_GSR_dev.json"
)
OLD_LABELS = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}
TYPES = frozenset(
    "AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST ACCUSE REJECT"
    " THREATEN PROTEST SANCTION MOBILIZE COERCE ASSAULT".split()
)
#: CAMEO country codes in the gold that differ from ISO 3166 alpha-3.
CAMEO_CODES = {
    "JAP": "JPN",
    "ITL": "ITA",
    "ROM": "ROU",
    "GER": "DEU",
    "TMP": "TLS",
    "BUR": "MMR",
    "ZAR": "COD",
    "UK": "GBR",
}
IGOS = frozenset(
    "UN UNSC EU NATO IAEA BRICS SCO OPEC OPECPLUS ICC ICJ EAEU CSTO CIS GCC"
    " ARABLEAGUE OIC ASEAN AU G7 G20 FATF WHO IMF WB OSCE".split()
)


@dataclass(slots=True)
class GoldSentence:
    id: str
    text: str
    type: str
    sources: frozenset[str]
    targets: frozenset[str]
    day: date | None


@dataclass(slots=True)
class Scores:
    n: int = 0
    type_correct: int = 0
    dyad_correct: int = 0
    both_correct: int = 0
    no_event: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    seconds: float = 0.0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def type_accuracy(self) -> float:
        return self.type_correct / self.n if self.n else 0.0

    @property
    def dyad_accuracy(self) -> float:
        return self.dyad_correct / self.n if self.n else 0.0

    @property
    def both_accuracy(self) -> float:
        return self.both_correct / self.n if self.n else 0.0

    @property
    def macro_f1(self) -> float:
        gold_types = {g for g, _ in self.confusion}
        f1s = []
        for t in sorted(gold_types):
            tp = self.confusion[(t, t)]
            fp = sum(n for (g, p), n in self.confusion.items() if p == t and g != t)
            fn = sum(n for (g, p), n in self.confusion.items() if g == t and p != t)
            prec = tp / (tp + fp) if tp + fp else 0.0
            rec = tp / (tp + fn) if tp + fn else 0.0
            f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
        return sum(f1s) / len(f1s) if f1s else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "sentences": self.n,
            "type_accuracy": round(self.type_accuracy, 3),
            "type_macro_f1": round(self.macro_f1, 3),
            "dyad_accuracy": round(self.dyad_accuracy, 3),
            "type_and_dyad": round(self.both_accuracy, 3),
            "no_event": self.no_event,
            "sentences_per_s": round(self.n / self.seconds, 1) if self.seconds else None,
        }


def _code(raw: str) -> str:
    code = (raw or "").strip().upper()[:3]
    return CAMEO_CODES.get(code, code)


def load_gold(path: Path = DEFAULT_GOLD) -> tuple[list[GoldSentence], int]:
    """The gold sentences with a PLOVER type (and how many were skipped)."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    out = []
    skipped = 0
    for row in rows:
        kind = OLD_LABELS.get(row["event"], row["event"])
        if kind not in TYPES:
            skipped += 1
            continue
        try:
            day = date.fromisoformat(str(row.get("date", ""))[:10])
        except ValueError:
            day = None
        out.append(
            GoldSentence(
                id=row["id"],
                text=row["text"],
                type=kind,
                sources=frozenset(_code(a.get("code", "")) for a in row.get("source", [])),
                targets=frozenset(_code(a.get("code", "")) for a in row.get("target", [])),
                day=day,
            )
        )
    return out, skipped


def primary(events: Sequence[Event]) -> Event | None:
    """The sentence's main event: not negated, most roles filled, earliest."""
    if not events:
        return None
    ranked = sorted(
        enumerate(events),
        key=lambda p: (p[1].negated, -(bool(p[1].source) + bool(p[1].target)), p[0]),
    )
    return ranked[0][1]


def _country(value: str | None) -> str | None:
    if value in IGOS:
        return "IGO"
    return value


Coder = Callable[[str, Sequence[Mention]], list[Event]]


def score(coder: Coder, gold: Sequence[GoldSentence], *, keep_errors: int = 0) -> Scores:
    matcher = default_matcher()
    scores = Scores()
    started = time.perf_counter()
    for item in gold:
        mentions = matcher.find(item.text, language="en", published=item.day)
        event = primary(coder(item.text, mentions))
        predicted = event.type if event else "NONE"
        scores.n += 1
        scores.no_event += event is None
        scores.confusion[(item.type, predicted)] += 1
        type_ok = predicted == item.type
        src = _country(event.source) if event else None
        tgt = _country(event.target) if event else None
        src_ok = src in item.sources if item.sources else src is None
        tgt_ok = tgt in item.targets if item.targets else tgt is None
        dyad_ok = bool(event) and src_ok and tgt_ok
        scores.type_correct += type_ok
        scores.dyad_correct += dyad_ok
        scores.both_correct += type_ok and dyad_ok
        if keep_errors and not (type_ok and dyad_ok) and len(scores.errors) < keep_errors:
            scores.errors.append(
                {
                    "id": item.id,
                    "gold": [item.type, sorted(item.sources), sorted(item.targets)],
                    "predicted": [predicted, src, tgt, event.trigger if event else None],
                }
            )
    scores.seconds = time.perf_counter() - started
    return scores


def coders() -> dict[str, Coder]:
    from newsparallax.annotate.events import EnglishBaseline, EnglishCoder

    syntax = EnglishCoder()
    baseline = EnglishBaseline()
    return {
        "trigger lookup (baseline)": lambda text, mentions: baseline.code(text, mentions),
        "syntax (Parallax)": lambda text, mentions: syntax.code(text, mentions),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--errors", type=int, default=0, help="Print N misses per coder.")
    args = parser.parse_args()
    gold, skipped = load_gold(args.gold)
    report = {}
    for name, coder in coders().items():
        result = score(coder, gold, keep_errors=args.errors)
        report[name] = {**result.as_dict(), "errors": result.errors}
    if args.json:
        print(json.dumps({"gold": str(args.gold), "skipped": skipped, "coders": report}, indent=2))
        return 0
    print(f"{args.gold.name}: {len(gold)} sentences ({skipped} with labels outside PLOVER 16)")
    print(
        f"{'coder':<28} {'type acc':>8} {'macro-F1':>8} {'dyad acc':>8} {'both':>6}"
        f" {'no event':>8} {'sent/s':>8}"
    )
    for name, r in report.items():
        print(
            f"{name:<28} {r['type_accuracy']:>8.3f} {r['type_macro_f1']:>8.3f}"
            f" {r['dyad_accuracy']:>8.3f} {r['type_and_dyad']:>6.3f} {r['no_event']:>8}"
            f" {r['sentences_per_s']:>8}"
        )
        for err in r["errors"]:
            print("   ", err)
    return 0


if __name__ == "__main__":
    sys.exit(main())
