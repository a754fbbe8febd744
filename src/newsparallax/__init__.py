"""Parallax: news intelligence on relations between states."""

from __future__ import annotations

__version__ = "0.1.0"

from .annotate.pipeline import Doc, Drop, Pipeline
from .errors import ConfigError, InputError, InputProblem, ParallaxError, StoreError
from .records import Article, Camp, DatePrecision, Event, Mention, Outlet, Quality, ThemeTag
from .store.database import Store

__all__ = [
    "Article",
    "Camp",
    "ConfigError",
    "DatePrecision",
    "Doc",
    "Drop",
    "Event",
    "InputError",
    "InputProblem",
    "Mention",
    "Outlet",
    "ParallaxError",
    "Pipeline",
    "Quality",
    "Store",
    "StoreError",
    "ThemeTag",
    "__version__",
]
