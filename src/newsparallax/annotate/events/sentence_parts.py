"""Sentences and their parts: sentence boundaries (offsets) for English, Russian and Persian news
text, and the parts of a sentence the lexical coders keep apart — a headline's claims joined by
«/», «|» or «;» (each with its own roles and denials), parenthetical asides (no role of a
trigger outside them), a noun that is the reason of its clause or the purpose of another act."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from typing import Any

from .persian_roles import object_of
from .roles import Token

_ENTITY = re.compile(r"&#?\w+;")
_ELLIPSES = frozenset({"&#8230;", "&hellip;"})
_URL = re.compile(r"(?:https?://|www\.)\S+")
_SEGMENT_MARKS = ("/", "|", ";", "؛", "\n")


def parentheses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` of the parenthesised parts of ``text[start:end]`` (outermost)."""
    spans, depth, opened = [], 0, 0
    for i in range(start, end):
        if text[i] == "(":
            if depth == 0:
                opened = i
            depth += 1
        elif text[i] == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append((opened, i + 1))
    if depth:
        spans.append((opened, end))
    return spans


def parts_at(offsets: list[int], tokens: list[Token], segment: list[int]) -> dict[int, int]:
    """Offset → the part of the sentence (:func:`segments`) of the word there."""
    starts = [s for s, _, _ in tokens]
    return {at: segment[max(bisect_right(starts, at) - 1, 0)] if segment else 0 for at in offsets}


def aside(at: int, trigger: int, asides: list[tuple[int, int]]) -> bool:
    """Is the offset ``at`` inside a parenthesis that does not hold the trigger?"""
    return any(lo <= at < hi and not lo <= trigger < hi for lo, hi in asides)


def segments(text: str, tokens: list[Token]) -> list[int]:
    """For each word, the number of the part of the sentence it is in: a headline's parts
    joined by «/», «|» or «;» are separate claims, and a denial in one does not deny another."""
    # the «;» of an HTML entity left in a feed («&laquo;») or of a URL's «/» joins no claims;
    # a cut-off excerpt («[&#8230;]») does end one
    quiet = {m.end() - 1 for m in _ENTITY.finditer(text) if m.group() not in _ELLIPSES}
    quiet |= {i for m in _URL.finditer(text) for i in range(m.start(), m.end())}
    out, part = [], 0
    for i, (start, _, _) in enumerate(tokens):
        lo = tokens[i - 1][1] if i else start
        if any(text[j] in _SEGMENT_MARKS and j not in quiet for j in range(lo, start)):
            part += 1
        out.append(part)
    return out


def purpose_of_another(
    language: str, kind: str, words: list[str], found: Sequence[tuple[int, int, Any]], n: int
) -> bool:
    """«تجمع مردم تبریز در محکومیت تجاوز …» (a rally *in condemnation of* the aggression): a
    condemnation after «در» that another act before it serves is that act's purpose (the rally
    is the event, against the aggressors), not a condemnation of its own."""
    first = found[n][0]
    return (
        language == "fa"
        and kind == "ACCUSE"
        and first > 0
        and words[first - 1] == "در"
        and any(f < first - 1 for f, _, _ in found[:n])
    )


#: Persian verbs of naming (normalised): «آنچه «تجاوز آشکار» علیه تهران می‌نامد».
_FA_NAMING = frozenset({"مینامد", "نامید", "نامیده", "مینامند", "نامیدند", "میخواند", "خواند"})


def named_as(language: str, words: list[str], first: int) -> bool:
    """«حملات … را به عنوان «تجاوز» محکوم کرد», «آنچه «تجاوز آشکار» علیه تهران می‌نامد»: what
    an act is condemned as, or what someone calls it, is a name given to it, not an act of its
    own (of the condemner or the namer)."""
    if language != "fa":
        return False
    return (first > 0 and words[first - 1] == "عنوان") or (
        "انچه" in words[max(0, first - 3) : first]
        and any(w in _FA_NAMING for w in words[first + 1 : first + 6])
    )


#: Russian verbs (lemmas) of naming, judging and feeling: a deed named after them is judged,
#: not done, by their subject («Медведев назвал убийство … подлым», «оценил … атакой на Иран»).
_RU_JUDGING = frozenset(
    {"назвать", "называть", "оценить", "оценивать", "прокомментировать", "комментировать",
     # feelings about a deed: «Москва возмущена убийством …», «обеспокоена ударами по Ирану»
     "возмутить", "обеспокоить", "встревожить", "шокировать", "потрясти", "огорчить",
     "расстроить", "возмущаться", "беспокоить", "тревожить"}
)  # fmt: skip


def judged(language: str, words: list[str], first: int) -> bool:
    """Whether a noun trigger follows a Russian verb of naming or judging (within eight words):
    its parties are in its own phrase, not the judge's."""
    return language == "ru" and any(w in _RU_JUDGING for w in words[max(0, first - 8) : first])


#: Russian nouns (lemmas) of agreements and orders: what a verb of destroying or striking them
#: acts on is no body or place («разрушили ядерную сделку», «подорвать договор»).
_RU_ABSTRACT = frozenset(
    "соглашение договор договорённость договоренность сделка план переговоры перемирие"
    " доверие отношение репутация".split()
)


def abstract_object(language: str, words: list[str], last: int) -> bool:
    """Whether a Russian physical trigger's object (within three words after it) is an
    agreement, an order or a relation: a metaphor, no attack («США разрушили СВПД»)."""
    return language == "ru" and any(w in _RU_ABSTRACT for w in words[last + 1 : last + 4])


#: Russian words before a noun that make it a date («до вторжения», «с начала вторжения», «на
#: момент ударов»), not an event reported, as "since the invasion" in English (lemmas).
_RU_DATING = (["до"], ["накануне"], ["с", "начало"], ["с", "момент"], ["на", "момент"])


def dated(language: str, words: list[str], first: int) -> bool:
    """Whether a Russian noun trigger only dates something else (see :data:`_RU_DATING`)."""
    return language == "ru" and any(
        words[max(0, first - len(cue)) : first] == cue for cue in _RU_DATING
    )


def possible(words: list[str], first: int, last: int, hypothetical: frozenset[str]) -> bool:
    """A word of possibility, fear or plan in the few words before the trigger («может нанести
    удар», «احتمال حمله»); in Persian also a purpose («برای حمله به تهران»: for an attack) or an
    adjective after the noun that calls it possible or imminent («حمله احتمالی»)."""
    return (
        any(w in hypothetical for w in words[max(0, first - 4) : first])
        or words[first - 1 : first] == ["برای"]
        or bool(words[last + 1 : last + 2] and words[last + 1] in hypothetical)
    )


def took_part(words: list[str], first: int) -> bool:
    """«участвовали в ударах», «принимать участие в атаке»: the trigger is what the clause's
    subject took part in (so a negation of taking part negates it)."""
    return words[max(0, first - 2) : first] in (["участвовать", "в"], ["участие", "в"])


#: Russian and Persian conjunctions that open a clause with its own subject after a comma.
_CONTRAST = frozenset({"а", "но", "однако", "зато", "اما", "ولی"})


def clause_end(text: str, tokens: Sequence[Token], last: int) -> int | None:
    """Where the trigger's clause ends: at a comma followed by «а / но / однако» («Абу-Даби
    призвал Тегеран одуматься, а Эр-Рияд требует …»: Riyadh is no one Abu Dhabi called on)."""
    for k in range(last + 1, len(tokens)):
        gap = text[tokens[k - 1][1] : tokens[k][0]]
        if tokens[k][2] in _CONTRAST and ("," in gap or "،" in gap):
            return tokens[k][0]
    return None


#: Words (lemmas) before a noun that is the reason of its clause.
#: «при» (during): «погиб при авиаударе» tells what befell the clause's subject.
_REASONS = (("из", "за"), ("в", "связь", "с"), ("вследствие",), ("به", "دلیل"), ("در", "پی"),
            ("به", "خاطر"), ("при",))  # fmt: skip


def for_reason(words: list[str], first: int) -> bool:
    """Whether a noun trigger is the reason of the clause («недовольство из-за ударов БПЛА»,
    «به دلیل حملات»): its parties are in its own phrase, not the clause's."""
    return any(tuple(words[max(0, first - len(r)) : first]) == r for r in _REASONS)


_BOUNDARY = re.compile(r"[.!?…؟]+[\"'»”’)\]]*(?=\s)|\n+")
_ABBREVIATIONS = frozenset(
    "u.s u.n u.k e.u mr mrs ms dr gen lt col maj capt sgt st jan feb mar apr jun jul"
    " aug sep sept oct nov dec no vs e.g i.e inc corp co ltd jr sr prof gov sen rep"
    " adm cmdr т.е т.д т.п г гг им ул просп млн млрд тыс руб".split()
)


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each sentence, whitespace trimmed."""
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if match.group().startswith((".",)) and not match.group().startswith(".."):
            word = re.search(r"(\S+)\.$", text[start : match.start() + 1])
            token = word.group(1).lower().lstrip("(\"'«") if word else ""
            if token in _ABBREVIATIONS or (
                re.fullmatch(r"[A-ZА-Я]", token.upper()) and len(token) == 1
            ):
                continue
            following = text[end : end + 3].lstrip()
            if following[:1].islower():
                continue
        yield from _trimmed(text, start, end)
        start = end
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


#: Types of verbal acts whose object may be another trigger's action («осудил удары»).
VERBAL_ACTS = frozenset({"ACCUSE", "REJECT", "REQUEST", "SUPPORT", "THREATEN", "AGREE"})


def objects_of_verbal_acts(
    found: Sequence[tuple[int, int, Any]],
    kinds: Sequence[str],
    words: list[str],
    *,
    attributive: frozenset[int] = frozenset(),
) -> dict[int, int]:
    """«осудил удары США по Ирану», «حملات به ایران را محکوم کرد»: for each action named as the
    object of a verbal act (condemn, deny, demand…) within a few words, the index (in ``found``)
    of the act. The action is an event of its own, but whoever condemns it did not do it (its
    agent comes from its own phrase only), and the act targets the action's agent, not whom the
    action hit. An act worded as an attributive participle (``attributive``: word indexes)
    governs nothing: «наступление на поддерживаемую Ираном группировку» is no support of the
    offensive."""
    governed: dict[int, int] = {}
    for i in range(len(found)):
        if kinds[i] not in VERBAL_ACTS or found[i][0] in attributive:
            continue
        for j in range(len(found)):
            if i == j or kinds[j] in VERBAL_ACTS:
                continue
            near = abs(found[i][0] - found[j][0]) <= 6
            if (near or object_of(words, found[j][0], found[i][0])) and j not in governed:
                governed[j] = i
    return governed
