"""Bulk writes: articles made by other tools (imported events) stored in transactions of a few
thousand, so a large import neither holds one long transaction nor commits every row."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..records import Article
from .database import Store

BATCH = 2000
"""Articles stored per transaction."""


def add_in_batches(
    store: Store, articles: Iterable[Article], *, batch: int = BATCH
) -> Iterator[bool]:
    """Store ``articles`` as they come, committing every ``batch`` of them; yields, for each,
    whether it was stored (``False``: already stored unchanged). What was stored is committed
    even when reading ``articles`` fails part way (the error then propagates)."""
    count = 0
    store.begin()
    try:
        for article in articles:
            yield store.add(article) is not None
            count += 1
            if count >= batch:
                store.commit()
                store.begin()
                count = 0
    finally:
        store.commit()
