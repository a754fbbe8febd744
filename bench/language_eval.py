"""Evaluate :func:`newsparallax.annotate.language.detect_language` on real gold from
``../shared/data``.

Usage (from the repository root)::

    python bench/language_eval.py [--limit N] [--baselines]

Prints, per set, the number of items, accuracy, the ``und`` rate, the most frequent wrong
answers and strings/s; then overall accuracy for documents and for short strings. An item whose
gold language is outside ``SUPPORTED`` counts as correct only when the answer is ``und``.
``--baselines`` adds plain py3langid (unrestricted, and restricted to ``SUPPORTED``).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import langdata  # noqa: E402 - needs the path above
from newsparallax.annotate.language import SUPPORTED, detect_language  # noqa: E402

Detector = Callable[[str], str]


def expected(lang: str) -> str:
    return lang if lang in SUPPORTED else "und"


def evaluate(detect: Detector, items: list[tuple[str, str]]) -> dict[str, object]:
    t0 = time.perf_counter()
    answers = [detect(text) for text, _ in items]
    seconds = time.perf_counter() - t0
    wrong: Counter[str] = Counter()
    by_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    correct = und = 0
    for (_, gold), got in zip(items, answers, strict=True):
        ok = got == expected(gold)
        correct += ok
        und += got == "und"
        by_lang[gold][0] += ok
        by_lang[gold][1] += 1
        if not ok:
            wrong[f"{gold}->{got}"] += 1
    n = len(items)
    return {
        "n": n,
        "correct": correct,
        "acc": correct / n if n else 0.0,
        "und": und / n if n else 0.0,
        "rate": n / seconds if seconds else 0.0,
        "wrong": wrong,
        "by_lang": dict(by_lang),
    }


def _ours(text: str) -> str:
    return detect_language(text).language


def _baselines() -> dict[str, Detector]:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    restricted = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    restricted.set_languages(list(SUPPORTED))

    def plain(text: str) -> str:
        lang = str(full.classify(text)[0])
        return lang if lang in SUPPORTED else "und"

    return {
        "py3langid": plain,
        "py3langid[SUPPORTED]": lambda text: str(restricted.classify(text)[0]),
    }


def run(limit: int, *, baselines: bool = False) -> None:
    detectors: dict[str, Detector] = {"parallax": _ours}
    if baselines:
        detectors.update(_baselines())
    _ours("warm up the model")  # load the model outside the timings
    groups = {"documents": langdata.DOCS, "short strings": langdata.SHORT, "mixed": langdata.MULTI}
    for label, sets in groups.items():
        print(f"\n## {label} (limit {limit} per set)")
        header = (
            f"{'set':26s} {'detector':21s} {'n':>6s} {'acc':>7s} {'und':>6s} {'str/s':>8s}  wrong"
        )
        print(header)
        print("-" * len(header))
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        multi_langs: dict[str, dict[str, list[int]]] = defaultdict(
            lambda: defaultdict(lambda: [0, 0])
        )
        for name, loader in sets.items():
            items = loader(limit)
            for det_name, det in detectors.items():
                r = evaluate(det, items)
                wrong = r["wrong"]
                assert isinstance(wrong, Counter)
                top = ", ".join(f"{k} {v}" for k, v in wrong.most_common(4))
                print(
                    f"{name:26s} {det_name:21s} {r['n']:6d} {r['acc']:7.3f} {r['und']:6.3f} "
                    f"{r['rate']:8.0f}  {top}"
                )
                totals[det_name][0] += int(str(r["correct"]))
                totals[det_name][1] += int(str(r["n"]))
                by_lang = r["by_lang"]
                assert isinstance(by_lang, dict)
                for lang, (ok, n) in by_lang.items():
                    multi_langs[det_name][lang][0] += ok
                    multi_langs[det_name][lang][1] += n
        for det_name, (ok, n) in totals.items():
            print(f"{'OVERALL ' + label:26s} {det_name:21s} {n:6d} {ok / n:7.3f}")
        if label == "mixed":
            for det_name, langs in multi_langs.items():
                cells = [
                    f"{lang}{'' if lang in SUPPORTED else '*'} {ok}/{n}"
                    for lang, (ok, n) in sorted(langs.items())
                ]
                print(f"\nper language, {det_name} (* = outside SUPPORTED, correct = und):")
                for i in range(0, len(cells), 10):
                    print("  " + "  ".join(cells[i : i + 10]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--limit", type=int, default=2000, help="items per set (default 2000)")
    parser.add_argument(
        "--baselines", action="store_true", help="also score plain py3langid for comparison"
    )
    args = parser.parse_args(argv)
    if not langdata.available():
        print(f"no gold data at {langdata.DATA}", file=sys.stderr)
        return 2
    run(args.limit, baselines=args.baselines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
