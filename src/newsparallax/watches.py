"""Watches: the states, camps and outlets a Parallax run follows, read from TOML files.

A watch file has three parts (every key is checked; an unknown key is an error)::

    [watch]         name, title, description, actors (ISO alpha-3), dyads, extends
    [camps.<id>]    label, description, color
    [[outlets]]     id, name, domains, country, languages, camp, ownership,
                    state_affiliated, founded, evidence, feeds
    [themes.<id>]   optional user themes (label, terms, actors, events...: checked by
                    :mod:`newsparallax.annotate.themes` when the themes stage is built)
    [[alerts]]      optional alert rules, each with an ``id`` (kind, dyads, thresholds...:
                    checked by :mod:`newsparallax.analyze.alerts` when alerts are evaluated)

Where :func:`load_watch` looks for a watch given by *name* (the first match wins):

1. ``<dir>/<name>.toml`` for each directory of ``$PARALLAX_WATCH_DIR`` (``os.pathsep``-separated);
2. ``~/.config/parallax/watches/<name>.toml``;
3. the watches shipped in the package (``newsparallax/data/watches``, see :func:`builtin_watches`).

So a user file named like a built-in watch overrides it. An argument ending in ``.toml`` or
containing a path separator is read as a path.

``extends = "<name or path>"`` under ``[watch]`` inherits the parent's camps and outlets; the
child's ``[camps.*]`` and ``[[outlets]]`` add to them, and an entry with an id the parent uses
replaces the parent's entry whole (``[themes.*]`` and ``[[alerts]]`` likewise, by id).
``actors`` and ``dyads`` default to the parent's. A relative
``extends`` path is read from the child's directory; a user file may extend the built-in watch of
its own name. Last, the ``[[outlets]]`` (and ``[camps.*]``) of the file named by
``$PARALLAX_OUTLETS`` are merged into every watch loaded, with the same rule.

Built-in watches are parsed once per process; user files are read on every call.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .records import Camp, Outlet

__all__ = ["DEFAULT_WATCH", "OWNERSHIP", "Watch", "builtin_watches", "load_watch", "watch_dirs"]

DEFAULT_WATCH = "iran-russia"
OWNERSHIP = frozenset({"state", "state-affiliated", "public", "private", "government", "nonprofit"})
"""Allowed ``ownership`` values of an outlet."""

_WATCH_KEYS = frozenset({"name", "title", "description", "actors", "dyads", "extends"})
_CAMP_KEYS = frozenset(f.name for f in fields(Camp)) - {"id"}  # the id is the table's key
_OUTLET_KEYS = frozenset(f.name for f in fields(Outlet))
_ISO3 = re.compile(r"[A-Z]{3}")
_CAMP_ID = re.compile(r"[a-z][a-z0-9_]*")
_ALERT_ID = re.compile(r"[a-z][a-z0-9_-]*")
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_DOMAIN = re.compile(r"telegram:[a-z0-9_]+|[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/[^/?#\s]+)?")
# Optional scheme or "//", optional user info, then the host, an optional port, any run of
# slashes, and the first path segment.
_URL = re.compile(r"(?:(?:[a-z][a-z0-9+.\-]*:)?//)?(?:[^/?#@]*@)?([^/?#:]*)(?::\d*)?/*([^/?#]*)")


@dataclass(frozen=True, kw_only=True, slots=True)
class Watch:
    """A loaded watch. ``resolve`` maps a URL or domain to its outlet with a precomputed index."""

    name: str
    title: str
    description: str
    actors: tuple[str, ...]
    dyads: tuple[tuple[str, str], ...]
    camps: dict[str, Camp]
    outlets: tuple[Outlet, ...]
    path: str
    """The file the watch was loaded from (the last one of an ``extends`` chain)."""
    themes: dict[str, dict[str, Any]] = field(default_factory=dict)
    """User themes from ``[themes.<id>]`` tables, raw (see :mod:`newsparallax.annotate.themes`)."""
    alerts: tuple[dict[str, Any], ...] = ()
    """Alert rules from ``[[alerts]]`` tables, raw (see :mod:`newsparallax.analyze.alerts`)."""
    _by_id: dict[str, Outlet] = field(init=False, repr=False, compare=False)
    _by_domain: dict[str, Outlet] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {o.id: o for o in self.outlets})
        by_domain = {_normalize_domain(d): o for o in self.outlets for d in o.domains}
        object.__setattr__(self, "_by_domain", by_domain)

    def outlet(self, outlet_id: str) -> Outlet | None:
        """The outlet with this id, or ``None``."""
        return self._by_id.get(outlet_id)

    def resolve(self, url_or_domain: str) -> Outlet | None:
        """The outlet a URL, host or ``telegram:<id>`` belongs to, or ``None`` if unknown.

        Case-insensitive. The host's own entry wins over its parents' (``en.kremlin.ru`` falls
        back to ``kremlin.ru``), and at each level ``host/first-segment`` wins over ``host``, so
        ``https://www.bbc.com/russian/x`` is BBC Russian and ``https://www.bbc.co.uk/news/x`` BBC.
        """
        text = url_or_domain.strip().lower()
        if text.startswith("telegram:"):
            return self._by_domain.get(text)
        match = _URL.match(text)
        if match is None:  # pragma: no cover - the pattern matches every string
            return None
        host, segment = match.group(1).rstrip("."), match.group(2)
        labels = host.split(".")
        for i in range(len(labels) - 1):
            suffix = ".".join(labels[i:])
            if segment:
                found = self._by_domain.get(f"{suffix}/{segment}")
                if found is not None:
                    return found
            found = self._by_domain.get(suffix)
            if found is not None:
                return found
        return None


@dataclass(frozen=True, slots=True)
class _Layer:
    """What one file contributes, checked on its own. ``head`` holds the ``[watch]`` keys given."""

    source: str
    head: dict[str, Any]
    camps: tuple[Camp, ...]
    outlets: tuple[Outlet, ...]
    themes: dict[str, dict[str, Any]] = field(default_factory=dict)
    alerts: tuple[dict[str, Any], ...] = ()


def builtin_watches() -> list[str]:
    """Names of the watches shipped in the package."""
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in _builtin_dir().iterdir()
        if entry.name.endswith(".toml")
    )


def watch_dirs() -> list[Path]:
    """User directories searched for ``<name>.toml``, in order: ``$PARALLAX_WATCH_DIR``, then
    ``~/.config/parallax/watches``."""
    env = os.environ.get("PARALLAX_WATCH_DIR", "")
    dirs = [Path(part).expanduser() for part in env.split(os.pathsep) if part.strip()]
    dirs.append(Path.home() / ".config" / "parallax" / "watches")
    return dirs


def load_watch(name_or_path: str = DEFAULT_WATCH) -> Watch:
    """Load a watch by name or path, follow ``extends`` and merge ``$PARALLAX_OUTLETS``."""
    layers = _chain(name_or_path, base=None, seen=())
    extra = os.environ.get("PARALLAX_OUTLETS", "").strip()
    if extra:
        layers.append(_parse(_read_file(Path(extra).expanduser()), str(extra), outlets_only=True))
    return _merge(layers)


def _builtin_dir() -> Traversable:
    return resources.files("newsparallax") / "data" / "watches"


def _looks_like_path(ref: str) -> bool:
    return ref.endswith(".toml") or "/" in ref or os.sep in ref


def _chain(ref: str, *, base: Path | None, seen: tuple[str, ...]) -> list[_Layer]:
    """The layers of ``ref`` and its ancestors, root first."""
    layer = _find(ref, base=base, seen=seen)
    if layer.source in seen:
        cycle = " -> ".join((*seen, layer.source))
        raise ConfigError(f"{seen[-1]}: watch extends itself: {cycle}")
    parent = layer.head.get("extends")
    if parent is None:
        return [layer]
    parent_base = None if layer.source.startswith("<package>") else Path(layer.source).parent
    return [*_chain(parent, base=parent_base, seen=(*seen, layer.source)), layer]


def _find(ref: str, *, base: Path | None, seen: tuple[str, ...]) -> _Layer:
    where = f"{seen[-1]}: extends" if seen else "watch"
    if _looks_like_path(ref):
        path = Path(ref).expanduser()
        if not path.is_absolute() and base is not None:
            path = base / path
        return _parse(_read_file(path), str(path.resolve()), outlets_only=False)
    dirs = watch_dirs()
    for directory in dirs:
        candidate = (directory / f"{ref}.toml").resolve()
        if candidate.is_file() and str(candidate) not in seen:
            return _parse(_read_file(candidate), str(candidate), outlets_only=False)
    if ref in builtin_watches():
        return _builtin_layer(ref)
    searched = ", ".join(str(d) for d in dirs)
    raise ConfigError(
        f"{where}: unknown watch {ref!r}: no {ref}.toml in {searched} and no built-in watch of "
        f"that name (built-in: {', '.join(builtin_watches())})"
    )


@cache
def _builtin_layer(name: str) -> _Layer:
    """The built-in watch ``name``, parsed once per process (a broken one is a packaging bug)."""
    text = (_builtin_dir() / f"{name}.toml").read_text(encoding="utf-8")
    return _parse(tomllib.loads(text), f"<package>/data/watches/{name}.toml", outlets_only=False)


def _read_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such file") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc


def _parse(data: dict[str, Any], source: str, *, outlets_only: bool) -> _Layer:
    _check_keys(
        data,
        {"camps", "outlets"} | (set() if outlets_only else {"watch", "themes", "alerts"}),
        source,
    )
    head: dict[str, Any] = {}
    if not outlets_only:
        where = f"{source}: [watch]"
        head = dict(_table(data.get("watch"), where))
        _check_keys(head, _WATCH_KEYS, where)
        for key in ("name", "title", "description", "extends"):
            _opt_str(head, key, where)
        _check(head.get("name"), where, "missing name")
        if "actors" in head:
            head["actors"] = tuple(_codes(head["actors"], f"{where}: actors"))
        if "dyads" in head:
            head["dyads"] = _dyads(head["dyads"], f"{where}: dyads")
    camps = tuple(
        _camp(cid, entry, source)
        for cid, entry in _table(data.get("camps", {}), f"{source}: [camps]").items()
    )
    entries = data.get("outlets", [])
    _check(isinstance(entries, list), source, "'outlets' must be an array of tables [[outlets]]")
    outlets = tuple(_outlet(entry, source, i) for i, entry in enumerate(entries))
    ids = [o.id for o in outlets]
    for oid in ids:
        _check(ids.count(oid) == 1, f"{source}: outlet {oid!r}", "duplicate outlet id")
    themes = _table(data.get("themes", {}), f"{source}: [themes]")
    for tid, entry in themes.items():
        _check(
            _CAMP_ID.fullmatch(tid),
            f"{source}: theme {tid!r}",
            "a theme id is lower-case letters, digits and '_'",
        )
        _table(entry, f"{source}: theme {tid!r}")
    return _Layer(
        source=source,
        head=head,
        camps=camps,
        outlets=outlets,
        themes=dict(themes),
        alerts=_alerts(data.get("alerts", []), source),
    )


def _alerts(entries: object, source: str) -> tuple[dict[str, Any], ...]:
    """``[[alerts]]`` tables, raw but each with a unique ``id`` (the rest is checked by
    :mod:`newsparallax.analyze.alerts`)."""
    if not isinstance(entries, list):
        raise ConfigError(f"{source}: 'alerts' must be an array of tables [[alerts]]")
    rules = tuple(_table(entry, f"{source}: alerts[{i}]") for i, entry in enumerate(entries))
    ids = [rule.get("id") for rule in rules]
    for i, rid in enumerate(ids):
        where = f"{source}: alerts[{i}]"
        _check(
            isinstance(rid, str) and _ALERT_ID.fullmatch(rid),
            where,
            "an alert needs an id of lower-case letters, digits, '_' and '-'",
        )
        _check(ids.count(rid) == 1, where, f"duplicate alert id {rid!r}")
    return rules


def _camp(cid: str, entry: object, source: str) -> Camp:
    where = f"{source}: camp {cid!r}"
    _check(_CAMP_ID.fullmatch(cid), where, "a camp id is lower-case letters, digits and '_'")
    table = _table(entry, where)
    _check_keys(table, _CAMP_KEYS, where)
    label = _req_str(table, "label", where)
    color = _opt_str(table, "color", where) or ""
    _check(not color or _COLOR.fullmatch(color), where, f"color {color!r} is not '#rrggbb'")
    description = _opt_str(table, "description", where) or ""
    return Camp(id=cid, label=label, description=description, color=color)


def _outlet(entry: object, source: str, index: int) -> Outlet:
    table = _table(entry, f"{source}: outlets[{index}]")
    oid = _req_str(table, "id", f"{source}: outlets[{index}]")
    where = f"{source}: outlet {oid!r}"
    _check_keys(table, _OUTLET_KEYS, where)
    name = _req_str(table, "name", where)
    domains = [_normalize_domain(d) for d in _strings(table, "domains", where) or [oid]]
    for domain in domains:
        _check(
            _DOMAIN.fullmatch(domain),
            where,
            f"{domain!r} is not a domain ('example.com', "
            "'example.com/section' or 'telegram:<channel id>')",
        )
    country = _opt_str(table, "country", where)
    _check(
        country is None or _ISO3.fullmatch(country),
        where,
        f"country {country!r} is not an ISO 3166-1 alpha-3 code (like 'RUS')",
    )
    languages = _strings(table, "languages", where)
    for language in languages:
        _check(_LANGUAGE.fullmatch(language), where, f"language {language!r} is not ISO 639")
    ownership = _opt_str(table, "ownership", where)
    _check(
        ownership is None or ownership in OWNERSHIP,
        where,
        f"ownership {ownership!r} is not one of {', '.join(sorted(OWNERSHIP))}",
    )
    affiliated = table.get("state_affiliated", False)
    _check(isinstance(affiliated, bool), where, "state_affiliated must be true or false")
    founded = table.get("founded")
    plausible = type(founded) is int and 1500 <= founded <= date.today().year
    _check(founded is None or plausible, where, f"founded {founded!r} is not a plausible year")
    feeds = _strings(table, "feeds", where)
    for feed in feeds:
        _check(feed.startswith(("http://", "https://")), where, f"feed {feed!r} is not http(s)")
    return Outlet(
        id=oid,
        name=name,
        domains=tuple(dict.fromkeys(domains)),
        country=country,
        languages=tuple(languages),
        camp=_opt_str(table, "camp", where),
        ownership=ownership,
        state_affiliated=bool(affiliated),
        evidence=_opt_str(table, "evidence", where) or "",
        founded=founded,
        feeds=tuple(feeds),
    )


def _merge(layers: list[_Layer]) -> Watch:
    """Apply the layers in order (root first) and check what only the whole can show."""
    head: dict[str, Any] = {"actors": (), "dyads": ()}
    camps: dict[str, Camp] = {}
    outlets: dict[str, Outlet] = {}
    origin: dict[str, str] = {}
    themes: dict[str, dict[str, Any]] = {}
    alerts: dict[str, dict[str, Any]] = {}
    for layer in layers:
        themes.update(layer.themes)
        alerts.update((rule["id"], rule) for rule in layer.alerts)
        if layer.head:  # a watch file, not the outlets-only file: name, title, path are its own
            head.update(title=layer.head["name"], description="", path=layer.source)
            head.update(layer.head)
        camps.update((camp.id, camp) for camp in layer.camps)
        for outlet in layer.outlets:
            outlets[outlet.id] = outlet  # a known id keeps its place, so the order is stable
            origin[outlet.id] = layer.source
    claimed: dict[str, str] = {}
    for outlet in outlets.values():
        where = f"{origin[outlet.id]}: outlet {outlet.id!r}"
        _check(
            outlet.camp is None or outlet.camp in camps,
            where,
            f"camp {outlet.camp!r} is not defined (camps: {', '.join(sorted(camps))})",
        )
        for domain in outlet.domains:
            other = claimed.setdefault(domain, outlet.id)
            _check(
                other == outlet.id,
                where,
                f"domain {domain!r} is already claimed by outlet {other!r} ({origin[other]})",
            )
    head.pop("extends", None)
    return Watch(
        **head,
        camps=camps,
        outlets=tuple(outlets.values()),
        themes=themes,
        alerts=tuple(alerts.values()),
    )


def _check(ok: object, where: str, problem: str) -> None:
    if not ok:
        raise ConfigError(f"{where}: {problem}")


def _normalize_domain(domain: str) -> str:
    return domain.strip().lower().rstrip("/").removeprefix("www.")


def _check_keys(table: dict[str, Any], allowed: set[str] | frozenset[str], where: str) -> None:
    unknown = ", ".join(sorted(set(table) - allowed))
    _check(not unknown, where, f"unknown key(s) {unknown} (allowed: {', '.join(sorted(allowed))})")


def _table(value: object, where: str) -> dict[str, Any]:
    _check(value is not None, where, "missing table")
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: must be a table")
    return value


def _opt_str(table: dict[str, Any], key: str, where: str) -> str | None:
    value = table.get(key)
    _check(value is None or isinstance(value, str), where, f"{key} must be a string")
    return value


def _req_str(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: missing {key}")
    return value


def _strings(table: dict[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key, [])
    ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    _check(ok, where, f"{key} must be a list of strings")
    return list(value)


def _codes(value: object, where: str) -> list[str]:
    codes = value if isinstance(value, list) else [None]
    if not all(isinstance(v, str) and _ISO3.fullmatch(v) for v in codes):
        raise ConfigError(f"{where}: must be a list of ISO 3166-1 alpha-3 codes (like 'IRN')")
    return [str(v) for v in codes]


def _dyads(value: object, where: str) -> tuple[tuple[str, str], ...]:
    pairs = [_codes(p, where) for p in value] if isinstance(value, list) else [[]]
    _check(all(len(p) == 2 for p in pairs), where, "must be a list of [source, target] pairs")
    return tuple((p[0], p[1]) for p in pairs)
