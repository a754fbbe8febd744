"""Lexical event coder for Russian and Persian (and the English trigger-lookup baseline).

No parser for these languages ships offline, so roles come from word order and case:

* triggers are lemma sequences from ``dictionary/events/{ru,fa}.toml`` matched on normalised
  words (Russian lemmatised with pymorphy3, Persian script unified), longest first;
* Russian: the source is the nearest actor before the trigger whose last word is in the
  nominative (subject–verb order), else one after it (inverted order «заявил Лавров»); the target
  is the nearest other actor after the trigger, else before it;
* Persian (subject–object–verb): the source is the first actor of the sentence not introduced by
  a preposition; the target an actor after به/با/علیه/از/برای/با or before «را», else another actor;
* symmetric types with two actors joined by «и»/«و» pair them both ways;
* a negation next to the trigger negates it; a denial in the sentence negates the other events
  and is itself a REJECT; a hedge («по данным», «якобы», «به گزارش», «به ادعای») or a reporting
  verb before «что»/«که» makes the events relayed claims, attributed to the actor named right
  after the hedge or before the reporting verb.

``EnglishBaseline`` is the same idea for English with the CAMEO verbs and nouns and no syntax:
the first actor before the trigger is the source, the first after it the target. It is the
baseline the benchmark reports beside the syntactic coder.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ...records import Event, Mention
from ...textnorm import word_spans
from .coder_en import SYMMETRIC, coded_event, role_pairs
from .lexicon import Lexicon, load_lexicon
from .sentences import sentences

_FA_PREPOSITIONS = frozenset("به با علیه از برای بر ضد".split())
_FA_OBJECT = "را"
_CONJUNCTIONS = frozenset({"и", "و", "and"})
_COMPLEMENTISERS = frozenset({"что", "чтобы", "که", "that"})


@lru_cache(maxsize=100_000)
def _nominative(word: str) -> bool:
    from ...textnorm import russian_analyzer

    parses = russian_analyzer().parse(word)
    # names are often unknown to the dictionary: any of the likeliest readings will do
    return any("nomn" in str(p.tag) for p in parses[:3])


class LexicalCoder:
    """Trigger lookup with word-order roles for one language."""

    def __init__(self, language: str, lexicon: Lexicon | None = None) -> None:
        self.language = language
        self.lexicon = lexicon or load_lexicon()
        self.index = self.lexicon.phrase_index.get(language, {})
        self.name = f"{language}.lexical.v1"
        cues = self.lexicon.other.get(language, {}).get("cues", {})
        self.hedges = [tuple(h.split(" ")) for h in cues.get("hedges", [])]
        self.reporting = frozenset(cues.get("reporting", []))
        self.denials = frozenset(cues.get("denials", []))
        self.negations = frozenset(cues.get("negations", []))
        self.military = frozenset(cues.get("military_words", [])) | _MILITARY.get(
            language, frozenset()
        )
        self.economic = frozenset(cues.get("economic_words", []))
        self.humanitarian = frozenset(cues.get("humanitarian_words", []))

    def code(self, text: str, mentions: Sequence[Mention], *, field: str = "text") -> list[Event]:
        if not self.index:
            return []
        events: list[Event] = []
        actors = [m for m in mentions if m.kind != "weapon"]
        for start, end in sentences(text):
            inside = [m for m in actors if start <= m.start and m.end <= end]
            if not inside:
                continue
            weapons = any(m.kind == "weapon" and start <= m.start < end for m in mentions)
            events.extend(self._sentence(text, start, end, inside, weapons, field))
        return events

    def _sentence(
        self,
        text: str,
        start: int,
        end: int,
        mentions: list[Mention],
        weapons: bool,
        field: str,
    ) -> list[Event]:
        tokens = [(s + start, e + start, w) for s, e, w in word_spans(text[start:end])]
        words = [w for _, _, w in tokens]
        found = _drop_objects_of_verbal_acts(self._triggers(words), self.lexicon)
        if not found:
            return []
        denial_at = next((i for i, w in enumerate(words) if w in self.denials), None)
        hedged, hedge_end = self._hedge(words)
        report_at = self._reporting(words)
        bag = set(words)
        military = weapons or bool(bag & self.military)
        economic = bool(bag & self.economic)
        humanitarian = bool(bag & self.humanitarian)
        events: list[Event] = []
        for first, last, trigger in found:
            cameo = str(trigger.get("cameo"))
            if military and trigger.get("military"):
                cameo = str(trigger["military"])
            elif economic and trigger.get("economic"):
                cameo = str(trigger["economic"])
            elif humanitarian and trigger.get("humanitarian"):
                cameo = str(trigger["humanitarian"])
            code = self.lexicon.code(cameo)
            if code is None:
                continue
            t_start, t_end = tokens[first][0], tokens[last][1]
            symmetric = bool(trigger.get("symmetric", code.type in SYMMETRIC))
            sources, targets = self._roles(tokens, mentions, t_start, t_end, symmetric)
            if trigger.get("source_role") == "object":
                # "… был казнён", «اعدام شد»: the actor named is who it was done to
                sources, targets = targets, sources
            if not sources and not targets:
                continue
            negated = any(
                words[i] in self.negations for i in range(max(0, first - 2), first)
            ) or any(w in self.negations for w in words[first : last + 1])
            asserted, attributed = True, None
            if denial_at is not None and not (first <= denial_at <= last):
                negated, asserted = True, False
                attributed = (
                    mentions[0].actor
                    if self.language == "fa"
                    else _before(mentions, tokens[denial_at][0])
                )
            if hedged:
                asserted = False
                attributed = attributed or _after(
                    mentions, tokens[min(hedge_end, len(tokens) - 1)][0]
                )
            if report_at is not None and report_at < first:
                asserted = False
                attributed = attributed or _before(mentions, tokens[report_at][0])
            postposed = self._postposed_report(text, tokens, last)
            if postposed is not None:
                # «Иран поставил…, сообщили западные СМИ»: the source comes after the claim
                asserted = False
                tail = tokens[postposed + 1 : postposed + 3]
                attributed = (
                    attributed
                    or _after(mentions, tokens[postposed][0])
                    or (text[tail[0][0] : tail[-1][1]] if tail else None)
                )
            pairs = role_pairs(sources, targets, symmetric=symmetric)
            events += [
                coded_event(
                    code, src, tgt, sentence=(start, end), trigger=text[t_start:t_end],
                    asserted=asserted, attributed_to=attributed, negated=negated,
                    confidence=round(0.3 + 0.2 * bool(src) + 0.2 * bool(tgt), 2),
                    coder=self.name, field=field,
                )
                for src, tgt in pairs
            ]  # fmt: skip
        return events

    def _triggers(self, words: list[str]) -> list[tuple[int, int, dict[str, Any]]]:
        found = []
        i = 0
        while i < len(words):
            for seq, trigger in self.index.get(words[i], ()):
                if tuple(words[i : i + len(seq)]) == seq:
                    found.append((i, i + len(seq) - 1, trigger))
                    i += len(seq) - 1
                    break
            i += 1
        return found

    def _hedge(self, words: list[str]) -> tuple[bool, int]:
        for hedge in self.hedges:
            n = len(hedge)
            for i in range(len(words) - n + 1):
                if tuple(words[i : i + n]) == hedge:
                    return True, i + n
        return False, 0

    def _reporting(self, words: list[str]) -> int | None:
        for i, w in enumerate(words):
            if w in self.reporting and any(x in _COMPLEMENTISERS for x in words[i + 1 : i + 4]):
                return i
        return None

    def _postposed_report(
        self, text: str, tokens: list[tuple[int, int, str]], last: int
    ) -> int | None:
        """Index of a reporting verb after the event, set off by a comma or dash."""
        for i in range(last + 1, len(tokens)):
            if tokens[i][2] in self.reporting:
                between = text[tokens[last][1] : tokens[i][0]]
                if any(p in between for p in (",", "—", "–", "،")):
                    return i
                return None
        return None

    def _roles(
        self,
        tokens: list[tuple[int, int, str]],
        mentions: list[Mention],
        t_start: int,
        t_end: int,
        symmetric: bool,
    ) -> tuple[list[Mention], list[Mention]]:
        before = [m for m in mentions if m.end <= t_start]
        after = [m for m in mentions if m.start >= t_end]
        if self.language == "fa":
            return self._roles_fa(tokens, mentions, before, after, symmetric)
        sources: list[Mention] = []
        nominative_before = [m for m in before if _nominative(_last_word(m))]
        if nominative_before:
            sources = _with_conjuncts(nominative_before[-1], before, tokens)
        elif after and _nominative(_last_word(after[0])):
            sources = [after[0]]
        elif before:
            sources = [before[-1]]
        ids = {m.actor for m in sources}
        targets = [m for m in after if m.actor not in ids][:1]
        if not targets and not symmetric:
            targets = [m for m in reversed(before) if m.actor not in ids][:1]
        return sources, targets

    def _roles_fa(
        self,
        tokens: list[tuple[int, int, str]],
        mentions: list[Mention],
        before: list[Mention],
        after: list[Mention],
        symmetric: bool,
    ) -> tuple[list[Mention], list[Mention]]:
        marked: list[Mention] = []
        free: list[Mention] = []
        for m in mentions:
            prev = _word_before(tokens, m.start)
            nxt = _word_after(tokens, m.end)
            if prev in _FA_PREPOSITIONS or nxt == _FA_OBJECT:
                marked.append(m)
            else:
                free.append(m)
        sources = _with_conjuncts(free[0], free, tokens) if free else []
        ids = {m.actor for m in sources}
        targets = [m for m in marked if m.actor not in ids][:1]
        if not targets and not symmetric:
            targets = [m for m in free if m.actor not in ids][:1]
        if not sources and targets and before and before[0] not in targets:
            sources = [before[0]]
        return sources, targets


class EnglishBaseline(LexicalCoder):
    """Trigger-word lookup without syntax, for English (the benchmark's baseline)."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        super().__init__("en", lexicon)
        self.name = "en.lexical.v1"
        en = self.lexicon.en
        index: dict[str, list[tuple[tuple[str, ...], dict[str, Any]]]] = {}
        for lemma, (code, _) in en["verbs"].items():
            if not code:
                continue
            from .lexicon import english_inflections

            for form in english_inflections(lemma):
                index.setdefault(form, []).append(((form,), {"cameo": code}))
        for form, lemma in en["forms"].items():
            code = en["verbs"].get(lemma, [None])[0]
            if code and " " not in form:
                index.setdefault(form, []).append(((form,), {"cameo": code}))
        for noun, code in en["nouns"].items():
            seq = tuple(noun.split(" "))
            index.setdefault(seq[0], []).append((seq, {"cameo": code}))
        for entries in index.values():
            entries.sort(key=lambda e: -len(e[0]))
        self.index = index
        cues = en.get("cues", {})
        self.hedges = [tuple(h.split(" ")) for h in cues.get("hedges", [])]
        self.denials = frozenset(cues.get("denials", []))
        self.negations = frozenset(cues.get("negations", []))
        self.reporting = frozenset(cues.get("reporting", []))
        self.military = frozenset(cues.get("military_words", []))
        self.economic = frozenset(cues.get("economic_words", []))
        self.humanitarian = frozenset(cues.get("humanitarian_words", []))

    def _roles(
        self,
        tokens: list[tuple[int, int, str]],
        mentions: list[Mention],
        t_start: int,
        t_end: int,
        symmetric: bool,
    ) -> tuple[list[Mention], list[Mention]]:
        before = [m for m in mentions if m.end <= t_start]
        after = [m for m in mentions if m.start >= t_end]
        sources = before[-1:] or after[:1]
        ids = {m.actor for m in sources}
        targets = [m for m in after if m.actor not in ids][:1]
        return sources, targets


_MILITARY = {
    "ru": frozenset(
        "оружие беспилотник дрон ракета боеприпас снаряд танк самолет истребитель"
        " вертолет зрк пво войско военный".split()
    ),
    "fa": frozenset("سلاح پهپاد موشک مهمات تانک جنگنده بالگرد پدافند نظامی تسلیحات".split()),
}


_VERBAL_ACTS = frozenset({"ACCUSE", "REJECT", "REQUEST", "SUPPORT", "THREATEN", "AGREE"})


def _drop_objects_of_verbal_acts(
    found: list[tuple[int, int, dict[str, Any]]], lexicon: Lexicon
) -> list[tuple[int, int, dict[str, Any]]]:
    """«осудил атаку», «حمله را محکوم کرد»: an action named as the object of a verbal act
    (condemn, deny, demand…) within a few words is what the act is about, not a second event."""
    kinds = []
    for _, _, trigger in found:
        code = lexicon.code(str(trigger.get("cameo")))
        kinds.append(code.type if code else "")
    drop: set[int] = set()
    for i in range(len(found)):
        for j in range(len(found)):
            if i == j or kinds[i] not in _VERBAL_ACTS or kinds[j] in _VERBAL_ACTS:
                continue
            if abs(found[i][0] - found[j][0]) <= 4:
                drop.add(j)
    return [f for k, f in enumerate(found) if k not in drop]


def _last_word(m: Mention) -> str:
    words = m.text.split()
    return words[-1].lower() if words else m.text.lower()


def _word_before(tokens: list[tuple[int, int, str]], offset: int) -> str | None:
    prev = [w for s, e, w in tokens if e <= offset]
    return prev[-1] if prev else None


def _word_after(tokens: list[tuple[int, int, str]], offset: int) -> str | None:
    nxt = [w for s, e, w in tokens if s >= offset]
    return nxt[0] if nxt else None


def _with_conjuncts(
    head: Mention, pool: list[Mention], tokens: list[tuple[int, int, str]]
) -> list[Mention]:
    """``head`` and actors joined to it by «и»/«و»/and right before or after it."""
    out = [head]
    for m in pool:
        if m is head or m.actor in {x.actor for x in out}:
            continue
        between = [
            w for s, e, w in tokens if min(m.end, head.end) <= s and e <= max(m.start, head.start)
        ]
        if between and all(w in _CONJUNCTIONS for w in between):
            out.append(m)
    return out


def _before(mentions: list[Mention], offset: int) -> str | None:
    prev = [m for m in mentions if m.end <= offset]
    return prev[-1].actor if prev else None


def _after(mentions: list[Mention], offset: int) -> str | None:
    nxt = [m for m in mentions if m.start >= offset]
    return nxt[0].actor if nxt else None
