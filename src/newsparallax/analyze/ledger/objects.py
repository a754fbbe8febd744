"""What a claim is about: the object family an event's evidence sentence names.

A proposition of the claim ledger is (event type, source → target, object). The object is read
from the evidence sentence, in this order:

1. for force (ASSAULT, COERCE, MOBILIZE, THREATEN): a **place** — the event's target actor when
   it is a place ("shelled the Zaporizhzhia nuclear plant"), else the place mention in the
   sentence nearest the trigger, within :data:`NEAR` characters of it ("struck an oil depot in
   Kherson", not "the invasion … allows the deoccupation of Crimea");
2. a **family** of :data:`SHIPPED` (``data/claim_objects.toml``): a weapon mention of the actors
   stage ("Shahed-136" → ``drones``), or a plain word that names the family in English, Russian
   or Persian ("kamikaze drones", «беспилотники», «پهپاد» → ``drones``), the one nearest the
   trigger, within :data:`NEAR` characters of it; a catch-all family ("weapons", «оружие») only
   when no specific one is named;
3. the **mode** of the event's CAMEO code: its military, economic or humanitarian sense ("072
   Provide military aid" → ``mode-military``), when the sentence names nothing — not for force,
   whose codes are all military;
4. else ``unspecified``.

Models are details of a family, not part of a claim's identity: a report naming the Shahed-136
and one naming «Герань-2» or just "drones" support the same proposition, and the ledger lists
the models named beside it.
"""

from __future__ import annotations

import re
import threading
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "FORCE_TYPES",
    "MODES",
    "SHIPPED",
    "Family",
    "Mention",
    "Obj",
    "families",
    "locate",
    "object_of",
]

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "claim_objects.toml"
FORCE_TYPES = frozenset({"ASSAULT", "COERCE", "MOBILIZE", "THREATEN"})
"""Event types whose object is first of all a place."""
MODES = {"military": "military", "economic": "economic", "humanitarian": "humanitarian"}
"""CAMEO contexts that name what an event is about when the sentence names nothing."""
UNSPECIFIED = "unspecified"
NEAR = 120
"""Characters between the trigger and a place or family word for it to be the event's object
(when the trigger is found in the sentence)."""


@dataclass(frozen=True, slots=True)
class Obj:
    """The object of a proposition."""

    key: str
    """Its part of the proposition id: a family id, ``at-<place id>``, ``mode-<context>`` or
    ``unspecified``."""
    kind: str
    """``family``, ``place``, ``mode`` or ``none``."""
    label: str
    """How the ledger names it: "drones", "zaporizhzhia-npp", "military aid"."""


NONE = Obj(key=UNSPECIFIED, kind="none", label="")


@dataclass(frozen=True, slots=True)
class Family:
    id: str
    label: str
    weapons: frozenset[str]
    pattern: re.Pattern[str] | None
    generic: bool = False

    @property
    def obj(self) -> Obj:
        return Obj(key=self.id, kind="family", label=self.label)


@dataclass(frozen=True, slots=True)
class Mention:
    """A weapon or place mention inside an evidence sentence (offsets in the sentence)."""

    start: int
    end: int
    actor: str
    kind: str


_lock = threading.Lock()
_loaded: dict[Path, tuple[Family, ...]] = {}


def families(path: Path | None = None) -> tuple[Family, ...]:
    """The object families of ``path`` (default :data:`SHIPPED`), read once."""
    where = path or SHIPPED
    with _lock:
        if where not in _loaded:
            data = tomllib.loads(where.read_text(encoding="utf-8"))
            _loaded[where] = tuple(_family(t) for t in data.get("family", []))
        return _loaded[where]


def _family(table: dict[str, object]) -> Family:
    words = [w for lang in ("en", "ru", "fa") for w in _strings(table.get(lang))]
    pattern = (
        re.compile(rf"(?<!\w)(?:{'|'.join(words)})(?!\w)", re.IGNORECASE | re.UNICODE)
        if words
        else None
    )
    return Family(
        id=str(table["id"]),
        label=str(table.get("label") or table["id"]),
        weapons=frozenset(_strings(table.get("weapons"))),
        pattern=pattern,
        generic=bool(table.get("generic", False)),
    )


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def locate(sentence: str, trigger: str) -> int | None:
    """Where ``trigger`` (or its first word, or that word's first five letters) starts in
    ``sentence``, case-insensitively; ``None`` when it is not there."""
    if not trigger.strip():
        return None
    low = sentence.lower()
    first = trigger.split()[0].lower()
    for needle in (trigger.lower(), first, first[:5] if len(first) >= 5 else ""):
        if needle:
            i = low.find(needle)
            if i >= 0:
                return i
    return None


def object_of(
    *,
    type: str,
    context: str | None,
    sentence: str,
    trigger: str,
    mentions: Sequence[Mention] = (),
    target_actor: str | None = None,
    table: Iterable[Family] | None = None,
) -> tuple[Obj, tuple[str, ...]]:
    """The object of an event (see the module docstring) and the weapons and places its
    sentence names (actor ids, in order)."""
    known = tuple(table) if table is not None else families()
    at = locate(sentence, trigger)
    anchor = at if at is not None else 0
    named = tuple(dict.fromkeys(m.actor for m in mentions if m.kind in ("weapon", "place")))

    def distance(start: int, end: int) -> int:
        return 0 if start <= anchor < end else min(abs(start - anchor), abs(end - anchor))

    def near(start: int, end: int) -> bool:
        return at is None or distance(start, end) <= NEAR

    if type in FORCE_TYPES:
        places = [m for m in mentions if m.kind == "place"]
        if target_actor and any(m.actor == target_actor for m in places):
            return _place(target_actor), named
        places = [m for m in places if near(m.start, m.end)]
        if places:
            nearest = min(places, key=lambda m: distance(m.start, m.end))
            return _place(nearest.actor), named
    by_weapon = {w: f for f in known for w in f.weapons}
    hits: list[tuple[int, bool, Family]] = []  # (distance, generic, family)
    spans: list[tuple[int, int]] = []
    for m in mentions:
        family = by_weapon.get(m.actor) if m.kind == "weapon" else None
        if family is not None and near(m.start, m.end):
            hits.append((distance(m.start, m.end), family.generic, family))
            spans.append((m.start, m.end))
    for family in known:
        if family.pattern is None:
            continue
        for found in family.pattern.finditer(sentence):
            s, e = found.span()
            if any(s < b and a < e for a, b in spans) or not near(s, e):
                continue  # inside a weapon mention ("Patriot missile" is air defence), or far
            hits.append((distance(s, e), family.generic, family))
    if hits:
        specific = [h for h in hits if not h[1]] or hits
        return min(specific, key=lambda h: h[0])[2].obj, named
    mode = MODES.get(context or "") if type not in FORCE_TYPES else None  # all force is military
    if mode:
        return Obj(
            key=f"mode-{mode}", kind="mode", label=f"{mode} aid" if type == "AID" else mode
        ), (named)
    return NONE, named


def _place(actor: str) -> Obj:
    return Obj(key=f"at-{actor}", kind="place", label=actor)
