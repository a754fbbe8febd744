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
from typing import Any

from ...records import Event, Mention
from ...textnorm import word_spans
from .attribution import (
    asserted_statement,
    headline_source,
    postposed_report,
    reportings,
    reports_trigger,
    speaker_after,
    speaker_before,
    speaker_of,
    speaker_phrase,
)
from .common import (
    NOT_BY_ORIGIN,
    PHYSICAL,
    SYMMETRIC,
    coded_event,
    domestic_target,
    is_party,
    is_self_loop,
    long_ago,
    pair_target,
    role_pairs,
    sentence_context,
)
from .lexicon import Lexicon, load_lexicon
from .persian_roles import persian_roles
from .roles import (
    RU_PREPOSITIONS,
    Roles,
    deed_owner,
    for_another_reason,
    located,
    on_the_side,
    participle_agents,
    reason_phrases,
    russian_passive,
    russian_plural_verb,
    russian_roles,
    russian_tag,
    weapon_origin,
    with_conjuncts,
)
from .sentence_parts import (
    VERBAL_ACTS,
    abstract_object,
    aside,
    clause_end,
    dated,
    for_reason,
    judged,
    named_as,
    objects_of_verbal_acts,
    parentheses,
    parts_at,
    possible,
    purpose_of_another,
    segments,
    sentences,
    took_part,
)
from .signals import Coded, Signals, confidence_model

#: Verbal nouns that take an event noun as object with a light verb («تحریم اعمال کرد»).
_FA_SUPPORT_NOUNS = frozenset(
    "اعمال انجام برگزار وضع صادر آغاز اغاز ادامه اجرا شروع تشدید راهاندازی".split()
)
#: Persian light verbs of becoming: «آغاز شد» (began) has no doer.
_FA_BECAME = frozenset("شد شدند شده شود شوند میشود".split())
#: Persian light verbs: a trigger followed by one is a verb («حمله کرد»), else a noun («حمله»).
_FA_LIGHT_VERBS = frozenset(
    "کرد کردند کرده کند کنند میکند میکنند می‌کند می‌کنند کرد شد شدند شده شود شوند میشود"
    " داد دادند داده دهد دهند زد زدند زده گرفت گرفتند گرفته نمود نمودند آورد آوردند رساند"
    " رساندند ساخت ساختند".split()
)


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
        self.denial_phrases = [tuple(h.split(" ")) for h in cues.get("denial_phrases", [])]
        self.not_events = [tuple(h.split(" ")) for h in cues.get("not_events", [])]  # «поле боя»
        self.negations = frozenset(cues.get("negations", []))
        self.military = frozenset(cues.get("military_words", [])) | _MILITARY.get(
            language, frozenset()
        )
        self.economic = frozenset(cues.get("economic_words", []))
        self.humanitarian = frozenset(cues.get("humanitarian_words", []))
        self.hypothetical = frozenset(cues.get("hypothetical", []))
        self.cancelled = frozenset(cues.get("cancelled", []))
        self.sports = frozenset(cues.get("sports", []))
        self.markets = frozenset(cues.get("markets", []))
        self.model = confidence_model()

    def code(self, text: str, mentions: Sequence[Mention], *, field: str = "text") -> list[Event]:
        return [c.event for c in self.coded(text, mentions, field=field)]

    def coded(self, text: str, mentions: Sequence[Mention], *, field: str = "text") -> list[Coded]:
        """The events of ``text`` with the signals each rests on."""
        if not self.index:
            return []
        events: list[Coded] = []
        actors = [m for m in mentions if is_party(m)]
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
    ) -> list[Coded]:
        tokens = [(s + start, e + start, w) for s, e, w in word_spans(text[start:end])]
        words = [w for _, _, w in tokens]
        found = [t for t in self._triggers(words) if not named_as(self.language, words, t[0])]
        if (told_by := headline_source(text, start, end, mentions)) and not told_by.teller:
            found = [t for t in found if not told_by.start <= tokens[t[0]][0] < told_by.end]
        if not found:
            return []
        kinds = [getattr(self.lexicon.code(str(t.get("cameo"))), "type", "") for _, _, t in found]
        # «поддерживаемую Ираном группировку»: a participle's agent is its own
        owned = participle_agents(text, tokens, mentions) if self.language == "ru" else {}
        governed = objects_of_verbal_acts(
            found, kinds, words, attributive=frozenset(owned.values())
        )
        teller = (told_by if told_by.teller else told_by.relayed) if told_by else None
        speaker_by_headline = speaker_of(teller, text, mentions) if teller else None
        eligible = [m for m in mentions if told_by is None or not told_by.names(m.start)]
        if self.language == "ru":
            eligible = [m for m in eligible if not on_the_side(tokens, m)]
        parties = len({m.actor for m in eligible})
        # «удар иранскими беспилотниками», «با پهپادهای ایرانی»: a weapon's country of origin
        origins = {id(m) for m in eligible if weapon_origin(m, text, tokens, self.language)}
        by_actors = [m for m in eligible if id(m) not in origins]
        segment = segments(text, tokens)  # «… / …», «… | …», «…; …»: separate claims
        part = parts_at([m.start for m in mentions], tokens, segment)
        reasons = reason_phrases(text, tokens) if self.language == "ru" else []
        asides = parentheses(text, start, end)  # «(…)»: asides
        denials = [i for i, w in enumerate(words) if w in self.denials] + [
            end - 1 for _, end in _phrases(words, self.denial_phrases)
        ]
        hedges = _phrases(words, self.hedges)
        reports = reportings(self.language, self.reporting, text, tokens)
        bag = set(words)
        context = sentence_context(bag, sports=self.sports, markets=self.markets)
        # «Россия ударила по Украине ракетой?**»: markup and quotes after the mark
        question = text[start:end].rstrip(" \t\n*_»\"'”").endswith(("?", "؟"))
        military = weapons or bool(bag & self.military)
        economic = bool(bag & self.economic)
        humanitarian = bool(bag & self.humanitarian)
        nominals = [self._nominal(text, tokens, first, last) for first, last, _ in found]
        events: list[Coded] = []
        for n, (first, last, trigger) in enumerate(found):
            cameo = str(trigger.get("cameo"))
            if military and trigger.get("military"):
                cameo = str(trigger["military"])
            elif economic and trigger.get("economic"):
                cameo = str(trigger["economic"])
            elif humanitarian and trigger.get("humanitarian"):
                cameo = str(trigger["humanitarian"])
            code = self.lexicon.code(cameo)
            if code is None or purpose_of_another(self.language, code.type, words, found, n):
                continue
            if code.type in PHYSICAL and abstract_object(self.language, words, last):
                continue  # «разрушили ядерную сделку»: a metaphor
            t_start, t_end = tokens[first][0], tokens[last][1]
            symmetric = bool(trigger.get("symmetric", code.type in SYMMETRIC))
            nominal = nominals[n]
            if nominal and dated(self.language, words, first):
                continue  # «до вторжения в Украину»: a date, not an event reported
            # a noun's agent is the clause subject («визит Асада»… «Асад вернется после визита»)
            # unless the noun is what a verbal act is about («Эрдоган осудил удары»)
            about = nominal and n in governed
            own = {k for k, i in owned.items() if first <= i <= last}
            # «حملات آمریکا به ایران»: a Persian noun of a physical act that no verb of doing
            # takes (that one is coded as a verb) has its agent in its own phrase, never the
            # clause's subject («انگلیس از حمایت از حملات آمریکا خودداری کرد»). Russian nouns keep
            # the subject («Израиль продолжает наступление»): restricting them lost more right
            # events than wrong ones on the test half (see the README).
            undone = (
                self.language == "fa"
                and code.type in PHYSICAL
                # «سپاه از حمله موشکی به … خبر داد»: who announces a strike made it
                and not any(i > last and reports_trigger("fa", i, first, words) for i in reports)
            )
            restricted = about or bool(own) or (
                nominal and (for_reason(words, first) or judged(self.language, words, first)
                             or undone)
            )  # fmt: skip
            parties_here = by_actors if code.type in NOT_BY_ORIGIN else eligible
            parties_here = [m for m in parties_here if id(m) not in owned or id(m) in own]
            parties_here = [
                m for m in parties_here if not for_another_reason(m, t_start, reasons, eligible)
            ]
            # a parenthetical aside is no role of a trigger outside it: «(принадлежит Meta,
            # которая признана в России экстремистской)» after a strike is not a strike on Russia
            parties_here = [m for m in parties_here if not aside(m.start, t_start, asides)]
            # a headline's parts joined by «/», «|», «;» are separate claims with their own roles
            parties_here = [m for m in parties_here if part[m.start] == segment[first]]
            if (stop := clause_end(text, tokens, last)) is not None:
                parties_here = [m for m in parties_here if m.start < stop]
            if self.language == "ru" and not nominal:
                # «ввела санкции против … в ответ на передачу Тегераном ракет России»: the
                # actors after a later noun trigger in a prepositional phrase are that noun's
                # roles, not this verb's («отказался давать обещания иранцам» keeps its own)
                cut = next(
                    (tokens[f][0] for k, (f, _, _) in enumerate(found)
                     if f > last and nominals[k] and governed.get(k) != n
                     and f > 0 and words[f - 1] in RU_PREPOSITIONS),
                    None,
                )  # fmt: skip
                if cut is not None:
                    parties_here = [m for m in parties_here if m.start < cut]
            speakers = [m for m in mentions if not aside(m.start, t_start, asides)]
            passive = (
                self.language == "ru"
                and not nominal
                and any(russian_passive(text[s:e].lower()) for s, e, _ in tokens[first : last + 1])
            )
            postposed = postposed_report(self.reporting, text, tokens, last)
            if postposed is not None:
                # «Киев атакуют ракеты, сообщают Воздушные силы ВСУ»: who reports is no party
                parties_here = [m for m in parties_here if m.start < tokens[postposed][0]]
            plural = (
                self.language == "ru"
                and not nominal
                and russian_plural_verb(text[tokens[first][0] : tokens[first][1]].lower())
            )
            roles = self._roles(
                tokens, parties_here, t_start, t_end, symmetric, physical=code.type in PHYSICAL,
                nominal=restricted, noun=nominal, passive=passive, plural=plural,
            )  # fmt: skip
            sources, targets = roles.sources, roles.targets
            source_via, target_via = roles.source_via, roles.target_via
            action = next((j for j, i in governed.items() if i == n), None)
            owner = (
                deed_owner(text, tokens, parties_here, t_end)
                if self.language == "ru" and code.type in VERBAL_ACTS
                else None
            )
            if owner is not None and owner.kind == "person" and action is not None:
                a_first, a_last, a_trigger = found[action]
                a_code = self.lexicon.code(str(a_trigger.get("cameo")))
                deed_is_act = tokens[a_last][1] <= owner.start and not any(
                    t[1] <= owner.start for t in tokens[a_last + 1 :]
                )
                if a_code is not None and a_code.type in PHYSICAL and deed_is_act:
                    owner = None  # «осудила убийство Хаменеи»: the person is who was killed
            if owner is not None:
                # «осудили решение Байдена …», «осудило операцию США и Израиля против Ирана»,
                # «осудил удары США по Ирану»: a verbal act on a deed targets whose deed it is
                targets = with_conjuncts(owner, parties_here, tokens)
                owners = {m.actor for m in targets}
                sources = [m for m in sources if m.actor not in owners]
                source_via = source_via if sources else "none"
                target_via = "syntax"
            elif action is not None:
                # «Эрдоган осудил удары США по Ирану»: the condemnation targets the US
                a_first, a_last, a_trigger = found[action]
                a_code = self.lexicon.code(str(a_trigger.get("cameo")))
                agents = self._roles(
                    tokens, parties_here, tokens[a_first][0], tokens[a_last][1], False,
                    physical=a_code is not None and a_code.type in PHYSICAL, nominal=True,
                ).sources  # fmt: skip
                # whose act is condemned is no condemner: «در محکومیت حمله آمریکایی صهیونیستی»
                agent_ids = {m.actor for m in agents}
                if agents and not {m.actor for m in sources} - agent_ids:
                    sources, source_via = [], "none"
                sources = [m for m in sources if m.actor not in agent_ids]
                # with no agent named, who is condemned for it is the act's own object, named
                # before the deed: «Лавров осудил Израиль за удары по Ливану»
                targets = agents or [m for m in targets if m.end <= tokens[a_first][0]]
                target_via = "syntax" if targets else "none"
            if trigger.get("source_role") == "object":
                # "… был казнён", «اعدام شد»: the actor named is who it was done to; where it
                # happened is no doer («Посольство РФ в Иране подверглось атаке»)
                doers = [m for m in targets if not located(tokens, m, self.language)]
                sources, targets = doers, sources
                source_via, target_via = (target_via if doers else "none"), source_via
            if not sources and not targets:
                continue
            # «не участвовали в ударах»: a negated taking part negates the act
            near = max(0, first - (4 if took_part(words, first) else 2))
            negated = (
                any(
                    words[i] in self.negations and words[i + 1 : i + 2] != ["только"]  # not only
                    for i in range(near, first)
                )
                or any(w in self.negations for w in words[first : last + 1])
            )
            asserted, attributed = True, None
            here = segment[first]
            denial_at = next(
                (i for i in denials if segment[i] == here and not first <= i <= last), None
            )
            if denial_at is not None:
                negated, asserted = True, False
                attributed = (
                    mentions[0].actor
                    if self.language == "fa"
                    else speaker_before(speakers, tokens[denial_at][0], tokens)
                )
            hedge_end = next((end for at, end in hedges if segment[at] == here), None)
            if hedge_end is not None:
                asserted = False
                at = tokens[min(hedge_end, len(tokens) - 1)][0]
                # the source is named in the hedge's own phrase («по данным Минобороны,»), or
                # not at all («как отмечает издание, Киев …» is not told by Kyiv)
                edge = tokens[max(0, min(hedge_end, len(tokens)) - 1)][1]
                comma = min((p for c in ",،" if (p := text.find(c, edge, end)) >= 0), default=end)
                attributed = attributed or speaker_after(
                    [m for m in mentions if m.start < comma], at
                )
            report_at = next(
                (
                    i
                    for i in reports
                    if segment[i] == here and reports_trigger(self.language, i, first, words)
                ),
                None,
            )
            if report_at is not None:
                asserted = False
                # «سپاه از حمله … خبر داد»: the Persian teller is the clause's subject
                tellers = speakers[:1] if self.language == "fa" and report_at > last else speakers
                attributed = attributed or speaker_before(tellers, tokens[report_at][0], tokens)
            if postposed is not None:
                # «Иран поставил…, сообщили западные СМИ»: the source comes after the claim
                asserted = False
                tail = tokens[postposed + 1 : postposed + 3]
                attributed = (
                    attributed
                    or speaker_after(speakers, tokens[postposed][0])
                    or (speaker_phrase(text, tail) if tail else None)
                )
            if told_by is not None and told_by.covers(t_start):
                asserted = False
                attributed = attributed or speaker_by_headline
            if about and not negated:
                # what a verbal act is about is taken as given: «осудил удары по Ирану»,
                # «حمله به ایران را محکوم کرد» tell that the strikes happened
                asserted, attributed = True, None
            mood = "hypothetical" if question else self._mood(words, first, last)
            # where a noun's act happened (or whom it hit) is no body that speaks of it («МИД РФ
            # напомнила об ударе»)
            scene = [m for m in parties_here if not restricted or m.kind != "organisation"]
            for src, tgt in role_pairs(sources, targets, symmetric=symmetric):
                tgt, tgt_via = pair_target(
                    code.type, src, tgt, sources=sources, parties=scene,
                    source_via=source_via, target_via=target_via,
                )  # fmt: skip
                said = asserted or asserted_statement(
                    code.type, src.country if src else None, attributed, mentions
                )
                signals = Signals(
                    language=self.language, tier="curated",
                    source=source_via if src else "none", target=tgt_via if tgt else "none",
                    mood=mood, context=context, self_loop=is_self_loop(src, tgt, code.type),
                    kind=code.type, trigger=" ".join(words[first : last + 1]), noun=nominal,
                    parties=parties, asserted=said, negated=negated, title=field == "title",
                    source_kind=src.kind if src else "", target_kind=tgt.kind if tgt else "",
                )  # fmt: skip
                event = coded_event(
                    code, src, tgt, sentence=(start, end), trigger=text[t_start:t_end],
                    asserted=said, attributed_to=attributed, negated=negated,
                    confidence=self.model.confidence(signals), coder=self.name,
                    field=field, signals=signals,
                    domestic=None if tgt else domestic_target(code.type, src, parties_here),
                )  # fmt: skip
                events.append(Coded(event, signals))
        return events

    def _nominal(
        self, text: str, tokens: list[tuple[int, int, str]], first: int, last: int
    ) -> bool:
        """Is the trigger a noun («удар», «حمله») rather than a verb («ударил», «حمله کرد»)?"""
        if self.language == "ru":
            # the phrase's words: «массированные удары» is a noun, «нанес удары» a verb
            # an abbreviation is a noun, whatever its reading («удары БПЛА» is no verb)
            spans = [text[s:e] for s, e, _ in tokens[first : last + 1]]
            tags = [russian_tag(w.lower()) for w in spans if not (len(w) > 1 and w.isupper())]
            parts = {tag.POS for tag in tags if tag is not None}
            return "NOUN" in parts and not parts & {"VERB", "INFN", "GRND", "PRTS"}
        if self.language == "fa":
            following = {w for _, _, w in tokens[first : last + 3]}
            if following & _FA_LIGHT_VERBS:
                return False  # «حمله کرد»
            # «تحریم‌ها را اعمال کرد»: the noun is the object of a support verb; «تجاوز به ایران
            # آغاز شد» (began) is no one's doing
            later = [w for _, _, w in tokens[last + 1 :]]
            return not any(
                w in _FA_SUPPORT_NOUNS
                and i + 1 < len(later)
                and later[i + 1] in _FA_LIGHT_VERBS - _FA_BECAME
                for i, w in enumerate(later)
            )
        return False

    def _mood(self, words: list[str], first: int, last: int) -> str:
        """``hypothetical`` when a word of possibility, fear or plan stands in the few words
        before the trigger («может нанести удар», «احتمال حمله»), ``cancelled`` when one of
        cancelling or failing stands next to it («встреча отменена», «لغو نشست»), ``past`` for
        history recounted years back («20 лет назад», «۲۰ سال پیش»)."""
        around = words[max(0, first - 3) : last + 4]
        if any(w in self.cancelled for w in around) or words[max(0, first - 2) : first] in (
            ["чуть", "не"],
            ["едва", "не"],
        ):
            return "cancelled"  # «встреча отменена»; «чуть не сбили»: almost, so it did not happen
        if long_ago(words[max(0, first - 5) : last + 6]):
            return "past"
        if any(w in _CEASE for w in words[max(0, first - 2) : first]):
            return "fact"  # «призвал прекратить удары»: the strikes are going on
        if possible(words, first, last, self.hypothetical):
            return "hypothetical"
        return "fact"

    def _triggers(self, words: list[str]) -> list[tuple[int, int, dict[str, Any]]]:
        found = []
        i = 0
        while i < len(words):
            idiom = next((p for p in self.not_events if tuple(words[i : i + len(p)]) == p), None)
            if idiom is not None:
                i += len(idiom)
                continue
            for seq, trigger in self.index.get(words[i], ()):
                if tuple(words[i : i + len(seq)]) == seq:
                    found.append((i, i + len(seq) - 1, trigger))
                    i += len(seq) - 1
                    break
            i += 1
        return found

    def _roles(
        self,
        tokens: list[tuple[int, int, str]],
        mentions: list[Mention],
        t_start: int,
        t_end: int,
        symmetric: bool,
        *,
        physical: bool,
        nominal: bool = False,
        noun: bool = False,
        passive: bool = False,
        plural: bool = False,
    ) -> Roles:
        """Roles marked by case or preposition (:mod:`.roles`), else the nearest actors (not
        for a noun trigger: its agent is in its own phrase or unknown)."""
        find = persian_roles if self.language == "fa" else russian_roles
        marked = find(
            tokens, mentions, t_start, t_end, symmetric=symmetric, physical=physical,
            nominal=nominal, noun=noun, passive=passive, plural=plural,
        )  # fmt: skip
        sources, targets = marked.sources, marked.targets
        source_via, target_via = marked.source_via, marked.target_via
        before = [m for m in mentions if m.end <= t_start]
        after = [m for m in mentions if m.start >= t_end]
        if not sources and not nominal and not marked.closed:  # no stand-in for a marked agent
            ids = {m.actor for m in targets}
            nearest = [
                m
                for m in reversed(before)
                if m.actor not in ids and not located(tokens, m, self.language)
            ]
            if nearest:
                sources = with_conjuncts(nearest[0], before, tokens)
                source_via = "fallback"
        elif len(sources) == 1 and (self.language == "ru" or symmetric):
            sources = with_conjuncts(sources[0], mentions, tokens, titled=symmetric)
        if not targets and not symmetric:
            ids = {m.actor for m in sources}
            nearest = [
                m
                for m in after
                if m.actor not in ids and (physical or not located(tokens, m, self.language))
            ]
            if nearest:
                targets, target_via = nearest[:1], "fallback"
        return Roles(sources, targets, source_via, target_via)


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

    def _roles(  # no syntax: the nearest actors, whatever the trigger
        self, tokens: list[tuple[int, int, str]], mentions: list[Mention], t_start: int,
        t_end: int, symmetric: bool, **_: bool,
    ) -> Roles:  # fmt: skip
        before = [m for m in mentions if m.end <= t_start]
        after = [m for m in mentions if m.start >= t_end]
        sources = before[-1:] or after[:1]
        ids = {m.actor for m in sources}
        targets = [m for m in after if m.actor not in ids][:1]
        return Roles(sources, targets, "fallback" if sources else "none",
                     "fallback" if targets else "none")  # fmt: skip


_CEASE = frozenset(
    "прекратить прекращать прекращение остановить останавливать остановка توقف پایان".split()
)
"""Words whose object is an act already going on (Russian lemmas, Persian words)."""

_MILITARY = {
    "ru": frozenset(
        "оружие беспилотник дрон ракета боеприпас снаряд танк самолет истребитель"
        " вертолет зрк пво войско военный".split()
    ),
    "fa": frozenset("سلاح پهپاد موشک مهمات تانک جنگنده بالگرد پدافند نظامی تسلیحات".split()),
}


def _phrases(words: list[str], phrases: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    """``(start, end)`` word indexes of every occurrence of ``phrases`` (hedges: «по данным»,
    «به ادعای»; denials: «не иметь отношение к»)."""
    found = []
    for phrase in phrases:
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if tuple(words[i : i + n]) == phrase:
                found.append((i, i + n))
    return sorted(found)
