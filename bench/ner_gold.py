"""Entity gold read from ``../shared/data/ner`` for the actor benchmark (``actors_eval.py``).

Each loader takes the folder of one gold set, finds its files with a generic glob (held-back
parts dropped in beside the visible ones are read the same way) and yields :class:`GoldDoc`
values: the text, the scored entities (``PER``, ``ORG``, ``LOC``, character offsets, ``end``
exclusive) and *ignored* spans, gold mentions that a flat PER/ORG/LOC system should be neither
rewarded nor penalised for (see :func:`actors_eval.score`). No text is copied into the repository.

Type mapping (anything not listed is dropped from ``entities`` and kept in ``ignored``):

======================  =====================================================================
gold set                mapping
======================  =====================================================================
SlavicNER (ru, uk, …)   PER → PER, ORG → ORG, LOC → LOC; EVT, PRO dropped. The gold type is
                        kept even when the cross-lingual id says otherwise: demonyms such as
                        «американцы» are PER with id ``GPE-USA``, «ЄС» is sometimes LOC.
NEREL (ru)              PERSON → PER; ORGANIZATION → ORG; COUNTRY, CITY, STATE_OR_PROVINCE,
                        LOCATION, DISTRICT → LOC; NATIONALITY, FACILITY, FAMILY, PROFESSION,
                        EVENT, PRODUCT, … (the other 21 types) dropped. Nested entities: only
                        the outermost PER/ORG/LOC entities are scored; ones nested inside
                        another PER/ORG/LOC entity (``Киргизии`` inside ``правительства
                        Киргизии``) are ignored spans. Discontinuous entities are ignored.
Arman (fa)              pers → PER, org → ORG, loc → LOC; fac, pro, event dropped. Arman tags
                        nationalities as org (its guidelines say so).
re3d (en)               Person → PER, Organisation → ORG, Location → LOC; Nationality,
                        MilitaryPlatform, Weapon, Temporal, Quantity, Money, DocumentReference
                        dropped. Nationality (``Syrian``, ``Kurdish``, ``Sunni``) is an identity
                        descriptor, not a mention of a state; weapons and platforms are outside
                        PER/ORG/LOC. re3d also labels pronouns and descriptions (``he``, ``the
                        Army``, ``rebels``) as entities: they stay scored.
======================  =====================================================================

``country`` is the ISO 3166-1 alpha-3 code of the country the gold itself says a span refers
to, else ``None``: SlavicNER ``GPE-<Name>`` ids that name a country (``GPE-Russia`` → ``RUS``;
cities such as ``GPE-Moscow`` and US states get none), NEREL ``COUNTRY`` entities by the
normalised name of their Wikidata link (``Wikidata:Q159 Россия`` → ``RUS``). Names map through
babel's CLDR territory names (English, and Russian for NEREL) plus a short table of common
forms CLDR lacks (``USA``, ``Great Britain``, ``США``, ``Белоруссия``, ``СССР`` → ``SUN``, …);
the constituent countries of the United Kingdom map to ``GBR``. Nested ``COUNTRY`` entities keep
their country in ``ignored``, so country resolution is scored on them too.

Arman and re3d have no documents: their sentences are rebuilt into text (tokens joined by a
small detokeniser that computes offsets) and grouped ``SENTENCES_PER_DOC`` at a time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = (ROOT / ".." / "shared" / "data" / "ner").resolve()

TYPES = ("PER", "ORG", "LOC")
SENTENCES_PER_DOC = 10

SLAVICNER_TYPES = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}
NEREL_TYPES = {
    "PERSON": "PER",
    "ORGANIZATION": "ORG",
    "COUNTRY": "LOC",
    "CITY": "LOC",
    "STATE_OR_PROVINCE": "LOC",
    "LOCATION": "LOC",
    "DISTRICT": "LOC",
}
ARMAN_TYPES = {"PERS": "PER", "PER": "PER", "ORG": "ORG", "LOC": "LOC"}
RE3D_TYPES = {"PERSON": "PER", "ORGANISATION": "ORG", "ORGANIZATION": "ORG", "LOCATION": "LOC"}


@dataclass(frozen=True, slots=True)
class GoldEntity:
    start: int
    end: int
    type: str
    """``PER``, ``ORG`` or ``LOC`` for scored entities; the gold's own type for ignored spans."""
    country: str | None = None


@dataclass(frozen=True, slots=True)
class GoldDoc:
    id: str
    language: str
    text: str
    entities: list[GoldEntity]
    ignored: list[GoldEntity] = field(default_factory=list)
    """Gold spans neither rewarded nor penalised: dropped types, nested or discontinuous ones."""
    set: str = ""


# --- country names -----------------------------------------------------------------------------

_EXTRA_NAMES = {
    "USA": "USA",
    "US": "USA",
    "Turkey": "TUR",
    "Democratic Republic of the Congo": "COD",
    "Republic of the Congo": "COG",
    "Hong Kong": "HKG",
    "East Timor": "TLS",
    "Cape Verde": "CPV",
    "Bosnia": "BIH",
    "United States of America": "USA",
    "America": "USA",
    "Great Britain": "GBR",
    "Britain": "GBR",
    "UK": "GBR",
    "England": "GBR",
    "Scotland": "GBR",
    "Wales": "GBR",
    "Northern Ireland": "GBR",
    "Holland": "NLD",
    "Czech Republic": "CZE",
    "USSR": "SUN",
    "Soviet Union": "SUN",
    "Yugoslavia": "YUG",
    "Czechoslovakia": "CSK",
    "East Germany": "DDR",
    "Burma": "MMR",
    "Ivory Coast": "CIV",
    "Swaziland": "SWZ",
    "Macedonia": "MKD",
    "Vatican": "VAT",
    "Palestine": "PSE",
    "DPRK": "PRK",
    "Republic of Korea": "KOR",
    "США": "USA",
    "Соединенные Штаты Америки": "USA",
    "Америка": "USA",
    "Англия": "GBR",
    "Шотландия": "GBR",
    "Уэльс": "GBR",
    "Северная Ирландия": "GBR",
    "Соединенное Королевство": "GBR",
    "Белоруссия": "BLR",
    "Молдавия": "MDA",
    "Киргизия": "KGZ",
    "Туркмения": "TKM",
    "КНР": "CHN",
    "Китайская Народная Республика": "CHN",
    "Китайская Республика": "TWN",
    "ЮАР": "ZAF",
    "КНДР": "PRK",
    "Республика Корея": "KOR",
    "Южная Корея": "KOR",
    "Северная Корея": "PRK",
    "СССР": "SUN",
    "Советский Союз": "SUN",
    "Югославия": "YUG",
    "Чехословакия": "CSK",
    "ГДР": "DDR",
    "ФРГ": "DEU",
    "Государство Палестина": "PSE",
    "Палестина": "PSE",
    "Демократическая Республика Конго": "COD",
    "Республика Конго": "COG",
    "ОАЭ": "ARE",
    "Объединенные Арабские Эмираты": "ARE",
    "Голландия": "NLD",
}
# retired alpha-3 codes CLDR lists as aliases of a live alpha-2 code beside the current one
_RETIRED_ALPHA3 = {"BUR", "ZAR", "DDR", "FXX", "TMP", "YMD"}


_FORMAL_PREFIX = re.compile(
    r"^(the |republic of (the )?|kingdom of (the )?|state of |"
    r"республика |королевство |государство )",
)


def _name_key(name: str) -> str:
    name = unicodedata.normalize("NFC", name).replace("ё", "е").replace("Ё", "Е")
    name = name.replace("&", " and ")
    return re.sub(r"[\s\-‐–_]+", " ", name).strip().casefold()


@cache
def _alpha3() -> dict[str, str]:
    """Alpha-2 → alpha-3 from CLDR's territory aliases (current codes before retired ones)."""
    from babel.core import get_global

    candidates: dict[str, list[str]] = {}
    for code, targets in get_global("territory_aliases").items():
        user_assigned = code[0] in "QX" or code[:2] in ("AA", "ZZ")  # ISO private-use
        if len(code) == 3 and code.isalpha() and len(targets) == 1 and not user_assigned:
            candidates.setdefault(targets[0], []).append(code)
    return {
        alpha2: sorted(codes, key=lambda c: (c in _RETIRED_ALPHA3, c))[0]
        for alpha2, codes in candidates.items()
    }


@cache
def _country_names() -> dict[str, str]:
    from babel import Locale

    alpha3 = _alpha3()
    names: dict[str, str] = {}
    for locale in ("en", "ru"):
        for code, name in Locale.parse(locale).territories.items():
            if code in alpha3:
                names.setdefault(_name_key(name), alpha3[code])
                short = re.sub(r"\s*\(.*?\)", "", name)  # "Myanmar (Burma)" → "Myanmar"
                names.setdefault(_name_key(short), alpha3[code])
    for name, code in _EXTRA_NAMES.items():
        names[_name_key(name)] = code
    return names


def country_code(name: str) -> str | None:
    """ISO alpha-3 code of a country named in English or Russian, else ``None``.

    A formal prefix (``Republic of``, ``Kingdom of``, ``Республика``…) is tried without it too.
    """
    names = _country_names()
    key = _name_key(name)
    return names.get(key) or names.get(_FORMAL_PREFIX.sub("", key))


def _read_exact(path: Path) -> str:
    """The file's text with line ends untouched (gold offsets count ``\\r`` too)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return fh.read()


# --- SlavicNER ---------------------------------------------------------------------------------


def _slavicner_raw(tsv: Path, root: Path) -> Path:
    parts = list(tsv.relative_to(root).parts)
    index = len(parts) - 1 - parts[::-1].index("ner")
    parts[index] = "raw"
    return root.joinpath(*parts).with_suffix(".txt")


def load_slavicner(
    path: Path = DATA / "slavicner", *, languages: Iterable[str] | None = ("ru", "uk")
) -> Iterator[GoldDoc]:
    """SlavicNER: ``ner/<topic>/<lang>/*.tsv`` (start, end, surface, lemma, type, id) over
    ``raw/<topic>/<lang>/*.txt``. ``languages=None`` reads every language present."""
    wanted = None if languages is None else set(languages)
    for tsv in sorted(path.glob("**/ner/**/*.tsv")):
        language = tsv.parent.name
        if wanted is not None and language not in wanted:
            continue
        raw = _slavicner_raw(tsv, path)
        if not raw.is_file():
            continue
        text = _read_exact(raw)
        kept: list[GoldEntity] = []
        ignored: list[GoldEntity] = []
        for line in tsv.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) < 5 or not cols[0].isdigit() or not cols[1].isdigit():
                continue
            start, end = int(cols[0]), int(cols[1])
            if not 0 <= start < end <= len(text):
                continue
            ident = cols[5] if len(cols) > 5 else ""
            country = country_code(ident[4:].replace("-", " ")) if ident[:4] == "GPE-" else None
            mapped = SLAVICNER_TYPES.get(cols[4].strip().upper())
            target = kept if mapped else ignored
            target.append(GoldEntity(start, end, mapped or cols[4], country))
        rel = tsv.relative_to(path).with_suffix("")
        yield GoldDoc(str(rel), language, text, _dedupe(kept), ignored, "slavicner")


def _dedupe(entities: Iterable[GoldEntity]) -> list[GoldEntity]:
    """Sorted, without repeated ``(start, end, type)`` (the first one's country is kept)."""
    seen: dict[tuple[int, int, str], GoldEntity] = {}
    for e in entities:
        seen.setdefault((e.start, e.end, e.type), e)
    return sorted(seen.values(), key=lambda e: (e.start, e.end, e.type))


# --- NEREL -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Brat:
    id: str
    type: str
    fragments: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return min(s for s, _ in self.fragments)

    @property
    def end(self) -> int:
        return max(e for _, e in self.fragments)


def _parse_brat(ann: str) -> tuple[list[_Brat], dict[str, str]]:
    """Text-bound annotations and, per annotation id, the normalised name of its reference."""
    spans: list[_Brat] = []
    names: dict[str, str] = {}
    for line in ann.splitlines():
        cols = line.split("\t")
        if len(cols) < 2:
            continue
        if cols[0].startswith("T"):
            head = cols[1].split(" ", 1)
            if len(head) < 2:
                continue
            try:
                frags = tuple(
                    (int(a), int(b))
                    for a, b in (f.split() for f in head[1].split(";") if f.strip())
                )
            except ValueError:
                continue
            if frags:
                spans.append(_Brat(cols[0], head[0], frags))
        elif cols[0].startswith("N") and len(cols) >= 3:
            ref = cols[1].split()
            if len(ref) >= 2 and cols[2].strip():
                names[ref[1]] = cols[2].strip()
    return spans, names


def _nested(entity: GoldEntity, outer: Sequence[GoldEntity]) -> bool:
    return any(
        o.start <= entity.start
        and entity.end <= o.end
        and (o.start, o.end) != (entity.start, entity.end)
        for o in outer
    )


def load_nerel(path: Path = DATA / "nerel") -> Iterator[GoldDoc]:
    """NEREL: brat ``*.ann`` beside ``*.txt``, any split folder under ``path``."""
    for ann in sorted(path.glob("**/*.ann")):
        txt = ann.with_suffix(".txt")
        if not txt.is_file():
            continue
        text = _read_exact(txt)
        spans, names = _parse_brat(ann.read_text(encoding="utf-8", errors="replace"))
        covered: list[GoldEntity] = []
        ignored: list[GoldEntity] = []
        for span in spans:
            if not 0 <= span.start < span.end <= len(text):
                continue
            mapped = NEREL_TYPES.get(span.type)
            country = None
            if span.type == "COUNTRY" and span.id in names:
                country = country_code(names[span.id])
            entity = GoldEntity(span.start, span.end, mapped or span.type, country)
            if mapped is None or len(span.fragments) > 1:
                ignored.append(entity)
            else:
                covered.append(entity)
        covered = _dedupe(covered)
        top = [e for e in covered if not _nested(e, covered)]
        ignored += [e for e in covered if _nested(e, covered)]
        rel = ann.relative_to(path).with_suffix("")
        yield GoldDoc(str(rel), "ru", text, top, ignored, "nerel")


# --- token files (Arman, re3d) -----------------------------------------------------------------

_NO_SPACE_BEFORE = frozenset(
    {".", ",", ":", ";", "!", "?", ")", "]", "}", "%", "”", "»", "،", "؛", "؟", "...", "…"}
    | {"n't", "'s", "’s", "'re", "'ve", "'ll", "'d", "'m"}
)
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "“", "«", "$", "£", "€"})
_CLITICS = frozenset({"s", "t", "re", "ve", "ll", "d", "m"})
_APOSTROPHES = frozenset({"'", "’"})
_HYPHENS = frozenset({"-", "‐"})


def _joins_apostrophe(before: str, after: str) -> bool:
    """``Syria ' s`` → ``Syria's``, ``Da ’ esh`` → ``Da’esh``."""
    return (
        before[-1:].isalnum() and after.isalpha() and (after.lower() in _CLITICS or len(after) <= 3)
    )


def _joins_hyphen(before: str, after: str) -> bool:
    """``pro - Assad`` → ``pro-Assad``."""
    return before[-1:].isalnum() and after[:1].isalnum()


def _space_before(tokens: Sequence[str], i: int, quote_open: bool) -> bool:
    """Whether token ``i`` (> 0) is preceded by a space; ``quote_open`` tells whether an ASCII
    double quote is open before it."""
    token, prev = tokens[i], tokens[i - 1]
    before = tokens[i - 2] if i >= 2 else ""
    after = tokens[i + 1] if i + 1 < len(tokens) else ""
    if token == '"':
        return not quote_open  # an opening quote takes the space, a closing one does not
    if token in _NO_SPACE_BEFORE:
        return False
    if prev == '"':
        return not quote_open  # nothing right after an opening quote
    if prev in _NO_SPACE_AFTER:
        return False
    if token in _APOSTROPHES and _joins_apostrophe(prev, after):
        return False
    if prev in _APOSTROPHES and _joins_apostrophe(before, token):
        return False
    if token in _HYPHENS and _joins_hyphen(prev, after):
        return False
    return not (prev in _HYPHENS and _joins_hyphen(before, token))


def detokenize(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join tokens into text and return each token's ``(start, end)`` offsets in it."""
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    quote_open = False
    for i, token in enumerate(tokens):
        if i and _space_before(tokens, i, quote_open):
            parts.append(" ")
            pos += 1
        if token == '"':
            quote_open = not quote_open
        offsets.append((pos, pos + len(token)))
        parts.append(token)
        pos += len(token)
    return "".join(parts), offsets


def iob_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(first, last + 1, type)`` token ranges from IOB1/IOB2 tags (an orphan I- starts one)."""
    spans: list[tuple[int, int, str]] = []
    start: int | None = None
    kind = ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        prefix = prefix.upper()
        continues = prefix == "I" and start is not None and label == kind
        if start is not None and not continues:
            spans.append((start, i, kind))
            start = None
        if prefix in ("B", "I") and label and not continues:
            start, kind = i, label
    return spans


Sentence = list[tuple[str, str]]


def read_conll(path: Path, *, sep: str | None = None) -> list[list[Sentence]]:
    """Documents of sentences of ``(token, tag)`` from a file with a token first and its tag
    last on each line, a blank line between sentences and ``-DOCSTART-`` lines between
    documents (a file without them is one document). Lines of one column are skipped."""
    documents: list[list[Sentence]] = [[]]
    current: Sentence = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        cols = line.split(sep) if sep else line.split()
        docstart = cols[:1] == ["-DOCSTART-"]
        if not line.strip() or docstart:
            if current:
                documents[-1].append(current)
                current = []
            if docstart and documents[-1]:
                documents.append([])
        elif len(cols) >= 2:
            current.append((cols[0], cols[-1].strip()))
    if current:
        documents[-1].append(current)
    return [d for d in documents if d]


def _token_doc(
    doc_id: str, sentences: Sequence[Sentence], language: str, types: dict[str, str], name: str
) -> GoldDoc:
    lines: list[str] = []
    kept: list[GoldEntity] = []
    ignored: list[GoldEntity] = []
    base = 0
    for sentence in sentences:
        line, offsets = detokenize([t for t, _ in sentence])
        for a, b, label in iob_spans([tag for _, tag in sentence]):
            mapped = types.get(label.upper())
            entity = GoldEntity(base + offsets[a][0], base + offsets[b - 1][1], mapped or label)
            (kept if mapped else ignored).append(entity)
        lines.append(line)
        base += len(line) + 1
    return GoldDoc(doc_id, language, "\n".join(lines), _dedupe(kept), ignored, name)


def _token_docs(
    file: Path,
    root: Path,
    *,
    sep: str | None,
    language: str,
    types: dict[str, str],
    name: str,
    per_doc: int,
) -> Iterator[GoldDoc]:
    """One :class:`GoldDoc` per document of ``file``, or per ``per_doc`` sentences when the
    file marks no documents."""
    prefix = str(file.relative_to(root).with_suffix(""))
    documents = read_conll(file, sep=sep)
    if len(documents) > 1:
        for n, sentences in enumerate(documents):
            yield _token_doc(f"{prefix}#{n}", sentences, language, types, name)
        return
    sentences = documents[0] if documents else []
    for n, first in enumerate(range(0, len(sentences), per_doc)):
        chunk = sentences[first : first + per_doc]
        yield _token_doc(f"{prefix}#{n}", chunk, language, types, name)


def _is_token_file(path: Path) -> bool:
    """A two-column token/tag file: its first non-blank lines end in O or an IOB tag."""
    try:
        with path.open(encoding="utf-8-sig") as fh:
            lines = [line.split() for line, _ in zip(fh, range(50), strict=False) if line.strip()]
    except (OSError, UnicodeDecodeError):
        return False
    tag = re.compile(r"^(O|[BIE]-\S+)$")
    return bool(lines) and all(len(c) == 2 and tag.match(c[1]) for c in lines)


def load_arman(
    path: Path = DATA / "arman-persian", *, per_doc: int = SENTENCES_PER_DOC
) -> Iterator[GoldDoc]:
    """Arman: ``token TAG`` lines. When test folds are present only they are read (each train
    fold repeats the other test folds); otherwise every token file under ``path``."""
    files = [p for p in sorted(path.glob("**/*.txt")) if _is_token_file(p)]
    tests = [p for p in files if "test" in p.name.lower()]
    for file in tests or files:
        yield from _token_docs(
            file, path, sep=None, language="fa", types=ARMAN_TYPES, name="arman", per_doc=per_doc
        )


def load_re3d(path: Path = DATA / "re3d", *, per_doc: int = SENTENCES_PER_DOC) -> Iterator[GoldDoc]:
    """re3d: the CoNLL IOB2 files (``*.conll``, any split) under ``path``."""
    for file in sorted(path.glob("**/*.conll")):
        yield from _token_docs(
            file, path, sep="\t", language="en", types=RE3D_TYPES, name="re3d", per_doc=per_doc
        )


Loader = Callable[[Path], Iterator[GoldDoc]]
LOADERS: dict[str, Loader] = {
    "slavicner": load_slavicner,
    "nerel": load_nerel,
    "arman": load_arman,
    "re3d": load_re3d,
}
FOLDERS = {"slavicner": "slavicner", "nerel": "nerel", "arman": "arman-persian", "re3d": "re3d"}


def load(name: str, data: Path = DATA) -> Iterator[GoldDoc]:
    """Documents of the gold set ``name`` (a key of :data:`LOADERS`) under the folder ``data``."""
    return LOADERS[name](data / FOLDERS[name])
