"""Propositions: the reports of one claim grouped, with each camp's stance over time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ...store.articles import display_date
from .objects import Obj
from .reports import STANCES, ClaimReport

__all__ = ["CampStance", "Proposition", "group", "label", "report_date"]

_VERBS = {
    "AID": "supplies",
    "ASSAULT": "attacks",
    "SANCTION": "sanctions",
    "COERCE": "coerces",
    "THREATEN": "threatens",
    "AGREE": "agrees with",
    "CONSULT": "consults",
    "COOPERATE": "cooperates with",
    "SUPPORT": "supports",
    "CONCEDE": "concedes to",
    "RETREAT": "retreats from",
    "REQUEST": "asks",
    "ACCUSE": "accuses",
    "REJECT": "rejects",
    "PROTEST": "protests against",
    "MOBILIZE": "mobilizes against",
}


def label(type: str, source: str, target: str, obj: Obj) -> str:
    """The proposition in words: "IRN supplies drones to RUS", "RUS attacks UKR at
    zaporizhzhia-npp", "IRN consults RUS (drones)"."""
    verb = _VERBS.get(type, type.lower())
    if type == "AID":
        what = obj.label if obj.kind in ("family", "mode") else "aid"
        return f"{source} {verb} {what} to {target}" + (
            f" (at {obj.label})" if obj.kind == "place" else ""
        )
    text = f"{source} {verb} {target}"
    if obj.kind == "place":
        return f"{text} at {obj.label}"
    if obj.kind == "family" and type in ("ASSAULT", "THREATEN", "COERCE"):
        return f"{text} with {obj.label}"
    if obj.kind in ("family", "mode"):
        return f"{text} ({obj.label})"
    return text


@dataclass(frozen=True, slots=True)
class CampStance:
    """How one camp tells a proposition."""

    camp: str
    articles: dict[str, int]
    """Distinct articles per stance (``asserted``, ``relayed``, ``denied``)."""
    first_seen: str
    """The date of the camp's first report (at its article's precision)."""
    first: dict[str, str]
    """The date of the camp's first report of each stance it took."""
    relayed_from: dict[str, int]
    """Whom its relayed reports attribute the claim to (articles; ``?`` when unnamed)."""
    denied_by: dict[str, int]
    """Who denies, in its denials (articles; ``?`` when unnamed)."""
    months: list[dict[str, Any]]
    """``{month, asserted, relayed, denied}`` (articles), oldest first."""
    outlets: int
    by_source: dict[str, int]
    """Articles per stance whose claim or denial comes from the source state itself (an
    admission relayed, a denial by the accused)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "camp": self.camp,
            "articles": self.articles,
            "first_seen": self.first_seen,
            "first": self.first,
            "relayed_from": self.relayed_from,
            "denied_by": self.denied_by,
            "months": self.months,
            "outlets": self.outlets,
            "by_source": self.by_source,
        }


@dataclass(frozen=True, slots=True)
class Proposition:
    """A claim: an event type, a dyad and an object, with every camp's stance on it."""

    id: str
    type: str
    source: str
    target: str
    obj: Obj
    label: str
    camps: list[CampStance]
    articles: int
    reports: int
    stances: dict[str, int]
    """Distinct articles per stance, every camp together."""
    first_seen: str
    last_seen: str
    named: dict[str, int]
    """Weapons and places named in its sentences (actor id → reports)."""
    cameo: dict[str, int]
    """CAMEO codes of its events (code → reports)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "source": self.source,
            "target": self.target,
            "object": {"key": self.obj.key, "kind": self.obj.kind, "label": self.obj.label},
            "label": self.label,
            "articles": self.articles,
            "reports": self.reports,
            "stances": self.stances,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "camps": [c.as_dict() for c in self.camps],
            "named": self.named,
            "cameo": self.cameo,
        }


def report_date(report: ClaimReport) -> str:
    """The day of a report's article (``2022-11-05``), or the month or year when only that is
    known (``2022-11``)."""
    shown = display_date(report.published, report.date_precision) or ""
    return shown[:10] if len(shown) > 10 else shown


_date = report_date


def _camp(camp: str, reports: list[ClaimReport]) -> CampStance:
    articles = {s: len({r.article for r in reports if r.stance == s}) for s in STANCES}
    first: dict[str, str] = {}
    months: dict[str, dict[str, set[str]]] = {}
    relayed: dict[str, set[str]] = {}
    denied: dict[str, set[str]] = {}
    for r in reports:  # oldest first
        first.setdefault(r.stance, _date(r))
        month = (r.published or "")[:7]
        months.setdefault(month, {s: set() for s in STANCES})[r.stance].add(r.article)
        if r.stance == "relayed":
            relayed.setdefault(r.who or "?", set()).add(r.article)
        elif r.stance == "denied":
            denied.setdefault(r.who or "?", set()).add(r.article)
    return CampStance(
        camp=camp,
        articles=articles,
        first_seen=_date(reports[0]),
        first={s: first[s] for s in STANCES if s in first},
        relayed_from=_ranked(relayed),
        denied_by=_ranked(denied),
        months=[{"month": m, **{s: len(v[s]) for s in STANCES}} for m, v in sorted(months.items())],
        outlets=len({r.outlet for r in reports}),
        by_source={
            s: n
            for s in ("relayed", "denied")
            if (n := len({r.article for r in reports if r.stance == s and r.who_state == r.source}))
        },
    )


def _ranked(found: dict[str, set[str]]) -> dict[str, int]:
    return dict(sorted(((k, len(v)) for k, v in found.items()), key=lambda kv: (-kv[1], kv[0])))


def group(
    reports: Iterable[ClaimReport], *, camp_order: list[str] | None = None
) -> list[Proposition]:
    """The propositions of ``reports`` (oldest first), most camps first, then most articles;
    each camp's stance, camps in ``camp_order`` (then by first report)."""
    by_id: dict[str, list[ClaimReport]] = {}
    for r in reports:
        by_id.setdefault(r.proposition, []).append(r)
    order = {c: i for i, c in enumerate(camp_order or [])}
    out = []
    for pid, rs in by_id.items():
        per_camp: dict[str, list[ClaimReport]] = {}
        for r in rs:
            per_camp.setdefault(r.camp, []).append(r)
        camps = [_camp(c, v) for c, v in per_camp.items()]
        firsts = {c: min(r.ts for r in v) for c, v in per_camp.items()}
        camps.sort(key=lambda c: (order.get(c.camp, len(order)), firsts[c.camp], c.camp))
        head = rs[0]
        named: Counter[str] = Counter(n for r in rs for n in r.named)
        out.append(
            Proposition(
                id=pid,
                type=head.type,
                source=head.source,
                target=head.target,
                obj=head.obj,
                label=label(head.type, head.source, head.target, head.obj),
                camps=camps,
                articles=len({r.article for r in rs}),
                reports=len(rs),
                stances={s: len({r.article for r in rs if r.stance == s}) for s in STANCES},
                first_seen=_date(rs[0]),
                last_seen=_date(rs[-1]),
                named=dict(named.most_common()),
                cameo=dict(Counter(r.cameo or "-" for r in rs).most_common()),
            )
        )
    out.sort(key=lambda p: (-len(p.camps), -p.articles, p.id))
    return out
