"""The actor dictionary: the shipped entries plus the user's own files.

The package ships ``data/actors.jsonl.gz`` (built by :mod:`newsparallax.annotate.actors.build`).
Users add or override entries without touching code, with TOML, YAML or CSV files named by the
``PARALLAX_ACTORS`` setting (or passed to :meth:`ActorDictionary.load`):

* TOML/YAML: ``[[actor]]`` / ``[[office]]`` tables in the format of ``dictionary/README.md``
  (an entry with a known id replaces it), and ``[[patch]]`` tables that change some fields of an
  existing entry (``id`` plus any of ``en``/``ru``/``fa``/``short_*`` — added to the names —
  ``cues``, ``ambiguous``, ``building``, ``unique_short``, ``country``, ``sector``,
  ``description``, ``drop = true`` to remove it);
* CSV: one entry a row, columns ``id,kind,country,sector,description,en,ru,fa,short_en,short_ru,
  short_fa,unique_short``; several names in a cell are separated by ``|``.
"""

from __future__ import annotations

import csv
import gzip
import json
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from ...textnorm import normalize
from .entries import LANGUAGES, Actor

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "actors.jsonl.gz"


class DictionaryError(ValueError):
    """A user dictionary file that cannot be read, with the file and the reason."""


class ActorDictionary:
    """Entries by id, with name search and office holders."""

    def __init__(self, actors: Iterable[Actor], *, version: str = "") -> None:
        self.version = version
        self._by_id: dict[str, Actor] = {}
        for actor in actors:
            self._by_id[actor.id] = actor
        self._holders: dict[str, list[Actor]] | None = None
        self._normalised: dict[str, tuple[str, ...]] | None = None

    # -- access -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Actor]:
        return iter(self._by_id.values())

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self._by_id

    def __getitem__(self, actor_id: str) -> Actor:
        return self._by_id[actor_id]

    def get(self, actor_id: str) -> Actor | None:
        return self._by_id.get(actor_id)

    def holders(self, office: str, day: date | None) -> list[Actor]:
        """People whose role in ``office`` covers ``day`` (the newest holder when no date)."""
        if self._holders is None:
            self._holders = {}
            for actor in self._by_id.values():
                for role in actor.roles:
                    if role.office:
                        self._holders.setdefault(role.office, []).append(actor)
        people = self._holders.get(office, [])
        if day is None:
            dated = [
                (role.start or date.min, actor)
                for actor in people
                for role in actor.roles
                if role.office == office
            ]
            return [max(dated, key=lambda pair: pair[0])[1]] if dated else []
        return [
            actor
            for actor in people
            if any(role.office == office and role.covers(day) for role in actor.roles)
        ]

    def search(self, query: str, *, limit: int = 20) -> list[Actor]:
        """Entries whose id or a name matches ``query`` (any language, normalised): exact names
        first, then names starting with it, then names containing it; curated before Phoenix."""
        key = normalize(query)
        if not key:
            return []
        if self._normalised is None:  # built once: normalising every name is the cost
            self._normalised = {
                actor.id: tuple(
                    normalize(name)
                    for names in (*actor.names.values(), *actor.short.values())
                    for name in names
                )
                for actor in self._by_id.values()
            }
        ranked: list[tuple[int, int, str, Actor]] = []
        for actor in self._by_id.values():
            best = 0 if actor.id.lower() == query.lower() else 9
            for norm in self._normalised[actor.id]:
                if norm == key:
                    best = min(best, 1)
                elif norm.startswith(key):
                    best = min(best, 2)
                elif key in norm:
                    best = min(best, 3)
            if best < 9:
                ranked.append((best, actor.source.startswith("phoenix"), actor.id, actor))
        ranked.sort(key=lambda r: r[:3])
        return [r[3] for r in ranked[:limit]]

    # -- loading ------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path | None = None, *, extra: Sequence[Path] = ()) -> ActorDictionary:
        """The shipped dictionary (or ``path``) with the ``extra`` user files applied in order."""
        source = path or SHIPPED
        with gzip.open(source, "rt", encoding="utf-8") as fh:
            header = json.loads(fh.readline())
            actors = [Actor.from_dict(json.loads(line)) for line in fh if line.strip()]
        dictionary = cls(actors, version=str(header.get("version", "")))
        for user_file in extra:
            dictionary = dictionary.apply(user_file)
        return dictionary

    def apply(self, path: Path) -> ActorDictionary:
        """A copy with the entries and patches of one user file applied."""
        try:
            tables = _read_user_file(path)
        except (OSError, ValueError, KeyError) as exc:
            raise DictionaryError(f"{path}: {exc}") from exc
        by_id = dict(self._by_id)
        try:
            for table in tables.get("office", []):
                actor = Actor.from_dict({**table, "kind": "office", "source": f"user:{path.name}"})
                by_id[actor.id] = actor
            for table in tables.get("actor", []):
                actor = Actor.from_dict({**table, "source": f"user:{path.name}"})
                by_id[actor.id] = actor
            for table in tables.get("patch", []):
                apply_patch(by_id, table)
        except (KeyError, ValueError, TypeError) as exc:
            raise DictionaryError(f"{path}: {exc}") from exc
        return ActorDictionary(by_id.values(), version=f"{self.version}+{path.name}")


def apply_patch(by_id: dict[str, Actor], table: dict[str, Any]) -> None:
    """Apply one ``[[patch]]`` table (names, cues, flags added; ``drop``) to the entries."""
    ident = str(table["id"])
    if ident not in by_id:
        raise KeyError(f"patch for unknown actor {ident!r}")
    if table.get("drop"):
        del by_id[ident]
        return
    actor = by_id[ident]
    names = dict(actor.names)
    short = dict(actor.short)
    for lang in LANGUAGES:
        if table.get(lang):
            names[lang] = tuple(dict.fromkeys([*names.get(lang, ()), *_list(table[lang])]))
        if table.get(f"short_{lang}"):
            extra = _list(table[f"short_{lang}"])
            short[lang] = tuple(dict.fromkeys([*short.get(lang, ()), *extra]))
    changes: dict[str, Any] = {"names": names, "short": short}
    for key in ("country", "sector", "description", "metonym_of"):
        if key in table:
            changes[key] = table[key] or None if key != "description" else str(table[key])
    for key in ("unique_short", "ambiguous", "building"):
        if key in table:
            changes[key] = bool(table[key])
    if "cues" in table:
        changes["cues"] = tuple(dict.fromkeys([*actor.cues, *_list(table["cues"])]))
    by_id[ident] = replace(actor, **changes)


def _list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split("|") if v.strip()]
    return [str(v) for v in value]


def _read_user_file(path: Path) -> dict[str, list[dict[str, Any]]]:
    suffix = path.suffix.lower()
    if suffix == ".toml":
        data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
    elif suffix in (".yaml", ".yml"):
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    elif suffix == ".csv":
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        actors = []
        for row in rows:
            table: dict[str, Any] = {k: v for k, v in row.items() if k and v not in (None, "")}
            for key in [*LANGUAGES, *(f"short_{lang}" for lang in LANGUAGES), "cues"]:
                if key in table:
                    table[key] = _list(table[key])
            if "unique_short" in table:
                table["unique_short"] = str(table["unique_short"]).lower() in ("1", "true", "yes")
            actors.append(table)
        data = {"actor": actors}
    else:
        raise ValueError(f"unsupported dictionary file type {suffix!r} (use .toml, .yaml or .csv)")
    if not isinstance(data, dict):
        raise ValueError("expected a mapping with 'actor', 'office' or 'patch' lists")
    return {k: list(v) for k, v in data.items() if k in ("actor", "office", "patch")}
