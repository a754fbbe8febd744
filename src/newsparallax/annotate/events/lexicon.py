"""The event lexicon at run time: CAMEO codes with their PLOVER type, and the trigger words."""

from __future__ import annotations

import gzip
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "event_lexicon.json.gz"


@dataclass(frozen=True, slots=True)
class Code:
    """One CAMEO code and what it means in PLOVER."""

    cameo: str
    type: str
    mode: str | None
    context: str | None
    goldstein: float
    quad: str
    label: str


@dataclass(slots=True)
class Lexicon:
    version: str
    codes: dict[str, Code]
    en: dict[str, Any]
    other: dict[str, dict[str, Any]]
    surface: frozenset[str] = frozenset()
    noun_surface: frozenset[str] = frozenset()
    phrase_index: dict[str, dict[str, list[tuple[tuple[str, ...], dict[str, Any]]]]] = field(
        default_factory=dict
    )

    def code(self, cameo: str | None) -> Code | None:
        return self.codes.get(cameo) if cameo else None

    def sense(self, cameo: str, sense: str, lang: str = "en") -> str:
        """The military/economic/humanitarian variant of ``cameo`` (itself when none)."""
        table = self.en.get(sense, {}) if lang == "en" else {}
        return str(table.get(cameo, cameo))

    def cues(self, lang: str, kind: str) -> list[str]:
        if lang == "en":
            return list(self.en.get("cues", {}).get(kind, []))
        return list(self.other.get(lang, {}).get("cues", {}).get(kind, []))


def english_inflections(lemma: str) -> set[str]:
    """The regular inflections of an English verb lemma (its first word), for trigger lookup."""
    w = lemma.split(" ")[0]
    forms = {w, w + "s", w + "es", w + "ed", w + "d", w + "ing"}
    if w.endswith("e"):
        forms |= {w[:-1] + "ing", w[:-1] + "ed"}
    if w.endswith("y"):
        forms |= {w[:-1] + "ies", w[:-1] + "ied"}
    if len(w) > 2 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou":
        forms |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    return forms


def _build(data: dict[str, Any]) -> Lexicon:
    codes = {
        c: Code(
            cameo=c,
            type=v["type"],
            mode=v.get("mode"),
            context=v.get("context"),
            goldstein=float(v.get("goldstein", 0.0)),
            quad=v["quad"],
            label=v.get("label", ""),
        )
        for c, v in data["cameo"].items()
    }
    en = data["en"]
    # Words that make a sentence worth parsing: forms of verbs and nouns whose own code has a
    # PLOVER type. Verbs coded only through object patterns ("be", "have", "make") or coding
    # nothing ("say") do not, on their own: they are in most sentences.
    surface: set[str] = set()
    coded = {lemma for lemma, (code, _) in en["verbs"].items() if code in codes}
    for lemma in coded:
        surface |= english_inflections(lemma)
    for form, lemma in en["forms"].items():
        if lemma in coded:
            surface.add(form.split(" ")[0])
    nouns: set[str] = set()
    for noun, code in en["nouns"].items():
        if code in codes:
            last = noun.split(" ")[-1]
            nouns |= {last, last + "s", last + "es"}
    index: dict[str, dict[str, list[tuple[tuple[str, ...], dict[str, Any]]]]] = {}
    other = {k: v for k, v in data.items() if k in ("ru", "fa")}
    for lang, table in other.items():
        by_first: dict[str, list[tuple[tuple[str, ...], dict[str, Any]]]] = {}
        for trigger in table.get("triggers", []):
            for words in trigger["words"]:
                seq = tuple(words.split(" "))
                by_first.setdefault(seq[0], []).append((seq, trigger))
        for entries in by_first.values():
            entries.sort(key=lambda e: -len(e[0]))
        index[lang] = by_first
    return Lexicon(
        version=str(data.get("version", "")),
        codes=codes,
        en=en,
        other=other,
        surface=frozenset(surface | nouns),
        noun_surface=frozenset(nouns),
        phrase_index=index,
    )


_lock = threading.Lock()
_cache: dict[Path, Lexicon] = {}


def load_lexicon(path: Path | None = None) -> Lexicon:
    """The shipped lexicon (cached per process)."""
    source = path or SHIPPED
    with _lock:
        if source not in _cache:
            with gzip.open(source, "rt", encoding="utf-8") as fh:
                _cache[source] = _build(json.load(fh))
        return _cache[source]
