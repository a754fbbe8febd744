"""What kind of piece an article is, and who speaks in its headline: cues for story clustering.

A story is one real-world event. Two things in a headline decide much of that beyond its words:

* **the kind of piece** (:func:`kind_of`): round-ups of the day (``digest``), live pages
  (``live``), explainers, fact-checks and question headlines (``explainer``) and columns,
  expert views and commentary (``opinion``) are about many events or none; they never start
  a story others join and never join one (a story of their own, flagged with the kind). The
  cues are title and lead phrases in English, Russian, Persian and Arabic, and structure: a post
  made of many bulleted or time-stamped lines is a round-up;
* **the speaker** (:func:`speaker_of`): "Zakharova: …", "Trump said …", "…, заявил Трамп",
  "لاريجاني: …". One speaker on one occasion is one story, however many headlines outlets cut
  from it (a press conference), and two speakers on one subject are two stories. The speaker is
  keyed by the actor id of a title mention inside the speaker's span when the actors stage found
  one (so Трамп, Trump and ترامپ meet), else by the consonant skeleton of its last Latin or
  Cyrillic name, else by its normalised words. Section labels ("Shelling of Kremenchuk: …",
  "Sanctions against Russia: …") are not speakers: a speaker span is a name, a title with a
  name, or a source such as "Reuters".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...records import Mention
from ...textnorm import normalize_words
from .fingerprint import clean_headline, skeleton, stopwords

REPORT = "report"
KINDS = ("report", "digest", "live", "explainer", "opinion")
"""``report`` is an article about one event; the others never anchor or glue a story."""

_I = re.IGNORECASE
_DIGEST = re.compile(
    r"\b(?:round-?ups?|key events|list of key events|what we know(?: so far)?|in brief|"
    r"news briefing|daily briefing|morning briefing|evening briefing|top stories|"
    r"week in review|weekly review|news digest|digest|day \d{1,4} of the (?:war|invasion)|"
    r"the day in|top news|newspaper headlines|mini-report|morning report)\b|"
    r"'s papers\b|^papers\s*:|"
    r"главное (?:за|к|на|о)\b|главные новости|итоги (?:дня|недели|суток)|сводк[аиу]\b|"
    r"обзор (?:прессы|сми|событий|новостей)|дайджест|что произошло (?:за|к)\b|"
    r"к исходу \d{1,2}\b|к (?:утру|вечеру) \d{1,2}\b|ситуация .{0,40}к (?:исходу|утру|вечеру)|"
    r"report on the progress of the special military operation|"
    r"مروری بر|خلاصه (?:اخبار|خبرها)|مهم[‌ ]?ترین (?:اخبار|خبرها)|اخبار مهم|گزیده (?:اخبار|خبرها)|"
    r"عناوین (?:روزنامه|مطبوعات)|صفحه اول روزنامه|پیشخوان|"
    r"أبرز (?:الأحداث|الأخبار|العناوين|التطورات)|حصاد (?:اليوم|الأسبوع)|موجز|"
    r"جولة (?:في )?الصحف|عناوين الصحف",
    _I,
)
_LIVE = re.compile(
    r"\blive updates\b|\blive blog\b|\blive news\b|\blatest updates\b|\bas it happened\b|"
    r"^live\s*[:|-]|"
    r"[:|–—-]\s*live$|\bupdates?:\s*live\b|"
    r"онлайн-трансляция|прямая трансляция|трансляция$|[:–—-]\s*онлайн$|^онлайн\b|"
    r"хроника событий|лента событий|спецэфир|в режиме реального времени|\b24/7\b|"
    r"لحظه به لحظه|پخش زنده|^زنده[:|]|"
    r"لحظة بلحظة|تغطية (?:مستمرة|مباشرة|خاصة)|^مباشر\b|بث مباشر",
    _I,
)
_EXPLAINER = re.compile(
    r"\bexplainer\b|\bexplained\b|\bfact[- ]?checks?(?:ed)?\b|what you need to know|"
    r"\bq&a\b|^analysis\s*[:|]|\bin (?:charts|maps|numbers|pictures)\b|^timeline\s*[:|]|"
    r"что известно (?:о|об|про|к)\b|что нужно знать|кто так(?:ой|ая|ие)\b|что такое\b|"
    r"объясняем|\bразбор\b|фактчек|"
    r"هر آنچه باید|ماجرای .{0,40}چیست|"
    r"ما الذي نعرفه|كل ما تريد معرفته",
    _I,
)
_QUESTION = re.compile(
    r"^(?:why|how|what|who|where|when|is|are|can|will|does|did|should)\b.*\?\s*$|"
    r"[:|–—-]\s*(?:why|how|what|who)\b[^:]*\?\s*$|"
    r"^(?:почему|как|что|кто|зачем|чем|когда|где|сколько|можно ли|будет ли)\b.*\?\s*$|"
    r"^(?:چرا|چگونه|آیا|چه)\b.*[؟?]\s*$|"
    r"^(?:لماذا|كيف|ماذا|من|هل|ما)\b.*[؟?]\s*$",
    _I,
)
_OPINION = re.compile(
    r"^(?:opinion|comment|commentary|editorial|column|op-ed|view|perspective|interview)\s*[:|]|"
    r"#commentary\b|\bop-ed\b|[–—-]\s*(?:expert|analyst|commentator)s?\s*$|"
    r"^(?:мнение|колонка|интервью|комментарий)\s*[:|.]|[–—-]\s*(?:мнение|эксперт)\s*$|"
    r"^(?:эксперт|аналитик|политолог|экс-посол|экс-|бывш\w+ )[^:]{0,60}:|"
    r"\b(?:expert|analyst)s? (?:says|said|outlines|warns|believes|on)\b|\banalysts on\b|"
    r"(?:считает|считают|полагает|уверен|уверены|заявил|прогнозирует) "
    r"(?:эксперт|аналитик|политолог|экономист)\w*\s*$|"
    r"^(?:یادداشت|سرمقاله|تحلیل|گفت[‌ ]?وگو)\s*[:|]|^(?:رأي|مقال|تحليل)\s*[:|]",
    _I,
)
_BULLET_LINE = re.compile(r"^\s*(?:[•▪▫◾◽●○►▶✅❗❌⚡🔹🔸🔺🔻📌📍✔➡]|\d{1,2}[:.]\d{2}\b)")
"""A round-up's line: a bullet or a time stamp (not a dash: Russian posts quote a speaker's
points as dash lines, and those are one event)."""

_COLON = re.compile(r"^([^:|«»\"?!.]{2,70}?)\s*[:|]\s+\S")
_SAYS_EN = re.compile(
    r"^(.{2,70}?)\s+(?:says|said|warns|warned|urges|urged|vows|vowed|claims|claimed|denies|"
    r"denied|condemns|condemned|tells|told|announces|announced|confirms|confirmed|accuses|"
    r"threatens|calls on|calls for|insists|rejects|slams|hails|pledges|promises|reveals)\b",
    _I,
)
_BY = re.compile(
    r"^(?:statement|address|remarks|speech|interview|message|press conference|briefing|"
    r"comment)s? (?:by|of|with) (?:the )?(.{2,60}?)(?:\s+(?:on|at|to|about|in)\s.*)?$|"
    r"^(?:заявление|обращение|выступление|интервью|послание|брифинг|пресс-конференция|"
    r"комментарий)\s+(.{2,60}?)(?:\s+(?:о|об|по|на|в|для)\s.*)?$",
    _I,
)
_SAYS_EN_TAIL = re.compile(r"[,–—-]\s*(?:says|said|according to)\s+(.{2,60}?)\s*$", _I)
_DASH_TAIL = re.compile(r"\s[–—-]\s+([A-ZА-ЯЁ][\w.'’-]*(?:\s+[A-ZА-ЯЁ][\w.'’-]*){0,3})\s*$")
_RU_VERBS = (
    r"(?:заяв|сообщ|счита|утвержда|рассказа|допусти|назва|призва|обрати|прокомментирова|"
    r"пообеща|предупреди|ответи|раскритикова|убежд|увере|поблагодари|вырази|осуди|отмети|"
    r"объяви|пригрози|опроверг|подтверди|выступи|обвини|потребова|напомни|оцени|высказа|"
    r"пояснил|признал|исключил|констатирова)\w*"
)
_SAYS_RU = re.compile(rf"^(.{{2,60}}?)\s+(?:не\s+)?{_RU_VERBS}\b", _I)
_SAYS_RU_TAIL = re.compile(rf",\s+{_RU_VERBS}\s+(.{{2,60}}?)\s*$", _I)
_TAIL_PREPOSITION = re.compile(r"^(?:в|во|на|из|у)\s+(?=[A-ZА-ЯЁ])")
_GENERIC_SPEAKERS = frozenset(
    """источник источники сми журналисты эксперты эксперт аналитики очевидцы жители пользователи
    власти в соцсетях соцсети media officials sources source reports analysts experts witnesses
    residents users report""".split()
)
_NOT_A_SPEAKER_START = re.compile(
    r"^(?:в|во|на|по|из|с|у|о|об|при|после|до|за|под|над|the|a|an|in|on|at|after|before|"
    r"for|from|with|over)\s",
    _I,
)


def kind_of(title: str, body: str = "") -> str:
    """``report``, ``digest``, ``live``, ``explainer`` or ``opinion`` (see the module doc)."""
    head = clean_headline(title)
    lead = " ".join(body[:300].split())
    for kind, pattern in (("live", _LIVE), ("digest", _DIGEST), ("explainer", _EXPLAINER)):
        if pattern.search(head) or pattern.search(lead[:160]):
            return kind
    if _QUESTION.search(head):
        return "explainer"
    if _OPINION.search(head) or _OPINION.search(lead[:120]):
        return "opinion"
    lines = [ln for ln in body[:6000].splitlines() if ln.strip()]
    if len(lines) >= 6 and sum(1 for ln in lines if _BULLET_LINE.match(ln)) >= 5:
        return "digest"
    return REPORT


def speaker_span(title: str) -> tuple[int, int] | None:
    """Character span (in ``title``) of the headline's speaker, or ``None``."""
    head = clean_headline(title)
    if not head:
        return None
    offset = title.find(head[:20]) if head[:20] in title else 0
    m = _BY.search(head)
    if m is not None:
        span = (m.group(1) or m.group(2) or "").strip()
        if span and _plausible_speaker(span, require_name=False):
            start = head.find(span)
            return offset + start, offset + start + len(span)
    for pattern, check_caps in (
        (_COLON, True),
        (_SAYS_RU_TAIL, False),
        (_SAYS_EN_TAIL, False),
        (_SAYS_RU, False),
        (_SAYS_EN, False),
        (_DASH_TAIL, True),
    ):
        m = pattern.search(head)
        if m is None:
            continue
        span = _TAIL_PREPOSITION.sub("", m.group(1).strip(" ,\"'«»“”"))
        if pattern in (_SAYS_RU, _SAYS_EN) and ("," in span or len(span.split()) > 5):
            continue
        if not _plausible_speaker(span, require_name=check_caps):
            continue
        start = head.find(span)
        return offset + start, offset + start + len(span)
    return None


_RUBRIC = re.compile(
    r"^(?:the\s+)?(?:shelling|strikes?|attacks?|occupation|explosions?|sanctions|war|situation|"
    r"blockade|blocking|liberation|evacuation|battles?|offensive|fighting|crisis|elections?|"
    r"exchange|escalation|conflict|aggression|обстрел\w*|удар\w*|атак\w*|взрыв\w*|санкци\w*|"
    r"войн\w*|ситуаци\w*|оккупаци\w*|эвакуаци\w*|бо[ийе]\w*|выбор\w*|эскалаци\w*|"
    r"конфликт\w*)\b",
    re.IGNORECASE,
)
"""Section labels before a colon ("Shelling of Kharkiv: …"): the event, not who speaks."""


def _plausible_speaker(span: str, *, require_name: bool) -> bool:
    words = span.split()
    if not 1 <= len(words) <= 8 or _NOT_A_SPEAKER_START.match(span) or _RUBRIC.match(span):
        return False
    folded = {w.casefold().strip(".,") for w in words}
    if folded <= _GENERIC_SPEAKERS:
        return False
    if not require_name:
        return True
    # a colon prefix is a speaker when it names someone (a capitalised word past the first,
    # a single capitalised name, or non-Latin/Cyrillic script where case says nothing)
    if not re.search(r"[A-Za-zА-Яа-яЁё]", span):
        return len(words) <= 5
    caps = [w for w in words[1:] if w[:1].isupper()]
    return bool(caps) or (len(words) <= 2 and words[0][:1].isupper())


def speaker_of(title: str, mentions: Sequence[Mention] = ()) -> str | None:
    """A key for the speaker of ``title``: ``p:``, ``o:`` or ``s:`` and the actor id of a person,
    an organisation or a state (with ``|n:<skeleton>`` of the name as written, an alias), else
    ``n:<skeleton>`` or ``w:<words>``. Two headlines have one speaker when a part is shared."""
    span = speaker_span(title)
    if span is None:
        return None
    start, end = span
    inside = [
        m
        for m in mentions
        if m.field == "title"
        and m.start >= start - 1
        and m.end <= end + 1
        and not m.actor.startswith("unknown:")
    ]
    persons = [m for m in inside if m.kind == "person"]
    chosen = (
        persons
        or [m for m in inside if m.kind in ("organisation", "igo", "armed_group")]
        or [m for m in inside if m.kind == "state"]
    )
    text = title[start:end]
    names = [
        skeleton(w)
        for w in re.findall(r"[A-Za-zА-Яа-яЁё][\w'’-]+", text)
        if w[:1].isupper() and w.casefold() not in _GENERIC_SPEAKERS
    ]
    names = [n for n in names if n]
    if chosen:  # the actor, and the name as written (a mention missed elsewhere still meets)
        m = chosen[-1]
        key = {"person": "p:", "state": "s:"}.get(m.kind, "o:") + m.actor
        said = [skeleton(w) for w in re.findall(r"[\w'’-]+", title[m.start : m.end])]
        said = [s for s in said if s]
        return key + ("|n:" + said[-1] if said else "")
    if names:
        return "n:" + names[-1]
    stops = stopwords()
    words = [w for w in normalize_words(text) if w not in stops]
    return "w:" + " ".join(words[-2:]) if words else None


_INCIDENT = re.compile(
    r"\b(?:strikes?|struck|hits?|missiles?|drones?|shaheds?|explosions?|blasts?|intercept\w*|"
    r"salvos?|impacts?|sirens?|red alerts?|shelling|shelled|bomb\w*|air defen[cs]es?|"
    r"rockets?|barrage|attack(?:ed|s)?)\b|"
    r"ракет|удар|взрыв|беспилотн|дрон|перехват|тревог|атак|обстрел|прил[её]т|сбит|пво\b|"
    r"موشک|پهپاد|حمله|انفجار|رهگیری|آژیر|اصابت|"
    r"صاروخ|صواريخ|مسيرة|مسيّرة|هجوم|انفجار|اعتراض|قصف|غارة|غارات",
    re.IGNORECASE,
)
_ADJECTIVE = re.compile(
    r"(?:ian|ean|ese|ish|i|ic)(?:s)?$|(?:ск|цк)(?:ий|ая|ое|ие|ого|ой|ому|им|их|ую|ими)$|"
    r"ی$|ية$|ي$",
    re.IGNORECASE,
)


def scene_of(title: str, mentions: Sequence[Mention] = ()) -> str | None:
    """Where an incident a headline reports happens (``None`` when the headline reports no
    strike, explosion, alert or interception, or names no place): ``COUNTRY/place`` of its first
    named place, else the ``COUNTRY`` of its first state not named as an adjective (the attacker
    usually is: "Iranian drones hit Bahrain" happens in Bahrain)."""
    if not _INCIDENT.search(title):
        return None
    inside = sorted(
        (m for m in mentions if m.field == "title" and m.kind in ("place", "state")),
        key=lambda m: m.start,
    )
    for m in inside:
        if m.kind == "place" and m.country:
            return f"{m.country}/{m.actor}"
    for m in inside:
        said = m.text or title[m.start : m.end]
        if m.kind == "state" and not _ADJECTIVE.search(said.strip()):
            return m.country or m.actor
    return None


_REACTION = re.compile(
    r"\bcondemn\w*|\bdenounc\w*|\bdeplor\w*|\bwar crimes?\b|\bbarbari\w*|\bcruelty\b|"
    r"\bcondolence\w*|\bsolidarity\b|\brespond(?:s|ed)? to\b|\breact(?:s|ed)? to\b|"
    r"\boutrage\w*|\bslams?\b|\bblames?\b|"
    r"осуди\w*|осужда\w*|соболезн\w*|солидарн\w*|отреагирова\w*|возмущ\w*|варварск\w*|"
    r"военн\w+ преступлени\w*|"
    r"محکوم|تسلیت|همدردی|جنایت جنگی|"
    r"يدين|تدين|إدانة|أدان|تعزية|تضامن",
    re.IGNORECASE,
)


def is_reaction(title: str) -> bool:
    """A third party's reaction to an event (condemnation, condolences, solidarity): its own
    story, not the event's, when the headline names who reacts (see :func:`speaker_of`)."""
    return bool(_REACTION.search(title))
