"""Pure ASGI guards that answer a request before the app reads any of its body.

FastAPI reads a request's whole body before it runs the endpoint's dependencies, the token
check of writes among them: so :class:`BodyLimit` refuses

* a declared body (``Content-Length``) over the limit with ``413`` before reading a byte;
* a streamed (chunked) body with ``413`` as soon as the bytes read go over the limit;
* a request that ``refuse_early`` refuses (a write without the right token) with its status,
  before reading a byte.

A refusal of a request whose body is left unread closes the connection (``Connection: close``),
so the server does not read the rest of it either.

:class:`HostCheck` answers ``400`` to a request whose ``Host`` header names another server:
a page whose DNS name was rebound to this server's address (``127.0.0.1``) sends its own name,
and could otherwise read the dashboard that is open to loopback clients. Accepted are
``localhost`` and ``*.localhost``, loopback addresses, the address the request arrived on
(the server's end of the connection: with ``--host 0.0.0.0`` whichever address a client used)
and the names or patterns allowed by ``PARALLAX_ALLOWED_HOSTS`` (``*`` turns the check off);
the port is not compared.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

EarlyCheck = Callable[[Scope], HTTPException | None]
"""What refuses a request from its head alone (``None``: go on)."""

LIMIT_SETTING = "PARALLAX_MAX_REQUEST_BYTES"
HOSTS_SETTING = "PARALLAX_ALLOWED_HOSTS"
_NAME = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*")


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()  # str.isdigit() alone takes "²"


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
    errors), plain text elsewhere (a page's error is never parsed as HTML). The connection is
    closed when the request has a body: it is left unread."""
    path = str(scope.get("path", ""))
    headers = dict(exc.headers or {})
    request = Headers(scope=scope)
    if request.get("content-length", "0").strip() != "0" or "transfer-encoding" in request:
        headers["Connection"] = "close"
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
        if lengths:
            declared = lengths[0].strip()
            if len(set(lengths)) > 1 or not _digits(declared):
                bad = HTTPException(400, "invalid Content-Length", {"Connection": "close"})
                await refusal(scope, bad)(scope, receive, send)
                return
            if int(declared) > self.max_bytes:
                too_large = RequestTooLarge(self.max_bytes, int(declared))
                await refusal(scope, too_large)(scope, receive, send)
                return
        early = self.refuse_early(scope) if self.refuse_early else None
        if early is not None:
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


# -- the Host header ---------------------------------------------------------------------------


def parse_host(value: str | None) -> str | None:
    """The host of a ``Host`` header, lower-cased, without its port, a trailing dot or the
    brackets of an IPv6 address; ``None`` when missing or malformed."""
    if not value:
        return None
    value = value.strip().lower()
    if value.startswith("["):
        address, bracket, port = value[1:].partition("]")
        try:
            ipaddress.IPv6Address(address)
        except ValueError:
            return None
        ok = bracket and (not port or (port[0] == ":" and _digits(port[1:])))
        return address if ok else None
    name, colon, port = value.partition(":")
    if colon and not _digits(port):
        return None
    name = name.removesuffix(".")
    return name if _NAME.fullmatch(name) else None


def allowed_hosts(patterns: Iterable[str]) -> list[str]:
    """``patterns`` checked and normalised: each is ``*`` (any host), ``*.domain`` (its
    subdomains) or a host name or address (a port is ignored); a :class:`ValueError` names
    the first that is none of these."""
    out: list[str] = []
    for raw in patterns:
        pattern = raw.strip().lower()
        if not pattern:
            continue
        address = _address(pattern.strip("[]"))
        if pattern == "*" or address is not None:  # an IPv6 address with or without brackets
            out.append(pattern if address is None else str(address))
            continue
        suffix = pattern.removeprefix("*.")
        host = parse_host(suffix)
        if host is None or (suffix != pattern and ":" in host):
            raise ValueError(
                f"allowed host {raw.strip()!r}: give a host name or address, '*.domain' for"
                " its subdomains, or '*' for any host"
            )
        out.append(f"*.{host}" if suffix != pattern else host)
    return out


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


class HostCheck:
    """ASGI middleware: see the module docstring. ``allowed`` as :func:`allowed_hosts` gives
    it."""

    def __init__(self, app: ASGIApp, *, allowed: Iterable[str] = ()) -> None:
        self.app = app
        self.allowed = allowed_hosts(allowed)
        self.any = "*" in self.allowed

    def allows(self, host: str, server: tuple[str, int | None] | None) -> bool:
        if host == "localhost" or host.endswith(".localhost"):
            return True
        address = _address(host)
        if address is not None and address.is_loopback:
            return True
        if server and server[0]:
            own = str(server[0]).lower().strip("[]")
            own_address = _address(own)
            if (address is not None and address == own_address) or host == own:
                return True
        for pattern in self.allowed:
            if host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:])):
                return True
            if address is not None and address == _address(pattern):
                return True
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.any:
            await self.app(scope, receive, send)
            return
        host = parse_host(Headers(scope=scope).get("host"))
        if host is not None and self.allows(host, scope.get("server")):
            await self.app(scope, receive, send)
            return
        named = f"the Host {host!r}" if host is not None else "a missing or malformed Host"
        detail = (
            f"this server does not answer to {named}: it answers to localhost, its loopback"
            f" addresses and the address it was reached at; add names with {HOSTS_SETTING}"
            " (or `parallax serve --allowed-hosts`)"
        )
        await refusal(scope, HTTPException(400, detail))(scope, receive, send)
