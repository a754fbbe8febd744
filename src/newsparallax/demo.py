"""The offline demo: ingest the Iran–Russia replay corpus and show what Parallax made of it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from . import settings
from .ingest import ingest
from .search import search
from .stats import corpus_stats
from .store import Store
from .watches import Watch

DEMO_QUERIES = ("drones Iran Russia", "санкции", "nuclear deal")


class DemoDataMissing(FileNotFoundError):
    """The demo corpus folder is missing or empty."""


def demo_files(data_dir: str | Path | None = None) -> list[Path]:
    folder = Path(data_dir) if data_dir else settings.demo_data_dir()
    files = sorted(folder.glob("*.jsonl.gz")) + sorted(folder.glob("*.jsonl"))
    if not files:
        raise DemoDataMissing(
            f"no demo corpus at {folder} (expected *.jsonl.gz files): pass --data DIR or set "
            "PARALLAX_DEMO_DATA to the folder shared/data/demo"
        )
    return files


def run_demo(
    *,
    data_dir: str | Path | None,
    db: str,
    watch: Watch,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
    echo: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Ingest every demo file into ``db``; return (and optionally print) a report."""
    files = demo_files(data_dir)
    say = echo or (lambda _line: None)
    say(f"Parallax demo: ingesting {len(files)} files from {files[0].parent} into {db}")
    with Store(db) as store:
        summary = ingest(
            [str(f) for f in files],
            store=store,
            watch=watch,
            progress=progress,
            command="demo",
        )
        stats = corpus_stats(store)
        examples = {q: [h.as_dict() for h in search(store, q, limit=3)] for q in DEMO_QUERIES}
    s = summary.as_dict()
    say(
        f"read {s['read']} records in {s['seconds']:.1f} s ({s['articles_per_second']} /s):"
        f" stored {s['stored']} ({s['duplicates']} linked as duplicates),"
        f" {s['unchanged']} already stored, {s['rejected']} rejected,"
        f" {len(s['errors'])} problems recorded"
    )
    say(
        f"store: {stats['articles']} articles from {stats['outlets']} outlets,"
        f" {str(stats['first_published'])[:10]} .. {str(stats['last_published'])[:10]}"
    )
    say("by camp:     " + ", ".join(f"{k} {v}" for k, v in stats["by_camp"].items()))
    say("by language: " + ", ".join(f"{k} {v}" for k, v in stats["by_language"].items()))
    flags = list(stats["quality_flags"].items())[:6]
    say("quality:     " + ", ".join(f"{k} {v}" for k, v in flags))
    say("stage time:  " + ", ".join(f"{k} {v:.1f}s" for k, v in s["stage_seconds"].items()))
    for query, hits in examples.items():
        say(f"\nsearch {query!r}:")
        for h in hits:
            label = (h["title"] or h["snippet"]).strip()[:90]
            say(f"  - {label} ({h['outlet_name'] or h['outlet']}, {h['published']})")
    say(
        "\nTry next:\n"
        f"  parallax stats --db {db}\n"
        f"  parallax search 'Шойгу Иран' --db {db}\n"
        f"  parallax search 'Shahed drones' --camp western --since 2022-09 --db {db}\n"
        f"  parallax outlets --watch {watch.name}\n"
        f"  parallax annotate page.html  (run the pipeline on your own files)"
    )
    return {"ingest": s, "stats": stats, "examples": examples}
