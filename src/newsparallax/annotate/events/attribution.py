"""Who an event is told by: headline sources and the speaker of a verbal act.

News headlines and posts name their source outside the sentence's grammar: before a colon
("Al Hadath: Israeli jets struck…", «Захарова: западники…») or after a dash («…взяла под контроль
Копанки — Минобороны РФ», "… - report"). An event of such a sentence is relayed from that source,
not asserted by the outlet.

A verbal act — an accusation, a demand, a threat, a refusal, a promise, praise — *is* the
speaker's statement: "Iran's foreign ministry said it condemns the strikes" reports a
condemnation that happened, so the event is asserted when its source is the speaker (or speaks
for the same state). A material act the speaker claims ("the ministry said its forces struck…")
stays relayed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ...records import Mention
from .roles import Token, russian_tag

#: PLOVER types that are statements: the speaker saying it is the event.
VERBAL = frozenset({"ACCUSE", "REQUEST", "THREATEN", "REJECT", "SUPPORT", "AGREE", "CONCEDE"})

_PREFIX = re.compile(
    r"^\W{0,4}([^\W\d][^:\n]{1,40}?)\s*:[\s\u200b-\u200f]+\S"
)  # ZWNJ after a Persian colon
#: "Fyodor Lukyanov, Editor-in-Chief of Russia in Global Affairs: …", «Фёдор Лукьянов, главный
#: редактор журнала …: …»: a name of two to four words, then its office after a comma.
_TITLED_PREFIX = re.compile(
    r"^\W{0,4}((?:[^\W\d_][\w.'’-]*\s+){1,3}[^\W\d_][\w.'’-]*,\s[^:\n]{3,90}?)\s*:[\s\u200b-\u200f]+\S"
)
_OFFICE = re.compile(
    r"\b(?:minister|ministry|editor|chief|president|spokes(?:man|woman|person)|director|head"
    r"|chair(?:man|woman)?|professor|analyst|expert|ambassador|envoy|general|commander"
    r"|secretary|advis[eo]r|deputy|member|founder|ceo|author|researcher|fellow|correspondent"
    r"|journalist|leader|governor|mayor|senator|lawmaker|mp|official|scholar|economist"
    r"|министр|глав\w*|редактор\w*|председател\w*|посол|президент\w*|пресс-секретар\w*"
    r"|эксперт\w*|политолог\w*|депутат\w*|директор\w*|генерал\w*|командующ\w*|советник\w*"
    r"|сенатор\w*|губернатор\w*|член\w*|заместител\w*|руководител\w*|аналитик\w*"
    r"|профессор\w*|замглавы)\b",
    re.IGNORECASE,
)
_SUFFIX = re.compile(r"\s[—–-]{1,2}\s*([^\W\d][^—–\n]{1,60}?)\W*$")
#: A site's stamp after a headline: "(02.09.22 18:24) « War in Ukraine | Censor.NET".
_STAMP = re.compile(r"\s*\(\d\d\.\d\d\.\d\d\s+\d{1,2}:\d\d\)\s*(?:«[^«\n]*)?$")
_MAX_SOURCE_WORDS = 5
#: Words of headline rubrics and formats, never a source.
_RUBRICS = frozenset(
    "watch breaking video videos photo photos update updates live exclusive analysis opinion"
    " explainer papers latest news war crisis conflict timeline fact factbox explained"
    " interview review podcast editorial комментарий видео фото молния срочно главное"
    " война فیلم عکس ویدئو فوری".split()
)


@dataclass(frozen=True, slots=True)
class HeadlineSource:
    """A source named outside the sentence (or a topic label before its colon): its span, and
    whether it comes first (a prefix)."""

    start: int
    end: int
    prefix: bool
    claim_start: int = 0  # a suffix source tells the part of the sentence from here
    teller: bool = True
    """``False`` for a topic label before the colon ("Russian losses: …"): no source, only a
    span whose words are neither parties nor triggers."""
    relayed: HeadlineSource | None = None
    """Of a label, the source after a dash that tells what follows it ("Shelling of the Sumy
    region: Russian occupiers shelled …, - RMA")."""

    def names(self, offset: int) -> bool:
        """Whether ``offset`` is in the source's own words (or the label's, or its teller's)."""
        within = self.start <= offset < self.end
        return within or (self.relayed is not None and self.relayed.names(offset))

    def covers(self, offset: int) -> bool:
        """Whether a trigger at ``offset`` is what the source tells (after a prefix; before a
        suffix, in the sentence's last claim)."""
        if not self.teller:
            return self.relayed is not None and self.relayed.covers(offset)
        if self.prefix:
            return offset >= self.end
        return self.claim_start <= offset < self.start


def headline_source(
    text: str, start: int, end: int, mentions: Sequence[Mention] = (), offset: int = 0
) -> HeadlineSource | None:
    """The source a sentence (``text[start:end]``) names before a colon or after a dash: a
    name ("Al Hadath:", «Захарова:», "… - Reuters"), not the start of a clause ("missile was
    shot down: …"). A rubric ("War in Ukraine:", "WATCH:"), a topic ("Russian losses: …") or
    only a place's name ("Mykolaiv: …"; of ``mentions``, whose offsets are ``offset`` ahead of
    ``text``'s) is a label: its words are no parties, and no one tells what follows."""
    sentence = text[start:end]
    m = _PREFIX.match(sentence)
    if m and _rubric(m.group(1)):
        relayed = _suffix(sentence, start)
        return HeadlineSource(start + m.start(1), start + m.end(1), True, 0, False, relayed)
    if m and _names_a_source(m.group(1)):
        named = [
            x
            for x in mentions
            if start + m.start(1) <= x.start - offset and x.end - offset <= start + m.end(1)
        ]
        place = len(named) == 1 and named[0].kind == "place"
        if not _a_label(m.group(1).split()) and not (place and named[0].text == m.group(1)):
            return HeadlineSource(start + m.start(1), start + m.end(1), True)
        # a label; what follows may be told by a source after a dash
        relayed = _suffix(sentence, start)
        return HeadlineSource(start + m.start(1), start + m.end(1), True, 0, False, relayed)
    m = _TITLED_PREFIX.match(sentence)
    if m and _names_a_person(m.group(1)):
        return HeadlineSource(start + m.start(1), start + m.end(1), True)
    return _suffix(sentence, start)


def _suffix(sentence: str, start: int) -> HeadlineSource | None:
    """A source named after a dash at the end ("… - Reuters"), before a site's stamp
    ("…, - General Staff (02.09.22 18:24) « War in Ukraine | Censor.NET")."""
    stamp = _STAMP.search(sentence)
    m = _SUFFIX.search(sentence[: stamp.start()] if stamp else sentence)
    if m and _names_a_source(m.group(1)) and not _a_label(m.group(1).split()):
        # the dash tells the last claim of the sentence, after its last colon
        claim = max(sentence.rfind(":", 0, m.start()), sentence.rfind("|", 0, m.start()))
        return HeadlineSource(start + m.start(1), start + m.end(1), False, start + claim + 1)
    return None


def _rubric_word(parts: list[str]) -> bool:
    return any(w.strip("'’\"«»").casefold() in _RUBRICS for w in parts)


def _rubric(words: str) -> bool:
    parts = words.split()
    return len(parts) <= _MAX_SOURCE_WORDS and _rubric_word(parts)


def _names_a_source(words: str) -> bool:
    parts = words.split()
    if not parts or len(parts) > _MAX_SOURCE_WORDS or _rubric_word(parts):
        return False
    first = parts[0].lstrip("«\"'")
    return bool(first) and (first[0].isupper() or not first[0].isascii())


#: Lower-case words a name of a teller may hold ("Head of the mission to Iran", «глава МИД»).
_CONNECTORS = frozenset(
    "of the for and de al el da di du von van in on at to 's по при в и".split()
)
#: Words of a body that tells ("Russian media: …", «пресс-служба Кремля: …»).
_BODY = re.compile(
    r"^(?:media|sources?|officials?|army|forces?|military|police|embassy|government|authorities"
    r"|intelligence|office|service|press|agency|command|council|committee|parliament|guards?"
    r"|corps|staff|department|navy|spokesperson|television|tv|radio|newspaper|channel|broadcaster"
    r"|сми|телевидени\w*|телеканал\w*|газет\w*|издани\w*|радио|источник\w*|власт\w*|арми\w*"
    r"|посольств\w*"
    r"|пресс-служб\w*|ведомств\w*|министерств\w*|штаб\w*|командовани\w*|разведк\w*"
    r"|правительств\w*|служб\w*|агентств\w*|представител\w*|полици\w*|силы|войск\w*)$"
)


#: Words naming an event: a prefix holding one is a topic, not a teller.
_EVENT_WORDS = frozenset(
    "strike strikes attack attacks shelling explosion explosions blast raid bombing offensive"
    " invasion counteroffensive annexation occupation evacuation удар удары обстрел атака"
    " атаки взрыв взрывы вторжение наступление контрнаступление эвакуация".split()
)


def _a_label(parts: list[str]) -> bool:
    """A headline's topic before its colon ("Russian losses: …", «Разрушительный удар по ВСУ:
    …»), not who tells it: a lower-case word other than a connector, and no word of an office
    or a body ("Iran's foreign minister: …", «пресс-служба Кремля: …» are tellers)."""
    bare = [w.strip("'’\"«»,.()").casefold() for w in parts]
    if any(_OFFICE.search(b) or _BODY.match(b) for b in bare):
        return False
    if any(b in _EVENT_WORDS for b in bare):
        return True  # «Удар по Харькову: …», "Invasion of Ukraine: …"
    return any(
        b and w[0].isalpha() and w[0].islower() and b not in _CONNECTORS
        for w, b in zip(parts[1:], bare[1:], strict=True)
    )


def _names_a_person(words: str) -> bool:
    """A capitalised name before the comma and an office after it ("Sergei Ryabkov, Russia's
    deputy foreign minister"), not two parties ("Vladimir Putin, Ebrahim Raisi hold talks")."""
    name, _, office = words.partition(",")
    parts = name.split()
    return (
        all(p[0].isupper() or not p[0].isascii() for p in parts)
        and not any(p.casefold() in _RUBRICS for p in parts)
        and _OFFICE.search(office) is not None
    )


def speaker_of(source: HeadlineSource, text: str, mentions: Sequence[Mention]) -> str:
    """The actor id of the source if an actor is named there, else its words; of a name with
    its office ("Fyodor Lukyanov, Editor-in-Chief of Russia in Global Affairs"), the name's."""
    if not source.teller and source.relayed is not None:
        source = source.relayed  # a label's sentence, told by the source after the dash
    end = source.end
    words = text[source.start : source.end]
    if source.prefix and "," in words and _names_a_person(words):
        end = source.start + words.index(",")
    for m in mentions:
        if source.start <= m.start and m.end <= end:
            return m.actor
    return text[source.start : end].strip()


#: Russian nouns of someone who speaks *for* or *near* the person named after them in the
#: genitive («член администрации президента США», «источник в окружении Путина»).
_ENTOURAGE = frozenset(
    "администрация член представитель источник окружение аппарат советник помощник сотрудник"
    " пресс-служба офис".split()
)


def teller_of(m: Mention, tokens: Sequence[Token]) -> str:
    """Who tells, when ``m`` is named before a reporting verb: the actor, or the actor's state
    when the words before it make the teller someone of its entourage («член администрации
    президента США сказал» is not the president's own word)."""
    prev = [w for s, e, w in tokens if e <= m.start][-2:]
    if m.kind == "person" and m.country and set(prev) & _ENTOURAGE:
        return m.country
    return m.actor


def speaker_before(mentions: list[Mention], offset: int, tokens: Sequence[Token]) -> str | None:
    """The teller named last before ``offset`` (:func:`teller_of`)."""
    prev = [m for m in mentions if m.end <= offset]
    return teller_of(prev[-1], tokens) if prev else None


def speaker_after(mentions: list[Mention], offset: int) -> str | None:
    """The actor named first after ``offset`` («…, сообщили в Минобороны России»)."""
    nxt = [m for m in mentions if m.start >= offset]
    return nxt[0].actor if nxt else None


def asserted_statement(
    kind: str, source_country: str | None, speaker: str | None, mentions: Sequence[Mention]
) -> bool:
    """Whether a relayed event is the speaker's own verbal act (so asserted after all): a
    statement type whose source is the speaker or of the speaker's state."""
    if kind not in VERBAL or speaker is None or source_country is None:
        return False
    countries = {m.country for m in mentions if m.actor == speaker}
    return source_country in countries


#: Words that can head a speaker phrase with no actor in it («сообщили западные СМИ»).
SPEAKER_WORDS = frozenset(
    "сми источник источники представитель чиновник издание агентство эксперт аналитик журналист"
    " военный военнопленный министр пресс-секретарь официальный власти ведомство посольство"
    " منابع منبع رسانه سخنگو مقام مقامات خبرگزاری".split()
)


def speaker_phrase(text: str, tail: list[tuple[int, int, str]]) -> str | None:
    """The words after a postposed reporting verb when they name a speaker (a capitalised name,
    «западные СМИ»), never a phrase like «на пленарной»."""
    first = text[tail[0][0] : tail[0][1]]
    if first[:1].isupper() or any(w in SPEAKER_WORDS for _, _, w in tail):
        return text[tail[0][0] : tail[-1][1]]
    return None


_COMPLEMENTISERS = frozenset({"что", "чтобы", "که", "that"})
#: Words of claiming: what follows them is the claimant's word, with or without «که».
_CLAIMS = frozenset({"ادعا", "مدعی"})
#: Persian reporting nouns of «از X خبر داد» (reported X), «از X گزارش داد».
_FA_REPORT_NOUNS = frozenset({"خبر", "گزارش"})
#: Persian nouns of statements: «در اطلاعیه/بیانیه/پیام … آمده است».
_FA_STATEMENTS = frozenset({"اطلاعیه", "بیانیه", "پیام", "متن", "نامه"})
#: Persian light verbs and auxiliaries after a reporting word («اعلام کرد:», «آمده است:»).
_FA_SAID = frozenset({"کرد", "کردند", "کرده", "است", "اند", "شد", "شده", "داشت", "نمود"})
_FA_GAVE = frozenset({"داد", "دادند", "داده", "دهد", "دهند", "میدهد", "میدهند", "می‌دهد"})


def reportings(
    language: str, reporting: frozenset[str], text: str, tokens: Sequence[Token]
) -> list[int]:
    """Word indexes of reporting words (lemmas in ``reporting``) that introduce a reported
    content: a complementiser («заявил, что», «گفت که»), a colon or a quote («اعلام کرد: …»),
    or — Russian — «о/об» («заявили об ударах», «сообщило о атаке»)."""
    words = [w for _, _, w in tokens]
    found = []
    for i, w in enumerate(words):
        if w in _FA_REPORT_NOUNS and language == "fa":
            # «از حمله … خبر داد» (reported the attack), not «خبر شهادت» (the news of). Every
            # «گزارش» still counts, the dateline «به گزارش شفقنا،» too: told in the outlet's
            # own voice, but making those events asserted raised their confidence past the
            # threshold for events of the wrong type (see the README); it needs the outlet's
            # own name and a refit of the confidence model
            if w == "گزارش" or (words[i + 1 : i + 2] and words[i + 1] in _FA_GAVE):
                found.append(i)
            continue
        if w not in reporting:
            continue
        gap = text[tokens[i][1] : tokens[i + 1][0]] if i + 1 < len(tokens) else ""
        if language == "fa" and i + 2 < len(tokens) and words[i + 1] in _FA_SAID:
            gap += text[tokens[i + 1][1] : tokens[i + 2][0]]  # «اعلام کرد: …», «آمده است: …»
        following = words[i + 1 : i + 4]
        if (
            any(x in _COMPLEMENTISERS for x in following)
            or any(c in gap for c in ':«"')
            or (language == "ru" and following[:1] in (["о"], ["об"], ["про"]))
            or w in _CLAIMS  # «قطر ادعا کرد …», «مدعی حمله … شد»: a claim, whatever follows
        ):
            found.append(i)
    return found


def reports_trigger(language: str, at: int, first: int, words: Sequence[str]) -> bool:
    """Does the reporting word at ``at`` report the trigger at ``first``? After it in
    Russian; in Persian also before it («از حمله … خبر داد»: reported the attack)."""
    if at < first:
        return True
    if language != "fa":
        return False
    # «در اطلاعیه شماره ۸ عملیات … سپاه آمده است: …»: what the statement is named for is in it
    stated = any(
        words[k - 1] == "در" and words[k] in _FA_STATEMENTS for k in range(max(1, first - 6), first)
    )
    return stated or (words[at] in _FA_REPORT_NOUNS and "از" in words[max(0, first - 3) : first])


def _gerund(word: str) -> bool:
    """A Russian adverbial participle («заявив», «отметив», «подчеркивая»): its doer is the
    clause's subject, so "X осудил Y, заявив, что …" is X's condemnation, not a relayed one."""
    tag = russian_tag(word.lower())
    return tag is not None and tag.POS == "GRND"


def postposed_report(
    reporting: frozenset[str], text: str, tokens: Sequence[Token], last: int
) -> int | None:
    """Index of a reporting verb after the event, set off by a comma or dash, or after a clause
    that opens with what it reports («Об ударе по базе сообщили власти …»)."""
    fronted = bool(tokens) and tokens[0][2] in ("о", "об", "про")
    for i in range(last + 1, len(tokens)):
        if tokens[i][2] in reporting and not _gerund(text[tokens[i][0] : tokens[i][1]]):
            if tokens[i + 1 : i + 2] and tokens[i + 1][2] == "корреспондент":
                return None  # «…, передает корреспондент РИА Новости»: the outlet's own man
            between = text[tokens[last][1] : tokens[i][0]]
            if fronted or any(p in between for p in (",", "—", "–", "،")):
                return i
            return None
    return None
