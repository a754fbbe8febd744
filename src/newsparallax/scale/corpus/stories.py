"""Corpus job 2, stories: clustering items built per partition on the engine, clustered in
the driver."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ...acquire.remote import Folder
from ...records import Event, Mention
from ..batch import read_table
from ..batch.extras import import_pandas
from .engine import write_frame
from .manifest import CorpusReport


def story_items(source_url: str, part: int, links: Any) -> list[Any]:
    """The clustering items of one partition (one engine task)."""
    from ...analyze.stories.items import make_item

    source = Folder(source_url)
    kept = {r.position: r for r in links.itertuples(index=False)}
    mentions: dict[str, list[Mention]] = {}
    for m in read_table(
        source, "mentions", part, columns=["article_id", "start", "end", "actor", "kind", "field"]
    ).to_pylist():
        aid = m.pop("article_id")
        mentions.setdefault(aid, []).append(Mention(text="", **m))
    events: dict[str, list[Event]] = {}
    for e in read_table(
        source,
        "events",
        part,
        columns=[
            "article_id",
            "type",
            "source",
            "target",
            "negated",
            "sentence_start",
            "sentence_end",
        ],
    ).to_pylist():
        aid = e.pop("article_id")
        events.setdefault(aid, []).append(Event(**e))
    columns = ["id", "language", "published", "date_precision", "title", "summary", "text"]
    items = []
    for position, row in enumerate(
        read_table(source, "articles", part, columns=columns).to_pylist()
    ):
        link_row = kept.get(position)
        if link_row is None:  # a repeated id: the store keeps the first
            continue
        items.append(
            make_item(
                rowid=int(link_row.rowid),
                id=row["id"],
                language=row["language"],
                published=datetime.fromisoformat(row["published"]) if row["published"] else None,
                date_precision=row["date_precision"],
                title=row["title"] or "",
                summary=row["summary"] or "",
                text=row["text"] or "",
                mentions=mentions.get(row["id"], ()),
                events=events.get(row["id"], ()),
                duplicate_of=link_row.duplicate_of,
            )
        )
    return items


def story_rows(
    items: Sequence[Any],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Cluster ``items`` with the store job's code; rows as ``story_articles``, stories and
    story arcs (open stories linked provisionally, as the store does when it saves)."""
    from ...analyze.stories.cluster import Params, cluster_waiting
    from ...analyze.stories.saved import arc_terms, iso

    clusterer, waiting = cluster_waiting(items, Params.from_settings())
    # an article of uncertain date whose span is not over waits, unrecorded, as in the store
    waits = {item.rowid for item in waiting}
    linker = clusterer.arcs
    linker.members()  # provisional links of the open stories
    member_of: dict[int, tuple[str, float | None, bool]] = {}
    for story in clusterer.stories.values():
        for rowid, sim, dup in story.members:
            member_of[rowid] = (story.key, sim, dup)
    ids = {item.rowid: item.id for item in items}
    memberships = []
    for item in items:
        if item.rowid in waits:
            continue
        if item.rowid in member_of:
            key, sim, dup = member_of[item.rowid]
            central = None if dup else round(clusterer.centrality(item, clusterer.stories[key]), 4)
            memberships.append(
                {
                    "article_id": item.id,
                    "rowid": item.rowid,
                    "story_id": key,
                    "similarity": sim,
                    "centrality": central,
                    "duplicate": bool(dup),
                    "skipped": None,
                }
            )
        else:
            memberships.append(
                {
                    "article_id": item.id,
                    "rowid": item.rowid,
                    "story_id": None,
                    "similarity": None,
                    "centrality": None,
                    "duplicate": False,
                    "skipped": item.skip or "not clustered",
                }
            )
    stories: list[dict[str, Any]] = [
        {
            "id": s.key,
            "first_seen": iso(s.first_ts),
            "last_seen": iso(s.last_ts),
            "status": "closed" if s.closed else "open",
            "articles": sum(not dup for _, _, dup in s.members),
            "duplicates": sum(bool(dup) for _, _, dup in s.members),
            "article_ids": sorted(ids[r] for r, _, _ in s.members),
            "arc_id": linker.resolve(s.arc) if s.arc else None,
            "arc_similarity": s.arc_similarity,
            "arc_final": bool(s.arc_final),
        }
        for s in sorted(clusterer.stories.values(), key=lambda s: s.key)
    ]
    by_story = {s.key: s for s in clusterer.stories.values()}
    members: dict[str, list[dict[str, Any]]] = {}
    for row in stories:
        if row["arc_id"]:
            members.setdefault(str(row["arc_id"]), []).append(row)
    arcs = []
    for key in sorted(members):
        rows = members[key]
        arc = linker.arcs.get(key)
        # an arc no closed story has joined yet: named by the open story's own vector
        vector = arc.centroid if arc else by_story[rows[0]["id"]].arc_vector
        first = min(rows, key=lambda r: by_story[r["id"]].first_ts)
        last = max(rows, key=lambda r: by_story[r["id"]].last_ts)
        arcs.append(
            {
                "id": key,
                "first_seen": first["first_seen"],
                "last_seen": last["last_seen"],
                "stories": len(rows),
                "articles": sum(r["articles"] for r in rows),
                "duplicates": sum(r["duplicates"] for r in rows),
                "terms": arc_terms(vector),
                "story_ids": sorted(r["id"] for r in rows),
            }
        )
    return memberships, stories, arcs


def write_stories(
    folder: Folder,
    parts: Sequence[int],
    links: Any,
    compute: Any,
    out: Folder,
    report: CorpusReport,
) -> Any:
    """Build the items on the engine, cluster them here and write ``stories/``; return the
    memberships (a pandas frame, as ``stories/articles.parquet``)."""
    dask = importlib.import_module("dask")
    pd = import_pandas()
    tasks = [
        dask.delayed(story_items)(folder.url, p, links[links["partition"] == p]) for p in parts
    ]
    items = [item for chunk in compute(*tasks) for item in chunk]
    memberships, stories, arcs = story_rows(items)
    frame = pd.DataFrame(
        memberships,
        columns=[
            "article_id",
            "rowid",
            "story_id",
            "similarity",
            "centrality",
            "duplicate",
            "skipped",
        ],
    )
    write_frame(out, "stories/articles.parquet", frame)
    write_frame(
        out,
        "stories/stories.parquet",
        pd.DataFrame(
            stories,
            columns=[
                "id",
                "first_seen",
                "last_seen",
                "status",
                "articles",
                "duplicates",
                "article_ids",
                "arc_id",
                "arc_similarity",
                "arc_final",
            ],
        ),
    )
    write_frame(
        out,
        "stories/arcs.parquet",
        pd.DataFrame(
            arcs,
            columns=[
                "id",
                "first_seen",
                "last_seen",
                "stories",
                "articles",
                "duplicates",
                "terms",
                "story_ids",
            ],
        ),
    )
    report.stories = {
        "stories": len(stories),
        "arcs": len(arcs),
        "clustered": int(frame["story_id"].notnull().sum()),
        "skipped": int(frame["skipped"].notnull().sum()),
    }
    return frame
