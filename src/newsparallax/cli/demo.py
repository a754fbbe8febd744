"""The offline demo: ingest the Iran–Russia replay corpus and show what Parallax made of it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from .. import settings
from ..analyze.refresh import refresh
from ..analyze.stats import annotation_stats, corpus_job_stats, corpus_stats
from ..ingest import ingest
from ..store.database import Store
from ..store.search import search
from ..watches import Watch
from .options import db_option, emit_json, json_option, load_watch, progress, watch_option

DEMO_QUERIES = ("drones Iran Russia", "санкции", "nuclear deal")


class DemoDataMissing(FileNotFoundError):
    """The demo corpus folder is missing or empty."""


def demo_files(data_dir: str | Path | None = None) -> list[Path]:
    """The files the demo ingests: those of ``data_dir``; by default those of the demo folder
    and the extra news files beside it (``PARALLAX_DEMO_NEWS``: the 2026 war feeds of Iranian
    and Russian media, Persian Fars articles)."""
    folder = Path(data_dir) if data_dir else settings.demo_data_dir()
    files = sorted(folder.glob("*.jsonl.gz")) + sorted(folder.glob("*.jsonl"))
    if not files:
        raise DemoDataMissing(
            f"no demo corpus at {folder} (expected *.jsonl.gz files): pass --data DIR or set "
            "PARALLAX_DEMO_DATA to the folder shared/data/demo"
        )
    if not data_dir:
        files += [f for f in settings.demo_news_files() if f not in files]
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
    folders = ", ".join(dict.fromkeys(str(f.parent) for f in files))
    say(f"Parallax demo: ingesting {len(files)} files from {folders} into {db}")
    with Store(db) as store:
        summary = ingest(
            [str(f) for f in files],
            store=store,
            watch=watch,
            progress=progress,
            command="demo",
        )
        built = refresh(store, watch)
        stats = corpus_stats(store)
        examples = {q: [h.as_dict() for h in search(store, q, limit=3)] for q in DEMO_QUERIES}
        annotations = _annotations(store)
        relation = _relation(store)
        story_report = _stories(store)
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
    say(
        f"actors:      {annotations['mentions']} mentions;"
        " most named: " + ", ".join(f"{a} {n}" for a, n in annotations["top_actors"])
    )
    say(
        f"events:      {annotations['events']} reports of {annotations['instances']} events;"
        " " + ", ".join(f"{t} {n}" for t, n in annotations["by_type"])
    )
    for dyad, rows in annotations["dyads"].items():
        say(f"\n{dyad} events (asserted, newest first):")
        for e in rows:
            say(
                f"  - {e['published'][:10] if e['published'] else '?'} {e['type']}"
                f" [{e['camp'] or '-'}] “{e['evidence'].strip()[:110]}”"
            )
    say(f"\nbuilt after ingest: {built.describe()}")
    say(
        f"stories:     {story_report['stories']} ({story_report['multi_camp']} told by two camps"
        f" or more, {story_report['pending']} articles not clusterable yet); widest coverage:"
    )
    for st in story_report["top"]:
        say(f"  - {st['first_seen'][:10]} {st['label'][:90]} [{', '.join(st['camps'])}]")
    say(
        f"\nrelation index: {relation['points']} points over {relation['dyads']} dyads;"
        f" {story_report['alerts']} open alerts; IRN–RUS milestones, most widely reported:"
    )
    for m in relation["timeline"]:
        camps = ", ".join(m["camps"])
        say(f"  {m['rank']:>2}. {m['date']} {m['what']}: {m['summary'][:90]} [{camps}]")
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
        f"  parallax events --source IRN --target RUS --db {db}\n"
        f"  parallax relation IRN RUS --freq month --db {db}\n"
        f"  parallax stories --min-camps 3 --db {db}\n"
        f"  parallax alerts --db {db}\n"
        f"  parallax serve --db {db}   (then open http://127.0.0.1:8000/)\n"
        f"  parallax actors show sergei-shoigu --date 2023-06-01\n"
        f"  parallax annotate page.html  (run the pipeline on your own files)"
    )
    return {
        "ingest": s,
        "stats": stats,
        "examples": examples,
        "annotations": annotations,
        "relation": relation,
        "refresh": built.as_dict(),
        "stories": story_report,
    }


def _relation(store: Store) -> dict[str, Any]:
    """The relation index (built by the refresh) and the IRN–RUS timeline."""
    from ..analyze import relations
    from ..analyze.timeline import timeline

    return {
        "points": corpus_job_stats(store)["relation_points"],
        "dyads": len(relations.dyads(store)),
        "timeline": timeline(store, "IRN", "RUS", limit=5)["milestones"],
    }


def _stories(store: Store) -> dict[str, Any]:
    """How many stories the refresh built, and the most widely told ones."""
    from ..analyze.stories.queries import StoryQuery, list_stories, pending

    jobs = corpus_job_stats(store)
    top = list_stories(store, StoryQuery(min_camps=2, min_articles=3, limit=5))
    return {
        "stories": jobs["stories"],
        "multi_camp": jobs["multi_camp_stories"],
        "pending": pending(store),
        "alerts": jobs["open_alerts"],
        "top": [
            {k: st[k] for k in ("id", "label", "first_seen", "camps", "articles")} for st in top
        ],
    }


def _annotations(store: Store) -> dict[str, Any]:
    """What the actors and events stages found, with IRN↔RUS examples, for the demo report."""
    from ..store.events import list_events

    dyads = {}
    for source, target in (("IRN", "RUS"), ("RUS", "IRN")):
        found = list_events(
            store,
            source=source,
            target=target,
            asserted_only=True,
            include_negated=False,
            limit=30,
        )
        seen: set[str] = set()
        unique: list[dict[str, Any]] = []
        for e in found.events:  # one line per evidence sentence
            if e.evidence not in seen and len(unique) < 4:
                seen.add(e.evidence)
                unique.append(e.as_dict())
        dyads[f"{source}→{target}"] = unique
    return {**annotation_stats(store), "dyads": dyads}


def register(main: click.Group) -> None:
    main.add_command(demo)


@click.command()
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Demo corpus folder (default ../shared/data/demo, env PARALLAX_DEMO_DATA, plus the"
    " news files of PARALLAX_DEMO_NEWS beside it; with --data only that folder).",
)
@db_option
@watch_option
@json_option
def demo(data_dir: str | None, db: str, watch_name: str, as_json: bool) -> None:
    """Ingest the offline Iran–Russia demo corpus, run every stage and print what was stored."""
    try:
        report = run_demo(
            data_dir=data_dir,
            db=db,
            watch=load_watch(watch_name),
            progress=progress("demo"),
            echo=None if as_json else click.echo,
        )
    except DemoDataMissing as err:
        raise click.ClickException(str(err)) from err
    if as_json:
        emit_json(report)
