"""Story fingerprints: the signals story clustering compares, in four channels.

An article's fingerprint keeps, with a weight per key:

* ``words`` — distinctive normalised words of the title (counted twice) and the lead (the first
  :data:`LEAD_WORDS` words of the body), without stop words; English words get a light stem,
  Russian words are lemmas and Persian script is unified (:mod:`newsparallax.textnorm`). Words
  only meet words of the same script: a Russian and an English report share no word keys.
* ``names`` — names transliterated to a Latin consonant skeleton: capitalised Latin and Cyrillic
  words (Зеленский and Zelensky → ``zlnsk``; Курской → курский → ``krsk`` = Kursk), so names and
  places written in either script meet. This is the main cross-language bridge besides actors.
* ``actors`` — the resolved actor ids of the article's mentions (the actors stage), title
  mentions counted twice: the same ids in EN, RU and FA.
* ``facts`` — calendar dates named in the text (``d:11-21`` for "November 21" or «21 ноября»,
  not the publication day itself) and numbers of two or more digits that are not years
  (``n:18``).

Weights are term counts (sub-linear); :mod:`newsparallax.analyze.stories.cluster` turns them into
TF-IDF.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache
from importlib import resources

from ...records import Mention
from ...textnorm import normalize_token, normalize_words, prepare

CHANNELS = ("words", "names", "actors", "facts")
LEAD_WORDS = 150
"""Body words read for the ``words`` channel (long texts are judged by their lead)."""
NAME_WORDS = 300
"""Body words read for the ``names`` and ``facts`` channels."""

_LATIN = re.compile(r"[a-z]")
_CYR = re.compile(r"[\u0400-\u04ff]")
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)
_TRANSLIT = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ё": "e",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
        "і": "i",
        "ї": "i",
        "є": "e",
        "ґ": "g",
    }
)
_SKELETON_SUBS = (
    ("shch", "sh"),
    ("kh", "h"),
    ("g", "h"),  # Russian г writes foreign h: Тегеран = Tehran, Гаага = Hague
    ("ck", "k"),
    ("ph", "f"),
    ("w", "v"),
    ("c", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("j", ""),
    ("dzh", "zh"),
)
_VOWELS = re.compile(r"[aeiouy]")
_MONTHS_EN = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTHS_RU = {
    word: i + 1
    for i, forms in enumerate(
        [
            ("января", "январь"),
            ("февраля", "февраль"),
            ("марта", "март"),
            ("апреля", "апрель"),
            ("мая", "май"),
            ("июня", "июнь"),
            ("июля", "июль"),
            ("августа", "август"),
            ("сентября", "сентябрь"),
            ("октября", "октябрь"),
            ("ноября", "ноябрь"),
            ("декабря", "декабрь"),
        ]
    )
    for word in forms
}
_DATE_EN = re.compile(
    r"\b(?:(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Z][a-z]{2,8})\.?|([A-Z][a-z]{2,8})\.?\s+"
    r"(\d{1,2})(?:st|nd|rd|th)?)\b"
)
_DATE_RU = re.compile(r"\b(\d{1,2})\s+([а-яё]{3,9})\b", re.IGNORECASE)
_URL = re.compile(r"\(?(?:https?://|t\.me/|www\.)\S+")
_STAMP = re.compile(r"\(?\b\d{1,2}\.\d{1,2}\.\d{2,4},? \d{1,2}:\d{2}\)?")
_TITLE_TAIL = re.compile(r"\s+(?:«|\||::)\s+.*$")
_STAMP_PREFIX = re.compile(r"^.{0,300}?\d{1,2}\.\d{1,2}\.\d{2,4},? \d{1,2}:\d{2}\s*[-–—]\s+")
_SIGNATURE = re.compile(r"\s*[-–—]\s*\w+(?:\s\w+)?\.?\s*$")
_NUMBER = re.compile(r"(?<![\w.,:])(\d{1,3}(?:[ ,.]\d{3})+|\d{2,})(?![\w:]|[.,/]\d)")


_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\U000e0000-\U000e007f]+"
)
_HANDLE = re.compile(r"(?:^|\s)@\w+")
_HASHTAG = re.compile(r"#(\w+)")
_NOISE_PREFIX = re.compile(
    r"^(?:\W*\b(?:breaking(?:news)?|urgent|watch|video|photo|update|new|exclusive|just in|"
    r"срочно|молния|видео|фото|эксклюзив|فوری|فیلم|عکس|ویدئو|عاجل|فيديو)\b\W*)+",
    re.IGNORECASE,
)


def clean_headline(title: str) -> str:
    """A headline without emoji, @handles, hashtag signs and "BREAKING"-type prefixes."""
    text = _EMOJI.sub(" ", title)
    text = _HANDLE.sub(" ", text)
    text = _HASHTAG.sub(r"\1", text)
    text = re.sub(r"\s+", " ", text).strip(" -–—|•:")
    text = _NOISE_PREFIX.sub("", text).strip(" -–—|•:")
    return text


@dataclass(slots=True)
class Fingerprint:
    """The per-channel key counts of one article (see the module docstring)."""

    words: Counter[str] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)
    actors: Counter[str] = field(default_factory=Counter)
    facts: Counter[str] = field(default_factory=Counter)
    specific: frozenset[str] = frozenset()
    """Names of the headline (``n:<skeleton>``, and ``a:<actor id>`` of its mentions but
    weapons): those rare in the corpus pin an event down (a city, a person, a team), and two
    reports whose headlines both name some and share none are about two events."""

    def channel(self, name: str) -> Counter[str]:
        value: Counter[str] = getattr(self, name)
        return value


@cache
def lexicon() -> dict[str, dict[str, frozenset[str]]]:
    """The shipped word lists (``data/lexicon.toml``), normalised: stopwords and tone."""
    raw = tomllib.loads(
        (resources.files("newsparallax") / "data" / "lexicon.toml").read_text(encoding="utf-8")
    )
    out: dict[str, dict[str, frozenset[str]]] = {"stopwords": {}, "positive": {}, "negative": {}}
    for lang, text in raw["stopwords"].items():
        out["stopwords"][lang] = frozenset(_norm_list(text))
    for polarity in ("positive", "negative"):
        for lang, text in raw["tone"][polarity].items():
            out[polarity][lang] = frozenset(_norm_list(text))
    return out


def _norm_list(text: str) -> list[str]:
    return [stem(w) for w in normalize_words(text)]


@cache
def stopwords() -> frozenset[str]:
    """Stop words of every language, normalised (scripts keep the languages apart)."""
    return frozenset().union(*lexicon()["stopwords"].values())


@lru_cache(maxsize=300_000)
def stem(word: str) -> str:
    """A light English stem for a normalised Latin word (other scripts pass unchanged)."""
    if not word.isascii() or not word.isalpha() or len(word) <= 3:
        return word
    for suffix, repl, minimum in (
        ("'s", "", 3),
        ("ies", "y", 5),
        ("sses", "ss", 5),
        ("ing", "", 6),
        ("ed", "", 5),
        ("es", "e", 5),
        ("s", "", 4),
    ):
        if word.endswith(suffix) and len(word) >= minimum:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            base = word[: len(word) - len(suffix)] + repl
            return base if _VOWELS.search(base) else word
    return word


@cache
def skeleton(word: str) -> str:
    """A Latin consonant skeleton of a name written in Latin or Cyrillic (``""`` if too short).

    >>> skeleton("Zelensky") == skeleton("Зеленский")
    True
    """
    w = normalize_token(word) if _CYR.search(word) else word.casefold()
    w = w.translate(_TRANSLIT)
    if not w.isascii():
        return ""
    for old, new in _SKELETON_SUBS:
        w = w.replace(old, new)
    w = re.sub(r"[^a-z]", "", w)
    if not w:
        return ""
    body = w[0] + _VOWELS.sub("", w[1:])
    body = re.sub(r"(.)\1+", r"\1", body)
    if body[0] in "aeiouy":
        body = body[1:]
    return body if len(body) >= 3 else ""


def _words(text: str) -> list[str]:
    return [stem(w) for w in normalize_words(text)]


def content_words(text: str, *, limit: int | None = None) -> list[str]:
    """Normalised, stemmed words of ``text`` without stop words, digits or one-letter words."""
    stops = stopwords()
    words = _words(text)
    if limit is not None:
        words = words[:limit]
    return [w for w in words if len(w) > 1 and not w.isdigit() and w not in stops]


def _lead(text: str, n: int) -> str:
    """Roughly the first ``n`` words of ``text`` (cheap: cut on characters first)."""
    cut = text[: n * 9]
    parts = cut.split()
    return " ".join(parts[:n])


def name_keys(text: str) -> list[str]:
    """Skeletons of the capitalised Latin and Cyrillic words of ``text`` (not stop words)."""
    stops = stopwords()
    keys = []
    run: list[str] = []  # consecutive capitalised words: "Tel Aviv" also as one name (Тель-Авив)
    last_end = -2
    for m in _TOKEN.finditer(prepare(text)):
        token = m.group()
        if not token[:1].isupper() or (token.isupper() and len(token) > 6):
            run, last_end = [], -2
            continue
        if token.isupper():  # acronyms meet as themselves across scripts only if Latin
            if token.isascii() and len(token) >= 3:
                keys.append(token.casefold())
            run, last_end = [], -2
            continue
        if normalize_token(token) in stops or stem(token.casefold()) in stops:
            run, last_end = [], -2
            continue
        sk = skeleton(token)
        if sk:
            keys.append(sk)
        run = [*run, token] if m.start() == last_end + 1 else [token]
        last_end = m.end()
        if len(run) >= 2 and "-" not in run[-1]:
            joined = skeleton("".join(run[-2:]))
            if joined and joined not in keys[-3:]:
                keys.append(joined)
    return keys


def fact_keys(text: str, *, published: datetime | None) -> list[str]:
    """Dates (``d:MM-DD``) and numbers (``n:N``) named in ``text``."""
    keys = []
    taken: set[int] = set()
    today = (published.month, published.day) if published else None
    for m in _DATE_EN.finditer(text):
        day_s, month_s = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        month = _MONTHS_EN.get(month_s.casefold())
        if not month or not 1 <= int(day_s) <= 31:
            continue
        taken.update(range(*m.span()))
        if (month, int(day_s)) != today:
            keys.append(f"d:{month:02d}-{int(day_s):02d}")
    for m in _DATE_RU.finditer(text):
        month = _MONTHS_RU.get(m.group(2).casefold())
        if not month or not 1 <= int(m.group(1)) <= 31:
            continue
        taken.update(range(*m.span()))
        if (month, int(m.group(1))) != today:
            keys.append(f"d:{month:02d}-{int(m.group(1)):02d}")
    for m in _NUMBER.finditer(text):
        if m.start() in taken:
            continue
        digits = re.sub(r"\D", "", m.group(1))
        value = int(digits)
        if 1900 <= value <= 2100 or value < 10:
            continue
        keys.append(f"n:{value}")
    return keys


def clean_title(title: str) -> str:
    """A headline without the site's tail ("… « Section | Site") or a time stamp."""
    title = _STAMP.sub(" ", title)
    cut = _TITLE_TAIL.sub("", title)
    return (cut if len(cut.split()) >= 3 else title).strip()


def headline(text: str, limit: int = 120) -> str:
    """A headline for an untitled post: its first line without markup, links or emoji."""
    line = next((ln for ln in text.splitlines() if re.search(r"\w", ln)), "")
    line = _URL.sub("", re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line))
    line = re.sub(r"[*_`]{2,}|^[^\w«\"(]+", "", line).strip()
    return line if len(line) <= limit else line[: limit - 1].rsplit(" ", 1)[0] + "…"


def clean_body(body: str, title: str) -> str:
    """A feed summary without a leading "site | date time - " block or a trailing "— Site." """
    body = _STAMP_PREFIX.sub("", _URL.sub(" ", body[:20_000]), count=1)
    if len(body) < 600:
        body = _SIGNATURE.sub("", body)
    return body


def fingerprint(
    *,
    title: str,
    body: str,
    mentions: Sequence[Mention] = (),
    published: datetime | None = None,
) -> Fingerprint:
    """The fingerprint of one article (``body`` is its text, or its summary when it has none)."""
    fp = Fingerprint()
    raw_title = title
    title = clean_title(clean_headline(title))
    lead = _lead(clean_body(_EMOJI.sub(" ", _HANDLE.sub(" ", body[:20_000])), title), NAME_WORDS)
    fp.words.update(content_words(title))
    fp.words.update(content_words(title))
    fp.words.update(content_words(lead, limit=LEAD_WORDS))
    fp.names.update(name_keys(title))
    fp.names.update(name_keys(lead))
    fp.facts.update(fact_keys(title + "\n" + lead, published=published))
    specific = {"n:" + k for k in name_keys(title)}
    for m in mentions:
        if m.field != "title" or m.actor.startswith("unknown:"):
            continue
        if m.kind in ("state", "weapon"):  # a state is the scene of many events at once
            said = m.text or raw_title[m.start : m.end]
            specific.difference_update("n:" + k for k in name_keys(said))
        else:
            specific.add("a:" + m.actor)
    fp.specific = frozenset(specific)
    lead_end = len(lead) + 200
    for m in mentions:
        if m.actor.startswith("unknown:"):
            continue
        if m.field == "title":
            fp.actors[m.actor] += 2
        elif m.start <= lead_end:
            fp.actors[m.actor] += 1
    return fp


def sublinear(counts: Iterable[tuple[str, int]]) -> dict[str, float]:
    """``1 + log(count)`` per key."""
    return {k: 1.0 + math.log(c) for k, c in counts if c > 0}


CHANNEL_WEIGHTS = {"words": 1.0, "names": 0.5, "actors": 0.7, "facts": 0.5}
"""Multipliers of each channel's TF-IDF values before the vector is normalised."""
