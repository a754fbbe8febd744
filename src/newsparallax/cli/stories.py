"""``parallax themes``, ``cluster``, ``stories``, ``story`` and ``compare``: thin shells over
:mod:`newsparallax.annotate.themes`, :mod:`newsparallax.analyze.stories.cluster` and
:mod:`newsparallax.analyze.compare`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from .. import settings
from ..analyze.stats import theme_counts
from ..errors import QueryError
from ..periods import date_bound
from ..store.database import store_exists
from .options import db_option as _db
from .options import emit_json as _emit
from .options import json_option as _json
from .options import load_watch, open_store, period_options, progress

F = TypeVar("F", bound=Callable[..., Any])


def register(main: click.Group) -> None:
    """Add the commands to the main group (idempotent)."""
    for command in (themes, cluster, stories, story, arc, compare):
        if command.name not in main.commands:
            main.add_command(command)


def _store(db: str, *, readonly: bool = False, stories: bool = False) -> Any:

    store = open_store(db, readonly=readonly)
    if stories and not store.has_table("story_articles"):
        store.close()
        raise click.ClickException(f"{db} has no stories yet: run `parallax cluster --db {db}`")
    return store


def _bound(value: str | None, *, end: bool) -> int | None:
    """A date bound (see :mod:`newsparallax.periods`), refused as a bad option value."""
    try:
        return date_bound(value, end=end)
    except QueryError as err:
        raise click.BadParameter(str(err)) from err


# -- themes ------------------------------------------------------------------------------------


@click.command()
@click.option(
    "--watch",
    "watch_name",
    envvar="PARALLAX_WATCH",
    default=settings.get("watch"),
    show_default=True,
    help="Watch whose [themes.*] are added (env PARALLAX_WATCH).",
)
@click.option(
    "--retag",
    is_flag=True,
    help="Tag every stored article again with this taxonomy (replaces stored themes).",
)
@_db
@_json
def themes(watch_name: str, retag: bool, db: str, as_json: bool) -> None:
    """The theme taxonomy (shipped + the watch's) and how many stored articles carry each."""

    from ..annotate.themes import retag as run_retag
    from ..annotate.themes import taxonomy

    watch = load_watch(watch_name)
    try:
        entries = taxonomy(watch.themes)
    except Exception as err:  # a ConfigError in the user's watch
        raise click.ClickException(str(err)) from err
    counts: dict[str, dict[str, float]] = {}
    retagged = None
    if store_exists(db) or retag:
        with _store(db, readonly=not retag) as store:
            if retag:
                retagged = run_retag(store, watch=watch)
            counts = theme_counts(store)
    data: dict[str, Any] = {
        "watch": watch.name,
        "min_score": settings.get_float("themes_min_score"),
        "retagged": retagged,
        "themes": [
            {**t.as_dict(), "stored": counts.get(t.id, {"articles": 0, "mean_score": None})}
            for t in entries
        ],
    }
    if as_json:
        _emit(data)
        return
    click.echo(f"{len(entries)} themes (watch {watch.name}; min score {data['min_score']})")
    for t in data["themes"]:
        n_terms = sum(len(v) for v in t["terms"].values())
        langs = ",".join(sorted(t["terms"]))
        click.echo(
            f"  {t['id']:<22} {t['stored']['articles']:>7} articles  {n_terms:>3} terms ({langs})"
            f"  {t['source']:<7} {t['label']}"
        )


# -- stories -----------------------------------------------------------------------------------


@click.command()
@click.option("--rebuild", is_flag=True, help="Drop every story and cluster the whole archive.")
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=None,
    help="Similarity to join a story (env PARALLAX_STORIES_THRESHOLD).",
)
@click.option(
    "--quiet-days",
    type=click.FloatRange(0),
    default=None,
    help="Days without news that close a story (env PARALLAX_STORIES_QUIET_DAYS).",
)
@_db
@_json
def cluster(
    rebuild: bool, threshold: float | None, quiet_days: float | None, db: str, as_json: bool
) -> None:
    """Group stored articles into stories (incremental: only articles not yet clustered)."""
    from ..analyze.stories.cluster import Params
    from ..analyze.stories.job import rebuild as run_rebuild
    from ..analyze.stories.job import update

    params = Params.from_settings(threshold=threshold, quiet_days=quiet_days)
    with _store(db) as store:
        job = run_rebuild if rebuild else update
        summary = job(store, params, progress=progress("cluster"))
    data = summary.as_dict()
    if as_json:
        _emit(data)
        return
    click.echo(
        f"{data['mode']}: {data['articles']} articles in {data['seconds']:.1f} s"
        f" ({data['ms_per_article'] or 0:.2f} ms each): {data['started']} new stories,"
        f" {data['joined']} joined one, {data['duplicates']} copies, {data['skipped']} skipped;"
        f" {data['stories']} stories ({data['open']} open), {data['arcs']} arcs"
        f" ({data['arcs_started']} founded, {data['arcs_merged']} merged) -> {db}"
    )


@click.command()
@click.option("--since", help="Stories active from this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", help="Stories begun up to this date.")
@click.option("--camp", help="Only stories this camp covers.")
@click.option("--min-camps", default=1, show_default=True, type=click.IntRange(1))
@click.option("--min-articles", default=2, show_default=True, type=click.IntRange(1))
@click.option("--limit", default=30, show_default=True, type=click.IntRange(1, 100_000))
@click.option(
    "--arcs",
    "arcs",
    is_flag=True,
    help="List story arcs (long-running story lines grouping stories), most articles first.",
)
@_db
@_json
def stories(
    since: str | None,
    until: str | None,
    camp: str | None,
    min_camps: int,
    min_articles: int,
    limit: int,
    arcs: bool,
    db: str,
    as_json: bool,
) -> None:
    """Stories (run `parallax cluster` first): most camps first, then most articles."""
    from ..analyze.stories.queries import StoryQuery, list_arcs, list_stories, pending

    query = StoryQuery(
        since=_bound(since, end=False),
        until=_bound(until, end=True),
        camp=camp,
        min_camps=min_camps,
        min_articles=min_articles,
        limit=limit,
    )
    with _store(db, readonly=True, stories=True) as store:
        found = list_arcs(store, query) if arcs else list_stories(store, query)
        waiting = pending(store)
    if as_json:
        _emit(found)
        return
    if arcs:
        if waiting:
            click.echo(f"({waiting} stored articles not clustered yet)", err=True)
        if not found:
            click.echo("no arcs")
        for a in found:
            click.echo(
                f"{a['id']}  {a['first_seen'][:10]}..{a['last_seen'][:10]}"
                f"  {a['story_count']:>4} stories {a['article_count']:>5} articles"
                f"  {len(a['camps'])} camps ({', '.join(a['camps'])})"
                f"\n    {a['label'][:100]}\n    terms: {', '.join(a['terms'][:8])}"
            )
        return
    if waiting:
        click.echo(
            f"({waiting} stored articles not clustered yet: run `parallax cluster`)", err=True
        )
    if not found:
        click.echo("no stories")
    for s in found:
        click.echo(
            f"{s['id']}  {s['first_seen'][:10]}..{s['last_seen'][:10]}  {s['article_count']:>4}"
            f" articles  {len(s['camps'])} camps ({', '.join(s['camps'])})"
            f"  [{','.join(s['languages'])}]\n    {s['label'][:110]}"
        )


@click.command()
@click.argument("story_id")
@_db
@_json
def story(story_id: str, db: str, as_json: bool) -> None:
    """One story: coverage by camp, themes, actors and the timeline of its articles."""
    from ..analyze.display import display_titles
    from ..analyze.stories.queries import get_story

    with _store(db, readonly=True, stories=True) as store:
        data = get_story(store, story_id)
        heads = (
            display_titles(store, [a["id"] for a in data["articles"] if not a["title"]])
            if data is not None
            else {}
        )
    if data is None:
        raise click.ClickException(f"no story {story_id!r} (see `parallax stories`)")
    if as_json:
        _emit(data)
        return
    click.echo(f"{data['id']}: {data['label']}")
    click.echo(
        f"  {data['first_seen']} .. {data['last_seen']} ({data['status']}),"
        f" {data['article_count']} articles (+{data['duplicates']} copies),"
        f" {data['outlet_count']} outlets, languages {', '.join(data['languages'])}"
    )
    if data["arc"]:
        a = data["arc"]
        how = "linked" if a["final"] else "provisional, the story is open"
        click.echo(
            f"  arc {a['id']} ({how}): {a['label']} — {a['story_count']} stories,"
            f" {a['article_count']} articles, {(a['first_seen'] or '')[:10]} .."
            f" {(a['last_seen'] or '')[:10]}"
        )
    for camp, c in data["coverage"].items():
        click.echo(f"  {camp:<22} {c['articles']:>4} articles from {', '.join(c['outlets'])}")
    if data["themes"]:
        click.echo("  themes: " + ", ".join(f"{k} {v}" for k, v in data["themes"].items()))
    click.echo("  timeline:")
    for a in data["articles"]:
        copy = " (copy)" if a["duplicate_of"] else ""
        click.echo(
            f"    {a['published'] or '?':<25} {a['camp'] or '-':<20} {a['outlet']:<22}"
            f" {(a['title'] or heads.get(a['id'], ''))[:80]}{copy}  id={a['id']}"
        )


@click.command()
@click.argument("arc_id")
@_db
@_json
def arc(arc_id: str, db: str, as_json: bool) -> None:
    """One story arc: its long-running story line and the timeline of its stories."""
    from ..analyze.stories.queries import get_arc

    with _store(db, readonly=True, stories=True) as store:
        data = get_arc(store, arc_id)
    if data is None:
        raise click.ClickException(f"no arc {arc_id!r} (see `parallax stories --arcs`)")
    if as_json:
        _emit(data)
        return
    click.echo(f"{data['id']}: {data['label']}")
    click.echo(
        f"  {data['first_seen']} .. {data['last_seen']}"
        f"{' (provisional)' if data['provisional'] else ''}, {data['story_count']} stories,"
        f" {data['article_count']} articles (+{data['duplicates']} copies),"
        f" {data['outlet_count']} outlets, camps {', '.join(data['camps'])}"
    )
    click.echo(f"  terms: {', '.join(data['terms'])}")
    click.echo("  stories:")
    for s in data["stories"]:
        click.echo(
            f"    {s['first_seen'][:10]}..{s['last_seen'][:10]} {s['article_count']:>4}"
            f"  {s['id']}  {s['label'][:80]}{'' if s['final'] else ' (open)'}"
        )


# -- compare -----------------------------------------------------------------------------------


@click.command()
@click.option(
    "--watch",
    "watch_name",
    envvar="PARALLAX_WATCH",
    default=settings.get("watch"),
    show_default=True,
    help="Watch: its camps, outlets and states (env PARALLAX_WATCH).",
)
@click.option("--camps", help="Comma-separated camp ids (default: every camp with articles).")
@period_options
@click.option("--theme", help="Only articles tagged with this theme.")
@click.option(
    "--top",
    default=20,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Stories, blindspots, terms and claims listed per section.",
)
@click.option(
    "--max-ids",
    default=25,
    show_default=True,
    type=click.IntRange(1, 1_000_000),
    help="Article ids listed per figure (ids_total gives the full count).",
)
@_db
@_json
def compare(
    watch_name: str,
    camps: str | None,
    since: str | None,
    until: str | None,
    theme: str | None,
    top: int,
    max_ids: int,
    db: str,
    as_json: bool,
) -> None:
    """Compare camps: coverage and blindspots, emphasis, framing, claims and tone."""
    from ..analyze.compare import Selection
    from ..analyze.compare import compare as run_compare

    watch = load_watch(watch_name)
    chosen = tuple(c.strip() for c in camps.split(",") if c.strip()) if camps else ()
    unknown = [c for c in chosen if c not in watch.camps]
    if unknown:
        raise click.BadParameter(f"unknown camp(s) {', '.join(unknown)} (see `parallax outlets`)")
    sel = Selection(
        camps=chosen,
        since=_bound(since, end=False),
        until=_bound(until, end=True),
        theme=theme,
        actors=watch.actors,
        outlet_camps={o.id: o.camp for o in watch.outlets if o.camp},
        max_ids=max_ids,
        top=top,
    )
    with _store(db, readonly=True, stories=True) as store:
        data = run_compare(store, sel)
    data["watch"] = watch.name
    if as_json:
        _emit(data)
        return
    _print_compare(data)


def _print_compare(d: dict[str, Any]) -> None:
    s = d["selection"]
    click.echo(
        f"{s['articles']} articles ({s['clustered']} in stories) from camps {', '.join(s['camps'])}"
    )
    cov = d["coverage"]
    click.echo(f"\nCoverage ({cov['stories_total']} stories; {cov['method']})")
    for row in cov["stories"][:10]:
        parts = [
            f"{c} {v['articles']} ({v['outlet_share']:.0%} of outlets)"
            for c, v in row["camps"].items()
            if v["articles"]
        ]
        click.echo(f"  {row['story']}  {row['articles']:>4} articles: " + "; ".join(parts))
    click.echo(f"\nBlindspots ({cov['blindspots_total']}; rule: {cov['blindspot_rule']})")
    for b in cov["blindspots"][:10]:
        click.echo(
            f"  {b['story']}: {b['covered_by']} {b['covered_articles']} articles,"
            f" {b['missing_in']} {b['missing_articles']} (of"
            f" {b['missing_camp_articles_in_span']} it published then;"
            f" {b['expected_missing_articles']:g} expected, p = {b['p_value']:.3g})"
        )
    left = cov.get("blindspots_left_out") or {}
    if any(left.values()):
        click.echo(
            f"  not blindspots: {left.get('same_event', 0)} told in another story about the same"
            f" event, {left.get('too_little_volume', 0)} from a camp with too little volume"
        )
    if cov.get("no_data"):
        click.echo(f"  no data in the window (not silent): {', '.join(cov['no_data'])}")
    if cov.get("official"):
        click.echo(f"Official publications ({cov['official_total']} stories, listed apart):")
        for o in cov["official"][:5]:
            news = ", ".join(f"{c} {n}" for c, n in o["news_camps"].items()) or "no news camp"
            click.echo(f"  {o['story']}: {o['camp']} {o['articles']} articles; {news}")
    click.echo("\nEmphasis (share of tagged articles, 95% CI)")
    for camp, e in d["emphasis"]["camps"].items():
        top = list(e["themes"].items())[:4]
        click.echo(
            f"  {camp:<22} "
            + "; ".join(
                f"{t} {v['share']:.0%} [{v['ci95'][0]:.0%}-{v['ci95'][1]:.0%}]" for t, v in top
            )
        )
    click.echo("\nFraming (distinctive terms, log-odds z)")
    for lang, f in d["framing"]["languages"].items():
        for camp, terms in f["distinctive"].items():
            if terms:
                click.echo(
                    f"  [{lang}] {camp:<22} "
                    + ", ".join(f"{t['term']} ({t['z']})" for t in terms[:8])
                )
        for camp, one in f.get("single_outlet", {}).items():
            if one["terms"]:
                click.echo(
                    f"  [{lang}] {camp:<22} (one outlet, {one['outlet']}) "
                    + ", ".join(f"{t['term']} ({t['z']})" for t in one["terms"][:8])
                )
    cl = d["claims"]
    click.echo(
        f"\nClaims: {cl['note']}" + (f" ({cl.get('items_total', 0)})" if cl["available"] else "")
    )
    click.echo("\nTone toward the watch's states (lexicon; see --json for the method)")
    for actor, per in d["tone"]["actors"].items():
        click.echo(
            f"  {actor}: "
            + "; ".join(f"{c} {v['mean']:+.2f} (n={v['sentences']})" for c, v in per.items())
        )
