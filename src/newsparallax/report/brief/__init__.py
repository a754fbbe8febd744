"""Briefings: one self-contained document about a watch over a period (``parallax brief``).

:func:`build` gathers, for the period ending on ``until`` (default: the data's clock,
:func:`~newsparallax.analyze.clock.data_clock`: the newest article's day, or the last busy week's
after a sparse tail of late articles):

* **relations** — for each of the watch's dyads (both directions together), the period against
  the one before it: events, cooperation and conflict, mean Goldstein intensity, per camp
  (:func:`relations.compare_camps`), with the articles behind the period's events and a chart
  (:func:`.charts.relation_chart`) of the two periods;
* **stories** — the period's top stories (``parallax cluster``) with each camp's headlines and a
  camp coverage bar;
* **blindspots** — stories one camp covered heavily and another ignored (:mod:`compare`);
* **alerts** — the watch's alerts about days in the period (:func:`alerts.list_alerts`);
* **milestones** — the timeline of each dyad in the period (:func:`timeline.timeline`).

:func:`render_html` (one HTML file: inline CSS and SVG, no script, no external resource, every
string from the store escaped by jinja2's autoescape), :func:`render_markdown` (article text
HTML-escaped too, so a renderer shows it as text) and :func:`render_pdf` (headless Chromium);
text from the store loses its bidirectional embedding, override and isolate controls in all
three (:func:`.textnorm.strip_bidi_controls`).
Every figure links the articles (their URLs when ``http(s)``, else their ids) behind it.

One module a step: :mod:`.gather` (the figures, read through the library), :mod:`.html`,
:mod:`.markdown` and :mod:`.pdf`; their public names are importable from here.
"""

from __future__ import annotations

from .gather import PERIODS, SOURCES_SHOWN, TOP_STORIES, BriefError, build, period_bounds
from .html import render_html
from .markdown import render_markdown
from .pdf import CHROMIUM, chromium_path, render_pdf

FORMATS = ("html", "md", "pdf")

__all__ = [
    "CHROMIUM",
    "FORMATS",
    "PERIODS",
    "SOURCES_SHOWN",
    "TOP_STORIES",
    "BriefError",
    "build",
    "chromium_path",
    "period_bounds",
    "render_html",
    "render_markdown",
    "render_pdf",
]
