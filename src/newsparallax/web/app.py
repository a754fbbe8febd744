"""The web app: the REST API under ``/api/v1`` and the server-rendered dashboard, one store.

Security, in one place:

* every response carries a Content-Security-Policy that allows only this server's own style
  sheet and no script, inline or not, plus ``nosniff``, ``no-referrer`` and no framing;
* templates autoescape everything (no ``|safe`` on data) and link only ``http(s)`` URLs;
* writes need ``Authorization: Bearer <token>`` with the token from ``PARALLAX_API_TOKEN``:
  no token configured → ``403`` (writes disabled), missing or wrong token → ``401``, answered
  before the request's body is read (:mod:`.guards`);
* a request body over ``PARALLAX_MAX_REQUEST_BYTES`` is refused with ``413``: at once when its
  ``Content-Length`` says so, else as soon as the bytes read go over it;
* reads are open to loopback clients by default (``local``), to everyone (``open``) or need the
  token too (``token``), see ``PARALLAX_API_READ``;
* a ``Host`` header that names another server is refused with ``400`` (DNS rebinding: a page
  whose name now resolves to ``127.0.0.1`` sends its own name), see ``PARALLAX_ALLOWED_HOSTS``.

Read endpoints send an ETag derived from the store's fingerprint and answer ``304`` to a
matching ``If-None-Match`` before doing any work.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, compile_path
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__, settings
from ..store.cursors import CursorError
from ..store.database import Store
from ..store.postgres import is_url
from ..watches import Watch
from .context import READ_ACCESS, ReadAccess, WebContext, track_stale
from .cycles import CycleRunner
from .deps import NotModified, bearer_credentials, require_read, require_write, write_refusal
from .filters import FilterError, cursor_error
from .guards import BodyLimit, HostCheck
from .guards import allowed_hosts as check_hosts

log = logging.getLogger(__name__)

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'none';"
    " connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none';"
    " base-uri 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)

API_PREFIX = "/api/v1"


class SecurityHeaders:
    """ASGI middleware: security headers on every response, and the request's ETag on a 200
    (not when the response was built from a stale cached value: the ETag names the current
    version)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        stale = track_stale()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers.extend((k, v) for k, v in SECURITY_HEADERS if k not in present)
                etag = scope.get("state", {}).get("etag")
                if etag and message["status"] == 200 and b"etag" not in present and not stale:
                    headers.append((b"etag", etag.encode()))
                    headers.append((b"cache-control", b"no-cache"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _early_write_check(
    ctx: WebContext, routes: Iterable[BaseRoute], prefix: str
) -> Callable[[Scope], HTTPException | None]:
    """For :class:`.guards.BodyLimit`: a request to one of ``routes`` (mounted under
    ``prefix``) that depends on :func:`require_write` is checked from its head, before its
    body is read."""
    writes = [
        (compile_path(prefix + r.path)[0], r.methods or set())
        for r in routes
        if isinstance(r, APIRoute) and any(d.dependency is require_write for d in r.dependencies)
    ]

    def check(scope: Scope) -> HTTPException | None:
        path, root = scope["path"], scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        if not any(scope["method"] in methods and regex.match(path) for regex, methods in writes):
            return None
        return write_refusal(ctx, bearer_credentials(Headers(scope=scope).get("authorization")))

    return check


def _warm(ctx: WebContext) -> None:
    """Compute the overview, then the default camp comparison (seconds on a large store),
    ahead of their first visitors (in a thread of its own)."""
    from .data import cached_compare
    from .pages.overview import overview_data

    def overview() -> object:
        return ctx.cached("overview", lambda: overview_data(ctx))

    def comparison() -> object:
        return cached_compare(ctx)

    for compute in (overview, comparison):
        try:
            compute()
        except Exception:  # a failure here shows again, with its error, on the first request
            log.exception("could not prepare the %s", compute.__name__)


def create_app(
    db: str | Path,
    watch: Watch,
    token: str | None = None,
    *,
    read_access: ReadAccess = "local",
    outlets_file: str | Path | None = None,
    refresh: float = 0.0,
    cycles: CycleRunner | None = None,
    max_request_bytes: int | None = None,
    allowed_hosts: Sequence[str] | None = None,
) -> FastAPI:
    """The API and dashboard over the store ``db`` for ``watch``.

    ``token`` enables the write endpoints; ``outlets_file`` is the user TOML file that
    ``POST /api/v1/outlets`` appends to (default ``PARALLAX_OUTLETS``, which the watch loader
    reads); without one that endpoint says so. ``refresh`` is how many seconds pages, caches
    and ETags may lag writes made by other processes (``PARALLAX_WEB_REFRESH``; 0: none).
    ``cycles`` runs the monitor cycles that ``POST /api/v1/monitor/cycles`` asks for: the
    attached runner of ``parallax serve --monitor``, else (default) one that runs each cycle
    in a background thread. ``max_request_bytes`` is the largest request body taken (default
    ``PARALLAX_MAX_REQUEST_BYTES``). ``allowed_hosts`` are the names (``*.domain``, ``*``: any)
    that the ``Host`` header may give besides localhost, loopback addresses and the address a
    request arrived on (default ``PARALLAX_ALLOWED_HOSTS``, see :class:`.guards.HostCheck`).
    The store is created (and migrated) here if needed."""
    if read_access not in READ_ACCESS:
        raise ValueError(f"read_access must be one of {', '.join(READ_ACCESS)}")
    if max_request_bytes is None:
        max_request_bytes = settings.get_int("max_request_bytes")
    if max_request_bytes < 1:
        raise ValueError(f"max_request_bytes must be at least 1, not {max_request_bytes}")
    if allowed_hosts is None:
        allowed_hosts = settings.get("allowed_hosts").split(",")
    hosts = check_hosts(allowed_hosts)
    db = db if is_url(db) else Path(db)  # a PostgreSQL URL stays a string
    Store(db).close()  # create or migrate once, before the read-only connections open it
    ctx = WebContext(
        db=db, watch=watch, token=token, read_access=read_access, refresh=max(0.0, refresh)
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(ctx.dictionary)  # load it now rather than on a first request
        threading.Thread(target=_warm, args=(ctx,), name="parallax-warm", daemon=True).start()
        yield
        await run_in_threadpool(runner.close)
        ctx.close()

    app = FastAPI(
        title="Parallax",
        version=__version__,
        summary="News intelligence on relations between states: articles, outlets and camps,"
        " actors, events and statistics of one store.",
        openapi_url="/openapi.json",
        docs_url=None,  # the Swagger and ReDoc pages load scripts from a CDN: not offline
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    runner = cycles or CycleRunner("on_demand", db=db, watch=lambda: ctx.watch)
    app.state.cycles = runner
    if outlets_file is None:
        outlets_file = settings.get("outlets") or None
    app.state.outlets_file = Path(outlets_file).expanduser() if outlets_file else None

    @app.exception_handler(NotModified)
    async def not_modified(request: Request, exc: NotModified) -> Response:
        return Response(status_code=304, headers={"ETag": exc.etag, "Cache-Control": "no-cache"})

    @app.exception_handler(FilterError)
    async def bad_filter(request: Request, exc: FilterError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.as_detail()}, status_code=exc.status)
        from .pages.render import render_error

        return render_error(request, exc.status, f"{exc.param}: {exc.message}")

    @app.exception_handler(CursorError)
    async def bad_cursor(request: Request, exc: CursorError) -> Response:
        return await bad_filter(request, cursor_error(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if request.url.path.startswith(("/api/", "/openapi.json", "/static/")):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=headers
            )
        from .pages.render import render_error

        response = render_error(request, exc.status_code, str(exc.detail))
        response.headers.update(headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        errors: list[dict[str, Any]] = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": errors}, status_code=422)
        from .pages.render import render_error

        message = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in errors)
        return render_error(request, 422, message)

    from .api import ROUTERS as api_routers
    from .api import router as api_router
    from .pages import router as pages_router

    app.include_router(api_router, prefix=API_PREFIX, dependencies=[Depends(require_read)])
    app.include_router(pages_router, dependencies=[Depends(require_read)])
    app.mount(
        "/static",
        StaticFiles(packages=[("newsparallax", "data/web/static")]),
        name="static",
    )
    # the last added runs first: security headers on every answer, even the guards' refusals
    app.add_middleware(
        BodyLimit,
        max_bytes=max_request_bytes,
        refuse_early=_early_write_check(
            ctx, [r for part in api_routers for r in part.routes], API_PREFIX
        ),
    )
    app.add_middleware(HostCheck, allowed=hosts)
    app.add_middleware(SecurityHeaders)
    return app
