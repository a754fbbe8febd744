"""English event coder: CAMEO verb/noun triggers on a spaCy dependency parse.

For each sentence that names at least one actor and contains a possible trigger word, the parse
gives, per trigger:

* the CAMEO code: the verb's code refined by the object patterns of its CAMEO synonym block
  ("sign * {&MILITARY &TREATY}" → 0312), then its military/economic/humanitarian sense when the
  sentence names weapons, trade or relief;
* the source: the subject (``nsubj``), the ``by`` agent of a passive, a possessive or adjective
  on a noun trigger ("Iran's deliveries", "Iranian drones"), the subject of a light verb ("held
  talks"), or the subject inherited from the governing verb ("agreed to supply");
* the target: the direct or indirect object, the passive subject, or the object of *to, with,
  against, on, at, into, toward, from, of*;
* conjoined actors ("Putin and Pezeshkian signed") multiply the events; symmetric types
  (consult, agree, cooperate, support) with several sources and no target pair them both ways;
* attribution: an event inside the complement of a reporting verb ("officials said Iran
  supplied…"), under a hedge ("reportedly", "alleged", "according to X") is not asserted and is
  attributed to the reporting subject or the *according to* source; an event under a denial
  ("Iran denies sending missiles") or with a negation is ``negated`` (the denial itself is a
  REJECT event by the denier).
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ...records import Event, Mention
from .attribution import asserted_statement, headline_source, speaker_of
from .common import (
    NOT_BY_ORIGIN,
    PHYSICAL,
    SYMMETRIC,
    coded_event,
    domestic_target,
    is_party,
    is_self_loop,
    one_per_dyad,
    pair_target,
    role_pairs,
    sentence_context,
    without_dateline,
    without_seats,
)
from .english_clauses import EnglishClauses, described_or_dated
from .english_parse import SpacyUnavailable, english_pipeline, restored
from .english_roles import (
    SUBJECTS,
    EnglishRoles,
    fallback_source,
    fallback_target,
    in_circumstance,
    placed,
    shifted,
    taking_part,
)
from .lexicon import Lexicon, load_lexicon
from .sentence_parts import sentences
from .signals import Coded, Signals, confidence_model

CODER = "en.syntax.v1"
_HEADLINE_SOURCE = re.compile(
    r"(?:[-–—:|]\s*(?:report|reports|media|sources?|officials?|reuters|ap|afp|tass|irna)"
    r"|\b(?:report|reports|media|sources?|officials?) (?:says?|claims?))\s*$",
    re.IGNORECASE,
)
MAX_PARSED_SENTENCES = 80
#: Weapons that change hands between states: their country of origin is often not their user's
#: (jets, troops, forces and warships are named after whoever has them).
_TRANSFERRED = frozenset(
    "drone drones uav uavs missile missiles rocket rockets munition munitions ammunition shell"
    " shells weapon weapons arms tank tanks shahed shaheds geran".split()
)
_USE_VERBS = frozenset({"use", "employ", "launch", "fire", "deploy"})
#: Verbs of acquiring: with a transferred weapon as object they code the transfer, the
#: acquirer its recipient ("Russia received Iranian drones": AID IRN→RUS).
_ACQUIRE = frozenset("receive acquire obtain buy purchase get".split())
_ACQUIRING = frozenset(
    "receive receives received receiving acquire acquires acquired acquiring obtain obtains"
    " obtained obtaining buy buys bought buying purchase purchases purchased purchasing get"
    " gets got getting".split()
)
_SUPPLY = "supply"
#: Verbs that only tell what their clause says ("admits supplying drones", "confirmed that
#: talks were held"): no event of their own when they have one (warnings and accusations do).
_TELLING = frozenset({"admit", "acknowledge", "confirm", "reveal", "indicate", "note", "state"})
#: Relative pronouns standing for the object of a trigger ("the deal - which Iran struck").
_RELATIVE = frozenset({"which", "that"})
#: "Iranian-made", "Russian-built": the second word of an origin compound.
_MADE = frozenset("made built designed produced manufactured supplied origin".split())
#: Attacks made of words: "information attacks", "a verbal attack".
_WORDS_ONLY = frozenset("information verbal rhetorical media propaganda smear personal".split())
#: Verbs of attack that, on a person and for something said or done, are a verbal attack.
_ATTACKING = frozenset({"attack", "slam", "blast", "lash", "hit"})


def _verbal_attack(tok: Any, targets: Sequence[Mention]) -> bool:
    """ "Kanaani attacked Macron for his remarks": an attack verb on people, for a reason."""
    return (
        tok.lemma_.lower() in _ATTACKING
        and bool(targets)
        and all(m.kind == "person" for m in targets)
        and any(c.dep_ == "prep" and c.lower_ in ("for", "over") for c in tok.children)
    )


#: Verbs that name something when they take two objects ("calls the strike a war crime").
_NAMING = frozenset({"call", "name", "label", "brand", "dub", "term", "describe"})


def _names(tok: Any) -> bool:
    """Two objects, or an object and its predicate: "calls the strike a war crime"."""
    objects = [c for c in tok.children if c.dep_ in ("dobj", "oprd")]
    return len(objects) > 1 or any(c.dep_ == "oprd" for c in objects)


#: Triggers of a journey: travellers named together are not each other's hosts.
_JOURNEYS = frozenset({"visit", "travel", "arrive", "tour", "fly", "head", "come", "go"})


def _is_arms(tok: Any) -> bool:
    return tok.lemma_.lower() in _TRANSFERRED or tok.lower_ in _TRANSFERRED


def spacy_available() -> bool:
    try:
        english_pipeline()
    except SpacyUnavailable:
        return False
    return True


#: Parses kept for sentences met again (a batch parsed ahead, repeated lines and headlines).
PARSE_CACHE = 2048


class EnglishCoder:
    """Code the English sentences of one field of an article."""

    name = CODER

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or load_lexicon()
        en = self.lexicon.en
        self.verbs: dict[str, list[Any]] = en["verbs"]
        self.forms: dict[str, str] = en["forms"]
        self.patterns: dict[str, list[list[Any]]] = en["patterns"]
        self.nouns: dict[str, str] = en["nouns"]
        self.light = frozenset(en.get("light_verbs", []))
        self.transitive = frozenset(en.get("transitive_verbs", []))
        self.curated = frozenset(en.get("curated_verbs", []))
        cues = en.get("cues", {})
        self.military = frozenset(cues.get("military_words", []))
        self.economic = frozenset(cues.get("economic_words", []))
        self.humanitarian = frozenset(cues.get("humanitarian_words", []))
        self.sports = frozenset(cues.get("sports", []))
        self.markets = frozenset(cues.get("markets", []))
        self.object_veto = {k: frozenset(v) for k, v in en.get("object_veto", {}).items()}
        self.object_code: dict[str, dict[str, str]] = en.get("object_code", {})
        self.model = confidence_model()
        self.roles = EnglishRoles(self.light)
        self.clauses = EnglishClauses(
            self.lexicon, self.roles, lambda tok: self._trigger(tok) is not None
        )
        self._parsed: dict[str, Any] = {}
        self._parse_lock = threading.Lock()

    # -------------------------------------------------------------------------------------
    def to_parse(self, text: str, mentions: Sequence[Mention]) -> list[str]:
        """The sentences of ``text`` that :meth:`coded` parses."""
        mentions = without_seats(text, without_dateline(text, mentions))
        spans = self.candidates(text, mentions)[:MAX_PARSED_SENTENCES]
        return [restored(text[s:e]) for s, e in spans]

    def parse(self, sentences: Sequence[str]) -> list[Any]:
        """spaCy's parse of each sentence. Each sentence is a document of its own, so its parse
        does not depend on the sentences parsed with it: those not parsed lately are parsed in
        one batch (the cost of a spaCy call is per batch as much as per sentence), the last
        :data:`PARSE_CACHE` are kept for sentences met again."""
        with self._parse_lock:
            cache = self._parsed
            missing = list(dict.fromkeys(s for s in sentences if s not in cache))
            excess = len(cache) + len(missing) - PARSE_CACHE
            if missing and excess > 0:  # the oldest go first, never one asked for here
                wanted = set(sentences)
                for old in [s for s in cache if s not in wanted][:excess]:
                    del cache[old]
            if missing:
                nlp = english_pipeline()
                cache.update(zip(missing, nlp.pipe(missing, batch_size=64), strict=True))
            return [cache[s] for s in sentences]

    # -------------------------------------------------------------------------------------
    def candidates(self, text: str, mentions: Sequence[Mention]) -> list[tuple[int, int]]:
        """Sentences worth parsing: at least one non-weapon actor and a possible trigger."""
        spans = []
        actors = sorted((m for m in mentions if is_party(m)), key=lambda m: m.start)
        starts = [m.start for m in actors]
        for start, end in sentences(text):
            inside = actors[bisect_left(starts, start) : bisect_left(starts, end)]
            if not inside:
                continue
            pieces, at = [], start
            for m in inside:  # words of actor names ("United States") are not triggers
                pieces.append(text[at : m.start] if m.start > at else "")
                pieces.append(" ")
                at = max(at, min(m.end, end))
            pieces.append(text[at:end])
            words = {w.strip(".,;:!?\"'()«»“”’").lower() for w in "".join(pieces).split()}
            if words & self.lexicon.surface or (words & _ACQUIRING and words & _TRANSFERRED):
                spans.append((start, end))
        return spans

    def code(self, text: str, mentions: Sequence[Mention], *, field: str = "text") -> list[Event]:
        return [c.event for c in self.coded(text, mentions, field=field)]

    def coded(self, text: str, mentions: Sequence[Mention], *, field: str = "text") -> list[Coded]:
        """The events of ``text`` with the signals each rests on."""
        mentions = without_seats(text, without_dateline(text, mentions))
        # Parsing is the cost: of a very long text (a speech transcript) the first
        # MAX_PARSED_SENTENCES candidate sentences are coded.
        spans = self.candidates(text, mentions)[:MAX_PARSED_SENTENCES]
        if not spans:
            return []
        found: list[Coded] = []
        docs = self.parse([restored(text[s:e]) for s, e in spans])
        for (start, end), doc in zip(spans, docs, strict=True):
            inside = [m for m in mentions if start <= m.start and m.end <= end]
            found.extend(self._sentence(doc, start, end, inside, field))
        if field == "title" and _HEADLINE_SOURCE.search(text):
            # "Iran hands over missiles to Russia - report": the headline relays a report
            found = [
                Coded(replace(c.event, asserted=False), c.signals) if c.event.asserted else c
                for c in found
            ]
        return found

    # -------------------------------------------------------------------------------------
    def _sentence(
        self, doc: Any, start: int, end: int, mentions: list[Mention], field: str
    ) -> list[Coded]:
        by_token: dict[int, Mention] = {}
        tokens = list(doc)  # spaCy makes a new Token object at each step of each pass
        offsets = [start + tok.idx for tok in tokens]  # tok.i is the position in the doc
        for m in mentions:
            for i, at in enumerate(offsets):
                if m.start <= at < m.end:
                    by_token[i] = m
        lowered = [t.lower_ for t in tokens]
        words = set(lowered) | {t.lemma_.lower() for t in tokens}
        has_weapon = any(m.kind == "weapon" for m in mentions)
        context = sentence_context(words, sports=self.sports, markets=self.markets)
        sentence_text = doc.text  # the sentence (spaCy joins its tokens for each read)
        question = sentence_text.rstrip().endswith("?")
        party_mentions = [m for m in mentions if is_party(m)]
        parties = len({m.actor for m in party_mentions})
        told_by = headline_source(sentence_text, 0, len(sentence_text), mentions, start)
        if told_by is not None:
            # the source's own name is not a party: "Al Hadath: Israeli jets struck Beirut"
            by_token = {i: m for i, m in by_token.items() if not told_by.names(tokens[i].idx)}
        events: list[Coded] = []
        label = told_by if told_by is not None and not told_by.teller else None
        triggers = {
            tok.i: t
            for tok in tokens
            if not (label and label.start <= tok.idx < label.end)  # "Russian losses: …"
            and (t := self._trigger(tok)) is not None
        }
        acquired = {
            tok.i
            for tok in tokens
            if tok.lemma_.lower() in _ACQUIRE and tok.pos_ == "VERB" and self._arms(tok)
        }
        for i in acquired:
            triggers[i] = (self.verbs[_SUPPLY][0], "", tokens[i].text)  # no block: plain supply
        for tok in tokens:
            trigger = triggers.get(tok.i)
            if trigger is None:
                continue
            if tok.pos_ in ("NOUN", "PROPN") and self._governed_by(tok, trigger, triggers):
                continue  # "imposed sanctions", "signed a treaty": the verb's event covers it
            if described_or_dated(tok):
                continue  # "Russia-backed separatists": a description; "since the invasion": a date
            if (
                tok.dep_ in ("compound", "nmod")
                and tok.head.i not in triggers
                and tok.head.lemma_.lower() in self.military
            ):
                continue  # "attack drones", "strike aircraft": a kind of weapon, not an attack
            if any(
                c.dep_ in ("amod", "compound") and c.lower_ in _WORDS_ONLY for c in tok.children
            ):
                continue  # "Russia's information attacks", "a verbal attack": no violence
            cameo, block, phrase = trigger
            objects = {
                c.lemma_.lower() for c in tok.children if c.dep_ in ("dobj", "attr", "nsubjpass")
            }
            if (tok.dep_ == "acl" and tok.tag_ == "VBN") or (tok.dep_ == "relcl" and not objects):
                # "exercises jointly executed by …", "the deal Iran struck with …"
                objects.add(tok.head.lemma_.lower())
            relative = [c.i for c in tok.children if c.dep_ == "dobj" and c.lower_ in _RELATIVE]
            if relative:  # "the deal - which Iran struck with …": the noun before "which"
                j = relative[0]
                before = [t for t in doc[max(0, j - 4) : j] if t.pos_ in ("NOUN", "PROPN")]
                objects |= {before[-1].lemma_.lower()} if before else set()
            lemma = tok.lemma_.lower()
            if objects & self.object_veto.get(lemma, frozenset()):
                continue  # "meet the requirements", "released a video"
            if lemma in self.transitive and not objects and tok.pos_ == "VERB":
                continue  # "students are studying at Russian universities"
            if lemma in _TELLING and any(
                c.dep_ in ("ccomp", "xcomp", "pcomp") or (c.dep_ == "dobj" and c.tag_ == "VBG")
                for c in tok.children
            ):
                continue  # "Iran admits supplying drones": a statement of what is told
            by_object = self.object_code.get(lemma, {})
            recoded = next((by_object[o] for o in sorted(objects) if o in by_object), None)
            if recoded is not None:
                cameo, block = recoded, ""  # "lift sanctions" is a concession
            cameo = self._refine(tok, cameo, block, by_token)
            if cameo is None:
                continue
            cameo = self._sense(cameo, words, has_weapon)
            code = self.lexicon.code(cameo)
            if code is None:
                continue
            intended = self.clauses.intended(tok)
            if intended is not None:
                code = self.clauses.as_intent(code, negated=intended) or code
            roles_by = by_token
            if code.type in NOT_BY_ORIGIN:
                # "Russia struck Kyiv with Iranian drones": where a weapon comes from is no party
                roles_by = {i: m for i, m in by_token.items() if not self._origin(doc[i])}
            sources, targets = self.roles.find(tok, roles_by, physical=code.type in PHYSICAL)
            if code.type == "CONSULT" and not sources:
                sources = self.roles.circumstance_subject(tok, roles_by)
            if code.type == "ASSAULT" and _verbal_attack(tok, targets):
                code = self.lexicon.code("111") or code  # "attacked Macron for his remarks"
            if code.type == "AID":
                transfer = self._transfer_roles(
                    tok, sources, targets, roles_by, acquired=tok.i in acquired
                )
                if transfer is None:
                    continue  # acquired, but from whom or by whom is unknown
                sources, targets = transfer
            kept_ids = {id(m) for m in roles_by.values()}
            # a label's state is no party, but it may be where an act happened ("Ukraine
            # conflict: Russian soldiers seen killing civilians")
            sayers = self.roles.speakers_of(tok, roles_by)
            scene_parties = [
                m
                for m in party_mentions
                if (id(m) in kept_ids or (label is not None and label.names(m.start - start)))
                and id(m) not in sayers
            ]
            targets, hit = self.roles.without_topics(tok, code.type, targets, roles_by, triggers)
            source_via = "syntax" if sources else "none"
            target_via = "syntax" if targets else "none"
            if not targets:
                targets = fallback_target(
                    tok, roles_by, sources, physical=placed(code),
                    mutual=code.type == "CONSULT", victims=hit,
                )  # fmt: skip
                target_via = "fallback" if targets else "none"
            if not sources:
                sources = fallback_source(tok, roles_by, targets)
                source_via = "fallback" if sources else "none"
            if not sources and not targets:
                continue
            asserted, attributed, negated = self.clauses.attribution(tok, doc, by_token, lowered)
            if told_by is not None and told_by.covers(tok.idx):
                asserted = False
                attributed = attributed or speaker_of(
                    told_by, sentence_text, [shifted(m, start) for m in mentions]
                )
            mood = "hypothetical" if question else self.clauses.mood(tok)
            tier = "curated" if self._curated(tok, phrase) else "lexicon"
            mutual = code.type in SYMMETRIC and tok.lemma_.lower() not in _JOURNEYS
            pairs = role_pairs(sources, targets, symmetric=mutual)
            for src, tgt in pairs:
                tgt, tgt_via = pair_target(
                    code.type, src, tgt, sources=sources, parties=scene_parties,
                    source_via=source_via, target_via=target_via,
                )  # fmt: skip
                said = asserted or asserted_statement(
                    code.type, src.country if src else None, attributed, mentions
                )
                signals = Signals(
                    language="en", tier=tier, source=source_via if src else "none",
                    target=tgt_via if tgt else "none", mood=mood, context=context,
                    self_loop=is_self_loop(src, tgt, code.type), kind=code.type,
                    trigger=tok.lemma_.lower(), noun=tok.pos_ in ("NOUN", "PROPN"),
                    clause=tok.dep_, parties=parties, asserted=said, negated=negated,
                    title=field == "title", source_kind=src.kind if src else "",
                    target_kind=tgt.kind if tgt else "",
                )  # fmt: skip
                event = coded_event(
                    code, src, tgt, sentence=(start, end), trigger=phrase, asserted=said,
                    attributed_to=attributed, negated=negated,
                    confidence=self.model.confidence(signals), coder=CODER, field=field,
                    signals=signals,
                    domestic=None if tgt else domestic_target(code.type, src, party_mentions),
                )  # fmt: skip
                events.append(Coded(event, signals))
        return one_per_dyad(events)

    def _trigger(self, tok: Any) -> tuple[str | None, str, str] | None:
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "NOUN" and tok.tag_ == "VBG"):
            if lemma in _NAMING and _names(tok):
                return None  # "calls the strike a murderous act": naming, not calling on anyone
            for child in tok.children:
                if child.dep_ in ("prt", "prep") and f"{lemma} {child.lower_}" in self.verbs:
                    if child.dep_ == "prep" and any(
                        c.dep_ == "dobj" and c.i < child.i for c in tok.children
                    ):
                        continue  # "calls strike on Kremenchuk …": the object's phrase
                    code, block = self.verbs[f"{lemma} {child.lower_}"]
                    return code, block, f"{tok.text} {child.text}"
            if lemma in self.verbs:
                code, block = self.verbs[lemma]
                if code or self.patterns.get(block):
                    return code, block, tok.text
            return None
        if tok.pos_ in ("NOUN", "PROPN"):
            compound = [c for c in tok.children if c.dep_ == "compound" and c.i == tok.i - 1]
            if compound:
                phrase = f"{compound[0].lower_} {tok.lower_}"
                for key in (phrase, f"{compound[0].lemma_.lower()} {lemma}"):
                    if key in self.nouns:
                        return self.nouns[key], "", f"{compound[0].text} {tok.text}"
            for key in (tok.lower_, lemma):
                if key in self.nouns:
                    return self.nouns[key], "", tok.text
        return None

    def _arms(self, tok: Any) -> Any:
        """The transferred weapon a verb moves ("supplied drones", "drones were supplied",
        "provided Russia with missiles"), or ``None``."""
        for child in tok.children:
            if child.dep_ in ("dobj", "nsubjpass"):
                if _is_arms(child):
                    return child
                for prep in child.children:  # "hundreds of drones", "a batch of missiles"
                    if prep.dep_ == "prep" and prep.lower_ == "of":
                        for obj in prep.children:
                            if obj.dep_ == "pobj" and _is_arms(obj):
                                return obj
            if child.dep_ == "prep" and child.lower_ == "with":
                for obj in child.children:
                    if obj.dep_ == "pobj" and _is_arms(obj):
                        return obj
        return None

    def _transfer_roles(
        self,
        tok: Any,
        sources: list[Mention],
        targets: list[Mention],
        by_token: dict[int, Mention],
        *,
        acquired: bool,
    ) -> tuple[list[Mention], list[Mention]] | None:
        """Roles of a transfer of arms (``None``: an acquisition with no known supplier or
        recipient, no event). The state a weapon is named after is its supplier, not
        a recipient, when nobody else supplies it ("Iranian drones were supplied to Russia");
        an acquirer is the recipient and the weapon's state or the one it came "from" the
        supplier ("Russia received Iranian drones", "bought missiles from North Korea")."""
        weapon = self._arms(tok)
        if weapon is None:
            return sources, targets
        makers = [
            m
            for t in weapon.subtree
            if t.i != weapon.i
            and t.dep_ in ("amod", "compound", "nmod", "poss", "npadvmod")
            and (m := by_token.get(t.i)) is not None
            and is_party(m)
        ]
        if acquired:
            given = [
                m
                for child in tok.children
                if child.dep_ == "prep" and child.lower_ == "from"
                for obj in child.children
                if (m := by_token.get(obj.i)) is not None and is_party(m)
            ]
            supplier = given or makers
            if not supplier or not sources:
                return None
            return supplier[:1], sources
        if not makers:
            return sources, targets
        maker_ids = {id(m) for m in makers}
        targets = [m for m in targets if id(m) not in maker_ids]
        if not sources:
            sources = makers[:1]
        return sources, targets

    def _origin(self, tok: Any) -> bool:
        """Does this actor word describe a weapon used as an instrument ("struck Kyiv with
        Iranian drones", "launched Iranian missiles") or say where it was made ("shot down
        Iranian-made drones")? Then it names where the weapon comes from, not who acts or who is
        hit ("shot down Israeli drones" names the target)."""
        node = tok
        made = False
        for _ in range(3):
            while node.dep_ == "conj" and node.head != node:
                node = node.head  # "Iranian and North Korean missiles"
            if node.dep_ not in ("amod", "compound", "nmod", "poss", "npadvmod"):
                return False
            node = node.head
            made = made or node.lower_ in _MADE
            if node.lemma_.lower() in _TRANSFERRED or node.lower_ in _TRANSFERRED:
                if made:  # "Iranian-made drones": where they come from, whoever has them
                    return True
                head = node.head
                if node.dep_ == "pobj":
                    return head.lower_ in ("with", "using")
                return node.dep_ == "dobj" and head.lemma_.lower() in _USE_VERBS
        return False

    def _governed_by(self, tok: Any, trigger: Any, triggers: dict[int, Any]) -> bool:
        """Is this noun trigger the object of a verb trigger that codes the same event ("signed
        a treaty") or carries it ("imposed sanctions", "held talks")? An action named by a
        verbal act ("condemned the strikes") is an event of its own."""
        if tok.dep_ not in ("dobj", "pobj", "attr", "oprd", "nsubjpass", "conj"):
            return False  # a subject ("the signing … took place") is its own event
        if in_circumstance(tok):
            return False  # "during talks with Putin, Raisi said": the talks are an event
        if taking_part(tok) is not None:
            return False  # "took part in talks": the talks are the event
        head = tok.head
        if tok.dep_ == "pobj" and head.head != head:
            head = head.head
        if head.i == tok.i or head.i not in triggers or head.pos_ not in ("VERB", "AUX"):
            return False
        if head.lemma_.lower() in self.light:
            return True
        own, governing = self.lexicon.code(trigger[0]), self.lexicon.code(triggers[head.i][0])
        return own is None or governing is None or own.type == governing.type

    def _curated(self, tok: Any, phrase: str) -> bool:
        """A trigger from Parallax's own lexicon (verbs and nouns chosen for news on states),
        not one of the thousands of the CAMEO verb dictionary."""
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("NOUN", "PROPN"):
            return True  # noun triggers are all curated
        return lemma in self.curated or phrase.lower() in self.curated

    def _refine(
        self, tok: Any, cameo: str | None, block: str, by_token: dict[int, Mention]
    ) -> str | None:
        patterns = self.patterns.get(block) if block else None
        if not patterns or tok.lemma_.lower() in self.curated:
            return cameo
        bag = set()
        for child in tok.children:
            if child.dep_ in SUBJECTS or child.dep_ in ("agent", "punct", "cc", "aux"):
                continue
            if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"):
                continue  # another clause: "opened its airspace …, and missiles fired from …"
            bag |= {t.lower_ for t in child.subtree} | {t.lemma_.lower() for t in child.subtree}
        best: tuple[int, str | None] | None = None
        for slots, code in patterns:
            score = 0
            for alternatives in slots:
                hit = max((len(a) for a in alternatives if all(w in bag for w in a)), default=0)
                if not hit:
                    score = -1
                    break
                score += hit
            if score > 0 and (best is None or score > best[0]):
                best = (score, code)
        return best[1] if best is not None else cameo

    def _sense(self, cameo: str, words: set[str], has_weapon: bool) -> str:
        if has_weapon or words & self.military:
            sensed = self.lexicon.sense(cameo, "military")
            if sensed != cameo:
                return sensed
        if words & self.economic:
            sensed = self.lexicon.sense(cameo, "economic")
            if sensed != cameo:
                return sensed
        if words & self.humanitarian:
            return self.lexicon.sense(cameo, "humanitarian")
        return cameo
