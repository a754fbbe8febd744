"""What a corpus run did: the ``manifest.json`` of its destination."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

FORMAT = "parallax-corpus/1"
JOBS = ("stories", "relations")


@dataclass
class CorpusReport:
    """What a corpus run did; ``as_dict`` is also ``manifest.json`` of the destination."""

    source: str
    dest: str
    jobs: list[str]
    engine: str
    partitions: int = 0
    articles: int = 0
    duplicates: int = 0
    repeated: int = 0
    missing: list[int] = field(default_factory=list)
    """Partitions the batch run failed to write (listed in its manifest): not in the results."""
    stories: dict[str, int] = field(default_factory=dict)
    relations: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "source": self.source,
            "dest": self.dest,
            "jobs": self.jobs,
            "engine": self.engine,
            "partitions": self.partitions,
            "articles": self.articles,
            "duplicates": self.duplicates,
            "repeated_ids": self.repeated,
            "missing_partitions": self.missing,
            "stories": self.stories,
            "relations": self.relations,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "updated": datetime.now(UTC).isoformat(timespec="seconds"),
        }
