"""The claim ledger: propositions ("Iran supplies drones to Russia", "Russia attacks Ukraine at
the Zaporizhzhia nuclear plant") with each camp's stance on them over time — asserted, relayed
with attribution (and from whom), or denied (and by whom) — the date each camp first told it, and
the evidence sentences with their articles.

**What a proposition is.** Its identity is ``TYPE.SOURCE.TARGET.OBJECT``
(:func:`~.reports.proposition_id`): the PLOVER event type, the dyad (source → target: country
codes, else actor ids) and the object family its evidence sentence names (:mod:`.objects`: a
weapon family, a thing, a place for force, else the mode of the CAMEO code, else
``unspecified``). Nothing about the wording, the outlet, the language or the day is in it, so a
Western wire relaying "Iran has supplied Shahed-136 drones to Russia, US officials said", a
Russian channel's «иранские беспилотники», an Iranian denial and Iran's later admission are
reports of the one proposition ``AID.IRN.RUS.drones``. Time is not part of it either: the ledger
is the proposition's history. Kept apart on purpose: different types (supplying is not agreeing
to supply: ``AGREE``), the two directions of a dyad, and different objects (drones, missiles).

**What counts** (:mod:`.reports`): events at the confidence threshold, in original articles
(syndicated copies once) with a date, not imported event sources; hypothetical and cancelled
moods and sentences that only fear or suppose the event are left out and counted; a denial lands
on the proposition it denies, whether coded as the negated event or as the denier's REJECT.
Counts are distinct articles.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ...annotate.events.signals import event_threshold
from ...errors import QueryError
from ...periods import date_bound
from ...store.cursors import decode_cursor, encode_cursor
from ...store.database import Store
from ...store.events import TYPES, event_type
from ..display import display_titles
from .objects import FORCE_TYPES, Obj, families, object_of
from .propositions import CampStance, Proposition, group, label, report_date
from .reports import STANCES, ClaimReport, Scope, fetch_reports, proposition_id

__all__ = [
    "FORCE_TYPES",
    "STANCES",
    "UNCONFIRMED_FLOOR",
    "UNCONFIRMED_OUTLETS",
    "CampStance",
    "ClaimReport",
    "Ledger",
    "LedgerQuery",
    "Obj",
    "Proposition",
    "PropositionDetail",
    "brief",
    "families",
    "find_propositions",
    "label",
    "ledger",
    "ledger_page",
    "object_of",
    "parse_id",
    "proposition",
    "proposition_id",
    "report_date",
]

NOTE = (
    "propositions (event type, source → target, object) with each camp's stance: asserted,"
    " relayed (attributed to someone) or denied; only events at the confidence threshold, in"
    " original dated articles; hypothetical and cancelled events left out; counts are articles"
)


@dataclass(frozen=True, slots=True)
class LedgerQuery:
    """What to list: a pair (either direction unless ``one_way``: a → b), an event type, a date
    window (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), the fewest camps, a page."""

    a: str | None = None
    b: str | None = None
    one_way: bool = False
    type: str | None = None
    since: str | None = None
    until: str | None = None
    min_camps: int = 1
    limit: int = 50
    cursor: str | None = None
    camp_order: tuple[str, ...] = ()

    def scope(self) -> Scope:
        if (self.a is None) != (self.b is None):
            raise QueryError("give both states of the pair, or neither")
        kind = event_type(self.type)
        lo, hi = date_bound(self.since, end=False), date_bound(self.until, end=True)
        if lo is not None and hi is not None and lo > hi:
            raise QueryError(f"until ({self.until}) is before since ({self.since})")
        pair = (_code(self.a), _code(self.b)) if self.a and self.b else None
        return Scope(
            types=(kind,) if kind else None, pair=pair, one_way=self.one_way, since_ts=lo,
            until_ts=hi,
        )  # fmt: skip


def _code(value: str) -> str:
    """A state code in capitals; an actor id (with a hyphen or lower-case letters) as it is."""
    v = value.strip()
    return v.upper() if len(v) <= 3 or v.isupper() else v


@dataclass(frozen=True, slots=True)
class Ledger:
    items: list[Proposition]
    total: int
    """Propositions matching, all pages together."""
    left_out: dict[str, int]
    """Reports left out and why (hypothetical cues, moods, one side unknown…)."""
    threshold: float
    next_cursor: str | None = None
    note: str = NOTE
    unconfirmed: list[Proposition] = field(default_factory=list)
    """Propositions told by :data:`UNCONFIRMED_OUTLETS` outlets or more in events under the
    threshold (at :data:`UNCONFIRMED_FLOOR` or more), beyond what counts: with every report at
    the floor or more (the counted ones too), shown apart, counted nowhere."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "threshold": self.threshold,
            "note": self.note,
            "left_out": self.left_out,
            "items": [p.as_dict() for p in self.items],
            "next_cursor": self.next_cursor,
            "unconfirmed_floor": UNCONFIRMED_FLOOR,
            "unconfirmed": [p.as_dict() for p in self.unconfirmed],
        }


UNCONFIRMED_FLOOR = 0.5
UNCONFIRMED_OUTLETS = 2
UNCONFIRMED_SHOWN = 10


def unconfirmed(store: Store, query: LedgerQuery, found: list[Proposition]) -> list[Proposition]:
    """Propositions of ``query`` that events at :data:`UNCONFIRMED_FLOOR` or more from
    :data:`UNCONFIRMED_OUTLETS` outlets support beyond what the threshold keeps ("Iran supplies
    drones to Russia", most reports at 0.6): those naming an object first, then most
    articles."""
    sc = query.scope()
    reports, _left_out, _aside = fetch_reports(
        store,
        Scope(types=sc.types, pair=sc.pair, one_way=sc.one_way, since_ts=sc.since_ts,
              until_ts=sc.until_ts, floor=UNCONFIRMED_FLOOR),
    )  # fmt: skip
    counted = {p.id: p.articles for p in found}
    outlets: dict[str, set[str]] = {}
    for r in reports:
        outlets.setdefault(r.proposition, set()).add(r.outlet)
    shown = [
        p
        for p in group(reports, camp_order=list(query.camp_order))
        if p.articles > counted.get(p.id, 0) and len(outlets.get(p.id, ())) >= UNCONFIRMED_OUTLETS
    ]
    # a named object (drones, a plant) tells more than a mode or nothing
    shown.sort(key=lambda p: (p.obj.kind not in ("family", "place"), -p.articles))
    return shown[:UNCONFIRMED_SHOWN]


def find_propositions(store: Store, query: LedgerQuery) -> tuple[list[Proposition], dict[str, int]]:
    """Every proposition of ``query`` (its page aside), most camps first, then most articles,
    and the reports left out and why. Raises :class:`QueryError` for a bad type, date or
    pair."""
    reports, left_out, _aside = fetch_reports(store, query.scope())
    found = [
        p
        for p in group(reports, camp_order=list(query.camp_order))
        if len(p.camps) >= query.min_camps
    ]
    return found, dict(left_out.most_common())


def ledger_page(
    found: list[Proposition], left_out: dict[str, int], *, cursor: str | None, limit: int
) -> Ledger:
    """The page of ``found`` from ``cursor`` (:class:`~newsparallax.store.cursors.CursorError`
    for a bad one)."""
    position = decode_cursor(cursor, keys=frozenset({"o"}))
    offset = int((position or {}).get("o") or 0)
    more = offset + limit < len(found)
    return Ledger(
        items=found[offset : offset + limit],
        total=len(found),
        left_out=left_out,
        threshold=event_threshold(),
        next_cursor=encode_cursor({"o": offset + limit}) if more else None,
    )


def ledger(store: Store, query: LedgerQuery) -> Ledger:
    """The propositions of ``query``, most camps first, then most articles (see the module
    docstring); a page from ``query.cursor``. Raises :class:`QueryError` for a bad type, date or
    pair, :class:`~newsparallax.store.cursors.CursorError` for a bad cursor."""
    found, left_out = find_propositions(store, query)
    page = ledger_page(found, left_out, cursor=query.cursor, limit=query.limit)
    if query.cursor:
        return page  # shown with the first page only
    return replace(page, unconfirmed=unconfirmed(store, query, found))


def parse_id(pid: str) -> tuple[str, str, str, str]:
    """``(type, source, target, object key)`` of a proposition id; :class:`QueryError` when it
    is not one."""
    parts = pid.strip().split(".")
    if len(parts) != 4 or not all(parts) or parts[0] not in TYPES:
        raise QueryError(
            f"not a proposition id: {pid!r} (TYPE.SOURCE.TARGET.OBJECT, e.g. AID.IRN.RUS.drones)"
        )
    return parts[0], parts[1], parts[2], parts[3]


@dataclass(frozen=True, slots=True)
class PropositionDetail:
    proposition: Proposition
    reports: list[ClaimReport]
    """Its evidence, oldest first (at most the limit asked)."""
    titles: dict[str, str]
    """Article id → its headline (:func:`~newsparallax.analyze.display.display_title`)."""
    threshold: float
    related: list[Proposition] = field(default_factory=list)
    aside: list[ClaimReport] = field(default_factory=list)
    """Reports of it told only as a plan, fear or possibility ("preparing to supply"), with
    their cue: they count nowhere, and are listed so the story reads as it was told."""
    """Propositions of the same pair that share its type or its object (the same story told
    as another act — "agrees to supply", "uses" — or as the same act with another object)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.proposition.as_dict(),
            "threshold": self.threshold,
            "related": [brief(p) for p in self.related],
            "evidence": [report_item(r, self.titles) for r in self.reports],
            "aside": [report_item(r, self.titles) for r in self.aside],
        }


def brief(p: Proposition) -> dict[str, Any]:
    """A proposition in a line: id, label, articles, stances, camps, first and last seen."""
    return {
        "id": p.id,
        "label": p.label,
        "articles": p.articles,
        "stances": p.stances,
        "camps": [c.camp for c in p.camps],
        "first_seen": p.first_seen,
        "last_seen": p.last_seen,
    }


def report_item(r: ClaimReport, titles: dict[str, str]) -> dict[str, Any]:
    """A report as the CLI's JSON and the API list it."""
    return {
        "published": report_date(r),
        "camp": r.camp,
        "outlet": r.outlet,
        "stance": r.stance,
        "who": r.who,
        "who_state": r.who_state,
        "via": r.via,
        "denial_cue": r.denial_cue,
        "cue": r.cue,
        "background": r.background,
        "source_inferred": r.source_inferred,
        "article_id": r.article,
        "title": titles.get(r.article, ""),
        "url": r.url,
        "language": r.language,
        "field": r.field,
        "sentence_start": r.start,
        "sentence_end": r.end,
        "sentence": r.sentence,
        "trigger": r.trigger,
        "cameo": r.cameo,
        "confidence": r.confidence,
        "event_rowid": r.event,
        "named": list(r.named),
    }


def proposition(
    store: Store,
    pid: str,
    *,
    since: str | None = None,
    until: str | None = None,
    limit: int = 500,
    camp_order: tuple[str, ...] = (),
    related: int = 12,
) -> PropositionDetail | None:
    """One proposition with its evidence (oldest first, at most ``limit`` reports) and up to
    ``related`` related ones, or ``None`` when no report in the window supports it.
    :class:`QueryError` for a bad id or date."""
    kind, source, target, obj = parse_id(pid)
    query = LedgerQuery(a=source, b=target, since=since, until=until, camp_order=camp_order)
    reports, _left_out, aside = fetch_reports(store, query.scope())
    everything = group(reports, camp_order=list(camp_order))
    found = next((p for p in everything if p.id == pid), None)
    if found is None:
        return None  # told only as a plan or possibility, it is no claim either
    mine = [r for r in reports if r.proposition == pid][:limit]
    plans = [r for r in aside if r.proposition == pid][:limit]
    near = [
        p
        for p in everything
        if p.id != pid
        and (
            (p.type == kind and (p.source, p.target) == (source, target))
            or (p.obj.key == obj and p.obj.kind != "none")
        )
    ]
    near.sort(key=lambda p: -p.articles)
    return PropositionDetail(
        proposition=found,
        reports=mine,
        titles=display_titles(store, [r.article for r in mine + plans]),
        threshold=event_threshold(),
        related=near[:related],
        aside=plans,
    )
