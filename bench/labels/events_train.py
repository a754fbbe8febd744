"""Hand-labelled PLOVER event TRAINING set on real sentences: the sampler and the loader.

A companion to the gold set (``events_sample.py`` / ``events_gold.jsonl``), labelled with the same
guide (``bench/events_labelling.md``) and stored the same way: no third-party text, only the data
file, record id, field, character start/end and the first 10 hex digits of the sentence's sha1.
It is meant to train and calibrate the coder; the gold set stays the independent test.

How it differs from the gold draw:

* another seed (``parallax-events-train-v1``) and larger quotas (EN 250, RU 200, FA 150);
* no record that the gold set uses is ever drawn (nor any sentence whose sha1 equals a gold one);
* it is *event-dense*: among the sentences that pass the gold sampler's length and state-actor
  filter, four slots in five take a sentence that contains an event-trigger word, and every
  fifth slot a sentence without one (so that non-events are represented too). The trigger words
  come from the project's lexicons, read as data (``dictionary/events/{en,ru,fa}.toml``; the
  project is not imported) -- see ``trigger_patterns``.

* ``draw(data_dir)`` re-draws the sample deterministically (stdlib only).
* ``load(data_dir)`` returns every labelled item joined with its sentence text, the record's
  ``published``, ``outlet`` and ``language``; raises ``GoldDriftError`` on a sha1 mismatch.
* ``main()`` prints each labelled item with its labels; ``--check`` validates the file (JSON,
  types, sha1, quotas, trigger/plain mix, no overlap with the gold) and compares it with a fresh
  draw (exit 1 on any problem); ``--summary`` prints counts; ``--draw`` prints a fresh draw with
  the labels beside it (``--live`` for trigger words from the current lexicon files).

    python bench/labels/events_train.py [--data ../shared/data] [--source NAME]
                                        [--check|--summary|--draw [--live]|--fingerprint|--freeze]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import random
import re
import sys
import tomllib
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import events_sample as es  # noqa: E402  (sibling module: splitter, actor filter, data access)
from events_sample import (  # noqa: E402
    DEFAULT_DATA,
    GOLD,
    GoldDriftError,
    eligible,
    read_gold,
    record_id,
    sentence_item,
    sha1_10,
    split_sentences,
    unique_records,
    validate,
)

TRAIN = HERE / "events_train.jsonl"
LEXICON_DIR = HERE.parents[1] / "dictionary" / "events"
SEED = "parallax-events-train-v1"
#: Slot ``n`` (0-based, per source) takes a sentence WITHOUT a trigger word when
#: ``n % PLAIN_EVERY == PLAIN_EVERY - 1``: one slot in five, i.e. 20% of every quota.
PLAIN_EVERY = 5

#: name -> quota. Files, languages and fields are the gold sampler's (``events_sample.SOURCES``).
QUOTAS: dict[str, int] = {
    "tehrantimes": 50,
    "kremlin": 50,
    "western2022": 50,
    "ruwa2022": 50,
    "feeds2026-en": 50,
    "telegram2024": 90,
    "feeds2026-ru": 110,
    "feeds2026-fa": 80,
    "farsnews2023": 70,
}
SOURCES = {name: es.SOURCES[name][:3] for name in QUOTAS}  # name -> (file, lang, fields)
EVENT_FIELDS = "type source target asserted attributed_to negated trigger".split()

#: sha1 prefix of the trigger patterns built from ``FROZEN_WORDS`` (integrity check of the
#: frozen word list; ``--check`` also reports, without failing, when the live lexicons differ).
TRIGGER_FINGERPRINT = "444b0c1cf7"


# --------------------------------------------------------------------------- trigger words
_EN_IRREGULAR = {
    "send": ["sent"],
    "sell": ["sold"],
    "meet": ["met"],
    "strike": ["struck", "stricken"],
    "shoot": ["shot"],
    "withdraw": ["withdrew", "withdrawn"],
    "speak": ["spoke", "spoken"],
    "deny": ["denied", "denies"],
    "ship": ["shipped", "shipping"],
    "ban": ["banned", "banning"],
    "veto": ["vetoed", "vetoes", "vetoing"],
}


def _en_forms(word: str) -> set[str]:
    """Crude inflections of an English lemma (a phrase inflects its first word)."""
    head, _, rest = word.partition(" ")
    tail = f" {rest}" if rest else ""
    forms = {head, head + "s", head + "ed", head + "ing"}
    if head.endswith("e"):
        forms |= {head + "d", head[:-1] + "ing"}
    if re.search(r"(s|sh|ch|x|z|o)$", head):
        forms.add(head + "es")
    if re.search(r"[^aeiou]y$", head):
        forms |= {head[:-1] + "ies", head[:-1] + "ied"}
    forms |= set(_EN_IRREGULAR.get(head, []))
    return {f + tail for f in forms}


_RU_STRIP = "ться тись чься ть ти чь ся сь".split()
_RU_FINAL = re.compile(r"(?:ый|ий|ой|ая|яя|ое|ее|ие|ия|ье|ья|[аеиоуыэюяьй])$")


def _ru_stem(word: str) -> str:
    """A crude Russian stem of a lemma: the reflexive and infinitive endings, -ова-/-ева-,
    and one final vowel (or adjective ending) removed."""
    w = word.lower().replace("ё", "е")
    for suf in _RU_STRIP:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: -len(suf)]
            break
    for suf in ("ова", "ева", "ыва", "ива"):
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            w = w[: -len(suf)]
            break
    m = _RU_FINAL.search(w)
    if m and m.start() >= 4:
        w = w[: m.start()]
    return w


def _ru_word(word: str) -> str:
    """Regex for one lemma word: its stem as a word prefix when the stem has 4+ letters,
    else the short stem plus at most 3 letters as a whole word (бой -> бои, боев, боях...)."""
    stem = _ru_stem(word)
    if len(stem) >= 4:
        return re.escape(stem) + r"\w*"
    return re.escape(stem) + r"\w{0,3}(?!\w)"


_FA_NORM = str.maketrans(
    {"ي": "ی", "ك": "ک", "ى": "ی", "ئ": "ی", "ؤ": "و", "أ": "ا", "إ": "ا", "آ": "ا", "\u200c": " "}
)
_FA_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0654\u0655]")


def fa_normalise(text: str) -> str:
    """Arabic letter variants to Persian ones, diacritics dropped, ZWNJ to a space."""
    return re.sub(r"\s+", " ", _FA_DIACRITICS.sub("", text.translate(_FA_NORM)))


def _read_toml(lang: str, lexicon_dir: Path) -> dict[str, Any]:
    with open(lexicon_dir / f"{lang}.toml", "rb") as fh:
        return tomllib.load(fh)


def lexicon_words(lexicon_dir: Path = LEXICON_DIR) -> dict[str, list[str]]:
    """The trigger words of the project's lexicon files, read as data (no project import):
    EN the keys of ``[verbs]`` (those with a non-empty code) and ``[nouns]``; RU and FA every
    ``[[trigger]] words`` entry."""
    en = _read_toml("en", lexicon_dir)
    out = {
        "en": sorted({k for k, v in en.get("verbs", {}).items() if v} | set(en.get("nouns", {})))
    }
    for lang in ("ru", "fa"):
        lex = _read_toml(lang, lexicon_dir)
        out[lang] = sorted({w for trig in lex.get("trigger", []) for w in trig.get("words", [])})
    return out


def frozen_words() -> dict[str, list[str]]:
    """The lexicon words the stored draw was made with (``FROZEN_WORDS``)."""
    blob = base64.b85decode("".join(FROZEN_WORDS))
    return json.loads(zlib.decompress(blob).decode("utf-8"))


def freeze(words: dict[str, list[str]]) -> str:
    """``FROZEN_WORDS`` source for a word set (``--freeze`` prints it for the live lexicons)."""
    blob = base64.b85encode(
        zlib.compress(json.dumps(words, ensure_ascii=False, sort_keys=True).encode("utf-8"), 9)
    ).decode("ascii")
    lines = [blob[i : i + 92] for i in range(0, len(blob), 92)]
    return "FROZEN_WORDS = (\n" + "".join(f'    "{ln}"\n' for ln in lines) + ")\n"


def trigger_patterns(words: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Regex sources (one per trigger entry) per language, built from lexicon words
    (default: the frozen words of the stored draw; pass ``lexicon_words()`` for the live files).

    * EN: crude inflections of each lemma (-s/-es/-ies, -ed/-d/-ied, -ing, a few irregular
      pasts), whole words, case-insensitive; a phrase inflects its first word.
    * RU: each word of an entry becomes a stem matched as a word prefix (infinitive/reflexive
      ending, -ова-/-ева- and one final vowel removed; stems shorter than 4 letters match as
      whole words with up to 3 more letters); a phrase needs its words in a row. Text and words
      are lower-cased with ё -> е.
    * FA: each entry normalised like the text (ي/ك variants, آ -> ا, diacritics dropped,
      ZWNJ -> space); entries of 4+ letters match as substrings anywhere, shorter ones
      (رد, هک, قتل...) only as whole words.
    """
    words = frozen_words() if words is None else words
    out: dict[str, list[str]] = {}
    pats = set()
    for w in words["en"]:
        for f in _en_forms(w.lower()):
            pats.add(r"\b" + r"\s+".join(re.escape(p) for p in f.split()) + r"\b")
    out["en"] = sorted(pats)
    pats = set()
    for phrase in words["ru"]:
        parts = [p for p in re.split(r"[\s-]+", phrase.lower()) if p]
        if parts:
            pats.add(r"(?<!\w)" + r"\W+".join(_ru_word(p) for p in parts))
    out["ru"] = sorted(pats)
    pats = set()
    for phrase in words["fa"]:
        w = fa_normalise(phrase).strip()
        if not w:
            continue
        body = r"\s*".join(re.escape(p) for p in w.split())
        if len(w.replace(" ", "")) >= 4:
            pats.add(body)
        else:
            pats.add(rf"(?<![^\W\d_]){body}(?![^\W\d_])")
    out["fa"] = sorted(pats)
    return out


def trigger_fingerprint(patterns: dict[str, list[str]]) -> str:
    blob = json.dumps(patterns, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha1(blob).hexdigest()[:10]


_COMPILED: dict[str, dict[str, re.Pattern[str]]] = {}


def _compiled(words: dict[str, list[str]] | None = None) -> dict[str, re.Pattern[str]]:
    """One compiled alternation per language (cached; ``None`` = the frozen words)."""
    key = "frozen" if words is None else json.dumps(words, ensure_ascii=False, sort_keys=True)
    if key not in _COMPILED:
        _COMPILED[key] = {
            lang: re.compile("|".join(f"(?:{p})" for p in ps), re.IGNORECASE)
            for lang, ps in trigger_patterns(words).items()
        }
    return _COMPILED[key]


def _for_match(sentence: str, lang: str) -> str:
    if lang == "fa":
        return fa_normalise(sentence)
    if lang == "ru":
        return sentence.lower().replace("ё", "е")
    return sentence


def has_trigger(sentence: str, lang: str, words: dict[str, list[str]] | None = None) -> bool:
    """True when the sentence contains a word of the language's event lexicon (crude match;
    default: the frozen words of the stored draw)."""
    return _compiled(words)[lang].search(_for_match(sentence, lang)) is not None


# --------------------------------------------------------------------------- the draw
def gold_exclusions(gold: Path | str = GOLD) -> tuple[set[tuple[str, str]], set[str]]:
    """(file, record id) pairs and sentence sha1s used by the gold set."""
    items = read_gold(gold)
    return {(g["file"], g["id"]) for g in items}, {g["sha1"] for g in items}


def draw(
    data_dir: Path | str = DEFAULT_DATA,
    sources: list[str] | None = None,
    *,
    gold: Path | str = GOLD,
    words: dict[str, list[str]] | None = None,
) -> list[dict[str, Any]]:
    """Re-draw the training sample.

    Per source: eligible records (right language, unique id, not used by the gold set) sorted by
    id and shuffled with ``random.Random("parallax-events-train-v1:<source>")``. Walking that
    order, each record gives at most one sentence. Slot n wants a *trigger* sentence (eligible
    and containing a trigger word), except every fifth slot, which wants a *plain* one (eligible,
    no trigger word). A record with no sentence of the wanted kind is passed over; otherwise one
    is drawn with the same generator. Sentences identical to a gold sentence, or to one already
    drawn, are never taken. ``words``: the lexicon words of the trigger filter (default: the
    frozen words the stored draw was made with; ``lexicon_words()`` for the live files)."""
    data_dir = Path(data_dir)
    compiled = _compiled(words)
    used_records, used_sha = gold_exclusions(gold)
    seen_sha = set(used_sha)
    items = []
    for name in sources or list(QUOTAS):
        rel, lang, fields = SOURCES[name]
        quota = QUOTAS[name]
        recs = [
            r
            for r in unique_records(data_dir, rel).values()
            if r.get("language") == lang and (rel, record_id(r)) not in used_records
        ]
        recs.sort(key=record_id)
        rng = random.Random(f"{SEED}:{name}")
        rng.shuffle(recs)
        taken = 0
        for rec in recs:
            if taken >= quota:
                break
            want = "plain" if taken % PLAIN_EVERY == PLAIN_EVERY - 1 else "trigger"
            cands = []
            for f in fields:
                text = rec.get(f)
                if not isinstance(text, str):
                    continue
                for s, e in split_sentences(text):
                    sent = text[s:e]
                    if not eligible(sent, lang) or sha1_10(sent) in seen_sha:
                        continue
                    hit = compiled[lang].search(_for_match(sent, lang))
                    kind = "trigger" if hit else "plain"
                    if kind == want:
                        cands.append((f, s, e, sent))
            if not cands:
                continue
            hit = rng.choice(cands)
            seen_sha.add(sha1_10(hit[3]))
            items.append(
                sentence_item(
                    name,
                    rel,
                    record_id(rec),
                    hit,
                    lang,
                    split="train",
                    pool=want,
                    published=rec.get("published"),
                    outlet=rec.get("outlet") or rec.get("domain"),
                    language=rec.get("language"),
                )
            )
            taken += 1
        if taken < quota:
            raise RuntimeError(f"{name}: only {taken} of {quota} sentences could be drawn")
    return items


# --------------------------------------------------------------------------- the labels
def load(data_dir: Path | str = DEFAULT_DATA, train: Path | str = TRAIN) -> list[dict[str, Any]]:
    """Every labelled training item joined with its sentence text and its record's published/
    outlet/language. Raises GoldDriftError when a sentence is gone or its sha1 differs."""
    return es.load(data_dir, train)


def check(
    data_dir: Path | str = DEFAULT_DATA, train: Path | str = TRAIN, gold: Path | str = GOLD
) -> tuple[list[str], list[str]]:
    """(problems, warnings) of the labelled training file."""
    probs: list[str] = []
    warns: list[str] = []
    try:
        items = load(data_dir, train)
    except (GoldDriftError, ValueError, KeyError) as exc:
        return [f"load: {exc}"], warns
    probs += validate(items)
    used_records, used_sha = gold_exclusions(gold)
    keys = Counter(it["key"] for it in items)
    probs += [f"{k}: key occurs {n} times" for k, n in keys.items() if n > 1]
    recs = Counter((it["file"], it["id"]) for it in items)
    probs += [f"{r}: record used {n} times" for r, n in recs.items() if n > 1]
    for it in items:
        k = it["key"]
        if it.get("split") != "train":
            probs.append(f"{k}: split {it.get('split')!r} != 'train'")
        if not isinstance(it.get("events"), list):
            probs.append(f"{k}: no events list")
        if (it["file"], it["id"]) in used_records:
            probs.append(f"{k}: record is used by the gold set")
        if it["sha1"] in used_sha:
            probs.append(f"{k}: sentence also in the gold set")
        if it.get("source_set") not in QUOTAS:
            probs.append(f"{k}: unknown source {it.get('source_set')!r}")
        elif SOURCES[it["source_set"]][1] != it.get("lang"):
            probs.append(f"{k}: lang {it.get('lang')!r} does not fit its source")
        for ev in it.get("events") or []:
            for fld in EVENT_FIELDS:
                if fld not in ev:
                    probs.append(f"{k}: event without {fld!r}")
    by_src = Counter(it.get("source_set") for it in items)
    plain = Counter(it.get("source_set") for it in items if it.get("pool") == "plain")
    for name, quota in QUOTAS.items():
        if by_src[name] != quota:
            probs.append(f"{name}: {by_src[name]} items, quota {quota}")
        want_plain = quota // PLAIN_EVERY
        if plain[name] != want_plain:
            probs.append(f"{name}: {plain[name]} plain items, expected {want_plain}")
    fp = trigger_fingerprint(trigger_patterns())
    if fp != TRIGGER_FINGERPRINT:
        probs.append(f"frozen trigger words: fingerprint {fp} != {TRIGGER_FINGERPRINT}")
    drawn = {it["key"] for it in draw(data_dir, gold=gold)}
    labelled = set(keys)
    if drawn != labelled:
        probs.append(
            f"fresh draw differs from the labels: {len(drawn - labelled)} drawn but not labelled,"
            f" {len(labelled - drawn)} labelled but not drawn"
        )
    try:
        live = trigger_fingerprint(trigger_patterns(lexicon_words()))
    except OSError as exc:
        warns.append(f"live lexicons not readable ({exc})")
    else:
        if live != fp:
            warns.append(
                f"the live lexicons (trigger fingerprint {live}) differ from the frozen words of"
                f" the draw ({fp}); the stored draw is unaffected, a --live draw would differ"
            )
    return probs, warns


def summary(items: list[dict[str, Any]]) -> str:
    lines = [es.summary(items).split("\n", 1)[0]]
    src = Counter(it["source_set"] for it in items)
    plain = Counter(it["source_set"] for it in items if it.get("pool") == "plain")
    lines.append("sources: " + ", ".join(f"{k}={v} (plain {plain[k]})" for k, v in src.items()))
    lines += es.summary(items).split("\n")[2:]
    for pool in ("trigger", "plain"):
        sub = [it for it in items if it.get("pool") == pool]
        if sub:
            empty = sum(1 for it in sub if not it["events"])
            lines.append(f"pool {pool}: {len(sub)} items, empty {empty} ({empty / len(sub):.0%})")
    return "\n".join(lines)


def _print_item(it: dict[str, Any], lab: dict[str, Any] | None) -> None:
    print(f"[{it['key']}] {it['lang']} {it.get('pool')} {it.get('published')} {it.get('outlet')}")
    print(f"  {it['text']}")
    if lab is None:
        print("  (not labelled)")
        print()
        return
    for ev in lab.get("events", []):
        flags = ("" if ev["asserted"] else f" said-by={ev['attributed_to']}") + (
            " NEGATED" if ev["negated"] else ""
        )
        print(f"  -> {ev['type']} {ev['source']}→{ev['target']}{flags} «{ev['trigger']}»")
    if not lab.get("events"):
        print("  -> (no event)")
    if lab.get("note"):
        print(f"  note: {lab['note']}")
    print()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--train", type=Path, default=TRAIN)
    ap.add_argument("--source", action="append", choices=list(QUOTAS))
    ap.add_argument("--check", action="store_true", help="validate the labelled file")
    ap.add_argument("--summary", action="store_true", help="print counts of the labels")
    ap.add_argument("--draw", action="store_true", help="print a fresh draw, labels beside it")
    ap.add_argument(
        "--live", action="store_true", help="with --draw: trigger words from the live lexicons"
    )
    ap.add_argument("--fingerprint", action="store_true", help="print trigger fingerprints")
    ap.add_argument(
        "--freeze", action="store_true", help="print FROZEN_WORDS for the live lexicons"
    )
    args = ap.parse_args(argv)
    if args.fingerprint:
        print("frozen", trigger_fingerprint(trigger_patterns()))
        print("live  ", trigger_fingerprint(trigger_patterns(lexicon_words())))
        return 0
    if args.freeze:
        print(freeze(lexicon_words()), end="")
        return 0
    labels = {g["key"]: g for g in read_gold(args.train)} if args.train.exists() else {}
    if args.check or args.summary:
        loaded = load(args.data, args.train)
        print(summary(loaded))
        if args.summary:
            return 0
        probs, warns = check(args.data, args.train)
        for w in warns:
            print("warning:", w)
        print(f"labelled {len(loaded)}, problems {len(probs)}")
        for p in probs[:50]:
            print("  ", p)
        return 1 if probs else 0
    if args.draw:
        words = lexicon_words() if args.live else None
        for it in draw(args.data, args.source, words=words):
            _print_item(it, labels.get(it["key"]))
        return 0
    wanted = set(args.source or QUOTAS)
    for it in load(args.data, args.train):
        if it["source_set"] in wanted:
            _print_item(it, it)
    return 0


# --------------------------------------------------------------------------- frozen trigger words
# The lexicon words the stored draw was made with: zlib-compressed JSON {"en": [...], "ru": [...],
# "fa": [...]} in base85, taken from dictionary/events/{en,ru,fa}.toml (the working tree of the
# draw date, while those files were being extended). Frozen so that later lexicon edits do not
# move the sample; ``--freeze`` prints the same for the current files (for a new draw version).
FROZEN_WORDS = (
    "c-pOf&2pT#j_9j&o%KAyeU+(MD7KR5MwVQXoJ?kFsv_A^E5|v<+u2SQV@G3KYIRF${dDUUq+QF|-6y%k4?zF~zpvY8su"
    "JrX0RDj>2!bH{-~Y0{^_TxM_~*Z@J$v?QcWrNDd+RU%G@#TvetoyIUOrx|Z|z}X<2n7=8SL)uZ2Yj!DV2Ena(!(Rzjk)"
    "kclY>f<43~o?xz1Xw$}DsGS{C{yL)R}&j`J@xAyD@`1&UQ-Ao^w8&qscyjbUt4B5_f>0|9VVYgp=lmBjPeMg@^Kil5JE"
    "YH?9H}l`Yx7$1NO$~aszP7vm?Zyt4^lW=`bM2e$9d7-z?XBnQFSgXD^dqHrUv2KG^!Cg3l8+J@x3jUg@oa<Go)a%r;@="
    "SSoZ0$(eKRq0M}7WG-!Im-p7U3#eJ|Jce0^*C6*Dw_Gx5vKZS|Fh_xbwn#&=tiac^y7i@y>9H}`pJ+{W%Me(r2+Zt~am"
    "*7~4~7p03-tiSkXZRfjf{M>rJy+fT{|JU`M-0}5)eYw8LAKN>7<!g|5xwo^Oaj!Oaxgp=LZSK)u>NoryY%^=V-zJIJ*!"
    "qF~?4_#KUoz~+wOmO0PC~lzos32TY*7Dy*dWP(zbrQ|)}L=McV4Wo@8!RPpEmZs&j}%YkpyMy`70dB7aN-!duuyC58T)"
    "TCpR`V=Q5=5?#1>uDR-HpoL0Dhb2t*1t@ZD=_i}S{g6X!u{dRq8mnS78kZCX1p6$`!oxQE~o!##@USjh5G??-+$TQ~U="
    "KAyR2)?t%?RmMgv72a;cKB(H^6qSZ!<g+CLbScdnt?xe`TNHWnzB2oil6CYZ{u6~TK|?c6MXIQ*Z*Co7Sk7ZZfAWHW-W"
    "b!K;zfOHd5}cZLZVbEy<9-u^GGT%s=>ewZos(<=u4>wcYPC06uucGrQn#o>05rZ*T7no^Ss|^>AC@Z_bo-82(LK^9PZm"
    "GWhgG4SV(C#Rir7>gCJLjSNlSKj$x=IlHft?oAqLhZ3o9YWLpS<`4NV=H5%J;!)jBGhwGl+1~d%>uY=EYn`A;q<2|b_5"
    "l1deZ3<6l2qQti?uzH`Byt69Y3z`;l%%OW0#u$)7s8f{>yCmX?^qAHYs!9!SkK9pY(UqeE*V?->%`3wfKE;vX~4O9~NU"
    "EQpv$$w0J*wI(j--Tn@hcky59c;^gW0X}<Wpc%LYS8gXvuzML*5PsbtX=}3eB-!H$}MlhhW8Eu-daHg9t&i?#uF?!lxo"
    "G{7h(;?tKEZ+b5+n>J`AmsDl^Tqqc>0mLD@(Vy!s(?cSGF{LhpLsD(|DON(+aP_uhlWENo`#F}y+o<iZMt))2SzQiApI"
    "K>Jsl>Z_o?64F?ycH{!OzALI;hoEbM5^(;;*uiArk7@nZ7jk0zoNSy02&l9Q()jNN;|gT#H%-$@Ebs?Hl|e3I(Lr>BF&"
    "=7W@E;edi+6k$@lUrZb@eVi@c;|SI{3Nj0ULQ$6&AOHLfnvxqT1Yb@;KGVO)7D1xy8uA6X`GEwWS*@q)YJsJV8$&cB;C"
    "+yJiSknu-=~p$Qx%d1=p1wj2=!?QEVD%rPylczF)6|xEv8T#SMr|v24k*T<WVQ-&-iKIgFmsboj3%}n$hBtkX3O{M_K4"
    "<)G!tK0R&ey<79D>h~Iz~`S9frmcUfVAB6&@*wdj+4Hh4<*~g2qClncdk2L2{CbW2r^`trud9Eou2-`W(NMVA4Ie%hNP"
    "j8@ZPJIGaEJijp0FHwGbzoEiqog{9C~`@JKO<o1=s;*dU#gNnr~bVmR;8?I6jGz$UqJ(tKibp)84R7ft`JGsZ)jm-1r{"
    "N-f>U^5R}&#xM<LUoC$;&;j8Ke>>a+~a;3WD(9Ia7MqgsXlcxAYGMdMUvA26Jlbv1Z8PIa9w{u}<vxQ{@F(@fR?9!L)c"
    "t+4n&YU+PdnJ0omDYPk^QqYkK%(Feo?2&3@#+vSVa8O!C;Gz+gI7el6DBx@81gB^cXl^OU0Na18x~7qd2Wfm@WMzb4@!"
    "HQz4yv0mPO48y4<tcAt*SWRCXW_EqCY@I@}`D>A|5LpsZoZdH9|3skRv5h<1}9L0cbG|z@<z;6P#9WY|7SZfvUy}RHY}"
    "9(sgqxTS%u4Y$~{BDIX1RNQ&HE<Cwi)T>7-<SV2?;BUsJvYf|tcMv@++Zl1|3FW{=%f-<F^DnaE`F;^|fltp0IYz;Kj="
    "ZL`Rd0YWWlQ+OhgGDIC$}3VJbF2jyb+tNPqsmYHsJ0IpSFP<4s@Et|+5Fm{5y9dvsAzE)<Z%*;YbbDl@^M9Sspt-AW+u"
    "}Vz-4F|k!JryiTe$3L+nG9Rx%<mV+6y>cFsn0A~+>A4KoKc*pW7AG-X<sQy)f^fu(82sav0d(EvLev^z}BYgkYO%reTI"
    "{_+Qm@9#J|=QYg;8jw(9)xv{3U|{x~s_jSO8A%<d4wJSzDrP`QvpRJvQ-y~uLuz>opV$D+n^agm(EyC=;<-<oRk(o5U@"
    "BNz0;G?JplbBDQUMG|?WjSnRT`L=O$G;)UQG~q@n1S6Ej+@(RiX|M+<2Y(w5?0PiU|ypL6CGBA21Pc!+QMXKYd*|e@Kb"
    "d4MEF5tFi!5l$k~vYe5iI8YaeP)rYYeY)ON&C21Goe~o~(9;}G-nj&%@v<Qqzn`lr2=j{)q?eHYg{#Z0mN$WDmTDK`To"
    "Zt^4?Ps<#Fk~RwZ1x^AoXqG`)MzI)q=<P97QqZq!vLY086kXeU>5syT?X!!$is5Z;))1V#iz>nte~u>1Grxtx=Cbs0y0"
    "<kgyg~sU_qWlyBdRz+htL@J)r8-R6Ox%%g4{;K$Lal1KZORXlGq%j8xT*vbhRft;`9B2W<`}*Ol9tK~pn*>f^c47vB`4"
    "$J`RbQwy{cTCg9<(6_)b+W#YA8XEnoqr#*lc(7Z%hW$tdHk!@@6|V?khC_pj2*JXKdmWXAg;3ImXws6;#C45ur(gw(T1"
    "Fu0sw`<5Vww~nRKpSyc8*;9AXtk$jev)P?8N>9c4JcHaM0y{A$(qkd9s)$IlL|TL*7T)1@Z%p@&#_lKd5qBSX=4|Zc6u"
    "`4wk~%azCLJg_HOic1b`8dgOOlMm6Cnark#^#b*-Ci6-FP6RKepg}fd%u`>7ukAH|}tjiY<Gx6`#*HG|@{hvVDWVL}!M"
    "Gwj;)E{s+!WxP+SSP%xc6mYTCVPZx#>BpARfu)0qoauy^LW}GiJU?Q{bbhO%@Z=+NkfidOmRY-cqBU)9N75j6?mSuK64"
    "RR+FPFjM{p8(APn6|+NQzKaGCZ7b%pJ@R!xnOJQEdKojr7*f?9E-GZNrP6u+d{U(UdfN;_i;JkmCmR0f!2(vl2zdn!Sw"
    "?tV;id#%3*+TBnxBFd>k01stL1uF1Fwv$=?PNXKis7fkp&(FpUq0mN}q&b5AsO%;MhI2Z-a)<b$e3b6@L@;-*I|!19+&"
    "mpGOQ2YniO}w?dlnYhDnw051?gi$q3P&^a;Z32$ozVz4TuYw1bjS3>iz>+`wo>Ff^8ltfmWw#an`bfmXzN5dZ1>ZMYtm"
    "MsZf=L7lal#s6<dzHAh_)84X{9gNlmQXT)dpaD1>SJL1Y?GvVz=<+@>KiT*CjiUz1Qjk13SJ=tIuSVZb?0v=X5Oye}jQ"
    "!4Q{uAG7Lli9+Oj!g;;l+J~m4hYyE$YunHbbUCQ71W7IebOmWdYsZ6(;(F^8Guel+6gS0G8%ZEjqU?lyp@<;fHdfD%MT"
    "4wjbP)?rgY;o$P{*&*LpoSU>O=3o?g@0txXyH2;Ad#VY^;jK^I|Y?Y0GVInCnHpwb9pWcpR8MkrYl<Tbb`)evVyC@X>-"
    "!fB|o{u|4U1uE_rgdD4q`JO#<k}?HmAfAt#oF9r@=9JHQD(8SHMSX61Xz|RHf_=#OZIweBj{RaB;U0IazXvgi({&D5*a"
    "IhDW$|(1CP_tqgom7GoWhgMEC!%~R9Qn&eo&1xPr$rg>o}RMiB~&jtMfP9_?~bH=T4nvESsVRuHjbj)ZO*8)oVrAo<g2"
    "9skwusxt1vP6R4N04`bX?L-849{9_j`JN|J8gY%-htU?bC)H#^}jXYqDf*=4%3Ae&P7+4s_U{J!8nZ#X9Q~U}{d~rgBM"
    "2Bc?Uz8<I@b#&=!g=)|h++0Ay>H@TmK*J4fpr6{)hW;-5bTq%sk%5u=!__2?j%RRZn4SWk1%B{=oCDApkbw>HKMFP8F_"
    "(Df>G6;Q0N&|Pn=`4p!aPmcJIe%?c6UEw0i+BfkT*~J4T!6bddLmZ_q-+V+2Q$IyE6x;StUkkjg(R#z{_@Y8|i)adrn_"
    "_s%nmJXDwU5ogOsc4r%3C!$DzJzn^w9D1@`5+W@EW1eMT>Ac6IxD%EhAyNp^ji{R^Xz899nnu=kMsdY8A_PB)ANvz5m;"
    ">jK_=Foa7^j@XecDMXgaUOKtPi~<<yA&ODAs$R4C5zbFiI*u&{gO$7WYBshC<Z=G6m^EMirv!L`DojmqbMkp({05L|mg"
    "-I`SH2j1mEUz_?^HLj>1khpfuL4vz@Agg(TWN4Rd(90Kss;xj7Mq1EULU-1vYA+0$}?pnADt{w#h`!N7u%)-{dM7@cG6"
    "dNX%F?fj&2QJixUB|UJedhSD32tYr=)^vgV;K{}(tvvUDDAR1yM`JZ_y=i>d2B3pP6x4UXJ(vHq#h{RGeVT6i{Z}SdQc"
    "do7D59FNM+zY!vUR&=#u<bgR&|SC{5pM>)HOChHOqAs;o_m{~0F($g54sIk$lf`~`~$t4|v%ya}%FAc>K*RVn64WOdY8"
    "R?J~fgyX1qmxV2z4wSaQS`>B(aa5nsoe&<;29${cZ9|yD-US+wAA>1>!A7Ga(0dGz!cF;vcEVaNEg47~ir(^_uvx~qdX"
    "F2WqfgxJ_j+i`Y_@ch#c2avrlLhb6bT%zLi`cv!?2C)(e7+xMbl_w<?{3BFy_w@&B=uGIzU3wQ{8wg>WJ+wM`15eL`Ym"
    ">Y6`=}(@JIp5=N^<6n48~DYQOC#0W?S!Ff0cT8W!!Nj3U#oWeXsgB4F?(UMJt91|<#CK>FOd?p3)D$gP7^GipdHN8bOM"
    "8Og%CPfGtFpm^pUWD*wgWqbNT7?W<_+&X&Z9uX87>9Y{)2<H=tb5>5xjMP{5xLJ!bF3?`h$>wah6k!z9b#C4P4hiCDoD"
    "6^Ezw2%on1Li3072<BFR|O9t4?t3#W9d@==^H)#}I;=aIv&fh*%o&fTEUY$@4P)1cQB5tucbq)Q8&kw)v)v1~GNY04&~"
    "Sn{}whO_oMEhUc<-}CKJ{+8j*X%!b?L5foTdK(x)McEDuuvS6{hWPAHE;#^0KtY4CuwYeB0*=_s;N%r5$PX@SsF)Ci$E"
    "~NV&k-`GSQrXVX;kZJn&m4=7}ef81lh&S2fV5DAgdH|vshoz$lUK-0%c0`bV`H_ET}iKhMMLNAu1QE0>gYf6=z9Cz{y`"
    "iTr0%Tp8RM);V-p0_YaN*?Ih9=Q`(pR%uRzYzrLst7oF=I^=K;w1UDf(s$&enztZ2jAodQ*rWqG_5s9(v8p?g~G2MegA"
    "D4@}Q>Z#950G%UacpA%VF&YvT>6z1PIgo=M-G7-;1jyOSs``75Xe}*>;)hKdFtG2_!h$B#eac2|3U~8z@}Adl69;PQ=5"
    "RP!-CA;1AQHutIH@8sO5no;~Am)VL>9E6V&q5JvhoPPC`jp1{JU_9M2;@vb;)4lXxfkB}L%cyLFea01U{!1lOzrf|mR!"
    "s=L5o#Xl@Cy8oxMvx3+6Q?Bv;>tX(;8_abO>2(s*QC?|dnC{_qT9b~;mqi^wbM1bKfF=&rf@F{y8?G8`>%@DT<W~(kr_"
    "qszQWH4cV^GK7MuP<#N0?XT>y+a{Voo5APiFEBX{ZDA+P{I158%xyxFt}~=@5w*MUGm5CpeYg^XMJbknStYmNqJp3_Nw"
    "2*P=OS!XRl2dFs=ubpi>f^2v6MF!x|Na{F^3q?E%?_<JHTzlw1T`~*5IarA$(Agy>Fnr6n3+UXYT5Rny{MviInsvF!Y@"
    "<B^5a2iflGPiTe2t)?L{2^Zz#r&490jY=rfSziQ9QJdysPxTkRRa>H^GR^!QkElPIv{4gMd!v9u;FRSbWR5|xHfh(!X0"
    "8VSg}t7T))b8*#KljBll3#A0!BE`e&foC1oJ7M1o2(Sk`_9<a;3{b|oVY(*kl#?s&I5E)>Rs)L>&l7KCSWMtIYbq&u5l"
    "B~|?Hd_Ur}I8QA^P6<7ERv8?o?GY{-+oFT0YH+qDMLSdv>Nt>y1zemQ@;LK1Z{6K(3&AQuvmjL_UcT3t3x>KOc7Rm6+I"
    "iSvi)N)GP;;r2fZ>&I<czoWj9KHaq)M1kIg+ZdauQr&WMn*6u|k0q|1#L{+5&58C8wX!<-T91`AF1lT_cKU<7((k+dNp"
    "c&QGtpZb@?pO$pI#Airp?(s-WQ)PMuM#!~4Rp4Q-a<`5x)#%hJe!wVe!LXD3w*pwbo4Kn2r*l=xZnm*1=pH!eImvGu#c"
    "?<FC5?F{2qFwsvRM<-))yHWyw5OiFH@C8TR@%eBN%4rK6e|GftfVau@dcoy88Vr34i$)}@C99CR4H6mf>+Xv<^pSEUrk"
    "C$SC<IO9@(afl%uUO(%+RJqg{PadQj525?ZpLa6WxL#s&E_T1{p3vnkX0dV$oC+OV-`W8ON{v8?_sXWmGvqreK8yT!<("
    "$i^aYO$mmhO{wW9Ag|;2j`ql=Oil(F_8nnZz@bf9k|Ef^`dh{G@*W*x@=ko3w75GYZxN_-azkQT;=!u-$K<m$@5KaQG3"
    "!h$b0L)I<32)(Klw_sy6J7wp&_I@866c*z)xi28Zx*Fc;M~W8+xe21buhy)YQW4(|Vz%?L2v6a=cmNss@4S5j3AJ#X<W"
    "&7kMDnZ0;gEVBxZW%ROZW^tAkxBm=>S{2dvW^`(Kx0)dY!%6yiTmgA$m{m9or^Wa4YW=HV)oIZxaZ}s-2Fztx0nDIBbS"
    "||KHrpJ~hLO90#s{u_!v-9_W_6O3aiP}>iIbVWG=SG6_YjIWuu;J^TlR+g`_~>W(s#J-FYW>0R_%2bw;!Z@gF@ryWR4O"
    "}`z_d}d9CxplW>-CQgm(V9fLNaVQ>7Ln!gz#s^)L@xPMM1B>qM*{dNh<%B1)r&7->(J@@e2y-ig|dOUhPmfhDg#cdB1q"
    "LI}EBO4>LmR64vq><D0yp#?ieo4Z~fc?9P&5z6ko4eAuHpj-ziXVV#!alSTC1Ete7g_58etofc%qT?K_mtmQx*~ff%=e"
    "q;zJs&OGw|XH$H2*ansg5xymQ<R~Mjb8m^oE2i2N?%OKFqTUBf8>PHsa|^9-C0@P+)Gb#9`ByB|gdL4_(&qF>X$-qzRY"
    "R$tD9q%RU`sEA?9KySm;Z%ienZt!JhM340?Se|bg{H_Q7RyFV6OSwbXb7?Oe9vN`&tKC35{1caN5E8Zapa88lX><D(-`"
    "AkK}e-=RtkP1%}tv#`+YAx~@y&frCJ**1pVih!Mf^u=?z`>@`uPSCu3Cm#=z83J`QLaVi#E8te;1E(F^)aNr?dtW|9IQ"
    "gL0`x!|m{$n=SfG|l^?qPxTK%FR2CSUtA!J8OegRTH=#{?*_Vou1Ru_r|Tpiai!d8HqI3ScrjT&Nlx<pWiCCW0PLKwBS"
    "2*6oQ78JkkXU-M`TRXH1%B{cY`vkTn91%eA{W<)p;SmK>w8UOhDoZ2SXc!W7WNyM&&f9X<z_ED#&A<XaqDg7N&887Lcm"
    "X4$Ongxe1XM4N3dr5s3u6Wa*d{Of(}7HjD=NEM+LM@)Vxy;KTtNox%g9b9mSegGD@$aL<6USq5Q<;Wu?+$Np(~})MJQw"
    "`c=g{@o*H_mj8qR?#X1dvq|fo5|Gtkeqies}h~*}!mw<F6BRnt$M+{Y9&zBsU*?gH3D0293j@g$WJOTh`6bRkrV2*Hvm"
    "xV-B^kkfJ6xa~4k`gHrh^Ox;sxYaFpLU>-u2HhW3;0brmr;(9f~b5Z4V0Q%C{(BA5kmLIa0i-Ng#@GgUBYnkcaB))cLw"
    "1nKXzW>PkuaqzP&qmID0&JID5Exzzg-eTWc@#&q5{W`NK5*J4^rHK3qH=Xz1hXhe`VP7Xv#=|IQQr?D6fx^}vzb0Q&LW"
    ";Nkx9mxp<(_2O|~%DhXtrjSnmCTuD%wd?V>0Q-(%sg{R}ROo(~Lt{BdqEa>H)BszS3Vt}Z2w!9kUn1)OnLA7Dy~upfM2"
    "StV4lM2#+5JoUx=tOqfxm-9K7wqJ{o%Hk-0~g?qXN{>m(<{41WkOn$FgCh689f&YNGoz(63eN1vSR@q>k692@clGfgg`"
    "k;xILAVi0}^9CVq6Dq>yrC;{t1PQ^W3p)6nV@FY$Gzb+H#E|a7hFMzu)T@{5bn<w7CL+lO1Z&SO*DUIWk#IxkEm|4oZZ"
    "?JRVm8zK_wfKja0W<;u<3<5DZMYZpkYt+1`v6CNCfZ_@&=-kd4kA3pF#>wuH$^l_pVv4xFb)@rpffv<=51=q3~4S<7)t"
    ")@@&#g{+Q;dTk$|1C27%NaO3p8-l`(aVFI*)o2$P2?AxIN<#%(*NNq-0uF-XFMiiDIX;jx#K+|worDb4{h_(HTZ$R>{B"
    "rD2uHag_?ZM}>7zBa<M}Bu}*sn`QJg>T!tk>k1}YD&-8>-P61|au>C0R5%Kt(n|(HQVJ9E0tI@`D$)`)%H@t1X;Q#@EC"
    "7WRnwVz&TOmo+@Ha3tX%g&0E#@t}6*Hg$#@yMIqkyUIazUGT{z@vMzzGCP2rn1&(hwnhN6b7Y8KH41%2!d`qx7O8o^ff"
    "nszO7>^_@LjKE7s(DKcWt`QI>;XJ%kPTTewoZ&LYxPogx<E!2altrJ`~(!X<Q^b95O4A(W1L7u}<Yo4=6CR1vK(#_=S7"
    "X?Fphm|B9DdK9-a~8idZ(>blyxr74Lq1PpBs6J)1zxIdFQq&xqSV31UuD28I-5dC=iP%1(<}-3*v}>)0|`Roht-mkTtg"
    "0v)nOsbmR5JO8@X1k`*o!==Sd_+n0=bp>kHs<1D!s{JP7BRqjipRl!}8IqShP@|5a9#rlO39Lxl;1lho1UXg@$`vUu1&"
    "Imaqrx6pHBX40n2R%E6z1ac-2%W1nzg<iJIJ6ISX6EOJkH|mhX{~C;ETEE#G=~%EV;cXvN=O|>CMspXao(&xqk<MZyA?"
    "4cVO-o<19cg#Np{}BpXUKWhEL2KHoZ*s^xH+{HWQI@yDgDl2h869Q%2c!{#Yv!enXfQTnc-R(TTd+l+JMa?bXuj#Iv4Q"
    "gtu>lpM{}l7xQe#gAV^>TBu@a|jN<A!B7?$p)semiImZ=*EQ{CK-eA%>EyPt3bF-&WP+IC06jar;1xpqKRxl|myC<mBb"
    "S7{$U6mcsIjp49yzE&VY}H_yxfSHK8n_AU0u*B{ZeGm3kfJgUje(KG00w@4xvbf)v~;QI=ZSXGz!BqaltfuPbRfxFQq_"
    "J;nGWV9$V6iPkt&7EfLT@(UGjBL_GHljXVmC9(ob}uh7t{x8=U(>g0QQi;~Og26Sg*x72!-a^k}Wxb=(ur%U&PN)L;#%"
    "vw-!N`prf_4|&5PtH>(9nkT`L9^sgQr8|oTs?Kmp{=Yu5TQt^d&qYN{QgW_55kRt!0;n?y1g6*&O+?=3L?jJ!1&MHA1~"
    "k*K8|PJ3p2VWF+bn>;MnhlihTPKSsUG)fq|(eQ+cBhiTXO(mH>NCxbnv8*w0S~Kg;2LST%g-Dg;zWdS1BHcj}^}tQ*+!"
    "?O&CI^?!@?1WJ2?%svZ*5>b#Pa{i(}$L(HUo?6^VEQp96e8rcnUK;ln%#%Nw$bra#fmX_{bLKK>b3`CREFN|G;Y{3<lP"
    "RN-rVn}H_{b5k=(5rl`(x6$Us0FU_Mzn#o{)~*D$@V`xz$#2os>4~+iF{*7RAnaD>_HP=`}e$zxCvNoBWaT3@rmYLo>1"
    "uh%@v3(Y9?H;I9U9&%8QF9$ZI_J6-l?^6vDD(HwlTT7}kSjdQoL+Y6B*QY29iBEvJ!7-(#|z6TIa?Z(_Y8yn`@uhj)+z"
    "qwYXqSP7zawYM@NMWzhcqdG@NSP|}a?v4!P`<fcYAWRwA8FtWMWHwy%Gzj4JS(zb<i;NH1G|9AT&kY(Q*~y7|$vQZRh}"
    "?+c4yjkdh^#5Zns^#ak`_^MoTA{h$QlmRnzCAxLz0d@z`}<U;9_Z+HF;#8<?L!jxWaT$Il2pejZRM^2E|TrFwGj+FU}f"
    "*9pFGepgW-~c_ss$z=_FTE0c<(Wp^})>lHmB?Dba0nUL%tAP9~KfdKY5Gcc=Lr|O0X_;t=K)dczkN~PIZL?=R54J^1Xc"
    "tvkev{+`S9{+~11dWo!{(t-{D$+^UGDW+z{UvIjWAuXOgg|RUk4V5TJazjzhjE2=Znwdh;{$J7V7M#FaG6?SoLu1v|G8"
    "{cR60IH(gdj#lGJ&P3Y33Fx`r8O^YE&sY}YPZ+IAb<DH~wkiDMPSzU7suDPuo?qpQ6DS2#mvaukI|7n_e>t%1P`T1%^a"
    "h8Y@~r=Cj9UKw|Rlf|InkADT2E`cDWp2WO6)4ID3`+SN!sf$Jwk;N7(XPUPVX^iz;g~Pj>@@1D>-n}k$@(17dxc=!0q@"
    "eaxVUX?fOqObVhk{x%XA7o`2}4wh<{!E2JTDABalCK?mf8`YCF<ay0-s^tvl4f}c#dSy3t}7zMx>B=LVLY(h6XPCeMLk"
    "o{vC3mz-Krg$vu5$+HP^C-y(O#pqeRNbzAiYPMfE^Px5tSjOVJuxvB3x+A5ug{+1c|P6(zrL1Y*d#8s|cOl17sA{m{bJ"
    "0pc0EEJ@5+eb`eafSmn<w0DIJPGpO!5zlVjdrGd94hA;<Y<OQUYXg&A~9v9HZevEWI9%+mEo`+#T-gyoE3d#>nzpIE6#"
    "L>HqkyEqUb3ec~$%we|FitVWp)zaEGG1UvW`QvrHmBtX4#tCk(elcX;ScI_T=*ZeRjMJ#y8<!8?}e89P=~+DUoa%hcsz"
    "LOYcwB{IT?(m4X)(K|5FM!YY+M;pj4&lDAVR*vht1i^;T&cy1F6O0lhR3W_y><I#f&d@l&U_ZOne;QYW&qB*QB<Gbn<J"
    "7@67HOo9P{mfQkhFxH8Ftpo3PT;+?@@1^>+>Id@EMR?GS5al-~ov@rehL1aj-4K#Zvjnf-o0Yz+Ov~fzSJ^w%5Nt|JT%"
    "x;TdKWG_34C?@-m$S;alFEMW<!<p3a5(kAePydtxzNkI|F^kY;NXO4OrbZWX>r>4a#_H`|-3g~NR=yM^Pf7zNz+uH42h"
    "R>B%t*xH35PIvUAf4G1yB^Q5DpeqMa9$*9yA!B}4MBA=Y!yAvvVCmcq&m6mI<n0;+37yqDFt`Io_df6C|l!XO^kFbhOk"
    "5%uHwkhjI5xz13kki+6!LI-*r%qNu9z9i}15P+N^VRY!mT%sX~$<-phzyI=V8u9BheB6}lAy0;BAG94R579bHjV!@>Hy"
    "qUgS+D<ylQf!$#RMDeSc1_Cowx44QG_8_}dn{o2px}{$c#*TPLV7ADfV2V2<bn2QJu1LCCzySml?>>>8Wm4c>guRv8^S"
    "32hS$r5vb5Cbksr<V@e^f+q#d8kZ3Dg#%=_1UsQL}IfLB))6?+4hJOW5SGAu`8E0uDWV%?J05%zYGB>>M>FSwtCyQ*_b"
    "61o}<v!1_*<fw<+=;H=(YZ9A=Cm&VG~P&c-?1-6tvMmWQ4EzSEOf^2UTfaI^*dl<)ARAlXaSVbBeTQM10LFgBs<&UunV"
    "1`U@#We;gbc~tpO?WFM^50v+sdvKBX6P&?&9|xKRQe`9?j=5s++M3d^*}Prh*ejV*qnWSXT<{dvxNzAdux}2Bk3-o8HC"
    "Sd#oN_cnI?-W%tv)vq;AB$<t@s&xuY@e!00PM7H7kLOCWW=ij;&WU+WrYm1sg2)i5f!oB0l7tE64!sKf`hu2y-{Xif`B"
    "r_*H~#CeCuQS(~2X~-Z?M+=;p+!Ze(9muixZWtBR3}Fo)u#S=FCfupFsaq$j4dUL?kN{knSg3WqH~Oh^n>e+44GuGL26"
    "GXIPl}fBS~F@lByPopXW~XM{G2bcO=1*k1s{VA2viw1g|{}kyJ+bmkv`C>ErJcCJ>7ZB!c)Ts%UlqQ^DQ4+9p-QAr;zw"
    "y5Zt6_)A~TTHswm4R>Rdj5xR2r4i-^^J2xLb#@aE?nD-5B<=e<-PTAX}x)Upq8f!EpX8ZiiuAZHwon)DTJ#27CU;*4sp"
    "j$NjeAgAUN6S0f<-|#6>6vJTv`ZN>X*Dn|tSmGe72&iUOo(J9{z)065!!kTizuJ9#!pMS^Y%5+jVBXo>QL7h5`XAX5p<"
    "bIj<ib&Eis+v`j$}FsbWQ3FK6aJA%?~aWY1xRCegYt!@PblA;1>ub(FnhVxs~GjaPz9mfF9pq0<oRHVb%;enbn64vp}>"
    "*83c;R5OL@|D|b&g?MROmYNYep5HdHHcrc9GOrqUz+xO8>D)AMZw-7Bv}#iM*h3#xMZOeCeFjz&;Z8paA@!uR?Pfubka"
    "*Rad=g`sX_|28_{*?W`aUFQQy)pQtr^+V)+sV>?jlMmJmOl?xN7*V%NIQZ6Oepe!TltBQv-bIwr=Yj%FtR{dW_a<j7w$"
    "Tv0}O?%JRy@d<m&I`rItdx0KiyWzM#WHaf@T-z8LX86Va?#=u<oR5;{Q^i|%8#LWlgMGP?T!Tlw~^X5}T_i_dhJv(&Ie"
    "vo|+Lswfibh5hy42bTyh@AIWABQaU4A4C<>JoA6pm&lE-JSQvYIPoFgYlsN23dms2yFZjWFFfUut`>XmRqDIG{O?ePQQ"
    ")>3kmyMXb9t&i;fI^ozlcXx5~grkrIlqK5Me@X(iuvSS&#=!N@dpm$GfW=M#(a22FG~^`3pRSH+9lII$y23jRE+7|L+h"
    "YMSJ4>;9<6dMKTJF_XUA%=c`B+I`eLKgUsPR1LqaBthYfuAS?f;mvSON5@YJ={pvdLT?Q?iV@F0i#0i@!1#Wg0p{=(*;"
    "*F3@7^s<EBlnoYksC{3K19mq&`-T9XBg#J_+f{=MeFAWF#$TMR=AUBj&QkWJK{0R;X#KuxVY`okUT0T|FYoDL+u-=Yzt"
    "SuHDhh^Dr}q*~Yhxn&k~@uw3<A)TD<4=Ye!|723{KpTXbf6NhS*bvHVezQG*ioku&M234m|B*+yP{Fb~q%~?S5VELf8l"
    "LFh<ag^tvh5w%PADBL8isr&>O*72#nPF~Bf-OsftBy0SY|k|kp*}q7Jw7eHXcIf;)o#EF+V((2&QJ#%RPP4a)+s`HDJU"
    "Rt%Yt>Ebz=s7Pv~^!3J((+IcB)WptBO*6WY+a1LapzZn8#kE%*8o<d?Oz6=&)6&-LbNdbAojzn&LSPH+45<!c5u#(BGa"
    "&yeSk_GWHq4tWLlFt0)gW=4r^pm|=&D}^XWac6e@s^Lp0;2;x=(Df?0{quYlGYuN4!p_Y~d)|Mn*(zj(wobpYr=hNlak"
    "ZPgN$9WZGznX>5Gd=)uB=FJ!x3w!TZ7GR!n02NWk>lJY<Qd8z^KBB2F{-EN7$fN8vqms%|@i{MK4lf^=*#^S<f59%V@}"
    "mr0Ktni6c>}iI$iaVJ2q~M5?<l8nB_aSK?n=-^WCKjW-WbF46q*Hg3=O)Ta~XZPfv8s&3hXHuSqXbZL&V@3V@Tzvl;F)"
    "N8U!ZWn`$q1&y$fP?UfVeP-)chkQ3_0Jk`KYyq0l?w-}%ddTaHM}*kE3%%)s2h3g)r9;?Xh#n7q~5Z0-O?9j?tk&DnX^"
    "2+)uvnh5sqdt?(raZN3flD31$mPbiFvtQ5{8ek#_C-JMyin{Ff@BOP`@ixf2`lZ#^Y1tMtO$Q@^h$k8CZQ=N-FfWm364"
    "Wl#(|3+B4%4Zlk>H#t&Q%D0@B=#@GQj87wmD)_QTojLXdg<l0KTEA_oU$7^4{Y~FMU)gJe^?Sw3=f^knE*}3zC*G)}Jo"
    "`Mg4I*pNv>kU#ZApBQI(X=-3h3O-hxFY$`5?<GOmCc^hLkNI_E&IW85^|9^AA{#OO{nzlP)7Ye<jb3MP`wuUzs^y?P~G"
    "`HJwZ~VZYbM=lPlj^?Q1v9CN*MTZQ}lDjls`(-QFG$@bYyC%Z$QJzstr^|+JDGmh#>`SR+12T?u=@yPr;6WA^K5r}{fv"
    "ogNN`1;C?S#ZmBCzW1K4+~`vhcewV!-lloL*|b;J#_iT_b(#>)jz(FxI&j$391~+tOYL95`(ntdQj2+V=IC$ZUvoevo0"
    "%O|4TYn7uBO>&26Qx&}J(CGHM3j2+46vdUli4h?nCKLDe~CWKp}EOIhJ&HCef?RqXwl`GJIn0}$_W=ZC=1+i}A(ervdG"
    "sOXhTa)^31&)kKk0<9gH1s*g@T>x)1Nm1N!Jm|U6<N6l(0k)TaJ1?T??$o<}zd(t0>AgD?X%N25NJAFD4=Uz0u9<bIw2"
    "qr;eFo>!m)hFo&AHhi?sqr(tT(NPA6vvr)iUq+ski8DjXF;im0yv>PuW#u_MUEq?izhf*z@8?MeeUlX99`1EtlS7yy1+"
    "$D^sAChCP#trt5u0qFC;wx*%etKjLHcXpf#qkLu2R5QDEFp1~GAC_e-nka%9vQ|8r^q)WX^E{`ipX&kNsDRwM19{}&dS"
    "3b}Nv9HSg)T4f>B3lXO3VPqHF9p~iJk;>~{AigKjFq{U;~r^Yf!8T$<zYG(>s1A8w#igfMo8pGRS}u9cY)9Su|S2f95-"
    "IWuL%KL+WS}teJG8?n3qw-J!zicGSI3d|F)HNaejR#JDsFzr1Bir5ymyT3KOnKwA+BxeEVt3?qwjt`keKX9gG>$#i8@%"
    "WBfVeG1*29gF&_+Zzy0p#zgl#5D#wSNpqRh&yvYorgV6Zy7U+MrEEL+wF$8517{uYneoPdrV751(@x*VeSB;1E}w&Pdd"
    "@%Ir8vLb?~%su@U}743%$Vr?qfisZM4?i`~FvDTZ6S<|FUeiQs38xhp3AEY-T9P9Vz${zNlgOM`P5hz<^Ghva$WOg1YC"
    "KsPCd>O<G;FsYt>KXZTpf#IToOmu3Jm%(h{sw<GyBO8%BB-t}p5&kb<3TW{wLZmMcj7wg)tfW9B;it&n1{H{rP@6d!DL"
    "<C`cJQLno^R4<}TK#gWH^G-FV!1r-aoiTs>W%4mwKdETmMW1F5zI~70F!^oz;D1hsoNT-Kabhkcjs7UU1${0?~v=txy+"
    "W)yqbB|VD#$mX<}w`g~k-y9kbOS@tb}3lX=xjX=-fzv>q-d{ipg!wl9%>2l${=!&0x8C!<+<macZFLj6QyLcJ+(Z1rZ2"
    "-mS9*;BIeN_}l*V+ZK)<iDRd@(#L`QNU!pb{lmM4l}I8MLXCcn7SBi?<;)%vyBRANiSq5vvo?|YsfU<|t;X_$LNQrOnj"
    "&JqtIUM@XNzhZbr4!Hy{2qOi502YsPvMD7b3+k@eAMWnUl{V<LFs13eEK}*$=fc<p;)Yc-Zb%{8{nVYbEhDjMXkv{4ZX"
    "lSm6@IiWewWzdW((g@QV4o9{bm#s)W_2&O2;`AApN?VoRF^elg)@Lk&M8rB!*7}0xIPEAq;HP$pMM-0|Qgu!_M*$M%6%"
    "jI4*xGpYrrDLzEh$V)~I7<R#7-UuxF4?dvGDUs7sKs{=*;Te2tJ6mnH)yCkxNt=m3~LS`q8&9CeZwjW!2-9T`ma2aDi^"
    ")PjCWSeVx>s#jT2T7a-QcA6S8J35E;rLzHhtQMB(IgKl}CLp~W5Jo9!3${6PjA*_h;C<sfMnXIAa+?;vh2KIjGIm*+dS"
    "{_Y+Js#NvUwDA(wxcuSffu`5+3)9Nh%wc6=O35%Y$SlyZjo?>fJ735!x$JAR%jH|~XC{2Uuc>SPc*vfNGeO_t8g<sVq0"
    "C1#?kM)FJk()H<!7Amy??UZCWYR<Kc!&P0CpqYvU~eC<l)5gC9&rGe(#WH=r1<aGD54XiE)61&2+@){^!jfEfo^|yCt{"
    "A&(g>=ON;eu*+vc7l?y9C+Wg5Qxay4p&7ouZ39tMHhE4~bU(!qbo8B<WPEwCyJivmmDOXC{TCT?CA26(|7o#mC=$*ye%"
    "~qDvHeuUYh~)gbg8JbsK3ZvFm4vluW?k53?xMh}hmjLx#&5w~)az>>%d5p)7Wx=X>-)d_$NvY3RV20"
)


if __name__ == "__main__":
    sys.exit(main())
