"""The PETRARCH-2 unit-test sentences as a regression check of the English event coder.

``../shared/data/events/petrarch2-cameo-dictionaries/text/PETR.UnitTest.records.xml`` holds 284
sentences (mostly about the fictional states of Middle-earth) with their expected CAMEO codings,
written for PETRARCH's own validation dictionaries. They apply to Parallax where the expected
code has a PLOVER type: the actors come from ``PETR.Validate.actors.txt`` (loaded as an actor
dictionary; an actor's country is the first three letters of its code), the verbs from
Parallax's own lexicon (not PETRARCH's validation verbs, so codes built for the suite's invented
verbs are not expected to match: the suite's verb file gives invented codes to test PETRARCH's
mechanics, e.g. "signed a trade protocol" coded as a retreat). What applies is who did it to whom:
the regression figure is *dyad found*, a record's expected (source, target) among the coded
events' dyads. Also printed: full (type, source, target) and type-only agreement, for reference.

    python bench/petrarch_unit.py [--json] [--failures N]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsparallax.annotate.actors import Actor, ActorDictionary, Matcher
from newsparallax.annotate.actors.build import _phoenix_name
from newsparallax.annotate.events import EnglishCoder, load_lexicon

ROOT = (
    Path(__file__).resolve().parents[1].parent / "shared/data/events/petrarch2-cameo-dictionaries"
)
RECORDS = ROOT / "text/PETR.UnitTest.records.xml"
ACTORS = ROOT / "dictionaries/PETR.Validate.actors.txt"


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    category: str
    text: str
    expected: frozenset[tuple[str, str, str]]


def validation_dictionary(path: Path = ACTORS) -> ActorDictionary:
    """PETRARCH's validation actors as Parallax entries (fictional codes kept as countries)."""
    entries: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#")[0].rstrip()
        if not line.strip() or line.startswith("<!--"):
            current = None
            continue
        if line.startswith("+") and current is not None:
            current.append(_phoenix_name(line[1:]))
            continue
        match = re.match(r"^([^\[]+?)\s*\[([A-Za-z-]+)", line)
        if not match or match.group(2).startswith("-"):
            current = None
            continue
        current = [_phoenix_name(match.group(1))]
        entries.append((match.group(2).upper(), current))
    return ActorDictionary(
        Actor(
            id=f"petr-{i}",
            kind="state" if len(code) == 3 else "organisation",
            country=code[:3],
            names={"en": tuple(names)},
            source="petrarch-validation",
        )
        for i, (code, names) in enumerate(entries)
    )


def load_records(path: Path = RECORDS) -> list[Record]:
    lexicon = load_lexicon()
    text = path.read_text(encoding="utf-8", errors="replace")
    out = []
    for attrs, body in re.findall(r"<Sentence (.*?)>(.*?)</Sentence>", text, re.S):
        ident = re.search(r'id="([^"]*)"', attrs)
        category = re.search(r'category="([^"]*)"', attrs)
        sentence = re.search(r"<Text>(.*?)</Text>", body, re.S)
        if not (ident and sentence):
            continue
        expected = set()
        for src, tgt, code in re.findall(
            r'<EventCoding sourcecode="([^"]*)" targetcode="([^"]*)" eventcode="([^"]*)"', body
        ):
            known = lexicon.code(code.split(":")[0])
            if known is not None:
                expected.add((known.type, src[:3], tgt[:3]))
        if expected:
            out.append(
                Record(
                    id=ident.group(1),
                    category=category.group(1) if category else "",
                    text=" ".join(sentence.group(1).split()),
                    expected=frozenset(expected),
                )
            )
    return out


def run(failures: int = 0) -> dict[str, Any]:
    matcher = Matcher(validation_dictionary())
    coder = EnglishCoder()
    records = load_records()
    full = type_only = dyad_only = 0
    missed = []
    for record in records:
        mentions = matcher.find(record.text)
        events = coder.code(record.text, mentions)
        got = {(e.type, e.source or "---", e.target or "---") for e in events}
        ok = bool(got & record.expected)
        full += ok
        type_only += bool({g[0] for g in got} & {x[0] for x in record.expected})
        dyad_only += bool({g[1:] for g in got} & {x[1:] for x in record.expected})
        if not ok and len(missed) < failures:
            missed.append(
                {
                    "id": record.id,
                    "expected": sorted(record.expected),
                    "got": sorted(got),
                    "text": record.text[:160],
                }
            )
    n = len(records)
    return {
        "applicable_records": n,
        "pass": round(full / n, 3) if n else 0.0,
        "type_found": round(type_only / n, 3) if n else 0.0,
        "dyad_found": round(dyad_only / n, 3) if n else 0.0,
        "failures": missed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--failures", type=int, default=0)
    args = parser.parse_args()
    report = run(args.failures)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(
        f"PETRARCH-2 unit records with a PLOVER coding: {report['applicable_records']};"
        f" pass (type+source+target) {report['pass']:.1%}, type found {report['type_found']:.1%},"
        f" dyad found {report['dyad_found']:.1%}"
    )
    for miss in report["failures"]:
        print("   ", miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
