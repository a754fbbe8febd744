"""The ``parallax`` command line: thin shells over the library.

Every command takes ``--db PATH`` (env ``PARALLAX_DB``, default ``parallax.db``); ``--json``
prints machine-readable output on stdout; progress goes to stderr, only on a terminal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import click

from .. import __version__
from . import (
    actors,
    articles,
    batch,
    brief,
    claims,
    demo,
    events,
    monitor,
    reannotate,
    relations,
    serve,
    stories,
)

F = TypeVar("F", bound=Callable[..., Any])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="parallax")
@click.option("-v", "--verbose", count=True, help="Log more (-v info, -vv debug) to stderr.")
def main(verbose: int) -> None:
    """Parallax: news intelligence on relations between states."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


for _group in (
    actors, articles, batch, brief, claims, demo, events, monitor, reannotate, relations, serve,
    stories,
):  # fmt: skip
    _group.register(main)

if __name__ == "__main__":  # pragma: no cover
    main()
