"""Fit the themes stage's model (``src/newsparallax/data/themes_model.json``) on the tune half.

The stage measures, per article and theme, the features of ``annotate.themes.FEATURES`` (terms
in the title and lead, the densest passage, the share of sentences, actors, events, date
windows...). This script fits one logistic model over them, pooled over all themes — one weight
per feature, shared, plus a prior (bias) per shipped theme, shrunk harder toward zero — on the
**tune** half of the theme gold only (``bench/labels/themes_gold.jsonl``), after the actors and
events stages have run as in the pipeline. Pairs with no support at all (every feature zero) or
failing a theme's gate are never tagged and are left out.

The decision threshold is then chosen on 5-fold out-of-fold probabilities of the tune half (the
one that maximises the mean over languages of micro F1, ``other`` included) and folded into the
intercept, so the stage's default ``PARALLAX_THEMES_MIN_SCORE`` of 0.5 applies it.

    python bench/themes_train.py [--write] [--cache FILE] [--l2 1.0] [--prior-l2 4.0]

Without ``--write`` it prints the weights and the tune-half scores only. ``--cache`` keeps the
actors and events of the gold items in a pickle between runs (delete it when those stages
change).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import pickle
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent / "labels"))

import themes_sample

import themes_eval
from newsparallax.annotate.pipeline import Doc
from newsparallax.annotate.themes import (
    FEATURES,
    STAGE,
    Model,
    ThemeMatcher,
    shipped_themes,
    theme_view,
)

MODEL_PATH = Path(__file__).resolve().parents[1] / "src/newsparallax/data/themes_model.json"
THEMES = [t for t in themes_sample.THEMES if t != "other"]


def annotated(rows: Sequence[Mapping[str, Any]], cache: Path | None) -> list[Doc]:
    """The gold items with mentions and events, from the cache when it matches."""
    key = hashlib.sha256(
        json.dumps([(r["id"], r.get("title"), r.get("text")) for r in rows]).encode()
    ).hexdigest()
    if cache and cache.exists():
        data = pickle.loads(cache.read_bytes())
        if data.get("key") == key:
            return list(data["docs"])
    docs = themes_eval.gold_docs(rows)
    themes_eval.annotate(docs)
    if cache:
        cache.write_bytes(pickle.dumps({"key": key, "docs": docs}))
    return docs


def pairs(
    matcher: ThemeMatcher, docs: Sequence[Doc], rows: Sequence[Mapping[str, Any]]
) -> list[tuple[int, str, list[float], int]]:
    """``(item index, theme, features, label)`` for every supported pair."""
    out = []
    for i, (doc, row) in enumerate(zip(docs, rows, strict=True)):
        body, body_field = theme_view(doc.title, doc.summary, doc.body)
        scored = matcher.scored(
            title=doc.title,
            body=body,
            mentions=doc.mentions,
            events=doc.events,
            body_field=body_field,
            published=doc.published,
        )
        gold = set(row["themes"])
        for tid, (_, feats, _) in scored.items():
            out.append((i, tid, feats, int(tid in gold)))
    return out


def fit(
    data: Sequence[tuple[int, str, list[float], int]],
    *,
    l2: float,
    prior_l2: float,
    iterations: int = 50,
) -> Model:
    """L2-penalised logistic regression by Newton's method (the intercept unpenalised)."""
    n_f, n_t = len(FEATURES), len(THEMES)
    x = np.zeros((len(data), 1 + n_f + n_t))
    y = np.zeros(len(data))
    for k, (_, tid, feats, label) in enumerate(data):
        x[k, 0] = 1.0
        x[k, 1 : 1 + n_f] = feats
        if tid in THEMES:
            x[k, 1 + n_f + THEMES.index(tid)] = 1.0
        y[k] = label
    penalty = np.array([0.0] + [l2] * n_f + [prior_l2] * n_t)
    w = np.zeros(x.shape[1])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return Model(
        weights=tuple(round(float(v), 4) for v in w[1 : 1 + n_f]),
        intercept=round(float(w[0]), 4),
        priors={t: round(float(w[1 + n_f + j]), 4) for j, t in enumerate(THEMES)},
    )


def predictions(
    model: Model,
    data: Sequence[tuple[int, str, list[float], int]],
    rows: Sequence[Mapping[str, Any]],
    threshold: float,
) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {str(r["id"]): [] for r in rows}
    for i, tid, feats, _ in data:
        if model.probability(tid, feats) >= threshold:
            out[str(rows[i]["id"])].append(tid)
    return {k: v or ["other"] for k, v in out.items()}


def mean_f1(rows: Sequence[Mapping[str, Any]], preds: Mapping[str, Sequence[str]]) -> float:
    cells = themes_eval.score(rows, preds)
    f1s = [cells[("all", lang)].micro()[2] or 0.0 for lang in themes_sample.LANGS]
    return sum(f1s) / len(f1s)


def out_of_fold(
    data: Sequence[tuple[int, str, list[float], int]],
    *,
    l2: float,
    prior_l2: float,
    folds: int = 5,
) -> list[float]:
    """Each pair's probability from a model fitted on the other folds of the tune half (items
    go to folds by index): what the threshold is chosen on, and a check on over-fitting."""
    out = [0.0] * len(data)
    for k in range(folds):
        model = fit([d for d in data if d[0] % folds != k], l2=l2, prior_l2=prior_l2)
        for j, (i, tid, feats, _) in enumerate(data):
            if i % folds == k:
                out[j] = model.probability(tid, feats)
    return out


def tagged(
    data: Sequence[tuple[int, str, list[float], int]],
    probabilities: Sequence[float],
    rows: Sequence[Mapping[str, Any]],
    threshold: float,
) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {str(r["id"]): [] for r in rows}
    for (i, tid, _, _), p in zip(data, probabilities, strict=True):
        if p >= threshold:
            out[str(rows[i]["id"])].append(tid)
    return {k: v or ["other"] for k, v in out.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="write the model file")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--prior-l2", type=float, default=4.0)
    parser.add_argument("--data", default=str(themes_sample.DATA))
    args = parser.parse_args(argv)

    rows = [r for r in themes_sample.load(args.data) if r["split"] == "tune"]
    docs = annotated(rows, args.cache)
    matcher = ThemeMatcher(shipped_themes())
    data = pairs(matcher, docs, rows)
    model = fit(data, l2=args.l2, prior_l2=args.prior_l2)
    oof = out_of_fold(data, l2=args.l2, prior_l2=args.prior_l2)
    grid = [round(0.2 + 0.05 * k, 2) for k in range(13)]
    scores = {t: mean_f1(rows, tagged(data, oof, rows, t)) for t in grid}
    best = max(grid, key=lambda t: (round(scores[t], 4), -abs(t - 0.5)))
    fitted = [model.probability(tid, feats) for _, tid, feats, _ in data]
    in_sample = mean_f1(rows, tagged(data, fitted, rows, best))
    shift = math.log(best / (1 - best))
    final = Model(
        weights=model.weights,
        intercept=round(model.intercept - shift, 4),
        priors=model.priors,
        meta={
            "trained_on": "bench/labels/themes_gold.jsonl, tune half",
            "items": len(rows),
            "pairs": len(data),
            "positives": sum(d[3] for d in data),
            "l2": args.l2,
            "prior_l2": args.prior_l2,
            "threshold_folded": best,
            "script": "bench/themes_train.py",
        },
    )
    print(
        f"{len(rows)} tune items, {len(data)} supported pairs, {final.meta['positives']} positive"
    )
    print("5-fold cross-validated mean micro F1 over languages, by threshold:")
    print("  " + "  ".join(f"{t:.2f}:{scores[t]:.3f}" for t in grid))
    print(f"chosen {best}: cross-validated {scores[best]:.3f}, in-sample {in_sample:.3f}")
    for name, w in zip(FEATURES, final.weights, strict=True):
        print(f"  {name:13} {w:+.3f}")
    print(f"  {'intercept':13} {final.intercept:+.3f}")
    for t, b in final.priors.items():
        print(f"  prior {t:22} {b:+.3f}")
    if args.write:
        MODEL_PATH.write_text(json.dumps(final.as_dict(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH} ({STAGE})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
