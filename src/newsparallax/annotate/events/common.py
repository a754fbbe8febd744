"""What both coders share: which mentions can be parties, the sentence's context, misread
self-loops, and building an event from a trigger's code and its roles."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import pairwise

from ...records import Event, Mention
from .lexicon import Code
from .signals import DOMESTIC, Coded, Signals, confidence_model

#: Types whose parties act together: with sources only, they are paired both ways.
SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE", "SUPPORT"})
#: Types whose parties are never a weapon's country of origin ("struck Kyiv with Iranian
#: drones", «удар иранскими беспилотниками»): the weapon's maker is not the one who attacks.
NOT_BY_ORIGIN = frozenset({"ASSAULT", "COERCE", "MOBILIZE", "THREATEN", "ACCUSE"})
#: Types whose target may be a place ("a strike in Kyiv"): bodily, physical acts.
PHYSICAL = frozenset({"ASSAULT", "COERCE", "MOBILIZE"})


#: Markdown of Telegram exports and live pages: a link ``[words](https://…)``, bold ``**``,
#: ``__``, struck ``~~``, and bare addresses. Its marks split words from their verbs («ВСУ
#: ранее [заявляли](https://…), что …» hid the reporting verb from the coder).
_LINK = re.compile(r"\[([^\[\]\n]{0,300})\]\((?:https?://|tg://|www\.|mailto:)[^)\s]*\)")
_MARKS = re.compile(r"\*\*|__|~~|(?<![\w/])(?:https?://|www\.)[^\s)\]]+")


def without_markup(text: str) -> str:
    """``text`` with its markdown marks and addresses blanked out, each by as many spaces, so
    that every offset still points at the same character: ``[заявляли](https://x)`` reads
    `` заявляли            ``."""
    if "**" not in text and "__" not in text and "~~" not in text and "://" not in text:
        return text

    def link(m: re.Match[str]) -> str:
        words = m.group(1)
        return " " + words + " " * (len(m.group(0)) - len(words) - 1)

    text = _LINK.sub(link, text)
    return _MARKS.sub(lambda m: " " * len(m.group(0)), text)


def visible(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """The mentions not blanked out by :func:`without_markup` (a name inside an address)."""
    return [m for m in mentions if text[m.start : m.end].strip()]


def is_party(m: Mention) -> bool:
    """Whether a mention can be a party to an event: not a weapon (what is sent, not who) and
    not a news outlet (it reports events; «Украинская правда» is not Ukraine)."""
    return m.kind != "weapon" and m.sector != "MED"


def sentence_context(words: set[str], *, sports: frozenset[str], markets: frozenset[str]) -> str:
    """``sports`` or ``markets`` when the sentence is about them (two of their words), else
    an empty string: "Iran overpowered Russia in three sets" is a volleyball match."""
    if len(words & sports) >= 2:
        return "sports"
    if len(words & markets) >= 2:
        return "markets"
    return ""


def is_self_loop(src: Mention | None, tgt: Mention | None, kind: str) -> bool:
    """A state acting on itself in a type that is not domestic by nature (Iran sanctioning
    European entities coded IRN→IRN), or striking a place of its own ("Ukraine's forces repel
    attacks in Donetsk", "Iran downs a US drone over Ahvaz": the place is where it happened, not
    whom it hit), or a place of its own striking it («ПВО сбила украинские дроны над Крымом» is
    no Ukrainian strike): a misread role."""
    if src is None or tgt is None or src.country is None or src.country != tgt.country:
        return False
    return kind not in DOMESTIC or (kind == "ASSAULT" and "place" in (src.kind, tgt.kind))


def coded_event(
    code: Code,
    src: Mention | None,
    tgt: Mention | None,
    *,
    sentence: tuple[int, int],
    trigger: str,
    asserted: bool,
    attributed_to: str | None,
    negated: bool,
    confidence: float,
    coder: str,
    field: str,
    signals: Signals | None = None,
    domestic: str | None = None,
) -> Event:
    """The event a trigger's code gives between a source and a target mention (either may be
    missing), in the sentence at ``sentence`` (offsets), with what it rests on."""
    return Event(
        type=code.type,
        mode=code.mode or code.context,
        source=src.country if src else None,
        target=tgt.country if tgt else domestic,
        source_actor=src.actor if src else None,
        target_actor=tgt.actor if tgt else None,
        sentence_start=sentence[0],
        sentence_end=sentence[1],
        trigger=" ".join(trigger.split()),  # blanked markdown leaves runs of spaces
        quad=code.quad,
        intensity=code.goldstein,
        cameo=code.cameo,
        asserted=asserted,
        attributed_to=attributed_to,
        negated=negated,
        confidence=confidence,
        coder=coder,
        field=field,
        mood=signals.mood if signals is not None else "fact",
    )


def role_pairs(
    sources: list[Mention], targets: list[Mention], *, symmetric: bool
) -> list[tuple[Mention | None, Mention | None]]:
    """The (source, target) pairs a trigger codes: every source with every other target; for a
    symmetric type with exactly two sources and no target ("Iran and Russia signed a treaty"),
    the two with each other; else one side alone. Three or more co-subjects are not each other's
    partners ("the presidents of A, B and C visited Kyiv")."""
    if sources and targets:
        return [(s, t) for s in sources for t in targets if s.actor != t.actor]
    if symmetric and len({s.actor for s in sources}) == 2:
        one, other = unique(sources)
        return [(one, other), (other, one)]
    if sources:
        return [(s, None) for s in sources]
    return [(None, t) for t in targets]


def unique(mentions: Iterable[Mention]) -> list[Mention]:
    """The mentions, one per actor, in order."""
    seen: set[str] = set()
    out = []
    for m in mentions:
        if m.actor not in seen:
            seen.add(m.actor)
            out.append(m)
    return out


#: Types whose target, when none is named, is the acting state's own people: a police crackdown,
#: a state of emergency, protesters against their own government.
_DOMESTIC_BY_NATURE = frozenset({"COERCE", "PROTEST"})


def domestic_target(kind: str, src: Mention | None, parties: list[Mention]) -> str | None:
    """The state an untargeted domestic act is done to: the source's own, when every party the
    sentence names is of that state ("Russia restricts social media access" → RUS→RUS)."""
    if kind not in _DOMESTIC_BY_NATURE or src is None or src.country is None:
        return None
    if any(m.country != src.country for m in parties):
        return None
    return src.country


def scene_target(
    kind: str, src: Mention | None, parties: list[Mention], *, acting: Iterable[Mention] = ()
) -> Mention | None:
    """For a physical act with a source and no target, the one other state the sentence names
    — where it happened ("Russian troops killed 383 children in Ukraine", "Dubai airport after
    an Iranian drone strike"); none when the sentence names several. The act's other sources
    (``acting``: "strikes by Israel and the US") are not where it happened."""
    if kind not in PHYSICAL or src is None or src.country is None:
        return None
    actors = {src.country} | {m.country for m in acting if m.country}
    others = {m.country: m for m in parties if m.country and m.country not in actors}
    return next(iter(others.values())) if len(others) == 1 else None


def pair_target(
    kind: str,
    src: Mention | None,
    tgt: Mention | None,
    *,
    sources: list[Mention],
    parties: list[Mention],
    source_via: str,
    target_via: str,
) -> tuple[Mention | None, str]:
    """The target of one (source, target) pair of a trigger and how it was found: the scene
    (:func:`scene_target`, ``context``) when the pair has none; a target that is another of
    the trigger's sources (a mutual pair) was found as the sources were."""
    via = target_via
    if tgt is None:
        scene = scene_target(kind, src, parties, acting=sources)
        if scene is not None:
            tgt, via = scene, "context"  # where it happened
    return tgt, (source_via if tgt is not None and tgt in sources else via)


_YEARS = frozenset({"год", "лет", "десятилетие", "век", "سال", "دهه", "قرن"})
_AGO = frozenset({"назад", "тому", "پیش", "قبل"})


def long_ago(words: list[str]) -> bool:
    """«двадцать лет назад», «۲۰ سال پیش»: a span of years followed by "ago" (lemmas)."""
    return any(w in _YEARS and nxt in _AGO for w, nxt in pairwise(words))


#: A dateline opening a text: a place in capitals, maybe a date and an agency, then a dash
#: ("TEHRAN – …", "MOSCOW, March 3 (Reuters) - …").
_DATELINE = re.compile(
    r"\A\s*[A-Z][A-Z.'’ ]{2,30}?(?:,[^\n–—]{0,40}?)?\s*(?:\([^)\n]{1,30}\)\s*)?(?:[–—]|-(?=\s))"
)


def without_dateline(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """``mentions`` less those in the dateline that opens ``text``: where the story was filed
    from is no party to what it tells ("TEHRAN – The Russian Foreign Ministry slammed
    Britain…" is Russia's criticism, not Iran's)."""
    found = _DATELINE.match(text)
    if found is None:
        return list(mentions)
    return [m for m in mentions if m.start >= found.end()]


#: Air defence named with no state («ПВО сбила…», «پدافند هوایی … سرنگون کرد») and the
#: downing triggers it acts by (their first letters, as written).
_AIR_DEFENCE = {
    "ru": re.compile(r"(?<!\w)(?:ПВО|противовоздушн\w* оборон\w*)(?!\w)", re.IGNORECASE),
    "fa": re.compile(r"پدافند"),
}
#: States whose outlets write in the language: a national outlet's air defence is its own.
_NATIONAL = {"ru": frozenset({"RUS", "UKR", "BLR", "KAZ"}), "fa": frozenset({"IRN", "AFG", "TJK"})}
_DOWNING = {
    "ru": ("сби", "уничтож", "перехват", "отраз", "поразил"),
    "fa": ("سرنگون", "منهدم", "رهگیری", "شکار"),
}


def home_air_defence(
    coded: Coded, text: str, language: str, home: str | None, mentions: Sequence[Mention] = ()
) -> Coded:
    """An event of downing by an air defence named with no state («ПВО за ночь уничтожила 40
    украинских беспилотников» in RIA): the guide gives it to the outlet's own state (``home``),
    or, told by a teller («Минобороны России: ПВО сбила …» in another country's outlet), to the
    teller's state. Its confidence follows as for a source the grammar found. An air defence
    with a state beside it («украинской ПВО», «ПВО Ирана») is left as it was coded."""
    event = coded.event
    pattern = _AIR_DEFENCE.get(language)
    if (
        pattern is None
        or event.type != "ASSAULT"
        or event.source is not None
        or not event.trigger.lower().startswith(_DOWNING[language])
    ):
        return coded
    sentence = text[event.sentence_start : event.sentence_end]
    named = pattern.search(sentence)
    if named is None:
        return coded
    at, end = event.sentence_start + named.start(), event.sentence_start + named.end()
    if any(
        (m.end <= at and not text[m.end : at].strip())
        or (m.start >= end and not text[end : m.start].strip())
        for m in mentions
    ):
        return coded  # «украинской ПВО», «ПВО Ирана»: whose it is, is said
    if not event.asserted:
        home = next((m.country for m in mentions if m.actor == event.attributed_to), None)
    elif home not in _NATIONAL[language]:
        return coded  # a foreign service («Русская служба Би-би-си») speaks of others' defence
    if home is None or event.target == home:
        return coded
    signals = replace(coded.signals, source="syntax", source_kind="state")
    confidence = confidence_model().confidence(signals)
    return Coded(replace(event, source=home, source_actor=home, confidence=confidence), signals)


_SEAT = re.compile(r"[-\u2010\u2011]\s?(?:based|headquartered|registered)\b", re.IGNORECASE)


def without_seats(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """``mentions`` less those naming where a body sits ("the London-based channel", "a
    Tehran-based think tank"): a seat is no party to what the body does or suffers."""
    return [m for m in mentions if not _SEAT.match(text, m.end)]


def one_per_dyad(events: list[Coded]) -> list[Coded]:
    """A sentence reports an event once: of several triggers coding the same type between the
    same actors ("signed a treaty", "partnership treaty"), the first is kept."""
    seen: set[tuple[str, str | None, str | None, bool]] = set()
    out = []
    for c in events:
        e = c.event
        key = (e.type, e.source_actor, e.target_actor, e.negated)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def made_in(
    text: str, tokens: list[tuple[int, int, str]], first: int, last: int, language: str
) -> bool:
    """Does the actor (its tokens ``first`` to ``last``) say where something was made:
    «американского производства», «производства США», «ساخت آمریکا»? Then it is no party
    ("ATACMS missiles of American make")."""

    def word(i: int) -> str:
        return text[tokens[i][0] : tokens[i][1]].lower() if 0 <= i < len(tokens) else ""

    if language == "ru":
        return word(last + 1).startswith("производств") or word(first - 1) == "производства"
    return language == "fa" and word(first - 1) == "ساخت"
