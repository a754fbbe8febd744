"""The request dependencies of the API and the dashboard: the app's context, conditional reads
(ETags, ``304``) and the read and write checks (bearer token, loopback clients).

Routers import these; the app (:mod:`.app`) assembles the routers and never the reverse.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param

from .context import WebContext

bearer = HTTPBearer(auto_error=False, description="The token of PARALLAX_API_TOKEN.")


class NotModified(Exception):
    """The client's copy is current (raised by :func:`conditional`)."""

    def __init__(self, etag: str) -> None:
        self.etag = etag


def context(request: Request) -> WebContext:
    ctx: WebContext = request.app.state.ctx
    return ctx


def conditional(request: Request) -> None:
    """ETag for an expensive read: ``304`` now if the client has the current version."""
    ctx = context(request)
    etag = ctx.etag(f"{request.url.path}?{request.url.query}")
    request.state.etag = etag
    if etag_matches(request.headers.get("if-none-match"), etag):
        raise NotModified(etag)


def etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return etag in tags


def token_ok(ctx: WebContext, credentials: HTTPAuthorizationCredentials | None) -> bool:
    if ctx.token is None or credentials is None:
        return False
    return hmac.compare_digest(credentials.credentials.encode(), ctx.token.encode())


def bearer_credentials(authorization: str | None) -> HTTPAuthorizationCredentials | None:
    """The bearer credentials of an ``Authorization`` header, as :data:`bearer` reads them."""
    scheme, token = get_authorization_scheme_param(authorization)
    if not (authorization and scheme and token) or scheme.lower() != "bearer":
        return None
    return HTTPAuthorizationCredentials(scheme=scheme, credentials=token)


def unauthorized(message: str) -> HTTPException:
    return HTTPException(401, detail=message, headers={"WWW-Authenticate": "Bearer"})


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def require_read(request: Request, credentials: Credentials) -> None:
    """Reads: open to loopback clients by default; see ``PARALLAX_API_READ``."""
    ctx = context(request)
    client = request.client.host if request.client else None
    if ctx.read_allowed_without_token(client) or token_ok(ctx, credentials):
        return
    if ctx.token is None:
        raise HTTPException(
            403,
            detail="reads from this address are refused: this server serves only localhost"
            " (set PARALLAX_API_READ=open, or set PARALLAX_API_TOKEN and send it)",
        )
    raise unauthorized("a bearer token is needed to read from this address")


def write_refusal(
    ctx: WebContext, credentials: HTTPAuthorizationCredentials | None
) -> HTTPException | None:
    """Why a write is refused: ``403`` when no token is configured, ``401`` without the right
    bearer token; ``None`` when it may go on."""
    if ctx.token is None:
        return HTTPException(
            403, detail="writes are disabled: start the server with PARALLAX_API_TOKEN set"
        )
    if credentials is None:
        return unauthorized("missing bearer token (Authorization: Bearer <PARALLAX_API_TOKEN>)")
    if not token_ok(ctx, credentials):
        return unauthorized("wrong bearer token")
    return None


def require_write(request: Request, credentials: Credentials) -> None:
    """Writes: see :func:`write_refusal` (checked again here, after :class:`.guards.BodyLimit`
    checked it before the body was read)."""
    refused = write_refusal(context(request), credentials)
    if refused is not None:
        raise refused
