"""Hand-labelled TRAINING stratum of transfer sentences: the sampler and the loader.

The gold and training sets (``events_sample.py``, ``events_train.py``) are random draws; a
sentence about arms changing hands between states — the watch's central question — is rare in
them (12 coded AID events in 600 training sentences, 2 of them right), so the confidence model
learnt "AID is usually wrong" and scored every report of Iranian drones for Russia under the
threshold. This stratum adds sentences that name a transfer word *and* a weapon word, drawn at
random, labelled with the same guide (``bench/events_labelling.md``) and stored the same way (no
third-party text: file, record id, field, offsets, sha1 prefix). It trains and calibrates only;
the gold test half stays the independent measure.

The draw: per language, every eligible sentence (the gold sampler's length and state-actor
filter) of the language's sources whose text matches :data:`TRANSFER` and :data:`WEAPON`, from
records used by neither the gold nor the training set, one sentence per record, sorted by key
and shuffled with ``random.Random("parallax-events-transfers-v1:<lang>")``; the first
:data:`QUOTAS` are taken.

    python bench/labels/events_transfers.py [--data ../shared/data] [--draw|--check]
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import events_sample as es  # noqa: E402
import events_train as et  # noqa: E402

LABELS = HERE / "events_transfers.jsonl"
SEED = "parallax-events-transfers-v1"
QUOTAS = {"en": 40, "ru": 25, "fa": 20}
TRANSFER = {
    "en": re.compile(
        r"\b(suppl(?:y|ies|ied|ying)|deliver\w*|sen(?:d|ds|t|ding)|transfer\w*|provid\w*"
        r"|sell\w*|sold|ship\w*|acquir\w*|receiv\w*|obtain\w*|purchas\w*|bought|buy\w*)\b",
        re.IGNORECASE,
    ),
    "ru": re.compile(r"(постав|передач|переда|продаж|прода|отправ|получ|закуп|купи)\w*"),
    "fa": re.compile(r"(ارسال|تحویل|فروش|انتقال|تامین|خرید|دریافت|فرستاد)"),
}
WEAPON = {
    "en": re.compile(
        r"\b(drones?|UAVs?|missiles?|Shahed\w*|weapons?|arms|ammunition|munitions?|shells?"
        r"|Su-35s?|fighter jets?|air defen[cs]e|rockets?)\b",
        re.IGNORECASE,
    ),
    "ru": re.compile(
        r"(беспилотник|дрон|ракет|оружи|вооружени|боеприпас|шахед|герань|су-35|истребител|снаряд)\w*"
    ),
    "fa": re.compile(r"(پهپاد|موشک|تسلیحات|سلاح|جنگنده|سوخو|مهمات|پدافند)"),
}


def draw(data_dir: Path | str = es.DEFAULT_DATA) -> list[dict[str, Any]]:
    """The stratum, deterministically (see the module's docstring)."""
    data_dir = Path(data_dir)
    used_records, used_sha = et.gold_exclusions(es.GOLD)
    for it in es.read_gold(et.TRAIN):
        used_records.add((it["file"], it["id"]))
        used_sha.add(it["sha1"])
    out: list[dict[str, Any]] = []
    for lang, quota in QUOTAS.items():
        pool: list[dict[str, Any]] = []
        for name, (rel, src_lang, fields, _q) in es.SOURCES.items():
            if src_lang != lang:
                continue
            for rid, rec in sorted(es.unique_records(data_dir, rel).items()):
                if rec.get("language") != lang or (rel, rid) in used_records:
                    continue
                for f in fields:
                    text = rec.get(f)
                    if not isinstance(text, str):
                        continue
                    hit = None
                    for s, e in es.split_sentences(text):
                        sent = text[s:e]
                        norm = et._for_match(sent, lang)
                        if (
                            es.eligible(sent, lang)
                            and es.sha1_10(sent) not in used_sha
                            and TRANSFER[lang].search(norm)
                            and WEAPON[lang].search(norm)
                        ):
                            hit = (f, s, e, sent)
                            break
                    if hit:
                        pool.append(
                            es.sentence_item(
                                name, rel, rid, hit, lang, split="train", pool="transfer"
                            )
                        )
                        break
        pool.sort(key=lambda it: it["key"])
        random.Random(f"{SEED}:{lang}").shuffle(pool)
        seen: set[str] = set()
        for it in pool:
            if len([x for x in out if x["lang"] == lang]) >= quota:
                break
            if it["sha1"] in seen:
                continue
            seen.add(it["sha1"])
            out.append(it)
    return out


def load(
    data_dir: Path | str = es.DEFAULT_DATA, labels: Path | str = LABELS
) -> list[dict[str, Any]]:
    """Every labelled item joined with its sentence text (GoldDriftError on a mismatch)."""
    return es.load(data_dir, labels)


def main(argv: list[str] | None = None) -> int:
    return es.stratum_main(__doc__ or "", draw, load, argv)


if __name__ == "__main__":
    raise SystemExit(main())
