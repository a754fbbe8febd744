"""Hand-labelled stratum of Iran–Russia sentences: the sampler and the loader.

The watch's central dyad is rare in the random gold and training draws (``events_sample.py``,
``events_train.py``): a sentence naming both Iran and Russia with a meeting, a signing, a
supply or cooperation in it — the stuff of the Iran–Russia timeline and claim ledger — turns up
a handful of times in 1,000, so the confidence model learnt what it could from other dyads and
scored such events 0.3–0.66, under the default threshold: the timeline of the watch's own dyad
had no treaty, no visit and no drone deliveries in it. This stratum draws, at random, sentences
that name both states (or their capitals or leaders) and a word of cooperation, meeting, supply
or agreement, labelled with the same guide (``bench/events_labelling.md``) and stored the same
way (no third-party text: file, record id, field, offsets, sha1 prefix).

``split`` is the gold's (:func:`events_sample.split_of` of the key): the ``tune`` half trains
the confidence model beside the other training sets, the ``test`` half measures the coder on
the dyad (``python bench/events_real_eval.py --set bilateral``).

The draw: per source, every eligible sentence (the gold sampler's length and state-actor
filter) that matches :data:`IRAN`, :data:`RUSSIA` and :data:`ACTS` (in Persian, where the
outlets are Iranian and Iran goes without saying, :data:`RUSSIA` and :data:`ACTS`), from
records used by no other labelled set, one sentence per record, sorted by key and shuffled with
``random.Random("parallax-events-bilateral-v1:<source>")``; the first :data:`QUOTAS` are taken
(fewer where a source has fewer: the Persian sets hold one such sentence outside the other
labelled sets).

    python bench/labels/events_bilateral.py [--data ../shared/data] [--draw|--check]
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
import events_transfers as etr  # noqa: E402

LABELS = HERE / "events_bilateral.jsonl"
SEED = "parallax-events-bilateral-v1"
#: Per source (the gold sampler's names), so no one outlet fills a language.
QUOTAS = {
    "tehrantimes": 30,
    "kremlin": 15,
    "western2022": 10,
    "ruwa2022": 10,
    "feeds2026-en": 10,
    "telegram2024": 20,
    "feeds2026-ru": 20,
    "feeds2026-fa": 15,
    "farsnews2023": 15,
}
IRAN = {
    "en": re.compile(r"\b(Iran\w*|Tehran|Raisi|Pezeshkian|Khamenei|Araghchi|Abdollahian)\b"),
    "ru": re.compile(r"(иран|тегеран|раиси|пезешкиан|хаменеи|аракчи)"),
    "fa": re.compile(r"(ایران|تهران|رئیسی|پزشکیان|خامنه|عراقچی|امیرعبداللهیان|کشورمان)"),
}
RUSSIA = {
    "en": re.compile(r"\b(Russia\w*|Moscow|Kremlin|Putin|Lavrov|Shoigu|Peskov)\b"),
    "ru": re.compile(r"(росси|москв|кремл|путин|лавров|шойгу|песков)"),
    "fa": re.compile(r"(روسیه|مسکو|کرملین|پوتین|لاوروف)"),
}
ACTS = {
    "en": re.compile(
        r"\b(sign\w*|agree\w*|treaty|accord|memorand\w*|MoU|deal|pact|partnership|met|meet\w*"
        r"|talks?|visit\w*|summit|conversation|call\w*|cooperat\w*|suppl\w*|deliver\w*"
        r"|provid\w*|sen[dt]\w*|transfer\w*|sold|sell\w*|exercise\w*|drills?)\b",
        re.IGNORECASE,
    ),
    "ru": re.compile(
        r"(подпис|соглашен|договор|меморандум|встреч|переговор|визит|саммит|разговор|сотруднич"
        r"|постав|передал|передач|учени|провел|обсуд)"
    ),
    "fa": re.compile(
        r"(امضا|توافق|قرارداد|تفاهم|پیمان|دیدار|مذاکره|گفتگو|گفت‌وگو|سفر|نشست|همکاری|تحویل"
        r"|ارسال|رزمایش|جلسه|تماس|حمایت|محکوم|خواستار)"
    ),
}


def _used() -> tuple[set[tuple[str, str]], set[str]]:
    """Records and sentences every other labelled set uses."""
    records, sha = et.gold_exclusions(es.GOLD)
    for path in (et.TRAIN, etr.LABELS):
        for it in es.read_gold(path):
            records.add((it["file"], it["id"]))
            sha.add(it["sha1"])
    return records, sha


def draw(data_dir: Path | str = es.DEFAULT_DATA) -> list[dict[str, Any]]:
    """The stratum, deterministically (see the module's docstring)."""
    data_dir = Path(data_dir)
    used_records, used_sha = _used()
    out: list[dict[str, Any]] = []
    for name, quota in QUOTAS.items():
        rel, lang, fields, _q = es.SOURCES[name]
        pool: list[dict[str, Any]] = []
        for rid, rec in sorted(es.unique_records(data_dir, rel).items()):
            if rec.get("language") != lang or (rel, rid) in used_records:
                continue
            hit = _first_hit(rec, fields, lang, used_sha)
            if hit is None:
                continue
            pool.append(es.sentence_item(name, rel, rid, hit, lang, pool="bilateral"))
        pool.sort(key=lambda it: it["key"])
        random.Random(f"{SEED}:{name}").shuffle(pool)
        seen: set[str] = {it["sha1"] for it in out}
        taken = 0
        for it in pool:
            if taken >= quota:
                break
            if it["sha1"] not in seen:
                seen.add(it["sha1"])
                out.append(it)
                taken += 1
    return out


def _first_hit(
    rec: dict[str, Any], fields: tuple[str, ...], lang: str, used_sha: set[str]
) -> tuple[str, int, int, str] | None:
    """The record's first sentence (fields in order) naming both states and an act."""
    for f in fields:
        text = rec.get(f)
        if not isinstance(text, str):
            continue
        for s, e in es.split_sentences(text):
            sent = text[s:e]
            norm = et._for_match(sent, lang)
            if (
                es.eligible(sent, lang)
                and es.sha1_10(sent) not in used_sha
                and (IRAN[lang].search(norm) or lang == "fa")
                and RUSSIA[lang].search(norm)
                and ACTS[lang].search(norm)
            ):
                return f, s, e, sent
    return None


def load(
    data_dir: Path | str = es.DEFAULT_DATA, labels: Path | str = LABELS
) -> list[dict[str, Any]]:
    """Every labelled item joined with its sentence text (GoldDriftError on a mismatch)."""
    return es.load(data_dir, labels)


def main(argv: list[str] | None = None) -> int:
    return es.stratum_main(__doc__ or "", draw, load, argv)


if __name__ == "__main__":
    raise SystemExit(main())
