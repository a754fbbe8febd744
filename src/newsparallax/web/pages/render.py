"""The dashboard's templates and what every page shares: rendering, camp labels and order.

Templates live in the package (``data/web/templates``) with autoescaping on for everything;
text from feeds and articles is never marked safe, and every value rendered loses its
bidirectional embedding, override and isolate controls (:func:`.textnorm.bidi_safe`). Mentions
are highlighted by cutting the text into segments (:func:`.charts.segments`) that the template
escapes one by one. Only ``http(s)`` URLs become links (:func:`http_url`). Text direction
follows the language (``rtl`` for Persian, Arabic, Hebrew, Urdu, Pashto), and ``dir="auto"``
wherever the language is not known.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined

from ... import __version__
from ...monitor.frontier import has_feeds
from ...textnorm import bidi_safe
from ..context import WebContext
from ..deps import context

RTL_LANGUAGES = frozenset({"fa", "ar", "he", "ur", "ps", "yi", "dv", "ckb"})


def http_url(value: Any) -> str | None:
    """``value`` if it is an absolute http(s) URL with a host, else ``None`` (never linked)."""
    if not isinstance(value, str) or any(ch.isspace() or ord(ch) < 32 for ch in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return value


def when(value: Any) -> str:
    """A stored date for people: ``2024-11-21 16:05 UTC``; dates at day, month or year
    precision stay as they are."""
    if not isinstance(value, str) or "T" not in value:
        return str(value) if value else "undated"
    day, _, time = value.partition("T")
    return f"{day} {time[:5]} UTC"


def text_dir(language: str | None) -> str:
    if not language or language == "und":
        return "auto"
    return "rtl" if language.split("-")[0] in RTL_LANGUAGES else "ltr"


def query(params: dict[str, Any]) -> str:
    """A URL query of the non-empty ``params`` (``True`` as ``true``)."""
    return urlencode(
        {k: ("true" if v is True else v) for k, v in params.items() if v not in (None, "", False)}
    )


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("newsparallax", "data/web/templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=bidi_safe,
    )
    env.filters["http_url"] = http_url
    env.filters["text_dir"] = text_dir
    env.filters["when"] = when
    env.filters["query"] = query
    env.globals["version"] = __version__
    return env


templates = Jinja2Templates(env=_environment())


def as_form(params: dict[str, Any]) -> dict[str, Any]:
    """A page's query parameters as its form shows them: text (``""`` for none), flags as
    they are."""
    return {k: v if isinstance(v, bool) else (v or "") for k, v in params.items()}


def render(request: Request, name: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    ctx = context(request)
    show_feeds = ctx.cached("has-feeds", lambda: has_feeds(ctx.store()))
    base = {"watch": ctx.watch, "show_feeds": show_feeds, "path": request.url.path}
    return templates.TemplateResponse(request, name, {**base, **values}, status_code=status_code)


def render_error(request: Request, status: int, message: str) -> Response:
    try:
        return render(request, "error.html", status_code=status, status=status, message=message)
    except Exception:  # the error page itself failed: plain text (never parsed as HTML)
        return Response(f"{status}: {message}", status_code=status, media_type="text/plain")


def camp_labels(request: Request) -> dict[str, str]:
    watch = context(request).watch
    labels = {cid: c.label for cid, c in watch.camps.items()}
    labels["unknown"] = "No camp"
    return labels


def camp_order(ctx: WebContext, keys: list[str]) -> list[str]:
    return [c for c in ctx.watch.camps if c in keys] + sorted(
        c for c in keys if c not in ctx.watch.camps
    )
