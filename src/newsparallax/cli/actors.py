"""``parallax actors …``: look up the actor dictionary and report names it misses."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from ..annotate.actors import Actor, ActorDictionary, DictionaryError, default_dictionary
from .options import emit_json, open_store


def _dictionary() -> ActorDictionary:
    try:
        return default_dictionary()
    except DictionaryError as err:
        raise click.ClickException(str(err)) from err


def _brief(actor: Actor, day: date | None = None) -> dict[str, Any]:
    country, sector = actor.resolve(day)
    return {
        "id": actor.id,
        "kind": actor.kind,
        "label": actor.label,
        "country": country,
        "sector": sector,
        "source": actor.source,
    }


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from err


def register(main: click.Group) -> None:
    """Add the ``actors`` group to the main command (idempotent)."""
    if "actors" in main.commands:
        return
    main.add_command(actors)


@click.group()
def actors() -> None:
    """The actor dictionary: search it, show an entry, find names it misses."""


@actors.command("search")
@click.argument("name")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")
def actors_search(name: str, limit: int, as_json: bool) -> None:
    """Entries whose name (EN/RU/FA, any inflection) or id matches NAME."""

    found = _dictionary().search(name, limit=limit)
    if as_json:
        emit_json([_brief(a) for a in found])
        return
    if not found:
        click.echo(f"no actor matches {name!r}")
        return
    for actor in found:
        b = _brief(actor)
        click.echo(
            f"{b['id']:<32} {b['kind']:<12} {b['country'] or '-':<6} {b['sector'] or '-':<4}"
            f" {b['label']}"
        )


@actors.command("show")
@click.argument("actor_id")
@click.option("--date", "on", help="Resolve country/sector on this date (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")
def actors_show(actor_id: str, on: str | None, as_json: bool) -> None:
    """One entry with all its names and dated roles."""

    dictionary = _dictionary()
    actor = dictionary.get(actor_id)
    if actor is None:
        hits = dictionary.search(actor_id, limit=1)
        if not hits:
            raise click.ClickException(f"no actor {actor_id!r} (try `parallax actors search`)")
        actor = hits[0]
    day = _day(on)
    data = {**actor.as_dict(), "resolved": _brief(actor, day), "on": on}
    if actor.kind == "office":
        data["holders"] = [_brief(h, day) for h in dictionary.holders(actor.id, day)]
    if as_json:
        emit_json(data)
        return
    b = data["resolved"]
    click.echo(f"{actor.id}  ({actor.kind}, {actor.source})")
    click.echo(f"  {actor.label}" + (f" — {actor.description}" if actor.description else ""))
    click.echo(
        f"  country {b['country'] or '-'}  sector {b['sector'] or '-'}"
        + (f"  on {on}" if on else "")
    )
    for lang, names in actor.names.items():
        click.echo(f"  {lang}: " + " | ".join(names))
    for lang, names in actor.short.items():
        unique = "anywhere" if actor.unique_short else "after the full name"
        click.echo(f"  {lang} short ({unique}): " + " | ".join(names))
    for role in actor.roles:
        span = f"{role.start or '…'} – {role.end or '…'}"
        click.echo(
            f"  role {span}: {role.title or '-'} [{role.country or '-'} {role.sector or '-'}]"
            + (f" office={role.office}" if role.office else "")
        )
    for holder in data.get("holders", []):
        click.echo(f"  holder: {holder['id']} {holder['label']}")


@actors.command("unknown")
@click.option("--db", "db", envvar="PARALLAX_DB", default=None, help="SQLite store.")
@click.option("--lang", help="Only articles in this language.")
@click.option(
    "--articles",
    "max_articles",
    default=2000,
    show_default=True,
    type=click.IntRange(1, 10_000_000),
    help="Newest articles scanned.",
)
@click.option("--min-count", default=3, show_default=True, type=click.IntRange(1))
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@click.option(
    "--ner/--no-ner",
    default=True,
    show_default=True,
    help="Use the statistical NER model when installed (else capitalised words).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")
def actors_unknown(
    db: str | None,
    lang: str | None,
    max_articles: int,
    min_count: int,
    limit: int,
    ner: bool,
    as_json: bool,
) -> None:
    """Frequent names in stored articles that no dictionary entry matches, for curation."""
    from .. import settings
    from ..annotate.actors.unknown import unknown_names

    with open_store(db or settings.get("db"), readonly=True) as store:
        items = (
            (a.id, a.text, a.language, a.mentions)
            for a in store.newest_articles(limit=max_articles, language=lang)
        )
        found = unknown_names(items, use_ner=ner, min_count=min_count, limit=limit)
    if as_json:
        emit_json([u.as_dict() for u in found])
        return
    if not found:
        click.echo("no unknown name reaches --min-count")
    for u in found:
        click.echo(f"{u.count:>6}  {u.name}" + (f"  [{u.label}]" if u.label else ""))
