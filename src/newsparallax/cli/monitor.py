"""The live monitor's commands: ``feeds add/list/remove``, ``watch`` and ``replay-server``.

:func:`register` adds them to the main ``parallax`` group (idempotent).
"""

from __future__ import annotations

import sys
import threading
from collections import Counter
from typing import Any

import click

from .. import settings
from ..errors import ParallaxError
from .options import db_option as _db_option
from .options import emit_json as _emit_json
from .options import json_option as _json_option
from .options import load_watch, open_store
from .options import watch_option as _watch_option

__all__ = ["register"]


@click.group()
def feeds() -> None:
    """The feeds, sitemaps and homepages the live monitor polls."""


@feeds.command("add")
@click.argument("url")
@click.option("--outlet", help="Outlet of the feed (id or domain; default: from the URL).")
@_db_option
@_watch_option
def feeds_add(url: str, outlet: str | None, db: str, watch_name: str) -> None:
    """Add a feed (RSS, Atom, JSON Feed, sitemap, or a homepage announcing its feeds)."""
    from ..monitor.frontier import Frontier
    from ..monitor.netguard import Blocked, check_url

    try:
        check_url(url)
    except Blocked as err:
        raise click.BadParameter(err.reason, param_hint="URL") from err
    watch = load_watch(watch_name)
    resolved = watch.resolve(outlet or url)
    outlet_id = resolved.id if resolved else outlet
    with open_store(db) as store:
        frontier = Frontier(store)
        feed_id = frontier.add_feed(url, outlet=outlet_id)
    click.echo(f"feed {feed_id}: {url} (outlet {outlet_id or 'unknown'})")


@feeds.command("list")
@_db_option
@_json_option
@click.option("--all", "show_all", is_flag=True, help="Also list removed feeds.")
def feeds_list(db: str, as_json: bool, show_all: bool) -> None:
    """Every feed with its health: status, last success and error, items per day, failures."""
    from ..monitor.frontier import Frontier

    with open_store(db) as store:
        frontier = Frontier(store)
        rows = [frontier.health(f) for f in frontier.feeds(enabled_only=not show_all)]
    if as_json:
        _emit_json(rows)
        return
    if not rows:
        click.echo("no feeds (add one with `parallax feeds add URL`, or run `parallax watch`)")
        return
    for r in rows:
        marks = {"ok": " ", "new": "·", "stale": "?", "failing": "!", "dead": "✗", "blocked": "⊘"}
        mark = marks.get(r["status"])
        click.echo(
            f"{mark or ' '} {r['status']:<8} {r['items_per_day']:>7.1f}/day"
            f"  fails {r['consecutive_failures']:<2} {r['url']}"
        )
        detail = f"last ok {r['last_success'] or 'never'}, polled {r['last_polled'] or 'never'}"
        if r["status"] == "blocked":  # the last poll was refused by policy: say why
            detail += f", refused {r['last_error_at']}: {r['last_error']}"
        elif r["last_error"]:
            detail += f", last error {r['last_error_at']}: {r['last_error']}"
        click.echo(f"      {r['outlet'] or '-'} [{r['kind']}, {r['origin']}] {detail}")


@feeds.command("remove")
@click.argument("url")
@_db_option
def feeds_remove(url: str, db: str) -> None:
    """Stop polling a feed (its history stays; a watch will not add it back)."""
    from ..monitor.frontier import Frontier

    with open_store(db) as store:
        if not Frontier(store).remove_feed(url):
            raise click.ClickException(f"no feed {url}")
    click.echo(f"removed {url}")


@click.command("watch")
@click.option("--once", is_flag=True, help="Run one full cycle and exit.")
@click.option(
    "--interval",
    type=click.FloatRange(0.0),
    default=None,
    help="Seconds between polls of a feed (env PARALLAX_POLL_INTERVAL, default 900).",
)
@click.option(
    "--allow-private-networks",
    "allow_private",
    is_flag=True,
    help="Allow loopback and private addresses (env PARALLAX_ALLOW_PRIVATE_NETWORKS).",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=None,
    help="Requests in flight at once (env PARALLAX_CONCURRENCY, default 4).",
)
@click.option(
    "--via",
    default=None,
    help="Fetch everything from this replay server (env PARALLAX_FETCH_VIA).",
)
@click.option(
    "--warc-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder of WARC archives (env PARALLAX_WARC_DIR; default: 'warc' beside the store).",
)
@_db_option
@_watch_option
@_json_option
def watch_command(
    once: bool,
    interval: float | None,
    allow_private: bool,
    concurrency: int | None,
    via: str | None,
    warc_dir: str | None,
    db: str,
    watch_name: str,
    as_json: bool,
) -> None:
    """Monitor the watch's feeds: discover, fetch, extract and store new articles.

    Runs until Ctrl-C / SIGTERM (which finish the work in hand), or one cycle with --once.
    Each cycle says which feeds it did not poll, why and until when. With --once, exits 1
    when every feed it tried failed or was refused.
    """
    from ..monitor.cycle import CycleSummary, Monitor
    from ..monitor.fetcher import FetchConfig
    from ..monitor.netguard import NetPolicy

    watch = load_watch(watch_name)
    try:
        policy = NetPolicy.parse(True if allow_private else settings.get("allow_private_networks"))
    except ParallaxError as err:
        raise click.BadParameter(str(err), param_hint="--allow-private-networks") from err
    config = FetchConfig.from_settings(policy=policy, via=via)
    status = _Status()

    def report(summary: CycleSummary) -> None:
        status.clear()
        data = summary.as_dict()
        if as_json:
            if not once:
                click.echo(_json_line(data))
            return
        click.echo(
            f"{data['feeds']} feeds polled ({data['not_modified']} not modified,"
            f" {data['feed_errors']} errors), {data['new_articles']} new article URLs,"
            f" {data['fetched']} fetched, {data['stored']} stored, {data['rejected']} rejected,"
            f" {data['skipped']} skipped, {data['pending']} pending in {data['seconds']:.1f} s"
        )
        for line in _skipped_lines(data):
            click.echo(line)
        for problem in data["errors"][:10]:
            click.echo(f"  ! {problem['url']}: [{problem['code']}] {problem['reason']}", err=True)

    stop = threading.Event()
    with (
        open_store(db) as store,
        Monitor(
            store,
            watch,
            config=config,
            concurrency=concurrency,
            interval=interval,
            warc_dir=warc_dir,
            progress=status.show,
            stop=stop,
        ) as monitor,
    ):
        summaries = monitor.run(once=once, on_cycle=report)
    status.clear()
    if once and summaries:
        result = summaries[-1].as_dict()
        if as_json:
            _emit_json(result)
        refused = sum(1 for s in result["skipped_feeds"] if s["reason"] == "blocked")
        tried = result["feeds"] + refused  # a first cycle asks every blocked feed again
        if tried and result["feed_errors"] + refused == tried:
            sys.exit(1)


def _skipped_lines(data: dict[str, Any], *, most: int = 10) -> list[str]:
    """For people: why a cycle polled no feed, the feeds it skipped by reason, and those
    blocked, backing off or deferred one by one (``most`` of them)."""
    skipped = data["skipped_feeds"]
    waiting = [s for s in skipped if s["reason"] != "removed"]
    nexts = sorted(s["until"] for s in waiting if s["until"])
    lines = []
    if not data["feeds"] and not data["stopped"]:
        if not waiting:
            lines.append("no feeds to poll (add one with `parallax feeds add URL`)")
        elif any(s["reason"] in ("blocked", "deferred") for s in waiting):
            lines.append("no feed could be polled" + (f"; next poll {nexts[0]}" if nexts else ""))
        else:
            lines.append(f"no feed is due: the next poll is at {nexts[0]}")
    if skipped:
        counts = Counter(s["reason"] for s in skipped)
        lines.append(
            "feeds not polled: " + ", ".join(f"{n} {reason}" for reason, n in counts.items())
        )
    told = [s for s in skipped if s["reason"] in ("blocked", "backoff", "deferred")]
    for s in told[:most]:
        until = f" until {s['until']}" if s["until"] else ""
        detail = f": {s['detail']}" if s["detail"] else ""
        lines.append(f"  - {s['reason']} {s['url']}{until}{detail}")
    if len(told) > most:
        lines.append(f"  … and {len(told) - most} more (`parallax feeds list`)")
    return lines


@click.command("replay-server")
@click.argument("source", type=click.Path(exists=True))
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
def replay_server(source: str, port: int, host: str) -> None:
    """Serve a folder or WARC archive(s) over HTTP as if it were the outlets."""
    from ..monitor.replay import ReplayServer

    server = ReplayServer(source, host=host, port=port)
    kind = f"{len(server.index)} archived URLs" if server.warcs else "a folder"
    click.echo(
        f"replaying {kind} from {source} at {server.url}\n"
        f"  try: parallax watch --once --via {server.url}   (Ctrl-C to stop)",
        err=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()


class _Status:
    """One progress line on stderr, rewritten in place, only on a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.shown = False

    def show(self, message: str) -> None:
        if not self.enabled:
            return
        width = 100
        text = message if len(message) <= width else message[: width - 1] + "…"
        click.echo(f"\r\x1b[K{text}", err=True, nl=False)
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            click.echo("\r\x1b[K", err=True, nl=False)
            self.shown = False


def _json_line(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, default=str)


def register(cli: click.Group) -> None:
    """Add ``feeds``, ``watch`` and ``replay-server`` to ``cli`` (a no-op if already there)."""
    for command in (feeds, watch_command, replay_server):
        if command.name not in cli.commands:
            cli.add_command(command)
