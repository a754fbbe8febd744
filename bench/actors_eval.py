"""Actor-mention detection and country resolution against real entity gold (``ner_gold.py``).

Usage (from the repository root)::

    python bench/actors_eval.py [--limit N] [--sets slavicner,nerel,arman,re3d]
                                [--systems dictionary,hybrid,baseline] [--data PATH]
                                [--no-ignore] [--json]

For each gold set and language it prints, side by side in one run, precision / recall / F1 of
mention detection per type (``PER``, ``ORG``, ``LOC``) and overall, with an exact match (same
span, same type) and a lenient one (overlapping spans, same type, one to one), then country
resolution and documents per second, for these systems:

* ``dictionary``: ``newsparallax.annotate.actors.find_mentions(text, language=…, ner=False)``;
* ``hybrid``: the same with ``ner=True``;
* the baseline: ``natasha`` for Russian, ``spacy`` (``en_core_web_sm``) for English, through
  :mod:`newsparallax.annotate.ner`. Persian has no baseline: no statistical Persian NER runs
  offline here (hazm has none; stanza and Hugging Face models need downloads).

Mention kinds map to types: ``person`` → PER; ``organisation``, ``armed_group``, ``igo`` → ORG;
``state``, ``place`` → LOC; ``weapon`` is not scored.

Gold spans of dropped types and nested entities (``GoldDoc.ignored``) are neutral: a prediction
on one (the same span for the exact match, an overlap for the lenient one) is neither a hit nor
a false positive. ``--no-ignore`` scores them as false positives instead.

Country resolution: over every gold span that carries a country (nested ones included), ``acc``
is the share that some prediction overlapping the span resolves to that same country; ``prec``
is that count over the gold spans where an overlapping prediction names any country.

``--limit N`` takes N documents per gold set, evenly spread over the set's sorted documents.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import ner_gold  # noqa: E402 - needs the path above
from ner_gold import TYPES, GoldDoc, GoldEntity  # noqa: E402

KIND_TYPES = {
    "person": "PER",
    "organisation": "ORG",
    "armed_group": "ORG",
    "igo": "ORG",
    "state": "LOC",
    "place": "LOC",
}
BASELINES = {"ru": "natasha", "en": "spacy"}
ALL = "ALL"


@dataclass(frozen=True, slots=True)
class Pred:
    """A system's mention: span, type (PER/ORG/LOC) and the country it resolved to, if any."""

    start: int
    end: int
    type: str
    country: str | None = None


_Spanned = TypeVar("_Spanned", GoldEntity, Pred)

SystemFn = Callable[[str, str], Iterable[Pred]]
"""``(text, language) -> predictions``."""


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, float]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def _by_type() -> dict[str, Counts]:
    return {t: Counts() for t in (*TYPES, ALL)}


@dataclass(slots=True)
class Scores:
    docs: int = 0
    seconds: float = 0.0
    exact: dict[str, Counts] = field(default_factory=_by_type)
    lenient: dict[str, Counts] = field(default_factory=_by_type)
    untyped_exact: Counts = field(default_factory=Counts)
    """Spans alone, types not compared (detection whatever the type inventory says)."""
    untyped_lenient: Counts = field(default_factory=Counts)
    country_total: int = 0
    country_resolved: int = 0
    """Gold country spans overlapped by a prediction that names some country."""
    country_correct: int = 0
    ignored: int = 0
    """Predictions on ignored gold spans (exact match), neither hits nor false positives."""

    @property
    def docs_per_second(self) -> float:
        return self.docs / self.seconds if self.seconds else 0.0

    @property
    def country_accuracy(self) -> float:
        return self.country_correct / self.country_total if self.country_total else 0.0

    @property
    def country_precision(self) -> float:
        return self.country_correct / self.country_resolved if self.country_resolved else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "docs": self.docs,
            "docs_per_s": round(self.docs_per_second, 2),
            "exact": {t: c.as_dict() for t, c in self.exact.items()},
            "lenient": {t: c.as_dict() for t, c in self.lenient.items()},
            "untyped": {
                "exact": self.untyped_exact.as_dict(),
                "lenient": self.untyped_lenient.as_dict(),
            },
            "country": {
                "gold_spans": self.country_total,
                "resolved": self.country_resolved,
                "correct": self.country_correct,
                "accuracy": round(self.country_accuracy, 4),
                "precision": round(self.country_precision, 4),
            },
            "ignored_predictions": self.ignored,
        }


# --- matching ----------------------------------------------------------------------------------


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def _tally(gold: Sequence[GoldEntity], tp_gold: set[int], fp: Sequence[Pred]) -> dict[str, Counts]:
    out = _by_type()
    for i, g in enumerate(gold):
        if i in tp_gold:
            out[g.type].tp += 1
        else:
            out[g.type].fn += 1
    for p in fp:
        out[p.type].fp += 1
    for t in TYPES:
        out[ALL].add(out[t])
    return out


def match_exact(
    gold: Sequence[GoldEntity], ignored: Sequence[GoldEntity], preds: Sequence[Pred]
) -> tuple[dict[str, Counts], int]:
    """Counts per type for an exact span-and-type match, and how many predictions were ignored."""
    index = {(g.start, g.end, g.type): i for i, g in enumerate(gold)}
    neutral = {(g.start, g.end) for g in ignored}
    hit: set[int] = set()
    fp: list[Pred] = []
    n_ignored = 0
    for p in preds:
        i = index.get((p.start, p.end, p.type))
        if i is not None and i not in hit:
            hit.add(i)
        elif i is None and (p.start, p.end) in neutral:
            n_ignored += 1
        else:
            fp.append(p)
    return _tally(gold, hit, fp), n_ignored


def match_lenient(
    gold: Sequence[GoldEntity], ignored: Sequence[GoldEntity], preds: Sequence[Pred]
) -> dict[str, Counts]:
    """Counts per type for overlapping spans of the same type, paired one to one (largest
    overlaps first); unpaired predictions overlapping an ignored span are neutral."""
    pairs = sorted(
        (
            (-_overlap(g.start, g.end, p.start, p.end), gi, pi)
            for gi, g in enumerate(gold)
            for pi, p in enumerate(preds)
            if g.type == p.type and _overlap(g.start, g.end, p.start, p.end)
        ),
    )
    hit_gold: set[int] = set()
    hit_pred: set[int] = set()
    for _, gi, pi in pairs:
        if gi not in hit_gold and pi not in hit_pred:
            hit_gold.add(gi)
            hit_pred.add(pi)
    fp = [
        p
        for pi, p in enumerate(preds)
        if pi not in hit_pred and not any(_overlap(g.start, g.end, p.start, p.end) for g in ignored)
    ]
    return _tally(gold, hit_gold, fp)


def country_hits(gold: Iterable[GoldEntity], preds: Sequence[Pred]) -> tuple[int, int, int]:
    """``(gold spans with a country, of them overlapped by a prediction naming a country, of
    them overlapped by a prediction naming the same country)``."""
    total = resolved = correct = 0
    for g in gold:
        if g.country is None:
            continue
        total += 1
        countries = {
            p.country
            for p in preds
            if p.country is not None and _overlap(g.start, g.end, p.start, p.end)
        }
        resolved += bool(countries)
        correct += g.country in countries
    return total, resolved, correct


def _unique(preds: Iterable[Pred]) -> list[Pred]:
    """Predictions with a scored type, each span-and-type once (the first country kept)."""
    seen: dict[tuple[int, int, str], Pred] = {}
    for p in preds:
        if p.type in TYPES and p.start < p.end:
            seen.setdefault((p.start, p.end, p.type), p)
    return sorted(seen.values(), key=lambda p: (p.start, p.end, p.type))


def _untyped(items: Sequence[_Spanned]) -> list[_Spanned]:
    """The same spans all typed PER, each span once: for scoring detection alone."""
    seen: dict[tuple[int, int], _Spanned] = {}
    for item in items:
        seen.setdefault((item.start, item.end), replace(item, type=TYPES[0]))
    return list(seen.values())


def score(system_fn: SystemFn, docs: Iterable[GoldDoc], *, use_ignored: bool = True) -> Scores:
    """Score ``system_fn`` on ``docs``: exact and lenient counts, country resolution, speed."""
    scores = Scores()
    for doc in docs:
        t0 = time.perf_counter()
        preds = _unique(system_fn(doc.text, doc.language))
        scores.seconds += time.perf_counter() - t0
        scores.docs += 1
        ignored = doc.ignored if use_ignored else []
        exact, n_ignored = match_exact(doc.entities, ignored, preds)
        lenient = match_lenient(doc.entities, ignored, preds)
        for t in (*TYPES, ALL):
            scores.exact[t].add(exact[t])
            scores.lenient[t].add(lenient[t])
        scores.ignored += n_ignored
        gold_any, ignored_any, preds_any = (
            _untyped(doc.entities),
            _untyped(ignored),
            _untyped(preds),
        )
        scores.untyped_exact.add(match_exact(gold_any, ignored_any, preds_any)[0][ALL])
        scores.untyped_lenient.add(match_lenient(gold_any, ignored_any, preds_any)[ALL])
        total, resolved, correct = country_hits([*doc.entities, *doc.ignored], preds)
        scores.country_total += total
        scores.country_resolved += resolved
        scores.country_correct += correct
    return scores


# --- systems -----------------------------------------------------------------------------------


class Unavailable(Exception):
    """A system cannot run here (its package or model is missing)."""


def dictionary_system(*, ner: bool) -> SystemFn:
    try:
        from newsparallax.annotate.actors import find_mentions
    except ImportError as exc:
        raise Unavailable(f"newsparallax.annotate.actors is not importable ({exc})") from exc

    def run(text: str, language: str) -> list[Pred]:
        out = []
        for m in find_mentions(text, language=language, ner=ner):
            kind = KIND_TYPES.get(m.kind)
            if kind is not None:
                out.append(Pred(m.start, m.end, kind, m.country))
        return out

    return run


def ner_system(language: str) -> SystemFn:
    from newsparallax.annotate import ner

    if not ner.available(language):
        raise Unavailable(f"no statistical NER for {language!r} here (pip extra {ner.EXTRA!r})")
    ner.load(language)  # load time is not counted as throughput

    def run(text: str, lang: str) -> list[Pred]:
        return [Pred(e.start, e.end, e.label) for e in ner.entities(text, lang)]

    return run


def systems_for(language: str, wanted: Sequence[str]) -> tuple[dict[str, SystemFn], list[str]]:
    """The systems to run on ``language`` and notes on those that cannot run."""
    systems: dict[str, SystemFn] = {}
    notes: list[str] = []
    for name in wanted:
        try:
            if name == "baseline":
                baseline = BASELINES.get(language)
                if baseline is None:
                    notes.append(f"baseline: none for {language!r} (no offline NER model here)")
                    continue
                systems[baseline] = ner_system(language)
            elif name in ("dictionary", "hybrid"):
                systems[name] = dictionary_system(ner=name == "hybrid")
            else:
                notes.append(f"{name}: unknown system")
        except Unavailable as exc:
            notes.append(f"{name}: skipped, {exc}")
    return systems, notes


# --- report ------------------------------------------------------------------------------------


def spread(docs: Sequence[GoldDoc], limit: int | None) -> list[GoldDoc]:
    """At most ``limit`` documents, evenly spread over ``docs`` (all when ``limit`` is None)."""
    if limit is None or limit >= len(docs):
        return list(docs)
    if limit <= 0:
        return []
    return [docs[i * len(docs) // limit] for i in range(limit)]


def _prf(c: Counts) -> str:
    return f"{c.precision:.2f}/{c.recall:.2f}/{c.f1:.2f}"


def format_table(title: str, results: dict[str, Scores], notes: Sequence[str]) -> str:
    head = f"{'system':<11}{'match':<8}" + "".join(f"{t + ' P/R/F':<16}" for t in (*TYPES, ALL))
    lines = [title]
    if results:
        lines.append(head + f"{'untyped F':<10}{'country acc/prec':<18}docs/s")
    for name, s in results.items():
        for mode, counts, untyped in (
            ("exact", s.exact, s.untyped_exact),
            ("lenient", s.lenient, s.untyped_lenient),
        ):
            cells = "".join(f"{_prf(counts[t]):<16}" for t in (*TYPES, ALL))
            cells += f"{untyped.f1:<10.2f}"
            if mode == "exact":
                country = (
                    f"{s.country_accuracy:.2f}/{s.country_precision:.2f}"
                    if s.country_total and s.country_resolved
                    else "-"
                )
                tail = f"{country:<18}{s.docs_per_second:.1f}"
                lines.append(f"{name:<11}{mode:<8}{cells}{tail}")
            else:
                lines.append(f"{'':<11}{mode:<8}{cells}")
    lines += [f"  note: {n}" for n in notes]
    return "\n".join(lines)


def _gold_counts(docs: Sequence[GoldDoc]) -> dict[str, int]:
    counts = {t: sum(e.type == t for d in docs for e in d.entities) for t in TYPES}
    counts["country"] = sum(e.country is not None for d in docs for e in (*d.entities, *d.ignored))
    counts["ignored"] = sum(len(d.ignored) for d in docs)
    return counts


def _gold_summary(docs: Sequence[GoldDoc]) -> str:
    counts = _gold_counts(docs)
    types = " ".join(f"{t} {counts[t]}" for t in TYPES)
    return f"{len(docs)} docs; gold {types}; {counts['country']} spans with a country"


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    wanted = [s for s in args.systems.split(",") if s]
    report: list[dict[str, Any]] = []
    for set_name in [s for s in args.sets.split(",") if s]:
        docs = spread(list(ner_gold.load(set_name, args.data)), args.limit)
        by_language: dict[str, list[GoldDoc]] = defaultdict(list)
        for doc in docs:
            by_language[doc.language].append(doc)
        for language, group in sorted(by_language.items()):
            systems, notes = systems_for(language, wanted)
            for fn in systems.values():  # one-off set-up (dictionaries, models) is not timed
                list(fn(group[0].text[:500], language))
            results = {
                name: score(fn, group, use_ignored=not args.no_ignore)
                for name, fn in systems.items()
            }
            title = f"== {set_name} [{language}]: {_gold_summary(group)}"
            if not args.json:
                print(format_table(title, results, notes) + "\n", flush=True)
            report.append(
                {
                    "set": set_name,
                    "language": language,
                    "docs": len(group),
                    "gold": _gold_counts(group),
                    "systems": {n: s.as_dict() for n, s in results.items()},
                    "notes": notes,
                }
            )
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--limit", type=int, default=None, help="documents per gold set")
    parser.add_argument("--sets", default=",".join(ner_gold.LOADERS))
    parser.add_argument("--systems", default="dictionary,hybrid,baseline")
    parser.add_argument("--data", type=Path, default=ner_gold.DATA, help="the ner/ folder")
    parser.add_argument("--no-ignore", action="store_true", help="no neutral gold spans")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    unknown = set(args.sets.split(",")) - set(ner_gold.LOADERS) - {""}
    if unknown:
        parser.error(f"unknown gold sets: {', '.join(sorted(unknown))}")
    report = run(args)
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
