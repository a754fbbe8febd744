"""Build the shipped actor dictionary from its sources (``make actors``).

Sources, merged in this order (later ones win on conflicts):

1. the Phoenix/PETRARCH-2 actor dictionaries (MIT, English): people with CAMEO role codes and
   date ranges, organisations, IGOs, companies, non-state armed groups;
2. CLDR country names in English, Russian, Persian and Ukrainian, kept as a generated source file
   (``dictionary/cldr_states.json``, written from ``babel`` and ``pycountry`` by
   ``--refresh-cldr``), so the shipped data does not depend on whichever release of those a
   user's pip resolves;
3. the curated files in ``dictionary/*.toml`` (EN/RU/FA names, adjectives, capitals, people with
   dated roles, offices, organisations, weapons, places of the Iran–Russia watch).

A Phoenix entry is dropped when a curated entry already has one of its full names, so the
curated entry (with Russian and Persian names and current roles) is the one matched.

The shipped file's header records a digest of each input, so a check that the file is what the
build makes of its sources can say which input drifted. ``babel`` and ``pycountry`` (pinned in
the ``dev`` extra) are needed only to refresh the CLDR source, never to build or at run time::

    python -m newsparallax.annotate.actors.build [--phoenix DIR] [--sources DIR] [--out FILE]
    python -m newsparallax.annotate.actors.build --refresh-cldr   # dictionary/cldr_states.json
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from ...textnorm import normalize
from .dictionary import apply_patch
from .entries import Actor, Role

DICTIONARY_VERSION = "2026.11.1"
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "data" / "actors.jsonl.gz"
REPO = Path(__file__).resolve().parents[4]
DEFAULT_SOURCES = REPO / "dictionary"
DEFAULT_PHOENIX = REPO.parent / "shared/data/events/petrarch2-cameo-dictionaries/dictionaries"
#: The generated CLDR source (inside ``sources``).
CLDR_FILE = "cldr_states.json"
#: The Phoenix dictionaries read (inside ``phoenix``).
PHOENIX_FILES = {
    "Phoenix.Countries.actors.txt": "countries",
    "Phoenix.International.actors.txt": "international",
    "Phoenix.MilNonState.actors.txt": "milnonstate",
}

#: CAMEO agent (sector) codes recognised inside Phoenix role codes.
SECTORS = frozenset(
    "GOV MIL LEG JUD PTY SPY COP BUS MED REB OPP CVL NGO ELI EDU HLH REF NUC REL LAB"
    " AGR ENV HRI CRM INS SEP MOD RAD UAF".split()
)
#: Phoenix IGO codes (after ``IGO``) that name an IGO Parallax has a code for.
IGO_CODES = {
    "UNOIAE": "IAEA",
    "UNO": "UN",
    "EUREEC": "EU",
    "WSTNAT": "NATO",
    "BUSOPC": "OPEC",
    "BUSIMF": "IMF",
    "JUDICC": "ICC",
    "UNOJUDICJ": "ICJ",
    "SEAASN": "ASEAN",
    "MEAARL": "ARABLEAGUE",
    "AFRAFU": "AU",
    "UNOHLH": "WHO",
}

# --------------------------------------------------------------------------------------------
# Phoenix


def _phoenix_name(raw: str) -> str:
    name = re.sub(r"\([^)]*\)", " ", raw.split("#")[0])
    name = name.replace("_", " ").strip(" +\t")
    name = re.sub(r"\s+", " ", name)
    return " ".join(w if "." in w and len(w) <= 3 else w.capitalize() for w in name.split(" "))


def _phoenix_day(text: str) -> date | None:
    if not re.fullmatch(r"\d{6}", text):
        return None
    yy, mm, dd = int(text[:2]), int(text[2:4]), int(text[4:])
    year = 2000 + yy if yy <= 30 else 1900 + yy
    try:
        return date(year, max(mm, 1), max(dd, 1))
    except ValueError:
        return None


def _country_of(code: str, iso3: set[str]) -> tuple[str | None, str]:
    """Split a Phoenix code into (country or IGO code, rest)."""
    if code.startswith("IGO"):
        rest = code[3:]
        for prefix in sorted(IGO_CODES, key=len, reverse=True):
            if rest.startswith(prefix):
                return IGO_CODES[prefix], rest[len(prefix) :]
        return None, rest
    if code[:3] in ("NGO", "MNC"):
        head = code[3:6]
        return (head, code[6:]) if head in iso3 else (None, code[3:])
    head = code[:3]
    return (head, code[3:]) if head in iso3 else (None, code[3:])


def _sector_of(rest: str) -> str | None:
    chunks = [rest[i : i + 3] for i in range(0, len(rest), 3)]
    found = [c for c in chunks if c in SECTORS]
    return found[-1] if found else None


_CODE = re.compile(r"\[([A-Z-]+)\s*([<>]?\d{6}(?:-\d{6})?)?\s*\]")


def _parse_phoenix(path: Path) -> Iterator[dict[str, Any]]:
    """Yield raw entries ``{name, aliases, codes: [(code, dates)], comment}``."""
    entry: dict[str, Any] | None = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line[0] in " \t":
            if entry is not None:
                entry["codes"].extend(_CODE.findall(line))
            continue
        if line.startswith("+"):
            if entry is not None:
                entry["aliases"].append(line[1:].split("#")[0].split("[")[0])
            continue
        if entry is not None:
            yield entry
        head = line.split("#")[0]
        entry = {
            "name": head.split("[")[0],
            "aliases": [],
            "codes": _CODE.findall(head),
            "comment": line.split("#", 1)[1] if "#" in line else "",
        }
    if entry is not None:
        yield entry


def phoenix_actors(directory: Path, iso3: set[str]) -> Iterator[Actor]:
    """Actor entries from the Phoenix dictionaries (country-level entries are skipped: CLDR and
    the curated files name states better)."""
    used: Counter[str] = Counter()
    for filename, origin in PHOENIX_FILES.items():
        path = directory / filename
        if not path.exists():
            raise FileNotFoundError(f"Phoenix dictionary missing: {path}")
        for raw in _parse_phoenix(path):
            actor = _phoenix_actor(raw, origin, iso3, used)
            if actor is not None:
                yield actor


def _phoenix_actor(
    raw: dict[str, Any], origin: str, iso3: set[str], used: Counter[str]
) -> Actor | None:
    name = _phoenix_name(raw["name"])
    if len(name) < 3 or not raw["codes"]:
        return None
    codes: list[tuple[str, str]] = [(c, d) for c, d in raw["codes"] if c != "---"]
    if not codes:
        return None
    if len(codes) == 1 and not codes[0][1] and codes[0][0] in iso3:
        return None  # a country-level entry
    roles: list[Role] = []
    default_country: str | None = None
    default_sector: str | None = None
    for code, dates in codes:
        country, rest = _country_of(code, iso3)
        sector = _sector_of(rest)
        if not dates:
            default_country = default_country or country
            default_sector = default_sector or sector
            continue
        start = end = None
        if dates.startswith(">"):
            start = _phoenix_day(dates[1:])
        elif dates.startswith("<"):
            end = _phoenix_day(dates[1:])
        else:
            first, _, last = dates.partition("-")
            start, end = _phoenix_day(first), _phoenix_day(last)
        roles.append(Role(country=country, sector=sector, start=start, end=end))
    roles.sort(key=lambda r: r.start or date.min)
    person = "CountryInfo" in raw["comment"] or "rulers" in raw["comment"] or bool(roles)
    first_code = codes[0][0]
    if person:
        kind = "person"
    elif origin == "milnonstate":
        kind = "armed_group"
    elif first_code.startswith("IGO"):
        kind = "igo"
    else:
        kind = "organisation"
    country = default_country or (roles[-1].country if roles else None)
    if kind == "igo" and country is None:
        return None  # an IGO Parallax has no code for: its country field would be empty
    sector = default_sector
    if sector is None and first_code.startswith("MNC"):
        sector = "BUS"
    elif sector is None and first_code.startswith("NGO"):
        sector = "NGO"
    full: list[str] = []
    short: list[str] = []
    for alias in [raw["name"], *raw["aliases"]]:
        text = _phoenix_name(alias)
        if len(text) < 3:
            continue
        (full if " " in text else short).append(text)
    if not full and kind not in ("person",):
        full, short = short, []
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    used[slug] += 1
    ident = f"phx-{slug}" + (f"-{used[slug]}" if used[slug] > 1 else "")
    return Actor(
        id=ident,
        kind=kind,
        country=country,
        sector=sector,
        names={"en": tuple(dict.fromkeys(full))} if full else {},
        short={"en": tuple(dict.fromkeys(short))} if short else {},
        unique_short=False,
        roles=tuple(roles),
        source="phoenix",
    )


# --------------------------------------------------------------------------------------------
# CLDR


#: CLDR country names that are also common words once normalised (Russian «Того» lemmatises to
#: «тот»; Persian «مالی» is "financial", «چک» a cheque): kept only as short forms, which count
#: in an article that also names the state in full.
CLDR_AMBIGUOUS = {"ru": {"Того"}, "fa": {"مالی", "چک"}}


def cldr_from_babel() -> dict[str, Any]:
    """The CLDR source as ``--refresh-cldr`` writes it: ISO3 → {language: [country names]} from
    the installed ``babel`` and ``pycountry``, with their versions."""
    from importlib.metadata import version

    import pycountry
    from babel import Locale

    locales = {lang: Locale(lang) for lang in ("en", "ru", "fa", "uk")}
    states: dict[str, dict[str, list[str]]] = {}
    for country in pycountry.countries:
        names: dict[str, list[str]] = {}
        for lang, loc in locales.items():
            name = loc.territories.get(country.alpha_2)
            if name:
                names[lang] = [name]
        if lang_en := getattr(country, "common_name", None):
            names.setdefault("en", []).append(lang_en)
        names.setdefault("en", []).append(country.name)
        states[country.alpha_3] = {k: list(dict.fromkeys(v)) for k, v in names.items()}
    return {
        "generated_by": "python -m newsparallax.annotate.actors.build --refresh-cldr",
        "babel": version("babel"),
        "pycountry": version("pycountry"),
        "states": dict(sorted(states.items())),
    }


def write_cldr(data: dict[str, Any], out: Path) -> None:
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def cldr_states(sources: Path = DEFAULT_SOURCES) -> dict[str, dict[str, list[str]]]:
    """ISO3 → {language: [country names]}: the generated CLDR source in ``sources``."""
    path = sources / CLDR_FILE
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: run `{sys.executable} -m newsparallax.annotate.actors.build"
            " --refresh-cldr`"
        )
    states: dict[str, dict[str, list[str]]] = json.loads(path.read_text("utf-8"))["states"]
    return states


def input_digests(sources: Path, phoenix: Path | None) -> dict[str, str]:
    """A short digest of every input of the build, by name (recorded in the shipped header)."""
    paths = {f"dictionary/{p.name}": p for p in sorted(sources.glob("*.toml"))}
    paths[f"dictionary/{CLDR_FILE}"] = sources / CLDR_FILE
    if phoenix is not None:
        paths |= {f"phoenix/{name}": phoenix / name for name in PHOENIX_FILES}
    return {
        name: hashlib.sha256(path.read_bytes()).hexdigest()[:16] for name, path in paths.items()
    }


# --------------------------------------------------------------------------------------------
# Curated


def curated_actors(directory: Path) -> Iterator[Actor]:
    for path in sorted(directory.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for table in data.get("office", []):
            yield Actor.from_dict({**table, "kind": "office", "source": f"curated:{path.name}"})
        for table in data.get("actor", []):
            yield Actor.from_dict({**table, "source": f"curated:{path.name}"})


def curated_patches(directory: Path) -> Iterator[dict[str, Any]]:
    """``[[patch]]`` tables: changes to entries from any source (ambiguity flags, cues…)."""
    for path in sorted(directory.glob("*.toml")):
        yield from tomllib.loads(path.read_text(encoding="utf-8")).get("patch", [])


def generic_words(directory: Path) -> frozenset[str]:
    """``generic_words`` of the curated files, case-folded: one-word names too common in news
    text to stand for one actor."""
    words: set[str] = set()
    for path in sorted(directory.glob("*.toml")):
        words |= {
            str(w).casefold()
            for w in tomllib.loads(path.read_text("utf-8")).get("generic_words", [])
        }
    return frozenset(words)


def _without_generic(actor: Actor, generic: frozenset[str]) -> Actor | None:
    """``actor`` without its one-word names in ``generic``; ``None`` when no name is left."""

    def keep(names: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        kept = {
            lang: tuple(n for n in values if " " in n.strip() or n.casefold() not in generic)
            for lang, values in names.items()
        }
        return {lang: values for lang, values in kept.items() if values}

    names, short = keep(actor.names), keep(actor.short)
    if not names and not short:
        return None
    if (names, short) == (actor.names, actor.short):
        return actor
    return replace(actor, names=names, short=short)


def _merge_names(
    a: dict[str, tuple[str, ...]], b: dict[str, list[str]] | dict[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    merged = dict(a)
    for lang, names in b.items():
        merged[lang] = tuple(dict.fromkeys([*merged.get(lang, ()), *names]))
    return merged


def build(
    *, sources: Path = DEFAULT_SOURCES, phoenix: Path | None = DEFAULT_PHOENIX
) -> list[Actor]:
    """All entries, merged and checked (unique ids, references resolve)."""
    cldr = cldr_states(sources)
    iso3 = set(cldr)
    curated = list(curated_actors(sources))
    by_id: dict[str, Actor] = {}
    for actor in curated:
        if actor.id in by_id:
            raise ValueError(f"duplicate curated id {actor.id!r}")
        by_id[actor.id] = actor
    for code, names in cldr.items():
        ambiguous = {
            lang: [n for n in values if n in CLDR_AMBIGUOUS.get(lang, set())]
            for lang, values in names.items()
        }
        names = {
            lang: [n for n in values if n not in CLDR_AMBIGUOUS.get(lang, set())]
            for lang, values in names.items()
        }
        existing = by_id.get(code) or Actor(id=code, kind="state", country=code, source="cldr")
        # CLDR names first (the canonical label), then the curated variants.
        merged = _merge_names(_merge_names({}, names), existing.names)
        short = _merge_names(existing.short, {k: v for k, v in ambiguous.items() if v})
        by_id[code] = replace(existing, names=merged, short=short)
    curated_keys = {
        normalize(name)
        for actor in by_id.values()
        for names in actor.names.values()
        for name in names
    }
    if phoenix is not None:
        for actor in phoenix_actors(phoenix, iso3):
            keys = {normalize(n) for n in actor.names.get("en", ())}
            if actor.kind != "person":
                keys |= {normalize(n) for n in actor.short.get("en", ())}
            if keys & curated_keys:
                continue
            # Names a curated entry owns (a leader listed under his movement) are not repeated.
            kept = tuple(n for n in actor.short.get("en", ()) if normalize(n) not in curated_keys)
            if not actor.names.get("en") and not kept:
                continue  # everything it could match belongs to a curated entry
            by_id[actor.id] = replace(actor, short={"en": kept} if kept else {})
    generic = generic_words(sources)
    for ident, actor in list(by_id.items()):
        if actor.source.startswith("phoenix"):
            trimmed = _without_generic(actor, generic)
            if trimmed is None:
                del by_id[ident]
            else:
                by_id[ident] = trimmed
    for patch in curated_patches(sources):
        apply_patch(by_id, patch)
    check(by_id)
    return sorted(by_id.values(), key=lambda a: (a.source.startswith("phoenix"), a.id))


def check(by_id: dict[str, Actor]) -> None:
    """Raise on broken references (metonyms to unknown states, roles to unknown offices)."""
    problems = []
    for actor in by_id.values():
        if actor.metonym_of and actor.metonym_of not in by_id:
            problems.append(f"{actor.id}: metonym_of {actor.metonym_of!r} unknown")
        for role in actor.roles:
            if role.office and role.office not in by_id:
                problems.append(f"{actor.id}: office {role.office!r} unknown")
            if role.start and role.end and role.start > role.end:
                problems.append(f"{actor.id}: role {role.title!r} ends before it starts")
        if not any(actor.names.values()) and not any(actor.short.values()):
            problems.append(f"{actor.id}: no names")
    if problems:
        raise ValueError("dictionary problems:\n  " + "\n  ".join(problems))


def write(actors: Iterable[Actor], out: Path, *, inputs: dict[str, str] | None = None) -> int:
    """Write the dictionary; ``inputs`` (see :func:`input_digests`) goes into the header."""
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = [json.dumps(a.as_dict(), ensure_ascii=False, sort_keys=True) for a in actors]
    head: dict[str, Any] = {
        "dictionary": "parallax-actors",
        "version": DICTIONARY_VERSION,
        "entries": len(rows),
    }
    if inputs is not None:
        head["inputs"] = inputs
    header = json.dumps(head)
    # mtime=0: the same sources give a byte-identical file.
    with open(out, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(("\n".join([header, *rows]) + "\n").encode("utf-8"))
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    parser.add_argument("--phoenix", type=Path, default=DEFAULT_PHOENIX)
    parser.add_argument("--no-phoenix", action="store_true")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--refresh-cldr",
        action="store_true",
        help=f"rewrite {CLDR_FILE} in --sources from the installed babel and pycountry, then stop",
    )
    args = parser.parse_args(argv)
    if args.refresh_cldr:
        data = cldr_from_babel()
        write_cldr(data, args.sources / CLDR_FILE)
        print(
            f"{len(data['states'])} states (babel {data['babel']}, pycountry "
            f"{data['pycountry']}) -> {args.sources / CLDR_FILE}"
        )
        return 0
    phoenix = None if args.no_phoenix else args.phoenix
    actors = build(sources=args.sources, phoenix=phoenix)
    count = write(actors, args.out, inputs=input_digests(args.sources, phoenix))
    kinds = Counter(a.kind for a in actors)
    sources = Counter(a.source.split(":")[0] for a in actors)
    print(f"{count} entries -> {args.out}")
    print("  by kind:   " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    print("  by source: " + ", ".join(f"{k} {n}" for k, n in sources.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
