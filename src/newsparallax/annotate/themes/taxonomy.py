"""The theme taxonomy: :class:`Theme` and its date :class:`Window` s, parsed and checked from
TOML tables (``data/themes.toml``, shipped, and a watch file's ``[themes.<id>]``), with the
shipped vocabularies that windows name."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ...errors import ConfigError

if TYPE_CHECKING:
    from ...store.database import Store
    from ...watches import Watch

LANGUAGES = ("en", "ru", "fa")
_KEYS = frozenset(
    {"label", "description", "terms", "weak", "not", "actors", "sectors", "countries", "events"}
    | {"event_with", "fallback", "during", "needs"}
)
_WINDOW_KEYS = frozenset({"start", "end", "anchors", "vocab", "events", "sides"})
NEEDS = frozenset({"abroad"})


@dataclass(frozen=True, slots=True)
class Window:
    """A date window in which an anchor plus a word of a vocabulary signals the theme."""

    start: date
    end: date | None = None
    anchors: tuple[str, ...] = ()
    vocab: str = "war"
    events: tuple[str, ...] = ()
    sides: tuple[tuple[str, ...], ...] = ()

    def covers(self, day: date | None) -> bool:
        return day is not None and self.start <= day and (self.end is None or day <= self.end)

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "anchors": list(self.anchors),
            "vocab": self.vocab,
            "events": list(self.events),
            "sides": [list(side) for side in self.sides],
        }


@dataclass(frozen=True, slots=True)
class Theme:
    """One theme of the taxonomy."""

    id: str
    label: str
    description: str = ""
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    weak: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unrelated: dict[str, tuple[str, ...]] = field(default_factory=dict)
    actors: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    event_with: tuple[tuple[str, str], ...] = ()
    during: tuple[Window, ...] = ()
    needs: tuple[str, ...] = ()
    fallback: bool = False
    source: str = "shipped"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "description": self.description,
            "source": self.source,
            "terms": {k: list(v) for k, v in self.terms.items()},
            "weak": {k: list(v) for k, v in self.weak.items()},
            "not": {k: list(v) for k, v in self.unrelated.items()},
            "actors": list(self.actors),
            "sectors": list(self.sectors),
            "countries": list(self.countries),
            "events": list(self.events),
            "event_with": [{"type": t, "terms_of": o} for t, o in self.event_with],
            "during": [w.as_dict() for w in self.during],
            "needs": list(self.needs),
            "fallback": self.fallback,
        }


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: must be a list of strings")
    return tuple(value)


def _by_language(value: object, where: str) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: must be a table of languages (en = [...], ru = [...])")
    return {str(k): _strings(v, f"{where}.{k}") for k, v in value.items()}


def _day(value: object, where: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(f"{where}: must be a date (YYYY-MM-DD)")


def _window(entry: object, where: str) -> Window:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: must be a table {{ start = ..., anchors = [...] }}")
    unknown = set(entry) - _WINDOW_KEYS
    if unknown:
        allowed = ", ".join(sorted(_WINDOW_KEYS))
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} ({allowed})")
    if "start" not in entry or not entry.get("anchors"):
        raise ConfigError(f"{where}: needs start and anchors")
    end = entry.get("end")
    sides = entry.get("sides", [])
    if not isinstance(sides, list) or len(sides) not in (0, 2):
        raise ConfigError(f"{where}.sides: must be two lists of anchors")
    return Window(
        start=_day(entry["start"], f"{where}.start"),
        end=_day(end, f"{where}.end") if end else None,
        anchors=_strings(entry["anchors"], f"{where}.anchors"),
        vocab=str(entry.get("vocab", "war")),
        events=tuple(e.upper() for e in _strings(entry.get("events", []), f"{where}.events")),
        sides=tuple(_strings(side, f"{where}.sides") for side in sides),
    )


def parse_theme(tid: str, table: dict[str, Any], *, source: str) -> Theme:
    """A :class:`Theme` from a TOML table (every key checked)."""
    where = f"{source}: theme {tid!r}"
    unknown = set(table) - _KEYS
    if unknown:
        allowed = ", ".join(sorted(_KEYS))
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} ({allowed})")
    label = table.get("label", tid)
    if not isinstance(label, str):
        raise ConfigError(f"{where}: label must be a string")
    pairs = []
    for i, entry in enumerate(table.get("event_with", [])):
        if not isinstance(entry, dict) or set(entry) != {"type", "terms_of"}:
            raise ConfigError(f"{where}: event_with[{i}] must be {{ type = ..., terms_of = ... }}")
        pairs.append((str(entry["type"]), str(entry["terms_of"])))
    during = table.get("during", [])
    if not isinstance(during, list):
        raise ConfigError(f"{where}: during must be a list of tables")
    needs = _strings(table.get("needs", []), f"{where}: needs")
    if set(needs) - NEEDS:
        raise ConfigError(f"{where}: needs may hold {', '.join(sorted(NEEDS))}")
    return Theme(
        id=tid,
        label=label,
        description=str(table.get("description", "")),
        terms=_by_language(table.get("terms"), f"{where}: terms"),
        weak=_by_language(table.get("weak"), f"{where}: weak"),
        unrelated=_by_language(table.get("not"), f"{where}: not"),
        actors=_strings(table.get("actors", []), f"{where}: actors"),
        sectors=_strings(table.get("sectors", []), f"{where}: sectors"),
        countries=_strings(table.get("countries", []), f"{where}: countries"),
        events=tuple(e.upper() for e in _strings(table.get("events", []), f"{where}: events")),
        event_with=tuple(pairs),
        during=tuple(_window(w, f"{where}: during[{i}]") for i, w in enumerate(during)),
        needs=needs,
        fallback=bool(table.get("fallback", False)),
        source=source,
    )


@cache
def _shipped() -> tuple[tuple[Theme, ...], dict[str, dict[str, tuple[str, ...]]]]:
    text = (resources.files("newsparallax") / "data" / "themes.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    themes = tuple(
        parse_theme(tid, table, source="shipped") for tid, table in data["themes"].items()
    )
    vocab = {
        name: _by_language(table.get("terms"), f"shipped: vocab {name!r}")
        for name, table in data.get("vocab", {}).items()
    }
    return themes, vocab


def shipped_themes() -> tuple[Theme, ...]:
    """The taxonomy shipped in ``data/themes.toml``."""
    return _shipped()[0]


def vocabularies() -> dict[str, dict[str, tuple[str, ...]]]:
    """The shipped vocabularies (``[vocab.<name>]``) that ``during`` windows name."""
    return _shipped()[1]


def taxonomy(
    extra: dict[str, dict[str, Any]] | None = None, *, source: str = "watch"
) -> list[Theme]:
    """The shipped themes with ``extra`` (a watch's ``[themes.*]``) added; same id replaces."""
    themes = {t.id: t for t in shipped_themes()}
    for tid, table in (extra or {}).items():
        themes[tid] = parse_theme(tid, table, source=source)
    known = set(themes)
    vocab = vocabularies()
    for t in themes.values():
        for _, other in t.event_with:
            if other not in known:
                raise ConfigError(f"theme {t.id!r}: event_with names unknown theme {other!r}")
        for w in t.during:
            if w.vocab not in vocab:
                raise ConfigError(
                    f"theme {t.id!r}: during names unknown vocabulary {w.vocab!r} "
                    f"({', '.join(sorted(vocab))})"
                )
    return list(themes.values())


def known_themes(store: Store, watch: Watch) -> dict[str, str]:
    """Theme id → label, for the taxonomy (shipped and the watch's) and the stored tags, by id."""
    try:
        themes = taxonomy(watch.themes)
    except ConfigError:  # a broken user theme: the shipped ones still filter
        themes = list(shipped_themes())
    labels = {t.id: t.label for t in themes}
    for row in store.conn.execute("SELECT DISTINCT theme FROM themes"):
        labels.setdefault(str(row[0]), str(row[0]))
    return dict(sorted(labels.items()))
