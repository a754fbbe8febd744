"""Options and output shared by every ``parallax`` command module."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click

from .. import settings
from ..errors import ParallaxError
from ..store.database import Store
from ..watches import Watch
from ..watches import load_watch as _load

F = TypeVar("F", bound=Callable[..., Any])


def db_option(func: F) -> F:
    return click.option(
        "--db",
        "db",
        envvar="PARALLAX_DB",
        default=settings.get("db"),
        show_default=True,
        type=click.Path(dir_okay=False),
        help="SQLite store (env PARALLAX_DB).",
    )(func)


def watch_option(func: F) -> F:
    return click.option(
        "--watch",
        "watch_name",
        envvar="PARALLAX_WATCH",
        default=settings.get("watch"),
        show_default=True,
        help="Watch name or path to a watch TOML file (env PARALLAX_WATCH).",
    )(func)


def refresh_option(func: F) -> F:
    return click.option(
        "--refresh/--no-refresh",
        "refresh",
        default=True,
        show_default=True,
        help="Then bring stories, the relation index and alerts up to date (incrementally).",
    )(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")(func)


def period_options(func: F) -> F:
    """``--since`` and ``--until``: date bounds (:func:`newsparallax.periods.date_bound`)."""
    func = click.option("--until", help="Up to and including this date.")(func)
    return click.option("--since", help="From this date (YYYY, YYYY-MM or YYYY-MM-DD).")(func)


def below_threshold_option(func: F) -> F:
    return click.option(
        "--below-threshold",
        is_flag=True,
        help="Also events below the confidence threshold (PARALLAX_EVENT_THRESHOLD):"
        " they count nowhere.",
    )(func)


def emit_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def progress(desc: str) -> Callable[[Iterable[Any]], Iterable[Any]]:
    """A progress bar on stderr (only on a terminal) for a library loop."""
    from tqdm import tqdm

    def wrap(items: Iterable[Any]) -> Iterable[Any]:
        bar: Iterable[Any] = tqdm(
            items, desc=desc, unit=" items", file=sys.stderr, disable=None, leave=False
        )
        return bar

    return wrap


def load_watch(name: str) -> Watch:
    """The watch, or a usage error naming what is wrong with it."""
    try:
        return _load(name)
    except ParallaxError as err:
        raise click.ClickException(str(err)) from err


def open_store(db: str, *, readonly: bool = False) -> Store:
    """The store, or a usage error saying why it cannot be opened."""
    try:
        return Store(db, readonly=readonly)
    except ParallaxError as err:
        raise click.ClickException(str(err)) from err
