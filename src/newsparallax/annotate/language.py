"""Language identification: count scripts first, then py3langid restricted to that script.

A text is cleaned (URLs, e-mail addresses, @handles, #hashtags, digits and markdown removed),
its letters are counted by script (Latin, Cyrillic, Arabic, Han, …) and py3langid's naive Bayes
model, restricted to the languages written in the dominant script, ranks the candidates. The
restriction is what makes short strings work: unrestricted, py3langid takes a Russian headline
for Bulgarian and an old Persian one (Arabic ي and ك) for Arabic far more often.

Then three corrections, each kept because ``bench/language_eval.py`` measured a gain:

* decoys: each script group also scores a few languages we do not support (Dutch, Swedish,
  Romanian… for Latin; Belarusian, Macedonian, Serbian for Cyrillic; Pashto for Arabic); when
  one wins, the answer is ``und`` instead of a wrong supported language;
* a prior: languages outside the core set (en ru fa uk ar tr fr de zh) are weighted by
  :data:`_PRIOR_OTHER`, which settles short ambiguous strings (ru vs bg, en vs fr) in favour of
  what a news stream about these countries mostly carries, and does not move long texts;
* letter evidence: a letter a language does not use (``ы`` for Ukrainian and Bulgarian,
  ``ї є ґ`` for Russian, ``پ چ ژ گ`` for Arabic…) multiplies that language's probability by
  :data:`_PENALTY` per occurrence (at most three), so a Ukrainian name quoted in a long Russian
  article changes nothing but one letter settles a headline. Persian written with the Arabic
  ``ي``/``ك`` (older Fars News) is folded to ``ی``/``ک`` when Persian function words outnumber
  Arabic ones.

The confidence is the winner's renormalised probability (py3langid scales scores by the square
root of the length, so short strings get flatter distributions). Below :data:`MIN_CONFIDENCE`,
or with fewer than ``min_chars`` letters (a Han, kana or hangul character counts three), the
answer is ``und``. ``tests/test_language_quality.py`` pins the accuracy this reaches.
"""

from __future__ import annotations

import copy
import re
import threading
from dataclasses import dataclass
from typing import Any

from .pipeline import BaseStage, Doc

__all__ = [
    "MIN_CONFIDENCE",
    "SUPPORTED",
    "UNDETERMINED",
    "LanguageGuess",
    "LanguageStage",
    "detect_language",
    "language_sample",
]

UNDETERMINED = "und"

SUPPORTED: tuple[str, ...] = (
    "en", "ru", "fa", "uk", "ar", "tr", "fr", "de", "zh",
    "es", "it", "pt", "pl", "az", "bg", "kk", "he", "ur", "ja", "ko", "hi",
)  # fmt: skip
"""ISO 639-1 codes :func:`detect_language` can return (besides ``und``)."""

MIN_CONFIDENCE = 0.4
"""Below this confidence the answer is ``und``. Measured: 0.5 costs 1-5 points on short core
strings, 0.3 lets a third more out-of-scope phrases through as a wrong language."""

SAMPLE_CHARS = 1000
"""Cleaned characters of title + text scored. Documents are 100 % right from 200 on; the cost
is linear (about 1,000 documents/s at 1,000 characters)."""

_CORE = frozenset({"en", "ru", "fa", "uk", "ar", "tr", "fr", "de", "zh"})
_PRIOR_OTHER = 0.3
_PENALTY = 0.1
_MAX_PENALTIES = 3
_CJK_WEIGHT = 3

# Script -> the languages scored for it; codes outside SUPPORTED are decoys (they mean "und").
_GROUPS: dict[str, tuple[str, ...]] = {
    "latin": ("en", "tr", "fr", "de", "es", "it", "pt", "pl", "az",
              "nl", "sv", "ro", "cs", "hr", "id"),
    "cyrillic": ("ru", "uk", "bg", "kk", "be", "mk", "sr"),
    "arabic": ("fa", "ar", "ur", "ps"),
    "devanagari": ("hi", "mr", "ne"),
    "hebrew": ("he",),
    "han": ("zh",),
    "kana": ("ja",),
    "hangul": ("ko",),
}  # fmt: skip

_SCRIPTS: dict[str, re.Pattern[str]] = {
    "latin": re.compile(r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF]"),
    "cyrillic": re.compile(r"[\u0400-\u0481\u048A-\u052F]"),
    "arabic": re.compile(r"[\u0620-\u064A\u066E-\u06D3\u06D5\u06FA-\u06FF\u0750-\u077F"
                         r"\uFB50-\uFDFF\uFE70-\uFEFC]"),
    "devanagari": re.compile(r"[\u0900-\u0963\u0971-\u097F]"),  # with vowel signs
    "hebrew": re.compile(r"[\u05D0-\u05EA]"),
    "han": re.compile(r"[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]"),
    "kana": re.compile(r"[\u3040-\u30FF]"),
    "hangul": re.compile(r"[\uAC00-\uD7AF\u1100-\u11FF\u3130-\u318F]"),
}  # fmt: skip
_LETTER = re.compile(r"[^\W\d_]")
_VOWEL = re.compile(r"[aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿąęıœ]", re.IGNORECASE)
_NOISE_VOWELS = 0.22
"""Latin strings under 60 letters with fewer vowels than this are keyboard noise ("asdf qwer"):
the lowest share in the gold headlines is 0.24, real words sit at 0.3-0.45."""
_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+|[@#][\w.]+|[\d_*`~|<>\[\]{}=+^\\/]+")
_SPACE = re.compile(r"\s+")

# (letters, languages that do not use them) per script.
_EVIDENCE: dict[str, tuple[tuple[re.Pattern[str], frozenset[str]], ...]] = {
    "cyrillic": (
        (re.compile(r"[ыэёЫЭЁ]"), frozenset({"uk", "bg", "mk", "sr"})),
        (re.compile(r"[іІ]"), frozenset({"ru", "bg", "mk", "sr"})),
        (re.compile(r"[їєґЇЄҐ]"), frozenset({"ru", "bg", "kk", "be", "mk", "sr"})),
        (re.compile(r"[ўЎ]"), frozenset({"ru", "uk", "bg", "kk", "mk", "sr"})),
        (re.compile(r"[әғқңөұүһӘҒҚҢӨҰҮҺ]"), frozenset({"ru", "uk", "bg", "be", "mk", "sr"})),
        (re.compile(r"[јљњћџѓќѕЈЉЊЋЏЃЌЅ]"), frozenset({"ru", "uk", "bg", "kk", "be"})),
    ),
    "arabic": (
        (re.compile(r"[پچژگ]"), frozenset({"ar"})),
        (re.compile(r"[ٹڈڑںےھ]"), frozenset({"fa", "ar"})),
        (re.compile(r"[ټډړږښګڼېۍ]"), frozenset({"fa", "ar", "ur"})),
    ),
}
_AR_TO_FA = str.maketrans({"ي": "ی", "ك": "ک"})
_FA_MARKERS = re.compile(
    r"[پچژگ]|(?<!\w)(?:است|این|آن|می|را|که|های|برای|شود|شد|گفت|در|از|با|کرد|کند|ای|هم|یک|بود)(?!\w)"
)
_AR_MARKERS = re.compile(
    r"ة|(?<!\w)(?:في|فی|على|إلى|الى|عن|أن|إن|هذا|هذه|الذي|التي|كان|قد|لم|لا|ما|مع|بين)(?!\w)"
)


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """An ISO 639-1 code (or ``und``) and a confidence in [0, 1]."""

    language: str
    confidence: float


def language_sample(text: str, *, max_chars: int = SAMPLE_CHARS) -> str:
    """``text`` without URLs, handles, hashtags, digits and markdown, spaces collapsed, capped."""
    cleaned = _SPACE.sub(" ", _NOISE.sub(" ", text[: max_chars * 3])).strip()
    return cleaned[:max_chars]


class _Identifier:
    """py3langid's model, loaded once, with one restricted copy per script group."""

    def __init__(self) -> None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self.by_script: dict[str, Any] = {}
        for script, langs in _GROUPS.items():
            if len(langs) > 1:
                ident = copy.copy(full)  # shares the model arrays until set_languages slices
                ident.set_languages(list(langs))
                self.by_script[script] = ident

    def rank(self, script: str, sample: str) -> list[tuple[str, float]]:
        ident = self.by_script.get(script)
        if ident is None:
            return [(_GROUPS[script][0], 1.0)]
        return [(str(lang), float(p)) for lang, p in ident.rank(sample)]


_LOCK = threading.Lock()
_IDENTIFIER: _Identifier | None = None


def _identifier() -> _Identifier:
    global _IDENTIFIER
    if _IDENTIFIER is None:
        with _LOCK:
            if _IDENTIFIER is None:
                _IDENTIFIER = _Identifier()
    return _IDENTIFIER


def _prepare(script: str, sample: str) -> str:
    """Fold Arabic-form Persian; lower-case Title Case headlines (py3langid reads them badly)."""
    if script == "arabic":
        folded = sample.translate(_AR_TO_FA)
        if len(_FA_MARKERS.findall(folded)) > len(_AR_MARKERS.findall(sample)):
            return folded
    elif script in ("latin", "cyrillic"):
        words = [w for w in sample.split() if w[:1].isalpha()]
        if words and sum(w[:1].isupper() for w in words) >= 0.6 * len(words):
            return sample.lower()
    return sample


def _adjust(script: str, sample: str, ranked: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Apply the prior and the letter evidence, renormalise, best first."""
    seen = [(min(len(rx.findall(sample)), _MAX_PENALTIES), langs) for rx, langs in
            _EVIDENCE.get(script, ())]  # fmt: skip
    scores: list[tuple[str, float]] = []
    for lang, p in ranked:
        if lang not in _CORE:
            p *= _PRIOR_OTHER
        for n, langs in seen:
            if n and lang in langs:
                p *= _PENALTY**n
        scores.append((lang, p))
    total = sum(p for _, p in scores) or 1.0
    return sorted(((lang, p / total) for lang, p in scores), key=lambda x: -x[1])


def detect_language(text: str, *, min_chars: int = 12) -> LanguageGuess:
    """Guess the language of ``text``: a code from :data:`SUPPORTED` or ``und``."""
    sample = language_sample(text)
    counts = {script: len(rx.findall(sample)) for script, rx in _SCRIPTS.items()}
    if counts["kana"]:  # Japanese mixes kana with kanji: one group for both
        counts["kana"] += counts.pop("han")
    other = len(_LETTER.findall(sample)) - sum(counts.values())
    script = max(counts, key=lambda s: counts[s])
    cjk = sum(counts.get(s, 0) for s in ("han", "kana", "hangul"))
    weighted = sum(counts.values()) + (_CJK_WEIGHT - 1) * cjk
    if weighted < min_chars or counts[script] < other:
        return LanguageGuess(UNDETERMINED, 0.0)
    latin = counts["latin"]
    if script == "latin" and latin < 60 and len(_VOWEL.findall(sample)) < _NOISE_VOWELS * latin:
        return LanguageGuess(UNDETERMINED, 0.0)
    ranked = _adjust(script, sample, _identifier().rank(script, _prepare(script, sample)))
    lang, prob = ranked[0]
    confidence = round(min(max(prob, 0.0), 1.0), 4)
    if lang not in SUPPORTED:
        return LanguageGuess(UNDETERMINED, 0.0)
    if confidence < MIN_CONFIDENCE:
        return LanguageGuess(UNDETERMINED, confidence)
    return LanguageGuess(lang, confidence)


class LanguageStage(BaseStage):
    """Set ``language`` and ``language_confidence`` from the title and text (or summary).

    When the text gives ``und`` but the input declared a supported language
    (``doc.meta["language"]``, ``en`` or ``en-GB``), the declared one is used with confidence
    0.5 and counted as ``declared_fallback``. Every assigned language is counted.
    """

    name = "language.v1"
    requires = ("title", "text")
    provides = ("language", "language_confidence")

    def __call__(self, doc: Doc) -> Doc:
        body = doc.body or doc.summary
        guess = detect_language(f"{doc.title}\n{body}" if doc.title else body)
        declared = re.split(r"[-_]", str(doc.meta.get("language") or "").strip().lower())[0]
        if guess.language == UNDETERMINED and declared in SUPPORTED:
            guess = LanguageGuess(declared, 0.5)
            self.counts["declared_fallback"] += 1
        doc.language = guess.language
        doc.language_confidence = guess.confidence
        self.counts[guess.language] += 1
        return doc
