"""Themes: the ``themes`` stage (``themes.v2``) tags each article with themes of a taxonomy.

The shipped taxonomy is ``data/themes.toml`` (its header documents the keys); a watch file adds
themes, or replaces one by id, with ``[themes.<id>]`` tables of the same keys.

A theme applies when the article is *substantially* about it (``bench/themes_labelling.md``): a
main subject, or a passage of its own — not a word in passing. So the stage does not add up
hits; it measures, per theme, where the support is and how much of the article carries it:

* seed *terms* (strong) and *weak* terms in English, Russian and Persian (and *not* phrases that
  mask a term inside them: "olive oil", "drone footage"), matched on normalised
  words (Russian lemmas, Persian script unified and plural ``ها`` dropped, a light English stem;
  ``word*`` matches a word beginning): distinct strong and weak terms in the title, in the lead
  (the first two sentences of the body), the most distinct strong terms in one passage (three
  sentences running) and the share of the body's sentences that hold a strong term;
* *actors* (ids), actor *sectors* and *countries* all named, from the actors stage;
* *events* of the listed PLOVER types, and ``event_with``: an event of a type whose sentence
  holds a term of another theme (an AID event about drones → ``military_cooperation``);
* *during*: date windows of a conflict (the full-scale war in Ukraine from 24 Feb 2022; the
  US–Israeli war on Iran from 28 Feb 2026, ...) in which an article published then that names
  one of the window's *anchors* (states, actors) together with a word of the window's
  vocabulary (attack, killed, condolences, ...; ``[vocab.<name>]``) belongs to that conflict —
  the labelling rule "the date may say which conflict a reported attack or statement belongs
  to";
* *needs*: a gate — ``abroad`` (diplomacy) holds only when two states, or a state and an
  international organisation, are named, or an event has two different states as parties.

These features go through a small logistic model (``data/themes_model.json``: one weight per
feature shared by all themes, plus a learned prior per shipped theme; ``bench/themes_train.py``
fits it on the tune half of the theme gold). The probability is the tag's ``score``; themes at
or above ``PARALLAX_THEMES_MIN_SCORE`` (0.5) are kept, and the fallback theme ``other`` is given
only when none is.

Evidence spans are ``(start, end)`` offsets into the article's *theme view*:
``title + "\\n\\n" + body``, where body is the text, or the summary when the text is empty (as
the actors stage reads it). :func:`evidence_field` maps a span back to ``title``/``text``/
``summary`` offsets.

The package: :mod:`.taxonomy` (the themes and vocabularies, shipped and a watch's),
:mod:`.terms` (term normal forms and the term automaton), :mod:`.model` (the features and the
logistic model), :mod:`.matcher` (support, features and tags of one article) and :mod:`.stage`
(the pipeline stage, the cached matcher and ``parallax themes --retag``).
"""

from __future__ import annotations

from .matcher import (
    LEAD_SENTENCES,
    MAX_EVIDENCE,
    PASSAGE,
    SEPARATOR,
    ThemeMatcher,
    evidence_field,
    theme_view,
)
from .model import FEATURES, STAGE, Model, parse_model, shipped_model
from .stage import ThemesStage, matcher_for, retag, themes_stage
from .taxonomy import (
    LANGUAGES,
    NEEDS,
    Theme,
    Window,
    known_themes,
    parse_theme,
    shipped_themes,
    taxonomy,
    vocabularies,
)
from .terms import STRONG, UNRELATED, VOCAB_PREFIX, WEAK, norm_word

__all__ = [
    "FEATURES",
    "LANGUAGES",
    "LEAD_SENTENCES",
    "MAX_EVIDENCE",
    "NEEDS",
    "PASSAGE",
    "SEPARATOR",
    "STAGE",
    "STRONG",
    "UNRELATED",
    "VOCAB_PREFIX",
    "WEAK",
    "Model",
    "Theme",
    "ThemeMatcher",
    "ThemesStage",
    "Window",
    "evidence_field",
    "known_themes",
    "matcher_for",
    "norm_word",
    "parse_model",
    "parse_theme",
    "retag",
    "shipped_model",
    "shipped_themes",
    "taxonomy",
    "theme_view",
    "themes_stage",
    "vocabularies",
]
