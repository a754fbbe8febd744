"""The dashboard: server-rendered pages over the same library functions as the API (see
:mod:`.render` for how pages are rendered safely)."""

from __future__ import annotations

from fastapi import APIRouter

from . import article, claims, compare, lists, overview, relation, search, stories

router = APIRouter(include_in_schema=False)
for part in (overview, article, search, lists, relation, stories, compare, claims):
    router.include_router(part.router)
