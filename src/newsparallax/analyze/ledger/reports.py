"""The reports a claim ledger is made of: each kept event read as a stance on a proposition.

One :class:`ClaimReport` per evidence sentence and proposition, from two paths:

* **an event** that counts (:func:`~newsparallax.store.events.kept`: confidence at the
  threshold), in an original article (no syndicated copy) with a date, from a camp that is not an
  imported event source. Its stance: ``denied`` when negated ("Iran denies supplying drones to
  Russia") or when its sentence denies it where the coder did not say so (a word of denial
  governing it, :func:`~.stance.denial`: "refuted allegations that Tehran sent drones"),
  ``relayed`` when not asserted (attributed: "…, US officials said", "according to",
  an accusation, or told as the background of something else — "amid allegations that Tehran
  supplies…"), else ``asserted``. A report the coder stored as hypothetical or cancelled
  (``mood``), or whose clause only fears, supposes or plans it
  (:func:`~newsparallax.analyze.modality.hypothetical`), is left out and counted;
* **a rejection** that counts (a kept REJECT: the coder codes a denial as the denier's REJECT
  beside the negated event it denies) whose sentence holds a negated event of another type: the
  denial lands on that event's proposition as ``denied`` by the REJECT's source, even when the
  negated event itself scored under the threshold. A REJECT with such a sentence is a denial,
  not a proposition of its own.

A denial whose negated event names no source ("МИД Ирана опроверг сообщения о поставках дронов в
Россию": deliveries to Russia, by nobody named) takes the denier's state as the source: who
denies supplying denies its own supplies.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any

from ...annotate.events.lexicon import load_lexicon
from ...store.database import Store
from ...store.events import kept
from ..modality import background, hypothetical, mood_column
from ..relations import IMPORTED_CAMPS, UNKNOWN_CAMP
from .objects import Mention, Obj, families, object_of
from .stance import denial

__all__ = ["STANCES", "ClaimReport", "Scope", "fetch_reports", "proposition_id"]

STANCES = ("asserted", "relayed", "denied")
INTENT_TYPES = ("AGREE", "THREATEN")
"""Event types that are themselves intentions (their words of intent are no doubt)."""
_STATE = re.compile(r"[A-Z]{3}")
_SENTENCE_MAX = 1000


def proposition_id(type: str, source: str, target: str, obj: Obj) -> str:
    """``TYPE.SOURCE.TARGET.OBJECT`` ("AID.IRN.RUS.drones"): a proposition's identity."""
    return f"{type}.{source}.{target}.{obj.key}"


@dataclass(frozen=True, slots=True)
class Scope:
    """Which events to read: types (``None``: all), a pair of states or actors (either
    direction, or ``one_way`` a→b), UTC timestamps."""

    types: tuple[str, ...] | None = None
    pair: tuple[str, str] | None = None
    one_way: bool = False
    since_ts: int | None = None
    until_ts: int | None = None
    floor: float | None = None
    """Read events at this confidence or more instead of those that count (the threshold): to
    show what the threshold holds back."""


@dataclass(frozen=True, slots=True)
class ClaimReport:
    """One evidence sentence's stance on one proposition."""

    proposition: str
    type: str
    source: str
    target: str
    obj: Obj
    stance: str
    """``asserted``, ``relayed`` or ``denied``."""
    who: str | None
    """Whom a relayed claim is attributed to, or who denies (a state code or actor id)."""
    who_state: str | None
    """The state of :attr:`who` (its own code, or the country of the actor)."""
    via: str
    """``event`` or ``rejection`` (a denial read off the denier's REJECT)."""
    cue: str | None
    """The word that makes the report only a plan, fear or possibility ("preparing to", "could"):
    such a report (stance ``hypothetical``) supports nothing and is kept aside."""
    denial_cue: str | None
    """The word by which the sentence denies an event the coder did not mark negated
    (:func:`~.stance.denial`)."""
    background: bool
    """Relayed because the sentence tells it as the reason for something else."""
    source_inferred: bool
    """The source is the denier's state (the negated event named none)."""
    named: tuple[str, ...]
    """Weapons and places the sentence names (actor ids)."""
    event: int
    """The rowid of the event (the REJECT's, for a rejection)."""
    cameo: str | None
    trigger: str
    confidence: float
    article_rowid: int
    article: str
    url: str | None
    language: str
    outlet: str
    camp: str
    ts: int
    published: str | None
    date_precision: str | None
    field: str
    start: int
    end: int
    sentence: str = _field(repr=False)


_COLUMNS = (
    "e.rowid, e.type, e.cameo, e.source, e.target, e.source_actor, e.target_actor, e.asserted,"
    " e.attributed_to, e.negated, e.confidence, e.trigger, e.field, e.sentence_start,"
    " e.sentence_end, {mood}, a.rowid, a.id, a.url, a.language, a.outlet, o.camp,"
    " a.published_ts, a.published, a.date_precision,"
    " substr(CASE e.field WHEN 'title' THEN a.title WHEN 'summary' THEN a.summary ELSE a.text"
    " END, CAST(e.sentence_start + 1 AS INTEGER), CAST(CASE WHEN e.sentence_end - e.sentence_start"
    f" > {_SENTENCE_MAX} THEN {_SENTENCE_MAX} ELSE e.sentence_end - e.sentence_start END AS"
    " INTEGER)),"
    " (SELECT m.country FROM mentions m WHERE m.article_rowid = e.article_rowid"
    " AND m.actor = e.attributed_to AND m.country IS NOT NULL LIMIT 1)"
)
_FROM = (
    " FROM events e JOIN articles a ON a.rowid = e.article_rowid"
    " LEFT JOIN outlets o ON o.id = a.outlet"
    " WHERE a.duplicate_of IS NULL AND a.published_ts IS NOT NULL"
)
# the columns after _COLUMNS on the rejection path (the REJECT's own)
_R_ROWID, _R_SOURCE, _R_SOURCE_ACTOR, _R_TARGET, _R_TARGET_ACTOR, _R_CONFIDENCE, _R_MOOD = range(
    27, 34
)


def _where(sc: Scope, alias: str) -> tuple[str, list[Any]]:
    """The shared conditions of both paths on the proposition's event (``alias``)."""
    sql: list[str] = []
    params: list[Any] = []
    if sc.since_ts is not None:
        sql.append("a.published_ts >= ?")
        params.append(sc.since_ts)
    if sc.until_ts is not None:
        sql.append("a.published_ts <= ?")
        params.append(sc.until_ts)
    if sc.types:
        sql.append(f"{alias}.type IN ({','.join('?' * len(sc.types))})")
        params += list(sc.types)
    if sc.pair:
        # the target is never inferred: a cheap first cut (the source is checked in Python)
        wanted = [sc.pair[1]] if sc.one_way else list(sc.pair)
        marks = ",".join("?" * len(wanted))
        sql.append(f"({alias}.target IN ({marks}) OR {alias}.target_actor IN ({marks}))")
        params += wanted + wanted
    return "".join(f" AND {s}" for s in sql), params


def _rows(store: Store, sc: Scope) -> Iterator[tuple[str, Any]]:
    """``(path, row)``: every kept event (path ``event``), then every kept REJECT with each
    negated event of its sentence (path ``rejection``: the negated event's columns, then the
    REJECT's)."""
    mood = mood_column(store)
    condition, threshold = kept()
    threshold = threshold if sc.floor is None else sc.floor
    where, params = _where(sc, "e")
    sql = f"SELECT {_COLUMNS.format(mood=mood)}{_FROM} AND {condition}{where}"
    for r in store.conn.execute(sql, [threshold, *params]):
        yield "event", r
    # the denials: a kept REJECT and the negated events of its sentence (any confidence)
    r_condition, _ = kept("r")
    sql = (
        f"SELECT {_COLUMNS.format(mood=mood)}, r.rowid, r.source, r.source_actor, r.target,"
        f" r.target_actor, r.confidence, {mood.replace('e.', 'r.')}"
        " FROM events r JOIN events e ON e.article_rowid = r.article_rowid"
        " AND e.field = r.field AND e.sentence_start = r.sentence_start"
        " JOIN articles a ON a.rowid = r.article_rowid LEFT JOIN outlets o ON o.id = a.outlet"
        " WHERE a.duplicate_of IS NULL AND a.published_ts IS NOT NULL AND r.type = 'REJECT'"
        f" AND r.negated = 0 AND e.negated = 1 AND e.type != 'REJECT' AND {r_condition}{where}"
    )
    for r in store.conn.execute(sql, [threshold, *params]):
        yield "rejection", r


def _mentions(
    store: Store, rowids: Sequence[int]
) -> dict[int, list[tuple[str, int, int, str, str]]]:
    """Weapon and place mentions of these articles: rowid → ``(field, start, end, actor,
    kind)``."""
    out: dict[int, list[tuple[str, int, int, str, str]]] = {}
    wanted = sorted(set(rowids))
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for r in store.conn.execute(
            'SELECT article_rowid, field, start, "end", actor, kind FROM mentions'
            f" WHERE kind IN ('weapon', 'place') AND article_rowid IN ({marks})",
            chunk,
        ):
            out.setdefault(int(r[0]), []).append((r[1] or "text", r[2], r[3], r[4], r[5]))
    return out


def fetch_reports(
    store: Store, scope: Scope
) -> tuple[list[ClaimReport], Counter[str], list[ClaimReport]]:
    """Every report in ``scope`` (see the module docstring), oldest first; what was left out
    and why (``hypothetical: <cue>``, ``mood: <mood>``, ``one side unknown``, ``self-loop``,
    ``outside the pair``, ``rejection of another event``); and the reports left out as only a
    plan, fear or possibility, with their cue (stance ``hypothetical``), oldest first."""
    rows = list(_rows(store, scope))
    mentions = _mentions(store, [int(r[16]) for _, r in rows])
    lexicon = load_lexicon()
    table = families()
    left_out: Counter[str] = Counter()
    seen: dict[tuple[str, int, str, int], ClaimReport] = {}
    linked: set[int] = set()  # REJECTs read as the denial of another event
    for path, r in rows:
        camp = r[21] or UNKNOWN_CAMP
        if camp in IMPORTED_CAMPS:
            continue
        etype, negated = r[1], bool(r[9])
        raw = r[25] or ""
        sentence = " ".join(raw.split())
        rejection = path == "rejection"
        moods = (r[15], r[_R_MOOD]) if rejection else (r[15],)
        mood = next((m for m in moods if m not in (None, "fact")), None)
        if mood is not None:
            left_out[f"mood: {mood}"] += 1
            continue
        denied_by_cue = None if negated or rejection else denial(sentence, r[11] or "")
        cue = None
        if not negated and denied_by_cue is None:
            cue = hypothetical(sentence, r[11] or "", intent=etype in INTENT_TYPES)
        who: str | None
        who_state: str | None = None
        back = False
        if rejection:
            stance, who = "denied", r[_R_SOURCE_ACTOR] or r[_R_SOURCE]
            who_state = r[_R_SOURCE]
            addressee = {r[_R_TARGET], r[_R_TARGET_ACTOR]} - {None}
            if addressee and not addressee & {r[3], r[4], r[5], r[6]}:
                left_out["rejection of another event"] += 1
                continue
        elif negated or denied_by_cue is not None:
            stance, who = "denied", r[8]
            who_state = who if who and _STATE.fullmatch(who) else r[26]
        elif r[7]:
            back = background(sentence, r[11] or "") is not None
            stance, who = ("relayed", None) if back else ("asserted", None)
        else:
            stance, who = "relayed", r[8]
            who_state = who if who and _STATE.fullmatch(who) else r[26]
        source, target = r[3] or r[5], r[4] or r[6]
        inferred = False
        if source is None and stance == "denied" and who_state:
            source, inferred = who_state, True
        if source is None or target is None:
            left_out["one side unknown"] += 1
            continue
        if source == target:
            left_out["self-loop"] += 1
            continue
        if scope.pair and not _in_pair(source, target, scope):
            left_out["outside the pair"] += 1
            continue
        start, end = int(r[13]), int(r[14])
        fld = r[12] or "text"
        inside = [
            Mention(start=m[1] - start, end=m[2] - start, actor=m[3], kind=m[4])
            for m in mentions.get(int(r[16]), [])
            if m[0] == fld and m[1] >= start and m[2] <= end
        ]
        code = lexicon.code(r[2])
        obj, named = object_of(
            type=etype, context=code.context if code else None, sentence=raw, trigger=r[11] or "",
            mentions=inside, target_actor=r[6], table=table,
        )  # fmt: skip
        pid = proposition_id(etype, source, target, obj)
        if cue is not None:
            left_out[f"hypothetical: {cue}"] += 1
            stance = "hypothetical"
        key = (pid, int(r[16]), fld, start)
        if rejection:
            linked.add(int(r[_R_ROWID]))  # a denial of this proposition, not one of its own
        old = seen.get(key)
        if old is not None and (old.via == "event", old.cue is None) >= (
            not rejection,
            cue is None,
        ):
            continue  # one report per sentence and proposition: the event's own, counted, first
        seen[key] = ClaimReport(
            proposition=pid, type=etype, source=source, target=target, obj=obj, stance=stance,
            who=who, who_state=who_state, via=path, background=back, cue=cue,
            denial_cue=denied_by_cue, source_inferred=inferred, named=named,
            event=int(r[_R_ROWID] if rejection else r[0]), cameo=r[2], trigger=r[11] or "",
            confidence=float(r[_R_CONFIDENCE] if rejection else r[10]),
            article_rowid=int(r[16]), article=r[17], url=r[18], language=r[19] or "und",
            outlet=r[20], camp=camp, ts=int(r[22]), published=r[23], date_precision=r[24],
            field=fld, start=start, end=end, sentence=sentence,
        )  # fmt: skip
    out = sorted(
        (c for c in seen.values() if not (c.type == "REJECT" and c.event in linked)),
        key=lambda c: (c.ts, c.article_rowid, c.start),
    )
    return [c for c in out if c.cue is None], left_out, [c for c in out if c.cue is not None]


def _in_pair(source: str, target: str, scope: Scope) -> bool:
    assert scope.pair is not None
    a, b = scope.pair
    if scope.one_way:
        return (source, target) == (a, b)
    return {source, target} == {a, b}
