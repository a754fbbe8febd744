"""``/health``: whether the store can be read, and what this server serves."""

from __future__ import annotations

from fastapi import APIRouter, Request

from ... import __version__
from ..deps import context
from ..models import Health

router = APIRouter()


@router.get("/health", response_model=Health, tags=["meta"])
def health(request: Request) -> Health:
    """Whether the store can be read, and what this server serves."""
    ctx = context(request)
    store = ctx.store()
    return Health(
        status="ok",
        version=__version__,
        watch=ctx.watch.name,
        schema_version=store.version,
        articles=store.count(),
        writes_enabled=ctx.token is not None,
        read_access=ctx.read_access,
    )
