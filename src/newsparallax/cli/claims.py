"""``parallax claims``: the claim ledger, a thin shell over :mod:`newsparallax.analyze.ledger`."""

from __future__ import annotations

from typing import Any

import click

from .options import db_option, emit_json, json_option, load_watch, open_store, watch_option


def register(main: click.Group) -> None:
    """Add the ``claims`` command to the main command (idempotent)."""
    if "claims" not in main.commands:
        main.add_command(claims)


@click.command()
@click.argument("pair", nargs=-1, metavar="[A B]")
@click.option("--type", "kind", help="Only propositions of this PLOVER event type (AID…).")
@click.option("--since", help="From this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", help="Up to and including this date.")
@click.option("--one-way", is_flag=True, help="Only A → B (default: both directions).")
@click.option(
    "--min-camps", default=1, show_default=True, type=click.IntRange(1, 100),
    help="Only propositions told by at least this many camps.",
)  # fmt: skip
@click.option("--limit", default=30, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--id", "pid", help="One proposition (TYPE.SOURCE.TARGET.OBJECT) with its evidence.")
@watch_option
@db_option
@json_option
def claims(
    pair: tuple[str, ...],
    kind: str | None,
    since: str | None,
    until: str | None,
    one_way: bool,
    min_camps: int,
    limit: int,
    pid: str | None,
    watch_name: str,
    db: str,
    as_json: bool,
) -> None:
    """The claim ledger: propositions (event type, source → target, object such as drones or
    a place) with each camp's stance — asserted, relayed (from whom) or denied (by whom) — and
    when each camp first told it; with --id, one proposition and its evidence sentences."""
    from ..analyze.ledger import LedgerQuery, ledger, proposition
    from ..errors import QueryError

    if len(pair) not in (0, 2):
        raise click.BadParameter("give two states (A B) or none", param_hint="[A B]")
    order = tuple(load_watch(watch_name).camps)
    with open_store(db, readonly=True) as store:
        try:
            if pid:
                found = proposition(store, pid, since=since, until=until, camp_order=order)
                if found is None:
                    raise click.ClickException(f"no report supports {pid!r} in this window")
                data: dict[str, Any] = found.as_dict()
            else:
                query = LedgerQuery(
                    a=pair[0] if pair else None, b=pair[1] if pair else None, one_way=one_way,
                    type=kind, since=since, until=until, min_camps=min_camps, limit=limit,
                    camp_order=order,
                )  # fmt: skip
                data = ledger(store, query).as_dict()
        except QueryError as err:
            raise click.BadParameter(str(err)) from err
    if as_json:
        emit_json(data)
    elif pid:
        _print_one(data)
    else:
        _print_list(data)


def _stances(counts: dict[str, int]) -> str:
    return " ".join(f"{k} {v}" for k, v in counts.items() if v) or "-"


def _print_list(data: dict[str, Any]) -> None:
    click.echo(
        f"{data['total']} propositions (events at confidence ≥ {data['threshold']}; counts are"
        " articles)"
    )
    for p in data["items"]:
        click.echo(
            f"\n{p['id']}  {p['label']}  [{p['articles']} articles, {p['first_seen']} .."
            f" {p['last_seen']}]"
        )
        for c in p["camps"]:
            who = ", ".join(f"{k} {v}" for k, v in c["relayed_from"].items())
            denied = ", ".join(f"{k} {v}" for k, v in c["denied_by"].items())
            click.echo(
                f"  {c['camp']:<20} first {c['first_seen']:<10}  {_stances(c['articles'])}"
                + (f"  (relayed from {who})" if who else "")
                + (f"  (denied by {denied})" if denied else "")
            )
    if data["left_out"]:
        left = ", ".join(f"{k} {v}" for k, v in list(data["left_out"].items())[:8])
        click.echo(f"\nleft out: {left}")
    if data.get("unconfirmed"):
        from ..analyze.ledger import UNCONFIRMED_OUTLETS

        click.echo(
            f"\nTold by {UNCONFIRMED_OUTLETS}+ outlets in events under the confidence threshold,"
            " beyond what counts"
            f" (every report at ≥ {data['unconfirmed_floor']}; counted nowhere, for inspection):"
        )
        for p in data["unconfirmed"]:
            camps = "; ".join(f"{c['camp']} {_stances(c['articles'])}" for c in p["camps"])
            click.echo(
                f"  ?  {p['id']}  {p['label']}  [{p['articles']} articles,"
                f" {p['first_seen']} .. {p['last_seen']}]  {camps}"
            )


def _print_one(data: dict[str, Any]) -> None:
    click.echo(f"{data['id']}  {data['label']}  [{data['articles']} articles]")
    for c in data["camps"]:
        firsts = ", ".join(f"{k} {v}" for k, v in c["first"].items())
        click.echo(f"  {c['camp']:<20} {_stances(c['articles'])}  (first: {firsts})")
    click.echo("")
    for e in data["evidence"]:
        who = f" {e['who']}" if e["who"] else ""
        stance = {"relayed": f"relayed from{who or ' ?'}", "denied": f"denied by{who or ' ?'}"}
        click.echo(
            f"{e['published'] or '?':<10} [{e['camp']} · {e['outlet']}]"
            f" {stance.get(e['stance'], e['stance'])}"
        )
        click.echo(f"    “{e['sentence']}”")
        if e["url"]:
            click.echo(f"    {e['url']}")
