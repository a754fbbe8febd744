"""Pure ASGI guards that answer a request before the app reads any of its body.

FastAPI reads a request's whole body before it runs the endpoint's dependencies, the token
check of writes among them: so :class:`BodyLimit` refuses

* a declared body (``Content-Length``) over the limit with ``413`` before reading a byte;
* a streamed (chunked) body with ``413`` as soon as the bytes read go over the limit;
* a request that ``refuse_early`` refuses (a write without the right token) with its status,
  before reading a byte.

A refusal of a request whose body is left unread closes the connection (``Connection: close``),
so the server does not read the rest of it either.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

EarlyCheck = Callable[[Scope], HTTPException | None]
"""What refuses a request from its head alone (``None``: go on)."""

LIMIT_SETTING = "PARALLAX_MAX_REQUEST_BYTES"


class RequestTooLarge(HTTPException):
    """The body went over the limit while it was read (the app's error handler answers it)."""

    def __init__(self, limit: int, declared: int | None = None) -> None:
        size = f"of {declared} bytes " if declared is not None else ""
        super().__init__(
            413,
            detail=f"the request body {size}is larger than this server takes ({limit} bytes,"
            f" {LIMIT_SETTING})",
            headers={"Connection": "close"},
        )


def refusal(scope: Scope, exc: HTTPException) -> Response:
    """``exc`` as a response: JSON ``{"detail": ...}`` under ``/api/`` (as the app's own
    errors), plain text elsewhere (a page's error is never parsed as HTML)."""
    path = str(scope.get("path", ""))
    headers = dict(exc.headers or {})
    if path.startswith(("/api/", "/openapi.json")):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)
    return PlainTextResponse(
        f"{exc.status_code}: {exc.detail}", status_code=exc.status_code, headers=headers
    )


class BodyLimit:
    """ASGI middleware: see the module docstring."""

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, refuse_early: EarlyCheck | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.refuse_early = refuse_early

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        lengths = headers.getlist("content-length")
        has_body = bool(lengths) or "transfer-encoding" in headers
        if lengths:
            declared = lengths[0].strip()
            if len(set(lengths)) > 1 or not declared.isdigit():
                bad = HTTPException(400, "invalid Content-Length", {"Connection": "close"})
                await refusal(scope, bad)(scope, receive, send)
                return
            if int(declared) > self.max_bytes:
                too_large = RequestTooLarge(self.max_bytes, int(declared))
                await refusal(scope, too_large)(scope, receive, send)
                return
            has_body = int(declared) > 0
        early = self.refuse_early(scope) if self.refuse_early else None
        if early is not None:
            if has_body:  # left unread
                close = {**(early.headers or {}), "Connection": "close"}
                early = HTTPException(early.status_code, early.detail, close)
            await refusal(scope, early)(scope, receive, send)
            return

        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise RequestTooLarge(self.max_bytes)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracked_send)
        except RequestTooLarge as exc:  # read outside the app's error handling
            if started:
                raise
            await refusal(scope, exc)(scope, receive, send)
