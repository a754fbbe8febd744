"""The clause around an English trigger: whether the outlet asserts the event or relays a claim
(reporting verbs, hedges, "according to"), whether it is negated or denied, whether it is only
intended, and its mood (a possibility, a fear, a plan, a cancelled or failed event)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...records import Mention
from .english_roles import CLIMB, SUBJECTS, EnglishRoles, in_circumstance
from .lexicon import Lexicon

_ARGUMENTS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "pobj"})
#: Clauses that hang on a noun of saying ("claims that…", "reports that…").
_NOUN_CLAUSES = frozenset({"acl", "dobj", "pobj", "prep", "nsubj"})
#: How a clause or phrase hangs on a claim noun ("claims that…", "claims about…").
_CLAIM_LINKS = frozenset({"acl", "relcl", "ccomp", "prep", "pobj", "appos"})
_SPEAKER_NOUNS = frozenset(
    "official officials spokesman spokeswoman spokesperson ministry minister president source"
    " sources government agency military army embassy diplomat diplomats analyst analysts"
    " expert experts media intelligence report reports statement".split()
)


class EnglishClauses:
    """Attribution, negation, intent and mood from the lexicon's cues."""

    def __init__(
        self, lexicon: Lexicon, roles: EnglishRoles, is_trigger: Callable[[Any], bool]
    ) -> None:
        self.lexicon = lexicon
        self.roles = roles
        self.is_trigger = is_trigger
        en = lexicon.en
        cues = en.get("cues", {})
        self.intent = frozenset(en.get("intent", []))
        self.reporting = frozenset(cues.get("reporting", []))
        self.denials = frozenset(cues.get("denials", []))
        self.claim_nouns = frozenset(cues.get("claim_nouns", []))
        self.falsity = frozenset(cues.get("falsity", []))
        self.negations = frozenset(cues.get("negations", []))
        self.hedges = [h.split(" ") for h in cues.get("hedges", [])]
        self.hypothetical = frozenset(cues.get("hypothetical", []))
        self.cancelled = frozenset(cues.get("cancelled", []))

    def attribution(
        self, tok: Any, doc: Any, by_token: dict[int, Mention], lowered: list[str]
    ) -> tuple[bool, str | None, bool]:
        """Whether the event at ``tok`` is asserted, who it is attributed to, and whether it is
        negated; ``lowered`` are the sentence's words in lower case."""
        asserted, attributed, negated = True, None, False
        # "without" on the trigger is its manner ("attacked without provocation"); the trigger
        # as the object of "without" is negated ("the day passed without strikes")
        if any(
            c.dep_ == "neg" or (c.lower_ in self.negations and c.lower_ != "without")
            for c in tok.children
        ) or (tok.head.lower_ == "without" and tok.dep_ in ("pobj", "pcomp")):
            negated = True
        # "no drones were supplied", "no missiles": a "no" on the trigger or an argument of it
        arguments = [tok, *(c for c in tok.children if c.dep_ in _ARGUMENTS)]
        if any(
            g.lower_ in ("no", "none") and g.dep_ == "det" for a in arguments for g in a.children
        ):
            negated = True
        node = tok
        hops = 0
        reported = False
        while node.head != node and hops < 6:
            parent = node.head
            if node.dep_ in SUBJECTS or (node.dep_ == "pobj" and in_circumstance(node)):
                break  # "During talks with Putin, Raisi said…": the outlet tells the talks
            lemma = parent.lemma_.lower()
            if lemma in _PROOF and _none(parent):
                negated, asserted = True, False  # "no evidence of an Iranian attack"
                break
            if lemma in self.denials and parent is not tok:
                # "Iran denied claims that it supplied drones": the denial covers the report
                negated, asserted = True, False
                attributed = _who(self.roles.subject(parent, by_token), parent) or attributed
                break
            if (
                parent.pos_ == "NOUN"
                and lemma in self.claim_nouns
                and node.dep_ in _CLAIM_LINKS
                and not reported
            ):
                # "allegations that Iran sent drones", "claims about Iran's supplies"
                asserted, reported = False, True
                attributed = _claimant(parent, by_token) or attributed
                if self._false(parent):
                    negated = True  # "unfounded allegations", "the claims lack any basis"
            clause = node.dep_ in CLIMB or node.dep_ in _NOUN_CLAUSES
            if (
                lemma in self.reporting
                and parent is not tok
                and clause
                and not reported
                and not _tallied(parent)
            ):
                asserted = False
                attributed = _who(self.roles.subject(parent, by_token), parent)
                reported = True
            node = parent
            hops += 1
        near = {t.lower_ for t in tok.subtree} | {t.lower_ for t in tok.children}
        near |= {t.lower_ for t in tok.head.children} if tok.head != tok else set()
        for hedge in self.hedges:
            if len(hedge) == 1 and hedge[0] in near:
                asserted = False
            elif len(hedge) > 1 and hedge[0] in lowered and _contains(lowered, hedge):
                asserted = False
                if hedge[:2] == ["according", "to"]:
                    attributed = attributed or _according_to(doc, by_token)
        return asserted, attributed, negated

    def _false(self, noun: Any) -> bool:
        """A claim called false: on the noun ("baseless claims") or by its predicate ("the
        claims are false", "the allegations lack any basis")."""
        if any(c.dep_ == "amod" and c.lower_ in self.falsity for c in noun.children):
            return True
        if noun.dep_ not in SUBJECTS:
            return False
        verb = noun.head
        if verb.lemma_.lower() in self.falsity:
            return True
        return any(
            c.dep_ in ("acomp", "attr") and c.lemma_.lower() in self.falsity for c in verb.children
        )

    def mood(self, tok: Any) -> str:
        """``hypothetical`` for a trigger under a modal, a condition or a word of fear, chance
        or plan ("could strike", "if Iran supplies", "fears of an invasion", "plans to visit");
        ``cancelled`` for one under cancelling or failing ("the cancelled meeting", "failed to
        reach a deal"); ``past`` for history recounted years back ("signed a deal 20 years
        ago"); else ``fact``."""
        if _years_ago(tok):
            return "past"
        if tok.pos_ == "VERB" and any(
            c.dep_ == "advmod" and c.lower_ in ("nearly", "almost") for c in tok.children
        ):
            return "cancelled"  # "a jet nearly hit a plane": it did not happen
        if (
            tok.dep_ == "ROOT"
            and any(c.dep_ == "aux" and c.tag_ == "TO" for c in tok.children)
            and any(c.dep_ in SUBJECTS for c in tok.children)
        ):
            return "hypothetical"  # a headline's "Putin to visit Iran": announced, not done
        node, hops = tok, 0
        while True:
            for child in node.children:
                word = child.lower_
                if child.dep_ in ("aux", "mark") and word in self.hypothetical:
                    return "hypothetical"
                if child.dep_ == "amod" and child.i < node.i and word in self.hypothetical:
                    return "hypothetical"  # "a possible / an imminent attack"
                if child.dep_ in ("amod", "advmod", "prt") and word in self.cancelled:
                    return "cancelled"
            if node.head == node or hops >= 3:
                return "fact"
            if node.dep_ in SUBJECTS | {"nsubjpass"}:
                # "the meeting was cancelled", "the talks failed"
                verb = node.head
                cancelled = verb.lemma_.lower() in self.cancelled or verb.lower_ in self.cancelled
                if cancelled:
                    return "cancelled"
                # "a scenario in which an invasion would begin", "strikes could follow": the
                # subject's verb under a modal, or in a clause of a word of chance or fear
                modal = any(
                    c.dep_ == "aux" and c.lower_ in self.hypothetical for c in verb.children
                )
                conditional = verb.dep_ in ("relcl", "advcl", "ccomp", "acl") and (
                    verb.head.lemma_.lower() in self.hypothetical
                    or any(
                        c.dep_ == "mark" and c.lower_ in self.hypothetical for c in verb.children
                    )
                )
                return "hypothetical" if modal or conditional else "fact"
            parent = node.head
            lemma = parent.lemma_.lower()
            if lemma in _CEASE:
                return "fact"  # "urged Israel to stop its strikes": the strikes are going on
            if lemma in self.cancelled or parent.lower_ in self.cancelled:
                return "cancelled"
            if lemma in self.hypothetical or parent.lower_ in self.hypothetical:
                return "hypothetical"
            if node.dep_ == "xcomp" and lemma == "about":
                return "hypothetical"  # "Russia about to strike": not yet
            if node.dep_ == "xcomp" and lemma in self.intent and self.is_trigger(parent):
                return "hypothetical"  # "want to fight": the wish is coded, the fight is not one
            if lemma in _ENABLING and any(
                c.dep_ == "aux" and (c.lower_ in _WILL or c.lower_ in self.hypothetical)
                for c in parent.children
            ):
                return "hypothetical"  # "the aid will help Ukraine defeat the invaders": not yet
            if lemma in self.reporting or lemma in self.denials:
                return "fact"  # the reported clause's own mood was checked; the report is not
            node, hops = parent, hops + 1

    def intended(self, tok: Any) -> bool | None:
        """``None`` for an action reported as done; for one only intended, promised or planned
        ("will provide", "is ready to send", "plans to impose"), whether the intent is negated
        ("will not meet the demands")."""
        if tok.pos_ not in ("VERB", "AUX"):
            return None
        for child in tok.children:
            if child.dep_ == "aux" and child.lemma_.lower() in _WILL:
                return any(c.dep_ == "neg" for c in tok.children)
        node = tok
        for _ in range(2):
            if node.dep_ not in ("xcomp", "ccomp") or node.head == node:
                return None
            head = node.head
            if head.lemma_.lower() in self.intent and not self.is_trigger(head):
                return any(c.dep_ == "neg" for c in head.children)
            if _obliged(head):
                # "would have to cooperate", "need to expand ties": a stated need, not a deed
                return any(c.dep_ == "neg" for c in head.children)
            if head.lemma_.lower() in ("be",):
                return None
            node = head
        return None

    def as_intent(self, code: Any, *, negated: bool) -> Any:
        """The intent form of an action's code: cooperation → AGREE (a negated one → REJECT),
        conflict → THREATEN; verbal acts stay as they are."""
        if code.quad == "material_cooperation" or code.type in ("CONSULT", "SUPPORT", "CONCEDE"):
            return self.lexicon.code("120" if negated else "030")
        if code.quad == "material_conflict":
            return self.lexicon.code("130")
        return None


#: Nouns of proof: "there was no evidence of an attack" denies the attack.
_PROOF = frozenset("evidence proof sign indication trace".split())


def _none(noun: Any) -> bool:
    """ "no evidence", "not any proof", "found no sign": the noun is denied."""
    if any(c.lower_ in ("no", "zero") and c.dep_ == "det" for c in noun.children):
        return True
    verb = noun.head
    return noun.dep_ in ("dobj", "attr") and any(c.dep_ == "neg" for c in verb.children)


#: What is "reported" in a tally of harm ("…, casualties reported"): no speaker.
_TALLIES = frozenset(
    "casualty death injury damage loss victim fatality explosion blast fire injured dead".split()
)


def _tallied(verb: Any) -> bool:
    """A reporting verb whose subject is harm, not a teller: "Russian forces shell Mykolaiv,
    casualties reported" tells the shelling in the outlet's own voice."""
    return any(c.dep_ in SUBJECTS and c.lemma_.lower() in _TALLIES for c in verb.children)


def _who(subjects: list[Mention], verb: Any) -> str | None:
    """Who says it: an actor, else the subject phrase when it names someone (a name, "officials",
    "the ministry"); never a bare pronoun or a place."""
    if subjects:
        return subjects[0].actor
    for child in verb.children:
        if child.dep_ in SUBJECTS and (
            child.pos_ == "PROPN" or child.lemma_.lower() in _SPEAKER_NOUNS
        ):
            return " ".join(t.text for t in child.subtree)[:120]
    return None


def _claimant(noun: Any, by_token: dict[int, Mention]) -> str | None:
    """Whose claim a claim noun is: its possessor ("Ukraine's assertion") or its "by" agent
    ("remarks by the British foreign secretary")."""
    for child in noun.children:
        owner = None
        if child.dep_ == "poss":
            owner = child
        elif child.dep_ == "prep" and child.lower_ == "by":
            owner = next((c for c in child.children if c.dep_ == "pobj"), None)
        if owner is not None:
            for t in owner.subtree:
                if t.i in by_token:
                    return by_token[t.i].actor
            return " ".join(t.text for t in owner.subtree)[:120]
    return None


def _according_to(doc: Any, by_token: dict[int, Mention]) -> str | None:
    for tok in doc:
        if tok.lower_ == "according":
            for prep in tok.children:
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        for t in obj.subtree:
                            if t.i in by_token:
                                return by_token[t.i].actor
                        return " ".join(t.text for t in obj.subtree)[:120]
    return None


def _contains(words: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return any(words[i : i + n] == phrase for i in range(len(words) - n + 1))


_CEASE = frozenset({"stop", "cease", "halt", "end"})
"""Verbs whose object is an act already going on, whatever is said of stopping it."""

_LONG_AGO = frozenset({"year", "years", "decade", "decades", "century", "centuries"})


def _years_ago(tok: Any) -> bool:
    """Is the trigger placed years back ("signed a deal 20 years ago", "a decade ago")?"""
    for child in tok.children:
        if child.lower_ == "ago" and any(t.lower_ in _LONG_AGO for t in child.subtree):
            return True
    return False


#: Auxiliaries of a future, a duty or a need ("will supply", "must cooperate").
_WILL = frozenset({"will", "would", "shall", "must", "should", "ought"})
#: Verbs of making an act possible: under a future or a modal, the act has not happened ("will
#: help Ukraine defeat…"); in the past it has ("helped Ukraine repel the attack").
_ENABLING = frozenset({"help", "enable", "assist"})


def _obliged(head: Any) -> bool:
    """A present or future "have to" / "need to" over the action ("would have to cooperate",
    "need to strengthen ties"); a past one tells it was done ("had to retreat")."""
    lemma = head.lemma_.lower()
    if lemma not in ("have", "need"):
        return False
    future = any(c.dep_ == "aux" and c.lemma_.lower() in _WILL for c in head.children)
    return future or head.tag_ in ("VBP", "VBZ", "VB")


#: Nouns of a moment an event noun after "of" dates something by: "since the start of the war".
_MOMENTS = frozenset("start beginning launch outbreak onset".split())
#: Spans of time: "day 40 of the invasion", "months into the war".
_SPANS = frozenset(
    "day days week weeks month months year years anniversary morning night hour hours".split()
)
#: Nouns of withstanding a war: "the 58th day of the resistance to the invasion" dates it too.
_RESISTING = frozenset("resistance opposition struggle defence defense fight".split())


def time_reference(tok: Any) -> bool:
    """Is an event noun only a point in time ("since the Russian invasion", "since the start of
    Russia's invasion", "day 40 of the invasion", "months into the war", "since the invasion
    began")? The guide codes no date stamp; "after the killing of …" stays an event."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    head = tok.head
    if tok.dep_ == "pobj" and (
        head.lower_ in ("since", "before") or (head.lower_ == "to" and head.head.lower_ == "prior")
    ):
        return True  # "since the invasion", "prior to the Russian invasion"
    if tok.dep_ == "pobj" and head.lower_ == "into" and head.head.lower_ in _SPANS:
        return True
    if tok.dep_ == "pobj" and head.lower_ in ("to", "against") and head.head.lemma_ in _RESISTING:
        tok, head = head.head, head.head.head  # "day 58 of the resistance to the invasion"
    if tok.dep_ == "pobj" and head.lower_ == "of":
        owner = head.head
        if owner.like_num and owner.head.lemma_.lower() in _SPANS:
            owner = owner.head  # "week one of the invasion"
        if owner.lemma_.lower() in _SPANS or (
            owner.lemma_.lower() in _MOMENTS
            and owner.dep_ == "pobj"
            and owner.head.lower_ in ("since", "after", "before", "until")
        ):
            return True
    return (
        tok.dep_ in ("nsubj", "nsubjpass")
        and head.lemma_.lower() in ("begin", "start", "launch")
        and any(
            c.dep_ == "mark" and c.lower_ in ("since", "after", "before", "until")
            for c in head.children
        )
    )  # "since / eight months after / before the invasion began"


def described_or_dated(tok: Any) -> bool:
    """A trigger word that names no event here: a description ("Russia-backed separatists",
    "US-led") or a date (:func:`time_reference`). A war framed with its attacker, even as the
    topic of a report ("operational information regarding the Russian invasion"), stays one,
    as the guide and the training labels code it."""
    return (
        tok.dep_ == "amod"
        or (tok.dep_ == "compound" and tok.tag_ in ("VBN", "VBD"))
        or time_reference(tok)
    )
