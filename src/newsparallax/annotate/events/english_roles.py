"""Roles of an English trigger on its dependency parse: who acts (the subject, a "by" agent, a
possessor of a noun trigger, the subject a light verb lends its object noun) and who is acted on
(the object, the target of to/against/on/with..., the passive subject), with fallbacks to the
nearest actor when the parse names none; topics and places are not targets."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...records import Mention
from .attribution import VERBAL
from .common import PHYSICAL, is_party, unique
from .lexicon import Code

_TARGET_PREPS = frozenset("to with against on at into toward towards from of for upon over".split())
SUBJECTS = frozenset({"nsubj", "csubj"})
_MODIFIERS = frozenset({"poss", "compound", "amod", "nmod", "appos", "npadvmod"})
COMPLEMENTS = frozenset({"xcomp", "ccomp", "conj", "advcl", "pcomp", "acl", "relcl"})
CLIMB = COMPLEMENTS | {"prep"}
_LOCATIVE_PREPS = frozenset("in at near inside outside within around during".split())
#: Prepositions whose object is what an act is about, not its target.
_TOPIC_PREPS = frozenset("about over regarding concerning amid despite".split())
#: Types where "on X" is a topic ("talks on Ukraine"), not a target ("sanctions on Russia").
_MUTUAL_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE", "SUPPORT"})
#: Verbs that always take an object: with none, their subject is who they were done to, as in
#: headlines without "were" ("Three Palestinians killed as Israel launches raid").
_DONE_TO = frozenset(
    "kill wound injure arrest detain abduct kidnap capture jail imprison execute torture deport"
    " expel sentence convict shell bomb bombard target raid destroy damage hit strike".split()
)
#: Verbs of speaking of a deed.
_SPEAKING = frozenset(
    "call describe term label brand condemn denounce slam criticize criticise praise welcome"
    " discuss mention recall blame justify defend oppose reject".split()
)
#: Verbs of condemning: the victims of the deed condemned are not condemned.
_CONDEMNING = frozenset(
    "condemn criticize criticise slam denounce decry deplore censure blast lambaste castigate"
    " rebuke".split()
)
#: What an accusation is for, after its object: a reason, not another target.
_REASON_PREPS = frozenset({"for", "of", "over"})
_ACCUSING = _CONDEMNING | frozenset(
    "accuse blame charge suspect praise thank punish sanction penalize penalise".split()
)  # "sanctioning Putin for attacking Ukraine", "slammed Britain for seizing": they did it


class EnglishRoles:
    """Role finding on a parse, given the light verbs ("hold talks", "impose sanctions")."""

    def __init__(self, light: frozenset[str]) -> None:
        self.light = light

    def find(
        self, tok: Any, by_token: dict[int, Mention], *, physical: bool = False
    ) -> tuple[list[Mention], list[Mention]]:
        """Sources and targets by the parse; of a ``physical`` act, "from X" is where it was
        launched, not whom it hit ("struck targets in Syria from Iran")."""
        sources: list[Mention] = []
        targets: list[Mention] = []
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
        is_noun = tok.pos_ in ("NOUN", "PROPN")
        if is_noun:
            for child in tok.children:
                if child.dep_ in ("poss", "amod", "compound", "nmod"):
                    sources.extend(
                        m
                        for t in child.subtree
                        if (m := by_token.get(t.i)) is not None and is_party(m)
                    )
                if child.dep_ == "prep" and child.lower_ == "by":
                    for obj in child.children:
                        sources.extend(self.actors(obj, by_token))
            head = tok.head
            light = head.lemma_.lower() in self.light
            if not sources and tok.dep_ in ("dobj", "attr", "nsubjpass") and head != tok and light:
                # "held talks with", "carried out strikes on": the light verb's subject acts;
                # the subject of another verb ("Yemen condemned the strikes") does not
                sources = self.subject(head, by_token)
                targets.extend(self.prep_targets(head, by_token))
            taker = taking_part(tok)
            if taker is not None:  # "took part in (the Astana) talks with Lavrov": who took part
                sources = self.subject(taker, by_token) or sources
        else:
            sources = self.subject(tok, by_token)
            if sources and self._done_to(tok):
                return [], unique(sources)[:4]
            node = tok
            hops = 0
            while (
                not sources
                and not passive
                and node.dep_ in CLIMB
                and node.head != node
                and hops < 4
            ):  # a passive names its doer by "by" or not at all
                via = node
                node = node.head
                if via.dep_ == "prep" and node.lemma_.lower() in _ACCUSING:
                    # "accuses Iran of supplying": the accused is who (allegedly) did it
                    for child in node.children:
                        if child.dep_ == "dobj":
                            sources = self.actors(child, by_token)
                    break
                if node.pos_ in ("VERB", "AUX"):
                    sources = self.subject(node, by_token)
                hops += 1
            for child in tok.children:
                if child.dep_ in ("dobj", "dative", "iobj", "attr", "oprd") or (
                    passive and child.dep_ == "nsubjpass"
                ):
                    targets.extend(self.actors(child, by_token))
                    if child.dep_ == "dobj" and tok.lemma_.lower() not in _CONDEMNING:
                        # "condemned U.S. aggression on Syria": Syria is no one condemned
                        targets.extend(self.prep_targets(child, by_token))
        reasons: frozenset[str] = frozenset({"from"}) if physical else frozenset()
        if tok.lemma_.lower() in _ACCUSING and any(c.dep_ == "dobj" for c in tok.children):
            reasons = _REASON_PREPS  # "blamed the US for Iran's stockpile": Iran is not blamed
        targets.extend(self.prep_targets(tok, by_token, skip=reasons))
        # "talks between Iran and Russia": both are parties, also of the light verb that
        # reports them ("talks between Iran and Russia were held")
        holders = [tok] + [c for c in tok.children if passive and c.dep_ == "nsubjpass"]
        for holder in holders:
            for child in holder.children:
                if child.dep_ == "prep" and child.lower_ == "between" and not sources:
                    for obj in child.children:
                        sources.extend(self.actors(obj, by_token))
        source_ids = {m.actor for m in sources}
        targets = [m for m in unique(targets) if m.actor not in source_ids]
        return unique(sources)[:4], targets[:4]

    @staticmethod
    def _done_to(tok: Any) -> bool:
        """A verb of :data:`_DONE_TO` with a subject but no object, agent or auxiliary (a
        headline's clause before a colon or semicolon is its own: "Ukraine strikes back:
        Russian depots destroyed")."""
        marks = [t.i for t in tok.doc[: tok.i] if t.text in (":", ";")]
        return (
            tok.lemma_.lower() in _DONE_TO
            and tok.tag_ in ("VBD", "VBN")
            and any(c.dep_ in SUBJECTS for c in tok.children)
            and not any(
                c.dep_ in ("dobj", "agent", "aux", "auxpass", "nsubjpass", "prt")
                or (c.dep_ == "ccomp" and not (c.i < tok.i and any(c.i < i for i in marks)))
                for c in tok.children
            )
        )

    def actors(self, tok: Any, by_token: dict[int, Mention], depth: int = 0) -> list[Mention]:
        """The actors a role token stands for (itself, its modifiers, *of* objects, conjuncts)."""
        found: list[Mention] = []
        own = by_token.get(tok.i)
        if own is not None and is_party(own):
            found.append(own)
        else:
            last = None
            for child in tok.children:
                if child.dep_ in _MODIFIERS:
                    if found and not _listed(tok.doc, last, child):
                        break
                    here = [
                        m
                        for t in child.subtree
                        if (m := by_token.get(t.i)) is not None and is_party(m)
                    ]
                    found.extend(here)
                    last = child if here else last
            if not found and depth < 2:
                for child in tok.children:
                    if child.dep_ == "prep" and child.lower_ in ("of", "from", "in"):
                        for obj in child.children:
                            if obj.dep_ == "pobj":
                                found.extend(self.actors(obj, by_token, depth + 1))
        if depth < 3:
            for child in tok.children:
                if child.dep_ in ("conj", "appos") or (
                    child.dep_ == "npadvmod" and child.pos_ == "PROPN"
                ):
                    found.extend(self.actors(child, by_token, depth + 1))
        return unique(found)

    def speakers_of(self, tok: Any, by_token: dict[int, Mention]) -> set[int]:
        """``id`` of the mentions that speak of the deed ``tok`` names: not where it happened
        ("Duda called the Russian invasion a violation" is no invasion of Poland)."""
        if tok.dep_ in ("dobj", "oprd") and tok.head.lemma_.lower() in _SPEAKING:
            return {id(m) for m in self.subject(tok.head, by_token)}
        return set()

    def subject(self, tok: Any, by_token: dict[int, Mention]) -> list[Mention]:
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
        found: list[Mention] = []
        for child in tok.children:
            # a "by" agent is the source, also of a bare participle ("civilians killed by
            # Russian troops")
            if child.dep_ == "agent":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found.extend(self.actors(obj, by_token))
            if not passive and child.dep_ in SUBJECTS:
                found.extend(self.actors(child, by_token))  # headlines: "Iran, Russia sign"
        if found and not passive:
            # "Russia, Iran sign treaty": the parser hangs the first of a headline's listed
            # subjects on the verb, before a comma
            first = min((c.i for c in tok.children if c.dep_ in SUBJECTS), default=-1)
            for child in tok.children:
                if (
                    child.dep_ == "npadvmod"
                    and child.pos_ == "PROPN"
                    and child.i + 2 == first
                    and tok.doc[child.i + 1].lower_ == ","
                ):
                    found = self.actors(child, by_token) + found
        return unique(found)

    def circumstance_subject(self, tok: Any, by_token: dict[int, Mention]) -> list[Mention]:
        """Who took part in a meeting the clause happened in: the subject of its verb ("In a
        meeting with Putin, Khamenei stressed…")."""
        return self.subject(tok.head.head, by_token) if in_circumstance(tok) else []

    def prep_targets(
        self, tok: Any, by_token: dict[int, Mention], *, skip: frozenset[str] = frozenset()
    ) -> list[Mention]:
        found: list[Mention] = []
        for child in tok.children:
            if (
                child.dep_ in ("prep", "dative")
                and child.lower_ in _TARGET_PREPS
                and child.lower_ not in skip
            ):
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found.extend(self.actors(obj, by_token))
        return found

    def noun_agents(self, tok: Any, by_token: dict[int, Mention]) -> list[Mention]:
        """Who does what an action noun names: its possessor or modifier ("Israel's strikes",
        "US strikes") or its "by" agent."""
        found: list[Mention] = []
        for child in tok.children:
            if child.dep_ in ("poss", "amod", "compound", "nmod"):
                found += [m for t in child.subtree if (m := by_token.get(t.i)) and is_party(m)]
            if child.dep_ == "prep" and child.lower_ == "by":
                for obj in child.children:
                    found += self.actors(obj, by_token)
        return found

    def without_topics(
        self,
        tok: Any,
        kind: str,
        targets: list[Mention],
        by_token: dict[int, Mention],
        triggers: dict[int, Any],
    ) -> tuple[list[Mention], set[str]]:
        """``targets`` less the actors :meth:`topics` finds, and the victims it finds."""
        topical, victims = self.topics(tok, kind, by_token, triggers)
        return [m for m in targets if m.actor not in topical], victims

    def topics(
        self, tok: Any, kind: str, by_token: dict[int, Mention], triggers: dict[int, Any]
    ) -> tuple[set[str], set[str]]:
        """Actors that are only what an act is about, not its target: "talks on Ukraine",
        "criticised Iran over its programme"; and a verbal act on an action ("condemned the
        strikes on Iran", "condemns the war in Ukraine") targets whoever did the action, not
        whom it hit or where. Returns them, and of them the victims and places of a condemned
        deed, which no fallback takes as the target either."""
        topical: set[str] = set()
        victims: set[str] = set()
        for node in (tok, *(c for c in tok.children if c.dep_ in ("dobj", "attr"))):
            for child in node.children:
                word = child.lower_
                if child.dep_ == "prep" and (
                    word in _TOPIC_PREPS or (word == "on" and kind in _MUTUAL_TYPES)
                ):
                    topical |= {m.actor for t in child.subtree if (m := by_token.get(t.i))}
        if kind in VERBAL:
            for child in tok.children:
                if child.dep_ not in ("dobj", "pobj", "prep"):
                    continue
                action = next((g for g in (child, *child.children) if _deed(g, triggers)), None)
                if action is not None:
                    agents = {m.actor for m in self.noun_agents(action, by_token)}
                    about = {m.actor for t in action.subtree if (m := by_token.get(t.i))}
                    topical |= about - agents
                    if tok.lemma_.lower() in _CONDEMNING:
                        victims |= about - agents
        return topical, victims


#: Nouns of a deed that a verbal act can be about though no trigger codes them ("condemns the
#: war in Ukraine": the war is no event of its own, and Ukraine is not condemned).
_DEEDS = frozenset(
    "war aggression invasion occupation genocide massacre atrocity atrocities crime crimes"
    " violence terrorism bombing bombings".split()
)


def _deed(tok: Any, triggers: dict[int, Any]) -> bool:
    """Whether a token names an action: a trigger, or a noun of :data:`_DEEDS`."""
    return tok.i in triggers or (tok.pos_ == "NOUN" and tok.lemma_.lower() in _DEEDS)


def condemned(tok: Any) -> bool:
    """A deed noun that is the object of a verb of condemning ("Iran condemned the attack on
    Syria"): the condemner did not do it."""
    return tok.dep_ == "dobj" and tok.head.lemma_.lower() in _CONDEMNING


#: Prepositions of the circumstance a clause happened in ("during talks with Putin, Raisi
#: said…", "in a meeting with Putin, Khamenei stressed…").
_CIRCUMSTANCES = frozenset({"during", "after", "following", "amid", "before", "in", "at"})
#: Verbs whose "in"/"at" phrase is what they take part in ("took part in talks").
_TAKING_PART = frozenset({"take", "participate", "join", "engage", "attend", "hold", "involve"})


def taking_part(tok: Any) -> Any | None:
    """The verb of someone taking part in the event a noun names ("took part in talks with
    Lavrov", "participated in a meeting", "engaged in clashes"): its subject is a party of the
    event; ``None`` for any other noun."""
    if tok.dep_ != "pobj" or tok.head.lower_ != "in":
        return None
    verb = tok.head.head
    if verb.lower_ == "part" and verb.dep_ == "dobj":  # "in" attached to "part"
        verb = verb.head
    lemma = verb.lemma_.lower()
    if lemma == "take":
        part = any(c.dep_ == "dobj" and c.lower_ == "part" for c in verb.children)
        return verb if part else None
    return verb if lemma in ("participate", "engage") else None


def in_circumstance(tok: Any) -> bool:
    """Whether a noun is the circumstance of its clause's verb, not its object ("during talks",
    "in a meeting with", not "took part in talks")."""
    prep = tok.head
    verb = prep.head
    return (
        tok.dep_ == "pobj"
        and prep.lower_ in _CIRCUMSTANCES
        and verb.pos_ in ("VERB", "AUX")
        and not (prep.lower_ in ("in", "at") and verb.lemma_.lower() in _TAKING_PART)
    )


def _listed(doc: Any, first: Any, second: Any) -> bool:
    """Whether two modifiers of one noun are listed ("Iranian, Norwegian diplomats", "Iranian
    and Russian officials"), not stacked ("Russian-made Iranian drones")."""
    if first is None:
        return False
    between = doc[first.i + 1 : second.i]
    return len(between) >= 1 and all(t.lower_ in (",", "and") for t in between)


def fallback_target(
    tok: Any,
    by_token: dict[int, Mention],
    sources: list[Mention],
    *,
    physical: bool,
    mutual: bool = False,
    victims: set[str] | frozenset[str] = frozenset(),
) -> list[Mention]:
    """No syntactic target: the first actor after the trigger inside its phrase ("demanded that
    the DPRK forsake…", "threatened to launch an offensive against Iraq"). A place after *in*,
    *at* or *near* is where the event happened, not its target ("talks in Moscow"), except for
    physical events (a strike in Kyiv hits Ukraine)."""
    used = {m.actor for m in sources} | victims  # not the victims of a condemned deed
    for t in tok.subtree:
        m = by_token.get(t.i)
        if t.i <= tok.i or m is None or not is_party(m) or m.actor in used:
            continue
        if not physical and located(t) and (m.kind == "place" or mutual):
            continue  # "talks in Moscow", "a meeting in Istanbul"; "aid in Liberia" stays
        return [m]
    return []


def fallback_source(
    tok: Any, by_token: dict[int, Mention], targets: list[Mention]
) -> list[Mention]:
    """No syntactic source: the nearest actor before the trigger in its clause; none for a
    condemned deed (the condemner did not do it) nor for a passive verb, which names its doer
    by "by" or not at all ("… said many people have been killed")."""
    if condemned(tok) or any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children):
        return []
    used = {m.actor for m in targets}
    for i in range(tok.i - 1, -1, -1):
        t = tok.doc[i]
        if t.dep_ == "punct" and t.text in ";:":
            break
        m = by_token.get(i)
        if m is not None and is_party(m) and m.actor not in used:
            return [m]
    return []


def placed(code: Code) -> bool:
    """Does a place stand for the party this event is done to? For a physical act (a strike in
    Kyiv) and for a visit (arrived in Amman), yes; for talks in Moscow, no."""
    return code.type in PHYSICAL or code.cameo.startswith("042")


def located(tok: Any) -> bool:
    """Is the word inside a locative phrase ("in Moscow", "at the Kremlin")?"""
    node = tok
    for _ in range(3):
        if node.dep_ == "pobj" and node.head.lower_ in _LOCATIVE_PREPS:
            return True
        if node.head == node:
            return False
        node = node.head
    return False


def shifted(m: Mention, offset: int) -> Mention:
    """A mention with its offsets made relative to a sentence starting at ``offset``."""
    return replace(m, start=m.start - offset, end=m.end - offset)
