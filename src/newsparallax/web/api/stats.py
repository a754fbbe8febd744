"""``/stats``: counts by outlet, camp, language and month, and the annotations."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from ..data import stats_data
from ..deps import conditional, context
from ..models import Stats

router = APIRouter()


@router.get("/stats", response_model=Stats, dependencies=[Depends(conditional)], tags=["meta"])
def stats(request: Request) -> Any:
    """Counts by outlet, camp, language and month; duplicates, quality flags, annotations."""
    return stats_data(context(request))
