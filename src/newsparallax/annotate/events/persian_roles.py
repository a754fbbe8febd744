"""Who acts and who is acted on in Persian, for the lexical coder: prepositions and «را».

No parser for Persian ships offline, so a trigger's roles come from how each actor mention is
marked: «توسط / از سوی / از طرف / از جانب X» is the agent, «X را» and «به / علیه / بر ضد /
برای X» the target, «با X» the partner, «در X» a place (a target only of a physical act); the
first unmarked actor of the clause is the subject, and unmarked actors right after a noun
trigger (the ezafe: «حمله آمریکا») are its agents. Shared with the Russian rules:
:class:`~.roles.Roles` and how each role was found (``syntax`` or ``fallback``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ...records import Mention
from .roles import Roles, Token, finish, following, preceding

_FA_OBJECT = "را"
_FA_AGENT = (("توسط",), ("از", "سوی"), ("از", "طرف"), ("از", "جانب"), ("به", "دست"))
_FA_TARGET_PREPS = frozenset({"به", "علیه", "برای", "بر"})
_FA_PARTNER = "با"
_FA_PLACE = frozenset({"در"})
_FA_TOPIC = frozenset({"درباره", "پیرامون", "دربارهٔ"})
_FA_TOPIC_PAIRS = frozenset({("در", "مورد"), ("در", "خصوص"), ("در", "باره")})
#: Words that mark a mention's role or open another phrase.
_FA_MARKERS = _FA_TARGET_PREPS | _FA_PLACE | _FA_TOPIC | {_FA_OBJECT, _FA_PARTNER, "از", "که"}


#: Nouns of killing whose ezafe names the victim, not the killer («ترور رهبر ایران»).
_FA_VICTIMS = frozenset("ترور قتل شهادت اعدام کشتن ربودن".split())


def persian_roles(
    tokens: Sequence[Token],
    mentions: Sequence[Mention],
    t_start: int,
    t_end: int,
    *,
    symmetric: bool,
    physical: bool,
    nominal: bool = False,
    noun: bool = False,
    passive: bool = False,  # Persian passives are found in the clause (_fa_passive)
    plural: bool = False,
) -> Roles:
    """Roles by preposition and «را». A noun trigger («حمله آمریکا به ایران») takes its agent
    from right after it (the ezafe) or an agent marker, never from the clause's subject («یمن
    حملات به ایران را محکوم کرد»: Yemen condemned, it did not strike)."""
    sources: list[Mention] = []
    targets: list[Mention] = []
    places: list[Mention] = []  # «در X»: struck only if nothing else was
    free: list[Mention] = []
    words = [w for _, _, w in tokens]
    after_trigger = [i for i, (s, _, _) in enumerate(tokens) if s >= t_end]
    # «درباره حمله به ایران»: after a topic word, the rest of the phrase is what it is about
    topic_at = next(
        (tokens[i][0] for i in after_trigger
         if words[i] in _FA_TOPIC or tuple(words[i - 1 : i + 1]) in _FA_TOPIC_PAIRS),
        None,
    )  # fmt: skip
    passive = _fa_passive(words, after_trigger)
    victims: list[Mention] = []  # «ترور رهبر ایران», «شهادت رهبر»: who a killing took
    for m in mentions:
        prev = preceding(tokens, m, 2)
        nxt = following(tokens, m)
        if (prev[-1:] and prev[-1] in _FA_TOPIC) or prev[-2:] in _FA_TOPIC_PAIRS:
            continue  # what it is about
        if any(w in _FA_VICTIMS for w in prev):  # «ترور رهبر ایران»: a title between
            victims.append(m)
            continue
        if topic_at is not None and m.start > topic_at and not physical:
            continue
        if any(prev[-len(p) :] == p for p in _FA_AGENT):
            sources.append(m)
        elif nxt == _FA_OBJECT or (prev and prev[-1] in _FA_TARGET_PREPS):
            targets.append(m)
        elif prev and prev[-1] == _FA_PARTNER:
            if symmetric:
                targets.append(m)
        elif prev and prev[-1] in _FA_PLACE:
            if physical:
                places.append(m)
        elif prev and prev[-1] == "از":
            continue  # "from X": an origin, not a role
        elif physical and m.start >= t_end and _owner_of_target(tokens, m, t_end):
            targets.append(m)  # «حمله به مرکز فرهنگی ایران»: whose building was struck
        else:
            free.append(m)
    head = [w for s, e, w in tokens if s >= t_start and e <= t_end][-1:]
    if head and head[0] in _FA_VICTIMS:
        targets = victims + targets  # the killing's own victim; another deed's is no party
    if not targets:
        targets = places
    # the ezafe: unmarked actors right after a noun trigger are its agents («حمله آمریکا»,
    # «حمله آمریکایی صهیونیستی»); they outrank the clause's subject
    # «در حمله آمریکا و رژیم صهیونیستی را …», «حمله آمریکا را محکوم کرد»: a «را» after the
    # chain marks the whole phrase, not its last agent
    marked_last = [
        m
        for m in targets
        if following(tokens, m) == _FA_OBJECT and not any(m is v for v in victims)
    ]
    ezafe = _adjacent_after(tokens, free + marked_last, t_end, describing=physical)
    targets = [m for m in targets if m not in ezafe]
    if nominal or ezafe:
        if not sources:
            sources = ezafe
        if physical and not targets and _in_the(tokens, t_start):
            # «سرباز آمریکایی در حملات ایران کشته شدند»: the subject is who was hit
            targets = [m for m in free if m.end <= t_start and m not in ezafe][-1:]
        return finish(sources, targets, tokens)
    if passive:
        # «ایران ... مورد تجاوز قرار گرفت»: the subject is acted on; the agent needs a marker
        if not targets:
            targets = free[:1]
        return finish(sources, targets, tokens)
    if not sources and free:
        sources = [free[0]]
    if not targets and not symmetric:
        targets = [m for m in free if m not in sources][:1]
    return finish(sources, targets, tokens)


def _owner_of_target(tokens: Sequence[Token], m: Mention, t_end: int) -> bool:
    """Is the mention, after the trigger, the last word of the phrase after «به / علیه» («به
    مرکز فرهنگی ایران»: the owner of what was struck)? Two or three words may stand between."""
    prev = [w for s, e, w in tokens if s >= t_end and e <= m.start][-4:]
    for k in range(len(prev) - 1, -1, -1):
        if prev[k] in _FA_MARKERS:
            return prev[k] in ("به", "علیه") and len(prev) - k >= 2
    return False


def _in_the(tokens: Sequence[Token], t_start: int) -> bool:
    """«در حملات …»: the noun trigger is where something happened to the clause's subject."""
    before = [w for _, e, w in tokens if e <= t_start]
    return before[-1:] == ["در"]


def _adjacent_after(
    tokens: Sequence[Token], free: Sequence[Mention], t_end: int, *, describing: bool = False
) -> list[Mention]:
    """Unmarked mentions right after the trigger, and those chained to them (by «و», «-» or
    nothing): the ezafe agents of a noun."""
    chain: list[Mention] = []
    edge = t_end
    for m in sorted((m for m in free if m.start >= t_end), key=lambda m: m.start):
        between = [w for s, e, w in tokens if s >= edge and e <= m.start]
        # «حملات تجاوزکارانه آمریکا», «حملات موشکی و پهپادی ایران»: describing words between
        # the noun and its agent
        described = (
            describing
            and not chain
            and 1 <= len(between) <= 4
            and between[-1] != "و"
            and not any(w in _FA_NOT_DESCRIBING and w != "و" for w in between)
        )
        if not described and (between not in ([], ["و"]) or (between and not chain)):
            break
        chain.append(m)
        edge = m.end
    return chain


_FA_NOT_DESCRIBING = _FA_MARKERS | {"و", "توسط"}


def _fa_passive(words: list[str], after: list[int]) -> bool:
    """«مورد حمله قرار گرفت», «هدف قرار گرفتند»: the trigger's clause is passive."""
    tail = [words[i] for i in after[:4]]
    return "قرار" in tail and any(w.startswith("گرفت") for w in tail)


def object_of(words: list[str], noun: int, act: int) -> bool:
    """Persian: is the noun at ``noun`` inside the «را» object right before the verbal act at
    ``act`` («حملات تجاوزکارانه آمریکا و رژیم صهیونیستی به ایران را (قویا) محکوم کرد»)?"""
    # «… را به عنوان «تجاوز غیرقانونی» محکوم کرد»: an "as …" phrase may stand in between
    marks = [
        k
        for k in range(max(0, act - 8), act)
        if words[k] == "را" and (act - k <= 3 or "عنوان" in words[k:act])
    ]
    return (
        bool(marks)
        and noun < marks[-1]
        and marks[-1] - noun <= 15
        and "را" not in words[noun : marks[-1]]
    )
