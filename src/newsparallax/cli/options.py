"""Options and output shared by every ``parallax`` command module."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import click

from .. import settings

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


def emit_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))
