"""The reports a timeline is made of: events of a milestone kind between two states, with the
sentence that tells each, and the ones left out (hypothetical, about a third state, about the past).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ...store.database import Store
from ...store.events import kept
from ..modality import background, hypothetical, mood_column
from ..relations import IMPORTED_CAMPS, UNKNOWN_CAMP
from ..stories.fingerprint import clean_title, headline

MILESTONE_TYPES = ("SUPPORT", "COOPERATE", "AGREE", "CONSULT", "AID", "SANCTION", "ASSAULT")
_EXPLAINER = re.compile(
    r"^\s*(?:what|why|how|who|explainer|explained|analysis|opinion|comment|q&a|fact[- ]?check"
    r"|timeline|in (?:maps|charts|pictures)|the guardian view|live|watch|video"
    r"|here(?:['’]s| is| are)(?: why| what| how| who)?)\b"
    r"|\b(?:key events|list of key|as it happened|live updates?|what we know|day \d+$|explainer"
    r"|the latest|at a glance|in brief|newsletter|podcast|briefing|the papers|round-?up|recap)\b"
    r"|\?\s*(?:[|«–—-].*)?$"
    r"|^\s*(?:что|почему|как|кто|зачем|главное|хроника|онлайн|объясняем|разбор|мнение)\b"
    r"|\b(?:что известно|что мы знаем|главное за|онлайн-трансляция|прямая трансляция)\b"
    r"|^\s*(?:چرا|چه|چگونه)\s",
    re.IGNORECASE | re.UNICODE,
)


def milestone_kind(kind: str, cameo: str | None) -> str | None:
    """The milestone kind of an event type and CAMEO code, or ``None``."""
    code = cameo or ""
    if kind == "SUPPORT":
        return "agreement" if code.startswith("057") else None
    if kind == "COOPERATE":
        return "agreement"
    if kind == "AGREE":
        return "agreement" if code.startswith(("031", "032")) else None
    return {"CONSULT": "visit", "AID": "supply", "SANCTION": "sanction", "ASSAULT": "attack"}.get(
        kind
    )


def is_explainer(title: str) -> bool:
    """Whether a headline is an explainer, a live page or a list of key events, which tells of
    many events and is the label of none."""
    return bool(_EXPLAINER.search(title or ""))


@dataclass
class Report:
    instance: str
    type: str
    cameo: str
    kind: str
    source: str
    target: str
    asserted: bool
    field: str
    start: int
    end: int
    article_rowid: int
    article: str
    title: str
    language: str
    outlet: str
    camp: str
    url: str | None
    grain: str
    day: str
    ts: int
    sentence: str = ""
    explainer: bool = False
    inferred: bool = False
    """The counterpart comes from the article (a signing with one side named)."""
    story: str | None = None
    confidence: float = 0.0


_SENTENCE_SQL = (
    "substr(CASE e.field WHEN 'title' THEN a.title WHEN 'summary' THEN a.summary ELSE a.text END,"
    " CAST(e.sentence_start + 1 AS INTEGER), CAST(CASE WHEN e.sentence_end - e.sentence_start"
    " > 1000 THEN 1000 ELSE e.sentence_end - e.sentence_start END AS INTEGER))"
)


def fetch_reports(
    store: Store, a: str, b: str, *, floor: float | None = None
) -> tuple[list[Report], Counter[str]]:
    """Every report of a milestone kind between ``a`` and ``b`` (with the signings whose other
    side the article gives), and why others were left out (hypothetical cues, ``past``,
    ``third party``, ``repeated``). The events are those that count (the store's confidence
    threshold), or with ``floor`` those at or above it (to show what is left out)."""
    from ..relations import DAY_SQL, GRAIN_SQL

    marks = ",".join("?" * len(MILESTONE_TYPES))
    dyad = "((e.source = ? AND e.target = ?) OR (e.source = ? AND e.target = ?))"
    # "the Treaty signed today" in a transcript of the two presidents' talks: a signing (057)
    # with one side known, in an article that reports at least two events between the pair
    half = (
        "(e.cameo LIKE '057%' AND ((e.source IN (?, ?) AND e.target IS NULL)"
        " OR (e.target IN (?, ?) AND e.source IS NULL))"
        " AND (SELECT count(*) FROM events x WHERE x.article_rowid = e.article_rowid"
        " AND x.negated = 0"
        " AND ((x.source = ? AND x.target = ?) OR (x.source = ? AND x.target = ?))) >= 2)"
    )
    # the same attack sentence also coded against a third state ("Russia strikes Ukraine with
    # Iranian drones" gives RUS→UKR and RUS→IRN): the pair is not what it is about
    third = (
        "CASE WHEN e.type = 'ASSAULT' AND EXISTS (SELECT 1 FROM events y WHERE"
        " y.article_rowid = e.article_rowid AND y.type = e.type AND y.field = e.field"
        " AND y.sentence_start = e.sentence_start AND y.negated = 0"
        " AND ((y.source IS NOT NULL AND y.source NOT IN (?, ?))"
        " OR (y.target IS NOT NULL AND y.target NOT IN (?, ?)))) THEN 1 ELSE 0 END"
    )
    sql = (
        "SELECT e.instance, e.rowid, e.type, e.cameo, e.source, e.target, e.asserted, e.field,"
        " e.sentence_start, e.sentence_end, a.rowid, a.id, a.title, a.language, a.outlet,"
        f" o.camp, a.url, {GRAIN_SQL}, {DAY_SQL},"
        " CASE WHEN a.title = '' THEN substr(COALESCE(NULLIF(a.summary, ''), a.text), 1, 400)"
        f" END, e.trigger, {_SENTENCE_SQL}, a.published_ts, {third}, {mood_column(store)},"
        " e.confidence"
        " FROM events e JOIN articles a ON a.rowid = e.article_rowid"
        " LEFT JOIN outlets o ON o.id = a.outlet"
        " WHERE e.negated = 0 AND a.duplicate_of IS NULL AND a.published_ts IS NOT NULL"
        f" AND ({dyad} OR {half}) AND e.type IN ({marks}) AND {kept()[0]}"
    )
    params: list[Any] = [a, b, a, b, a, b, b, a, a, b, a, b, a, b, b, a, *MILESTONE_TYPES]
    # only the events that count (the confidence threshold), or all above a floor
    params.append(kept()[1] if floor is None else floor)
    out = []
    left_out: Counter[str] = Counter()
    for r in store.conn.execute(sql, params):
        kind = milestone_kind(r[2], r[3])
        camp = r[15] or UNKNOWN_CAMP
        if kind is None or r[17] is None or camp in IMPORTED_CAMPS:
            continue
        sentence = " ".join((r[21] or "").split())
        cue = hypothetical(sentence, r[20] or "", intent=r[2] in ("AGREE", "THREATEN"))
        if r[24] not in (None, "fact"):
            cue = f"mood: {r[24]}"  # the coder's own reading of the clause
        if cue is not None:
            left_out[cue] += 1
            continue
        if r[23]:
            left_out["third party"] += 1
            continue
        if _past(sentence, r[22]):
            left_out["past"] += 1
            continue
        source, target = r[4], r[5]
        inferred = source is None or target is None
        if inferred:
            known = source or target
            source, target = known, (b if known == a else a)
        raw_title = r[12] or ""
        out.append(
            Report(
                instance=r[0] or f"r{r[1]}",
                type=r[2],
                cameo=r[3] or "",
                kind=kind,
                source=source,
                target=target,
                asserted=bool(r[6]) and background(sentence, r[20] or "") is None,
                field=r[7] or "text",
                start=r[8],
                end=r[9],
                article_rowid=r[10],
                article=r[11],
                title=clean_title(raw_title) if raw_title else headline(r[19] or ""),
                language=r[13] or "und",
                outlet=r[14],
                camp=camp,
                url=r[16],
                grain=r[17],
                day=r[18],
                ts=r[22],
                sentence=sentence,
                explainer=is_explainer(raw_title),
                inferred=inferred,
                confidence=float(r[25] or 0.0),
            )
        )
    return _without_repeats(out, left_out), left_out


REPEAT_DAYS = 7
"""A sentence met again in a later article more than this many days after its first report is a
repeat — background an outlet carries from article to article ("Iran and Russia signed eight
memorandums of understanding in the 15th Joint Economic Commission", months on) — not news."""
_NOT_WORD = re.compile(r"[\W_]+")


REPEAT_WORDS = 8
"""Only sentences of the body this long count as repeats: a short headline ("Strikes on Kyiv")
may well tell a new event in the same words."""


def _repeat_key(r: Report) -> str:
    if r.field == "title":
        return ""
    words = _NOT_WORD.sub(" ", r.sentence.casefold()).split()
    return " ".join(words) if len(words) >= REPEAT_WORDS else ""


def _without_repeats(reports: list[Report], left_out: Counter[str]) -> list[Report]:
    """``reports`` without those whose body sentence an earlier article told
    :data:`REPEAT_DAYS` before or more (counted as ``repeated``). Copies of one report within
    the days, by other outlets, are the breadth of a milestone and stay."""
    keys = [_repeat_key(r) for r in reports]
    first: dict[str, int] = {}
    for r, key in zip(reports, keys, strict=True):
        first[key] = min(first.get(key, r.ts), r.ts)
    kept_reports = []
    for r, key in zip(reports, keys, strict=True):
        if key and r.ts - first[key] > REPEAT_DAYS * 86_400:
            left_out["repeated"] += 1
            continue
        kept_reports.append(r)
    return kept_reports


_YEAR = re.compile(r"(?<![\d.,/-])(19[5-9]\d|20[0-4]\d)(?![\d.,/-]\d)")
_MONTHS = {
    **{m: i for i, m in enumerate(
        "january february march april may june july august september october november december"
        .split(), 1)},
    **{m: i for i, m in enumerate(
        "январ феврал март апрел мая июн июл август сентябр октябр ноябр декабр".split(), 1)},
}  # fmt: skip
_MONTH_YEAR = re.compile(
    r"\b(" + "|".join(_MONTHS) + r")\w*\s+(?:of\s+)?(19[5-9]\d|20[0-4]\d)\b", re.IGNORECASE
)


def _past(sentence: str, ts: int) -> bool:
    """Whether the sentence dates what it tells to before the article's month ("signed a
    cooperation deal in 2001", "In January 2022, the Iranian president travelled to Russia" in
    a May article, «в январе 2022 года»): a mention of the past, not news of it."""
    when = datetime.fromtimestamp(ts, UTC)
    years = {int(y) for y in _YEAR.findall(sentence)}
    if years and max(years) < when.year:
        return True
    named = [(int(y), _month(m)) for m, y in _MONTH_YEAR.findall(sentence)]
    return bool(named) and max(named) < (when.year, when.month)


def _month(word: str) -> int:
    low = word.lower()
    return next((i for stem, i in _MONTHS.items() if low.startswith(stem)), 13)
