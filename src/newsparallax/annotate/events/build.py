"""Build the shipped event lexicon from its sources (``make lexicon``).

Sources (read at build time only):

* the CAMEO 2.0 verb pattern dictionary of PETRARCH-2 (MIT): verbs (with irregular forms) by
  synonym block, each with a default CAMEO code, and object patterns refining the code
  ("SIGN * {&MILITARY &TREATY}" → 0312);
* the CAMEO → PLOVER table (PLOVER manual 0.8, 2021) for type, mode and context, with one
  documented deviation: 163 (impose embargo, boycott or sanctions) is coded SANCTION/discontinue,
  as the PLOVER codebook defines SANCTION, not COERCE/restrict;
* the GDELT CAMEO code table for Goldstein scores;
* ``dictionary/events/{en,ru,fa}.toml``: English nouns, verb overrides and cues; Russian and
  Persian trigger lexicons and cues.

    python -m newsparallax.annotate.events.build [--shared DIR] [--sources DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

from ...textnorm import normalize_words

LEXICON_VERSION = "2026.11.1"
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "data" / "event_lexicon.json.gz"
REPO = Path(__file__).resolve().parents[4]
DEFAULT_SOURCES = REPO / "dictionary" / "events"
DEFAULT_SHARED = REPO.parent / "shared" / "data" / "events"

#: PLOVER type of each CAMEO root where the 2021 table has no line (01 public statements code
#: nothing; 02 appeals are requests).
ROOT_FALLBACK = {"02": "REQUEST"}
OVERRIDES = {"163": ("SANCTION", "discontinue", "economic")}
QUADS = {
    "AGREE": "verbal_cooperation",
    "CONSULT": "verbal_cooperation",
    "SUPPORT": "verbal_cooperation",
    "CONCEDE": "verbal_cooperation",
    "COOPERATE": "material_cooperation",
    "AID": "material_cooperation",
    "RETREAT": "material_cooperation",
    "REQUEST": "verbal_conflict",
    "ACCUSE": "verbal_conflict",
    "REJECT": "verbal_conflict",
    "THREATEN": "verbal_conflict",
    "PROTEST": "material_conflict",
    "SANCTION": "material_conflict",
    "MOBILIZE": "material_conflict",
    "COERCE": "material_conflict",
    "ASSAULT": "material_conflict",
}


def _code(raw: str) -> str | None:
    code = raw.strip().split(":")[0].strip()
    return None if not code or code.startswith("-") else code


def cameo_table(shared: Path) -> dict[str, dict[str, Any]]:
    """CAMEO code → {type, mode, context, goldstein, label, quad}."""
    labels: dict[str, tuple[str, float]] = {}
    table_path = shared / "gdelt-schemas-samples/utils/schema_csvs/cameoCodeTable.tsv"
    for line in table_path.read_text(encoding="utf-8").splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) >= 4 and parts[3].strip():
            labels[parts[3].strip()] = (parts[1].strip(), float(parts[2] or 0))
    plover: dict[str, tuple[str, str, str]] = {}
    described: dict[str, str] = {}
    for raw in (shared / "plover-gold/CAMEO2PLOVER-2021.txt").read_text("utf-8").splitlines():
        line, _, comment = raw.partition("#")
        match = re.match(r"^(\d+):\s*(.*)$", line.strip())
        if not match:
            continue
        fields = [f.strip() for f in match.group(2).split(",")]
        fields += [""] * (3 - len(fields))
        plover.setdefault(match.group(1), (fields[0], fields[1], fields[2]))
        if comment.strip():
            described.setdefault(match.group(1), comment.strip())
    plover.update(OVERRIDES)
    out: dict[str, dict[str, Any]] = {}
    for code in sorted(set(labels) | set(plover)):
        # The manual's own description wins: the GDELT table mislabels some 16x codes.
        label = described.get(code) or labels.get(code, ("", 0.0))[0]
        goldstein = _goldstein(code, labels)
        entry = None
        for length in range(len(code), 1, -1):
            if code[:length] in plover:
                entry = plover[code[:length]]
                break
        if entry is None and code[:2] in ROOT_FALLBACK:
            entry = (ROOT_FALLBACK[code[:2]], "", "")
        if entry is None or not entry[0]:
            continue
        kind = entry[0].upper()
        if kind not in QUADS:
            continue
        out[code] = {
            "type": kind,
            "mode": entry[1] or None,
            "context": (entry[2].split(";")[0].strip() or None),
            "goldstein": goldstein,
            "label": label,
            "quad": QUADS[kind],
        }
    return out


def _goldstein(code: str, labels: dict[str, tuple[str, float]]) -> float:
    for length in range(len(code), 1, -1):
        if code[:length] in labels:
            return labels[code[:length]][1]
    return 0.0


# --------------------------------------------------------------------------------------------
# CAMEO verb dictionary


def _words(token: str) -> list[str]:
    return [w.lower() for w in token.replace("_", " ").split() if w]


def parse_verb_dictionary(path: Path) -> dict[str, Any]:
    """Verbs → (default code, block), surface forms, and object patterns per block."""
    synsets: dict[str, list[list[str]]] = {}
    verbs: dict[str, list[Any]] = {}
    forms: dict[str, str] = {}
    patterns: dict[str, list[list[Any]]] = {}
    block = ""
    block_code: str | None = None
    current_synset: str | None = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#")[0].rstrip()
        if not line.strip():
            current_synset = None
            continue
        if line.startswith("&"):
            current_synset = line.strip()
            synsets[current_synset] = []
            continue
        if current_synset and line.startswith("+"):
            synsets[current_synset].append(_words(line[1:].strip()))
            continue
        header = re.match(r"^---\s+(\S+)\s+\[([^\]]*)\]\s+---", line)
        if header:
            block, block_code = header.group(1), _code(header.group(2))
            patterns.setdefault(block, [])
            continue
        if not block:
            continue
        if line.startswith("-"):
            match = re.match(r"^-\s*(.*?)\*(.*?)\[([^\]]*)\]", line)
            if not match:
                continue
            code = match.group(3).strip().split(":")[0].strip()
            slots = _pattern_slots(match.group(2), synsets)
            if slots:
                patterns[block].append([slots, None if code.startswith("-") else code])
            continue
        match = re.match(r"^(\+?[A-Z][A-Z_'\-.]*)\s*(\{[^}]*\})?\s*(\[[^\]]*\])?", line.strip())
        if not match:
            continue
        lemma = " ".join(_words(match.group(1).lstrip("+")))
        own = _code(match.group(3)[1:-1]) if match.group(3) else None
        if lemma and lemma not in verbs:
            verbs[lemma] = [own or block_code, block]
        for form in (match.group(2) or "").strip("{}").split():
            forms[" ".join(_words(form.lstrip("+")))] = lemma
    return {"verbs": verbs, "forms": forms, "patterns": patterns}


def _pattern_slots(text: str, synsets: dict[str, list[list[str]]]) -> list[list[list[str]]]:
    """The object part of a pattern as slots; each slot lists alternative word sequences."""
    text = re.sub(r"[(){}$^%+=|]", " ", text)
    slots: list[list[list[str]]] = []
    for token in text.split():
        if token.startswith("&"):
            alternatives = synsets.get(token) or synsets.get(token + "_") or []
            if alternatives:
                slots.append(alternatives)
        else:
            words = _words(token)
            if words and all(w.isalpha() or "-" in w for w in words):
                slots.append([words])
    return slots


# --------------------------------------------------------------------------------------------


def _normalised_triggers(data: dict[str, Any]) -> list[dict[str, Any]]:
    triggers = []
    for table in data.get("trigger", []):
        words = [" ".join(normalize_words(w)) for w in table.get("words", [])]
        words = [w for w in dict.fromkeys(words) if w]
        if not words or not table.get("cameo"):
            continue
        entry = {k: v for k, v in table.items() if k != "words"}
        entry["words"] = words
        triggers.append(entry)
    return triggers


def _normalised_cues(cues: dict[str, Any]) -> dict[str, list[str]]:
    return {
        key: [w for w in dict.fromkeys(" ".join(normalize_words(v)) for v in values) if w]
        for key, values in cues.items()
        if isinstance(values, list)
    }


def build(*, shared: Path = DEFAULT_SHARED, sources: Path = DEFAULT_SOURCES) -> dict[str, Any]:
    cameo = cameo_table(shared)
    english = parse_verb_dictionary(
        shared / "petrarch2-cameo-dictionaries/dictionaries/CAMEO.2.0.txt"
    )
    en = tomllib.loads((sources / "en.toml").read_text(encoding="utf-8"))
    for lemma, code in en.get("verbs", {}).items():
        previous = english["verbs"].get(lemma, [None, ""])
        english["verbs"][lemma] = [code or None, previous[1]]
    english["curated_verbs"] = sorted(en.get("verbs", {}))
    english["nouns"] = dict(en.get("nouns", {}))
    for sense in ("military", "economic", "humanitarian"):
        english[sense] = dict(en.get(sense, {}))
    english["light_verbs"] = list(en.get("light_verbs", {}).get("words", []))
    english["transitive_verbs"] = sorted(en.get("transitive", {}).get("words", []))
    english["intent"] = list(en.get("intent", {}).get("words", []))
    english["object_veto"] = {k: sorted(v) for k, v in en.get("object_veto", {}).items()}
    english["object_code"] = {k: dict(v) for k, v in en.get("object_code", {}).items()}
    english["cues"] = {k: list(v) for k, v in en.get("cues", {}).items()}
    lexicon: dict[str, Any] = {"version": LEXICON_VERSION, "cameo": cameo, "en": english}
    for lang in ("ru", "fa"):
        path = sources / f"{lang}.toml"
        if path.exists():
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            lexicon[lang] = {
                "triggers": _normalised_triggers(data),
                "cues": _normalised_cues(data.get("cues", {})),
            }
    unknown = sorted(
        {
            str(code)
            for lang in ("ru", "fa")
            for t in lexicon.get(lang, {}).get("triggers", [])
            for key in ("cameo", "military", "economic", "humanitarian")
            if (code := t.get(key)) and str(code) not in cameo
        }
        | {str(c) for c in english["nouns"].values() if c not in cameo}
        | {str(c) for c, _ in english["verbs"].values() if c and c not in cameo}
    )
    lexicon["unknown_codes"] = unknown
    return lexicon


def write(lexicon: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(lexicon, ensure_ascii=False, sort_keys=True).encode("utf-8")
    with open(out, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(payload)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    lexicon = build(shared=args.shared, sources=args.sources)
    write(lexicon, args.out)
    en = lexicon["en"]
    print(f"event lexicon -> {args.out}")
    print(
        f"  CAMEO codes {len(lexicon['cameo'])}; EN verbs {len(en['verbs'])},"
        f" patterns {sum(len(p) for p in en['patterns'].values())}, nouns {len(en['nouns'])}"
    )
    for lang in ("ru", "fa"):
        if lang in lexicon:
            print(f"  {lang.upper()} triggers {len(lexicon[lang]['triggers'])}")
    if lexicon["unknown_codes"]:
        print(f"  codes with no PLOVER type (ignored): {', '.join(lexicon['unknown_codes'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
