"""Typed dictionary entries: actors, their names per language and their date-bounded roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

#: Kinds an actor entry may have; ``office`` entries are posts whose holder changes over time.
KINDS = ("state", "person", "organisation", "armed_group", "igo", "weapon", "place", "office")
LANGUAGES = ("en", "ru", "fa")


def parse_day(value: str | None, *, end: bool = False) -> date | None:
    """``2024``, ``2024-05`` or ``2024-05-12`` → a date (the first day, or the last if ``end``)."""
    if not value:
        return None
    parts = [int(p) for p in str(value).split("-")]
    if len(parts) == 1:
        return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)
    if len(parts) == 2:
        if not end:
            return date(parts[0], parts[1], 1)
        nxt = date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    return date(parts[0], parts[1], parts[2])


@dataclass(frozen=True, slots=True)
class Role:
    """A post an actor held (or holds) between two dates; open ends are ``None``."""

    country: str | None
    sector: str | None = None
    title: str = ""
    office: str | None = None
    start: date | None = None
    end: date | None = None

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def as_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "sector": self.sector,
            "title": self.title,
            "office": self.office,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Role:
        return cls(
            country=data.get("country") or None,
            sector=data.get("sector") or None,
            title=str(data.get("title") or ""),
            office=data.get("office") or None,
            start=parse_day(data.get("start")),
            end=parse_day(data.get("end"), end=True),
        )


@dataclass(frozen=True, slots=True)
class Actor:
    """One dictionary entry.

    ``names`` are full aliases per language, matched anywhere; ``short`` forms (a surname, a bare
    acronym) are matched anywhere only when ``unique_short``, otherwise only in an article that
    also names the actor in full. ``metonym_of`` marks a place that stands for a state ("Moscow
    said"); ``building`` an organisation named after its seat ("the Kremlin") that is a place
    after a locative preposition ("in the Kremlin"). ``cues`` are words whose presence in the
    article favours this entry when an alias is shared ("Atlanta" for the US state of Georgia).
    """

    id: str
    kind: str
    country: str | None = None
    sector: str | None = None
    description: str = ""
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    short: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unique_short: bool = False
    metonym_of: str | None = None
    building: bool = False
    ambiguous: bool = False
    cues: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    source: str = "curated"

    @property
    def label(self) -> str:
        """A display name: the first English name, else the first name of any language."""
        for lang in ("en", *LANGUAGES):
            if self.names.get(lang):
                return self.names[lang][0]
        return self.id

    def role_at(self, day: date | None) -> Role | None:
        """The role held on ``day`` (the latest starting one if several), else ``None``.

        Without a date, the newest role is used."""
        if not self.roles:
            return None
        if day is None:
            return max(self.roles, key=lambda r: (r.start or date.min, r.end or date.max))
        current = [r for r in self.roles if r.covers(day)]
        if not current:
            return None
        return max(current, key=lambda r: r.start or date.min)

    def resolve(self, day: date | None) -> tuple[str | None, str | None]:
        """``(country, sector)`` on ``day``: from the role held then, else the entry's defaults;
        a person with no role on that day keeps the country of the nearest role."""
        role = self.role_at(day)
        if role is not None:
            return role.country or self.country, role.sector or self.sector
        if self.country is None and self.roles:
            return self.roles[-1].country, self.sector
        return self.country, self.sector

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "kind": self.kind}
        optional: dict[str, Any] = {
            "country": self.country,
            "sector": self.sector,
            "description": self.description,
            "names": {k: list(v) for k, v in self.names.items() if v},
            "short": {k: list(v) for k, v in self.short.items() if v},
            "unique_short": self.unique_short,
            "metonym_of": self.metonym_of,
            "building": self.building,
            "ambiguous": self.ambiguous,
            "cues": list(self.cues),
            "roles": [r.as_dict() for r in self.roles],
            "source": self.source,
        }
        data.update({k: v for k, v in optional.items() if v})
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Actor:
        """Read the compiled form (``names``/``short`` maps) or the curated TOML form
        (``en``/``ru``/``fa`` and ``short_en``… keys)."""
        names = {k: tuple(v) for k, v in (data.get("names") or {}).items()}
        short = {k: tuple(v) for k, v in (data.get("short") or {}).items()}
        for lang in LANGUAGES:
            if data.get(lang):
                names[lang] = (*names.get(lang, ()), *_strings(data[lang]))
            if data.get(f"short_{lang}"):
                short[lang] = (*short.get(lang, ()), *_strings(data[f"short_{lang}"]))
        kind = str(data.get("kind") or "")
        if kind not in KINDS:
            raise ValueError(f"actor {data.get('id')!r}: unknown kind {kind!r}")
        return cls(
            id=str(data["id"]),
            kind=kind,
            country=data.get("country") or None,
            sector=data.get("sector") or None,
            description=str(data.get("description") or ""),
            names=names,
            short=short,
            unique_short=bool(data.get("unique_short", False)),
            metonym_of=data.get("metonym_of") or None,
            building=bool(data.get("building", False)),
            ambiguous=bool(data.get("ambiguous", False)),
            cues=tuple(_strings(data.get("cues") or ())),
            roles=tuple(Role.from_dict(r) for r in data.get("roles") or ()),
            source=str(data.get("source") or "curated"),
        )


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if str(v).strip()]
