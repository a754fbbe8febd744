"""Who acts and who is acted on, for the lexical coders: Russian case (Persian prepositions are
in :mod:`.persian_roles`), and what both share.

No parser for Russian or Persian ships offline, so a trigger's roles come from how each actor
mention is marked. **Russian** (free word order, case does the work): the preposition before a
mention and its case. «по/против/к X» and a bare dative («поставки России») are targets; a bare
instrumental is the agent of a passive or a noun («передача Тегераном ракет России»: Tehran →
Russia); a bare nominative is the subject; «с X» (also «с главой МИД X») is the partner of a
meeting or talks; «в/на X» in the accusative is a direction (a visit to Iran, an attack on
Kyiv), in the locative a place, which is a target only of a physical act (a strike in Kyiv). A
genitive after the trigger («удар Израиля») is the agent when another target is marked, else
the one acted on («обстрел Белгорода»); a person there is who was hit («убийство Хаменеи»).

Each role says how it was found: ``syntax`` (marked by case or preposition) or ``fallback``
(only the nearest actor by word order) — a signal of the event's confidence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ...records import Mention
from .common import made_in, unique

Token = tuple[int, int, str]

_RU_TARGET_PREPS = frozenset({"по", "против", "к", "ко"})
_RU_TOPIC_PREPS = frozenset({"о", "об", "обо", "насчет", "относительно"})
_RU_PARTNER_PREPS = frozenset({"с", "со"})
_RU_DIRECTION_PREPS = frozenset({"в", "во", "на"})
#: Prepositions after which a mention is a place: not a fallback party ("в Тегеране").
RU_PLACE_PREPS = frozenset("в во на у около возле под из близ".split())
FA_PLACE_PREPS = frozenset({"در", "از"})
_RU_OTHER_PREPS = frozenset(
    "из от у для о об обо при за через перед между после до среди без вокруг около возле"
    " вместо кроме ради сквозь из-за из-под благодаря согласно вопреки".split()
)
_RU_ENVOYS = frozenset(
    "посольство консульство представительство мид посол дипломат пресс-служба пресс-секретарь"
    " спикер".split()
)
"""Heads whose owner they speak or stand for, never an attacker («посольство РФ»)."""
RU_PREPOSITIONS = (
    _RU_TARGET_PREPS | _RU_TOPIC_PREPS | _RU_PARTNER_PREPS | RU_PLACE_PREPS | _RU_OTHER_PREPS
)


def located(tokens: Sequence[Token], m: Mention, language: str) -> bool:
    """Is the mention a place where something happened («в Тегеране», «در تهران»)?"""
    prev = preceding(tokens, m, 1)
    if not prev:
        return False
    if language == "ru":
        return prev[-1] in RU_PLACE_PREPS and "accs" not in _cases(_head_word(m))
    return prev[-1] in FA_PLACE_PREPS


@dataclass(frozen=True, slots=True)
class Roles:
    sources: list[Mention]
    targets: list[Mention]
    source_via: str  # "syntax" | "fallback" | "none"
    target_via: str
    closed: bool = False
    """The agent can only be marked (a passive: «атакован Израилем»): no nearest actor stands
    in for a missing source."""


@lru_cache(maxsize=100_000)
def _cases(word: str) -> frozenset[str]:
    """The grammatical cases the likeliest readings of a Russian word allow."""
    from ...textnorm import russian_analyzer

    found = set()
    for parse in russian_analyzer().parse(word)[:3]:
        tag = str(parse.tag)
        for case in ("nomn", "gent", "datv", "accs", "ablt", "loct"):
            if case in tag:
                found.add(case)
    return frozenset(found) or frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct"})


def _head_word(m: Mention) -> str:
    """The word of a mention that carries its case: the last word of a name («Владимира
    Путина»), the first of an institution («Министерство иностранных дел России»)."""
    words = m.text.split()
    if not words:
        return m.text.lower()
    if m.kind in ("person", "state", "place") or len(words) == 1:
        return words[-1].lower().strip("«»\"'")
    return words[0].lower().strip("«»\"'")


def preceding(tokens: Sequence[Token], m: Mention, n: int = 2) -> tuple[str, ...]:
    prev = [w for s, e, w in tokens if e <= m.start]
    return tuple(prev[-n:])


_RU_QUANTITIES = frozenset("нескольких многих ряда ряд сотен тысяч десятков".split())


@lru_cache(maxsize=50_000)
def russian_tag(word: str) -> Any:
    """The likeliest morphological tag of a Russian word (``None`` when it has no reading)."""
    from ...textnorm import russian_analyzer

    parses = russian_analyzer().parse(word)
    return parses[0].tag if parses else None


def _quantity(word: str) -> bool:
    """A number word between a preposition and its noun phrase («против двух иранских
    компаний», «по 3 российским городам»)."""
    if word.isdigit() or word in _RU_QUANTITIES:
        return True
    tag = russian_tag(word)
    return tag is not None and tag.POS == "NUMR"


def russian_passive(word: str) -> bool:
    """A short passive participle («атакован», «обстреляны», «задержан»)."""
    tag = russian_tag(word)
    return tag is not None and tag.POS == "PRTS" and "pssv" in tag


def participle_agents(
    text: str, tokens: Sequence[Token], mentions: Sequence[Mention]
) -> dict[int, int]:
    """Russian mentions in the instrumental right after a full passive participle
    («поддерживаемую *Ираном* группировку», «созданные *США* коалиции»): the agent of that
    participle, no party of another trigger. Maps ``id(mention)`` to the participle's token."""
    owned: dict[int, int] = {}
    ends = [e for _, e, _ in tokens]
    for m in mentions:
        i = bisect_right(ends, m.start) - 1  # the last token before the mention
        if i < 0:
            continue
        word = text[tokens[i][0] : tokens[i][1]].lower()
        tag = russian_tag(word)
        if tag is None or tag.POS != "PRTF" or "pssv" not in tag:
            continue
        if "ablt" in _cases(_head_word(m)):
            owned[id(m)] = i
    return owned


#: Russian words (lemmas) opening a phrase of why something was done («в ответ на …»).
_RU_BECAUSE = (("в", "ответ", "на"), ("из", "за"), ("в", "связь", "с"))


def reason_phrases(text: str, tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Russian: character spans of «в ответ на …», «из-за …», «в связи с …», up to a comma, a
    dash or a finite verb."""
    words = [w for _, _, w in tokens]
    spans = []
    for i in range(len(words)):
        opener = next((o for o in _RU_BECAUSE if tuple(words[i : i + len(o)]) == o), None)
        if opener is None:
            continue
        end = tokens[-1][1]
        for j in range(i + len(opener), len(tokens)):
            gap = text[tokens[j - 1][1] : tokens[j][0]]
            tag = russian_tag(text[tokens[j][0] : tokens[j][1]].lower())
            if any(c in gap for c in ",;:—–") or (tag is not None and tag.POS == "VERB"):
                end = tokens[j - 1][1]
                break
        spans.append((tokens[i][0], end))
    return spans


def on_the_side(tokens: Sequence[Token], m: Mention) -> bool:
    """«воевать на стороне российских войск»: an ally of whoever acts, neither a party nor
    where it happened."""
    return _russian_preceding(tokens, m) == ("на", "сторона")


def for_another_reason(
    m: Mention, t_start: int, spans: Sequence[tuple[int, int]], mentions: Sequence[Mention]
) -> bool:
    """Is the mention inside a reason phrase (:func:`reason_phrases`) that the trigger at
    ``t_start`` is not the head of? Its actor is the reason's, no role of a verb outside it:
    «ВС РФ в ответ на применение американского и британского оружия нанесли удар» — neither
    the US nor Britain struck; «из-за ударов США по Ирану» keeps the noun's own roles. A word
    that may be the nominative stays when no subject stands before the phrase (the phrase's end
    is a guess: «Из-за ударов по Ирану Иран закрыл пролив»)."""
    for a, b in spans:
        if a <= t_start < b and m.start >= b:
            return True  # the reason's own noun: «в ответ на удары ВСУ» struck no Kyiv named later
        if not a <= m.start < b or a <= t_start <= m.start:
            continue
        if "nomn" not in _cases(_head_word(m)):
            return True
        return any(x.end <= a and "nomn" in _cases(_head_word(x)) for x in mentions)
    return False


def russian_plural_verb(word: str) -> bool:
    """A finite verb in the plural («атакуют», «обстреляли»)."""
    tag = russian_tag(word)
    return tag is not None and tag.POS == "VERB" and "plur" in tag


def _adjective(word: str) -> bool:
    tag = russian_tag(word)
    return tag is not None and tag.POS == "ADJF"


def _animate(m: Mention) -> bool:
    """A person or people («Путина», «россиянина»): an accusative that looks like a genitive."""
    tag = russian_tag(_head_word(m))
    return tag is not None and "anim" in tag and "inan" not in tag


def _opens_clause(tokens: Sequence[Token], m: Mention) -> bool:
    """Nothing but an adverb before the mention («Вчера россиянина избили»), so that it is no
    possessor of a subject («Сторонники Путина атаковали»)."""
    prev = preceding(tokens, m, 1)
    if not prev:
        return True
    tag = russian_tag(prev[-1])
    return tag is not None and tag.POS == "ADVB"


def _after_noun(tokens: Sequence[Token], m: Mention, t_end: int) -> bool:
    """Does a noun other than the trigger stand right before the mention («группировку ВСУ»)?"""
    prev = [(e, w) for s, e, w in tokens if e <= m.start][-1:]
    if not prev or prev[0][0] <= t_end:
        return False
    tag = russian_tag(prev[0][1])
    return tag is not None and tag.POS == "NOUN"


def _singular(m: Mention) -> bool:
    tag = russian_tag(_head_word(m))
    return tag is not None and "sing" in tag and "Pltm" not in tag


def _coordinated(tokens: Sequence[Token], m: Mention) -> bool:
    """Is the mention joined to another by «и» (a plural subject of singular nouns)?"""
    before = [w for s, e, w in tokens if e <= m.start][-1:]
    after = [w for s, e, w in tokens if s >= m.end][:1]
    return "и" in before or "и" in after


def _russian_preceding(tokens: Sequence[Token], m: Mention) -> tuple[str, ...]:
    """The two words before a Russian mention, number words right before it skipped: the
    preposition of «против двух иранских компаний» is «против»."""
    prev = [w for s, e, w in tokens if e <= m.start]
    while len(prev) > 1 and _quantity(prev[-1]):
        prev.pop()
    return tuple(prev[-2:])


#: Words (lemmas) before «с»/«по»… that make what follows a topic, not a party.
_RU_TOPIC_PAIRS = frozenset(
    {("по", "повод"), ("ситуация", "с"), ("ситуация", "со"), ("отношение", "с"), ("дело", "с")}
    | {("война", "с"), ("конфликт", "с")}  # «обсудили войну с Украиной»: a topic
)
#: Offices (lemmas) after «с» that name a meeting's other side by its state («с главой МИД ОАЭ»).
_RU_PARTNER_OFFICES = frozenset(
    "глава президент министр принц король премьер премьер-министр посол председатель канцлер"
    " коллега лидер генсек госсекретарь спикер султан эмир шейх замглавы заместитель"
    " руководитель вице-президент представитель спецпредставитель монарх визави".split()
)


def _office_partner(tokens: Sequence[Token], m: Mention) -> bool:
    """«с» and an office (its adjectives before it, its ministry after it) right before a state:
    the other side of a meeting or talks."""
    before = [w for s, e, w in tokens if e <= m.start][-5:]
    at = max((i for i, w in enumerate(before) if w in _RU_PARTNER_PREPS), default=-1)
    if at < 0:
        return False
    between = before[at + 1 :]
    return (
        0 < len(between) <= 4
        and any(w in _RU_PARTNER_OFFICES for w in between)
        and not any(w in RU_PREPOSITIONS for w in between)
    )


def _verb(word: str) -> bool:
    """A Russian finite verb or infinitive («выразит», «передать»)."""
    tag = russian_tag(word.lower())
    return tag is not None and tag.POS in ("VERB", "INFN")


def following(tokens: Sequence[Token], m: Mention) -> str | None:
    nxt = [w for s, e, w in tokens if s >= m.end]
    return nxt[0] if nxt else None


def russian_roles(
    tokens: Sequence[Token],
    mentions: Sequence[Mention],
    t_start: int,
    t_end: int,
    *,
    symmetric: bool,
    physical: bool,
    nominal: bool = False,
    noun: bool = False,
    passive: bool = False,
    plural: bool = False,
) -> Roles:
    """Roles by case and preposition. A noun trigger («удары США по Ирану») takes its roles
    from its own phrase only (``nominal``): the subject of the clause («Эрдоган осудил
    удары») did not strike. Any noun of a physical act (``noun``) followed by states or forces
    takes them as who struck («Иран сообщил о гибели … из-за ударов США и Израиля»). The subject
    of a ``passive`` participle («Иран атакован Израилем») is acted on, and a singular noun
    before a ``plural`` verb is its object («Киев атакуют крылатые ракеты», «Белгород
    обстреляли»)."""
    sources: list[Mention] = []
    targets: list[Mention] = []
    genitive_after: list[Mention] = []
    ambiguous: list[Mention] = []  # a bare word that may be subject or object
    subjects: list[Mention] = []  # nominatives (and their possessors) before the trigger
    places: list[Mention] = []  # where a physical act happened: its target if nothing else is
    head = [w for s, e, w in tokens if s >= t_start and e <= t_end][-1:]
    strikers = (
        _russian_strikers(tokens, mentions, t_end, objective=bool(set(head) & _RU_OBJECTIVE))
        if (nominal or noun) and physical and not set(head) & RU_PREPOSITIONS
        else []  # «военная операция против Ирана»: after the trigger's «против», the target
    )
    for m in mentions:
        if any(m is x for x in strikers):
            sources.append(m)  # «удары США и Израиля (по Ирану)», «атака ВСУ»
            continue
        prev = _russian_preceding(tokens, m)
        prep = prev[-1] if prev else ""
        cases = _cases(_head_word(m))
        after = m.start >= t_end
        if prev[-2:] in (("с", "сторона"), ("со", "сторона")):
            sources.append(m)  # «атака со стороны Ирана»: from Iran
        elif prep in _RU_TOPIC_PREPS or prev[-2:] in _RU_TOPIC_PAIRS:
            continue  # what it is about: «переговоры о Украине», «ситуацию с Ираном»
        elif symmetric and _office_partner(tokens, m):
            targets.append(m)  # «обсудил с главой МИД ОАЭ», «с наследным принцем Саудовской Аравии»
        elif prep == "по" and not physical:
            continue  # «переговоры по Украине»: a topic; «удары по Киеву»: a target
        elif nominal and not after:
            if physical and prep in _RU_DIRECTION_PREPS and "accs" not in cases:
                places.append(m)  # «В Тегеране прогремели взрывы»: where it happened
            continue  # before a noun trigger: the clause's subject, not the noun's agent
        elif prep in _RU_TARGET_PREPS:
            targets.append(m)
        elif prep in _RU_PARTNER_PREPS:
            # the case of «с президентом Ирана» is on the office, not on the state
            if symmetric and any("ablt" in _cases(w.lower()) for w in m.text.split()):
                targets.append(m)
        elif prep in _RU_DIRECTION_PREPS:
            if "accs" in cases:  # «в Иран», «на Киев»
                targets.append(m)
            elif physical:  # «в Киеве»: struck only if nothing else was («группировку ВСУ в
                places.append(m)  # Курской области», «Россиянина избили … в Таиланде»)
        elif prep in _RU_OTHER_PREPS:
            continue
        elif "ablt" in cases and not cases & {"nomn", "accs", "gent"}:
            sources.append(m)  # «атакован Израилем», «передача Тегераном»
        elif "nomn" in cases and not after:
            if (
                plural
                and "accs" in cases
                and _gap(tokens, m.end, t_start) <= 1
                and _singular(m)
                and not _coordinated(tokens, m)
            ):
                targets.append(m)  # «Киев атакуют ракеты»: a singular noun is no plural verb's
            else:
                subjects.append(m)
        elif (
            plural
            and not after
            and "accs" in cases
            and _animate(m)
            and _opens_clause(tokens, m)
            and _gap(tokens, m.end, t_start) <= 1
        ):
            targets.append(m)  # «Россиянина избили», «Навального задержали»: whom they acted on
        elif not after and cases & {"gent"}:
            if physical and prep in _RU_ENVOYS and not (prev[:1] and prev[0] in RU_PREPOSITIONS):
                continue  # «Посольство РФ в Иране … при атаках»: an embassy strikes nobody
            if "datv" in cases and prep and _verb(prep):
                targets.append(m)  # after a verb, a dative: «Кипр выразит Великобритании»
                continue
            subjects.append(m)  # the possessor of the subject: «спецслужбы Британии помогают»
        elif cases & {"datv"} and not cases & {"nomn", "accs"}:
            if cases & {"gent"} and after and not targets:
                genitive_after.append(m)  # «России»: genitive or dative, settled below
            else:
                targets.append(m)
        elif "gent" in cases and after and not cases & {"nomn"}:
            genitive_after.append(m)
        elif after:
            ambiguous.append(m)
    if subjects and passive and not noun and not strikers:
        targets.insert(0, subjects[-1])  # «Иран атакован Израилем»: the subject was attacked
    elif subjects and not strikers and not (noun and sources):
        # the nearest: «Глава МИД прибудет, а Асад вернется после…»; a noun with an agent of
        # its own («в ответ на передачу Тегераном ракет») is not the subject's act
        sources.append(subjects[-1])
    agent_known = bool(sources)
    for m in genitive_after:
        if agent_known or targets:
            # a genitive after a noun beside a known agent or target: «ракет России» is whom
            # the missiles go to when Tehran sends them; «удар Израиля по Ирану», the striker —
            # right after the noun, not after a passive or another noun («разрушенной в
            # результате удара резиденции лидера Ирана» names whose home was hit)
            gap = _gap(tokens, t_end, m.start)
            if symmetric and agent_known and gap:
                continue  # «США и ОАЭ обсудили удары Ирана»: whose deed is the topic, no party
            striker = symmetric or (not passive and not gap)
            (targets if agent_known or not striker else sources).append(m)
        else:
            targets.append(m)
    for m in ambiguous:
        if (
            passive
            and not sources
            and "ablt" in _cases(_head_word(m))
            and not _gap(tokens, t_end, m.start)
        ):
            sources.append(m)  # right after a passive, an indeclinable: «атакованы ВСУ»
        elif not sources and not passive and not nominal and "nomn" in _cases(_head_word(m)):
            sources.append(m)  # inverted order: «заявил Лавров» (after a noun: «убийство Хаменеи»)
        elif len(with_conjuncts(m, sources, tokens)) > 1:
            sources.append(m)  # «атакованных США и Израилем»: one agent with the other
        elif passive and not targets and "nomn" in _cases(_head_word(m)):
            targets.append(m)  # «над Кувейтом был сбит американский истребитель»: what was hit
        elif not targets and (not places or _after_noun(tokens, m, t_end)):
            # a place struck gives way only to an object's owner («базу США в Кувейте»)
            targets.append(m)
    if not targets:
        targets.extend(places)
    return finish(sources, targets, tokens, closed=passive and not noun)


#: Nouns (lemmas) whose genitive is what was acted on: «обстрел Украины», «оккупация Крыма».
_RU_OBJECTIVE = frozenset(
    "обстрел бомбардировка бомбежка штурм оккупация блокада захват освобождение уничтожение"
    " разрушение оборона защита минирование аннексия осада".split()
)


def _russian_strikers(
    tokens: Sequence[Token], mentions: Sequence[Mention], t_end: int, *, objective: bool = False
) -> list[Mention]:
    """States and forces named right after a noun of a physical act, in a row joined by «и» or
    commas («удары США и Израиля», «атака ВСУ»): who struck. A place there is what was struck
    («обстрел Белгорода»), and so is a person («убийство Хаменеи», «ранение губернатора»), and
    after an ``objective`` noun a state too («обстрел Украины»; «обстрел ВСУ» is by the forces)."""
    chain: list[Mention] = []
    end = t_end
    for m in sorted((m for m in mentions if m.start >= t_end), key=lambda m: m.start):
        between = [w for s, e, w in tokens if s >= end and e <= m.start]
        if any(w not in ("и", ",") for w in between) or (not chain and between):
            break
        if m.kind in ("place", "person") or (objective and m.kind == "state"):
            break
        chain.append(m)
        end = m.end
    return chain


def _gap(tokens: Sequence[Token], start: int, end: int) -> int:
    """Words between two offsets."""
    return sum(1 for s, e, _ in tokens if s >= start and e <= end)


def finish(
    sources: list[Mention], targets: list[Mention], tokens: Sequence[Token], *, closed: bool = False
) -> Roles:
    sources = unique(sources)
    ids = {m.actor for m in sources}
    targets = [m for m in unique(targets) if m.actor not in ids]
    return Roles(
        sources=sources[:4],
        targets=targets[:4],
        source_via="syntax" if sources else "none",
        target_via="syntax" if targets else "none",
        closed=closed,
    )


#: Weapons that change hands between states, as normalised words (Russian lemmas; Persian
#: stems): the state an adjective next to them names is where they come from, not who acts.
_TRANSFERRED = {
    "ru": ("беспилотник", "дрон", "ракета", "снаряд", "оружие", "боеприпас", "танк", "бпла",
           "шахед", "герань"),
    "fa": ("پهپاد", "موشک", "سلاح", "تسلیحات", "جنگ‌افزار", "مهمات", "تانک"),
}  # fmt: skip


def weapon_origin(m: Mention, text: str, tokens: list[tuple[int, int, str]], language: str) -> bool:
    """Is this actor an adjective of a weapon used as an instrument (Russian: the instrumental
    case, «иранскими беспилотниками»; Persian: after «با», «با پهپادهای ایرانی»)?"""
    weapons = _TRANSFERRED.get(language)
    if not weapons:
        return False
    inside = [i for i, (a, b, _) in enumerate(tokens) if a >= m.start and b <= m.end]
    if not inside:
        return False
    if made_in(text, tokens, inside[0], inside[-1], language):
        return True
    if language == "ru":
        after = inside[-1] + 1
        near = tokens[after : after + 5]
        if not any(w.startswith(weapons) for _, _, w in near):
            return False  # no weapon close after the actor (most mentions: no parsing needed)
        # «американским и британским оружием»: over coordinated adjectives to the noun
        while after + 1 < len(tokens) and after - inside[-1] <= 4:
            word = text[tokens[after][0] : tokens[after][1]].lower()
            if word in ("и", ",") or _adjective(word):
                after += 1
                continue
            break
        if after >= len(tokens) or not tokens[after][2].startswith(weapons):
            return False
        own = text[tokens[inside[-1]][0] : tokens[inside[-1]][1]].lower()
        noun = russian_tag(text[tokens[after][0] : tokens[after][1]].lower())
        return _adjective(own) and noun is not None and "ablt" in noun
    first = inside[0]
    return (
        first >= 2
        and tokens[first - 1][2].startswith(weapons)
        and tokens[first - 2][2] in ("با", "توسط")
    )


_CONJUNCTIONS = frozenset({"и", "و", "and"})
_CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
#: Words that head an office held by the state named after it (Russian).
_OFFICES = frozenset(
    "глава министр президент премьер премьер-министр председатель посол спикер канцлер король"
    " лидер замглавы генсек госсекретарь".split()
)


def deed_owner(
    text: str, tokens: list[tuple[int, int, str]], mentions: list[Mention], t_end: int
) -> Mention | None:
    """The actor right after the noun that follows a Russian verb: «решение *Байдена*»."""
    after = [(s, e) for s, e, _ in tokens if s >= t_end][:4]
    while len(after) > 2 and _adjective(text[after[0][0] : after[0][1]].lower()):
        after.pop(0)  # «осудил неспровоцированную агрессию США»
    if len(after) < 2:
        return None
    (noun_start, noun_end), (next_start, _) = after[:2]
    tag = russian_tag(text[noun_start:noun_end].lower())
    if tag is None or tag.POS != "NOUN" or "accs" not in tag or "anim" in tag:
        return None
    owner = next((m for m in mentions if m.start == next_start), None)
    return owner if owner is not None and owner.start >= noun_end else None


def with_conjuncts(
    head: Mention, pool: Sequence[Mention], tokens: Sequence[Token], *, titled: bool = False
) -> list[Mention]:
    """``head`` and actors joined to it by «и»/«و»/and right before or after it; with
    ``titled``, also across an office after the conjunction («Лавров и глава МИД Саудовской
    Аравии», «ایران و رئیس مجلس الجزایر»: a meeting's two sides)."""
    out = [head]
    for m in pool:
        if m is head or m.actor in {x.actor for x in out}:
            continue
        between = [
            w for s, e, w in tokens if min(m.end, head.end) <= s and e <= max(m.start, head.start)
        ]
        joined = bool(between) and all(w in _CONJUNCTIONS for w in between)
        if joined or (titled and _office_between(between)):
            out.append(m)
    return out


def _office_between(between: list[str]) -> bool:
    """A conjunction, then at most three words naming an office (no verb, no punctuation)."""
    if not 2 <= len(between) <= 4 or between[0] not in _CONJUNCTIONS:
        return False
    rest = between[1:]
    if any(not w.isalpha() or w in _CONJUNCTIONS for w in rest):
        return False
    if all(w.isascii() for w in rest):
        return False  # English has a parser
    tags = [russian_tag(w.lower()) for w in rest if _CYRILLIC.search(w)]
    return all(t is None or t.POS in ("NOUN", "ADJF") for t in tags) and (
        rest[0].lower() in _OFFICES or not tags
    )
