"""Find actor mentions in text and resolve each to a dictionary entry.

Matching runs one Aho–Corasick automaton over the article's *normalised* words (case folded,
Russian words lemmatised, Persian script unified: :mod:`newsparallax.textnorm`), so «Путина»,
«Путину» and "PUTIN" meet the alias "Путин"/"Putin", and "ي"/"ی" spellings meet. Every alias is
normalised the same way when the automaton is built.

Then, per article:

1. *Surface checks* on the original text: an alias written with a capital must match a capitalised
   word ("turkey" the bird is not Turkey), an all-capitals acronym must match capitals ("US" but
   not "us").
2. *Short forms* (a surname, a bare acronym) of entries that are not ``unique_short`` count only
   when the article names the same entry in full somewhere ("Bagheri" after "Mohammad Bagheri").
3. *Longest match wins*; overlapping shorter matches are dropped.
4. *Ties* between entries sharing an alias are broken by the article: an entry named in full
   elsewhere, then the entry's ``cues`` words in the article ("Atlanta" → the US state of Georgia),
   then a role held on the article's date, then curated before Phoenix entries.
5. *Ambiguous* single-word names (``ambiguous = true``: Jordan, Chad…) are skipped when glued to
   a capitalised word no entry knows ("Michael Jordan").
6. *Places standing for states* ("Moscow said") resolve to the state unless a locative
   preposition precedes them ("in Moscow"); an organisation named after its seat ("the Kremlin")
   is a place after one ("talks in the Kremlin").
7. *Offices* ("the Iranian president", «глава МИД России») resolve to whoever held the post on
   the article's date.

Each mention's ``country`` and ``sector`` come from the role the actor held on that date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import ahocorasick

from ...records import Mention
from ...textnorm import normalize_words, word_spans
from .dictionary import ActorDictionary
from .entries import Actor

STAGE = "actors.v2"

#: Words after which a place is a location, not a stand-in for its state ("in Moscow").
LOCATIVES = frozenset(
    "in at near outside inside around across within into to from via over above below"
    " в во на под из около возле у близ внутри через در".split()
)
_SKIP_BEFORE_LOCATIVE = frozenset("the a its their his her center centre heart city".split())


@dataclass(frozen=True, slots=True)
class Alias:
    """One name of one entry, as the automaton stores it."""

    actor: str
    form: str  # "full", "short" or "office"
    cased: bool  # written with a capital: the text must be capitalised too
    acronym: bool  # all capitals: the text must be all capitals
    stem: str = ""  # the text must begin so (see :func:`_surface_stem`)
    titled: bool = False  # every word capitalised ("Russia Today"): so must the text's be


@dataclass(slots=True)
class _Match:
    first: int  # token index
    last: int  # token index, inclusive
    aliases: list[Alias]


def _surface_flags(name: str) -> tuple[bool, bool]:
    letters = [c for c in name if c.isalpha()]
    if not letters:
        return False, False
    acronym = len(letters) >= 2 and all(c.isupper() for c in letters) and len(letters) <= 6
    cased = letters[0].isupper()
    return cased, acronym


class Matcher:
    """An automaton over every alias of a dictionary, and the resolution rules above."""

    def __init__(self, dictionary: ActorDictionary) -> None:
        self.dictionary = dictionary
        table: dict[str, list[Alias]] = {}
        for actor in dictionary:
            forms: list[tuple[str, Iterable[str]]] = [
                ("office" if actor.kind == "office" else "full", _all(actor.names)),
                ("short", _all(actor.short)),
            ]
            for form, names in forms:
                for name in names:
                    key = " ".join(normalize_words(name))
                    if not key:
                        continue
                    cased, acronym = _surface_flags(name)
                    stem = _surface_stem(name, key)
                    alias = Alias(actor.id, form, cased, acronym, stem, _titled(name))
                    # a name lemmatised into another word is also matched by its own letters
                    # (the lemma of «Дедова» is «дедов», of «Дедов» «дед»)
                    for k in (key, name.casefold().replace("ё", "е")) if stem else (key,):
                        bucket = table.setdefault(k, [])
                        if alias not in bucket:
                            bucket.append(alias)
        self.automaton: Any = ahocorasick.Automaton()
        for key, aliases in table.items():
            self.automaton.add_word(key, (len(key), tuple(aliases)))
        self.automaton.make_automaton()
        self.size = len(table)

    # ---------------------------------------------------------------------------------------
    def find(
        self,
        text: str,
        *,
        language: str | None = None,
        published: datetime | date | None = None,
    ) -> list[Mention]:
        """Mentions in ``text``, in text order (offsets into ``text``)."""
        del language  # aliases of every language are matched; scripts keep them apart
        day = published.date() if isinstance(published, datetime) else published
        tokens = list(word_spans(text))
        if not tokens:
            return []
        joined, starts, ends = _join(tokens)
        raw: list[_Match] = []
        for end_char, (length, aliases) in self.automaton.iter(joined):
            first = starts.get(end_char - length + 1)
            last = ends.get(end_char + 1)
            if first is None or last is None:
                continue
            span = text[tokens[first][0] : tokens[last][1]]
            valid = [a for a in aliases if _surface_ok(a, span)]
            if valid:
                raw.append(_Match(first, last, valid))
        if not raw:
            return []
        named = {a.actor for m in raw for a in m.aliases if a.form == "full"}
        for m in raw:
            m.aliases = [
                a
                for a in m.aliases
                if a.form != "short" or self.dictionary[a.actor].unique_short or a.actor in named
            ]
        chosen = _longest([m for m in raw if m.aliases])
        words = {t[2] for t in tokens}
        mentions = []
        for m in chosen:
            mention = self._resolve(m, text, tokens, named, words, day)
            if mention is not None:
                mentions.append(mention)
        return mentions

    def _resolve(
        self,
        m: _Match,
        text: str,
        tokens: Sequence[tuple[int, int, str]],
        named: set[str],
        words: set[str],
        day: date | None,
    ) -> Mention | None:
        candidates = [self.dictionary[a.actor] for a in m.aliases]
        actor = max(candidates, key=lambda a: self._preference(a, named, words, day))
        start, end = tokens[m.first][0], tokens[m.last][1]
        if (
            actor.ambiguous
            and m.first == m.last
            and text[start:end].lower() in {n.lower() for n in actor.names.get("en", ())[:1]}
            and _glued_to_name(text, tokens, m.first)
        ):
            return None  # "Michael Jordan", "Chad Smith": a personal name, not the state
        kind = actor.kind
        if actor.kind == "office":
            holders = self.dictionary.holders(actor.id, day)
            if holders:
                actor, kind = holders[0], "person"
            else:
                kind = "person"
        locative = _after_locative(tokens, m.first)
        if actor.metonym_of and not locative and actor.metonym_of in self.dictionary:
            actor = self.dictionary[actor.metonym_of]
            kind = actor.kind
        elif actor.building and locative:
            kind = "place"
        country, sector = actor.resolve(day)
        return Mention(
            start=start,
            end=end,
            text=text[start:end],
            actor=actor.id,
            kind=kind,
            country=country,
            sector=sector,
            stage=STAGE,
        )

    def _preference(
        self, actor: Actor, named: set[str], words: set[str], day: date | None
    ) -> tuple[int, int, int, int, int]:
        cue_hits = sum(1 for cue in actor.cues if _cue_present(cue, words))
        active = 1 if day is not None and actor.role_at(day) is not None else 0
        return (
            int(actor.id in named),
            cue_hits,
            active,
            int(not actor.source.startswith("phoenix")),
            int(actor.kind in ("state", "igo")),
        )


def _all(names: dict[str, tuple[str, ...]]) -> Iterable[str]:
    for values in names.values():
        yield from values


def _join(
    tokens: Sequence[tuple[int, int, str]],
) -> tuple[str, dict[int, int], dict[int, int]]:
    """The normalised words joined by spaces, and maps from character positions in it to the
    index of the word that starts/ends there."""
    parts: list[str] = []
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    pos = 0
    for i, (_, _, norm) in enumerate(tokens):
        starts[pos] = i
        parts.append(norm)
        pos += len(norm)
        ends[pos] = i
        pos += 1
    return " ".join(parts), starts, ends


def _surface_stem(name: str, key: str) -> str:
    """For a one-word Cyrillic name that lemmatising turns into another word («Дедов» → «дед»,
    the genitive plural of "grandfather"), the beginning its inflected forms keep («дедо»):
    «Дедова», «Дедову» begin so, «Дед» does not. Empty for every other name."""
    folded = name.casefold().replace("ё", "е")
    if " " in folded or folded == key or not re.search("[а-я]", folded) or len(folded) < 4:
        return ""
    return folded[:-1]


def _titled(name: str) -> bool:
    """A name of several words each capitalised ("Russia Today", not "Ministry of Defence")."""
    words = [w for w in name.split() if any(c.isalpha() for c in w)]
    return len(words) >= 2 and all(w[0].isupper() for w in words)


def _surface_ok(alias: Alias, span: str) -> bool:
    letters = [c for c in span if c.isalpha()]
    if not letters:
        return False
    if alias.stem and not span.casefold().replace("ё", "е").startswith(alias.stem):
        return False
    if alias.acronym:
        return all(c.isupper() for c in letters)
    if alias.titled and not all(w[:1].isupper() for w in span.split() if w[:1].isalpha()):
        return False  # "Russia today" is Russia, then a word; "Russia Today" the channel
    if alias.cased:
        return letters[0].isupper()
    return True


def _longest(matches: list[_Match]) -> list[_Match]:
    ordered = sorted(matches, key=lambda m: (-(m.last - m.first), m.first))
    taken: set[int] = set()
    chosen = []
    for m in ordered:
        span = range(m.first, m.last + 1)
        if any(i in taken for i in span):
            continue
        taken.update(span)
        chosen.append(m)
    chosen.sort(key=lambda m: m.first)
    return chosen


def _after_locative(tokens: Sequence[tuple[int, int, str]], index: int) -> bool:
    i = index - 1
    while i >= 0 and tokens[i][2] in _SKIP_BEFORE_LOCATIVE and index - i <= 2:
        i -= 1
    return i >= 0 and tokens[i][2] in LOCATIVES


_CAPITALISED = re.compile(r"^[A-ZА-ЯЁ][a-zа-яё]")


def _glued_to_name(text: str, tokens: Sequence[tuple[int, int, str]], index: int) -> bool:
    """Is the word at ``index`` part of a personal name ("Michael Jordan", "Jordan Peterson")?

    True when an adjacent word (same sentence, separated only by a space) is capitalised and
    the previous one does not end a sentence."""
    start, end = tokens[index][0], tokens[index][1]
    if index > 0:
        p_start, p_end = tokens[index - 1][0], tokens[index - 1][1]
        gap = text[p_end:start]
        if gap == " " and _CAPITALISED.match(text[p_start:p_end]):
            before = text[max(0, p_start - 2) : p_start]
            if not re.search(r"[.!?:\n]\s*$", before) and p_start > 0:
                return True
    if index + 1 < len(tokens):
        n_start, n_end = tokens[index + 1][0], tokens[index + 1][1]
        if text[end:n_start] == " " and _CAPITALISED.match(text[n_start:n_end]):
            return True
    return False


def _cue_present(cue: str, words: set[str]) -> bool:
    return all(w in words for w in normalize_words(cue))
