"""Actors: the multilingual actor dictionary and mention resolution (EN/RU/FA)."""

from __future__ import annotations

import threading
from datetime import date, datetime
from pathlib import Path

from ... import settings
from ...records import Mention
from .dictionary import ActorDictionary, DictionaryError
from .entries import Actor, Role
from .matcher import Matcher

__all__ = [
    "Actor",
    "ActorDictionary",
    "DictionaryError",
    "Matcher",
    "Role",
    "default_dictionary",
    "default_matcher",
    "find_mentions",
]

_lock = threading.Lock()
_matchers: dict[tuple[str, ...], Matcher] = {}


def user_files() -> tuple[Path, ...]:
    """The user dictionary files named by ``PARALLAX_ACTORS`` (separated like PATH)."""
    import os

    raw = settings.get("actors")
    return tuple(Path(p) for p in raw.split(os.pathsep) if p.strip())


def default_dictionary() -> ActorDictionary:
    return default_matcher().dictionary


def default_matcher() -> Matcher:
    """The matcher over the shipped dictionary plus the user's files (built once per process)."""
    files = user_files()
    key = tuple(str(p) for p in files)
    with _lock:
        if key not in _matchers:
            _matchers[key] = Matcher(ActorDictionary.load(extra=files))
        return _matchers[key]


def find_mentions(
    text: str,
    *,
    language: str | None = None,
    published: datetime | date | None = None,
    ner: bool = False,
) -> list[Mention]:
    """Actor mentions in ``text`` resolved with the default dictionary on the date ``published``.

    With ``ner=True`` names a statistical model finds and the dictionary does not know are added
    (the optional ``ner`` extra; see :mod:`newsparallax.annotate.actors.unknown`)."""
    mentions = default_matcher().find(text, language=language, published=published)
    if ner:
        from .unknown import add_ner_mentions

        mentions = add_ner_mentions(text, mentions, language=language)
    return mentions
