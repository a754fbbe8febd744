"""The REST API, ``/api/v1``: thin routes over the library, one module per resource group.

Lists take ``format=json`` (a page, with ``next_cursor`` and ``next``) or ``format=csv|jsonl``
(every matching row from ``cursor`` on, streamed, at most ``limit``). Bad filters are ``422``
with the parameter named; a bad cursor is ``400``.
"""

from __future__ import annotations

from fastapi import APIRouter

from . import (
    alerts,
    articles,
    claims,
    events,
    feeds,
    health,
    outlets,
    relations,
    stats,
    stories,
)

_PARTS = (health, articles, outlets, events, claims, stats, feeds, alerts, relations, stories)
ROUTERS = tuple(part.router for part in _PARTS)
"""The routers of the resource groups, in the order their routes are matched and listed."""
router = APIRouter()
for part in ROUTERS:
    router.include_router(part)
