"""``parallax serve``: the REST API and the dashboard over one store, with uvicorn.

:func:`register` adds the command to the main ``parallax`` group (idempotent).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import click

from .. import settings

if TYPE_CHECKING:
    from ..watches import Watch
    from ..web.cycles import CycleRunner

__all__ = ["register"]

log = logging.getLogger(__name__)


def register(main: click.Group) -> None:
    """Add ``serve`` to the main command (idempotent)."""
    if "serve" not in main.commands:
        main.add_command(serve)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--watch",
    "watch_name",
    envvar="PARALLAX_WATCH",
    default=settings.get("watch"),
    show_default=True,
    help="Watch name or path to a watch TOML file (env PARALLAX_WATCH).",
)
@click.option(
    "--db",
    "db",
    envvar="PARALLAX_DB",
    default=settings.get("db"),
    show_default=True,
    type=click.Path(dir_okay=False),
    help="SQLite store (env PARALLAX_DB).",
)
@click.option(
    "--read-access",
    type=click.Choice(["local", "open", "token"]),
    default=None,
    help="Who may read: loopback clients only, everyone, or token holders"
    " (env PARALLAX_API_READ; default local).",
)
@click.option(
    "--allowed-hosts",
    envvar="PARALLAX_ALLOWED_HOSTS",
    default=None,
    help="Host names, comma-separated (*.domain for subdomains, * for any), that the server"
    " answers to besides localhost, loopback addresses, the address it was reached at and a"
    " name given to --host; other Host headers get 400 (env PARALLAX_ALLOWED_HOSTS).",
)
@click.option(
    "--monitor",
    "with_monitor",
    is_flag=True,
    help="Also run the live monitor (`parallax watch`) in this process, writing the same store.",
)
@click.option(
    "--allow-private-networks",
    is_flag=True,
    help="Let the monitor fetch loopback/private addresses (as `parallax watch`).",
)
def serve(
    host: str,
    port: int,
    watch_name: str,
    db: str,
    read_access: str | None,
    allowed_hosts: str | None,
    with_monitor: bool,
    allow_private_networks: bool,
) -> None:
    """Serve the REST API (/api/v1, OpenAPI at /openapi.json) and the dashboard.

    Writes (POST /api/v1/outlets, /feeds, /monitor/cycles, /alerts/ID/ack) need
    `Authorization: Bearer TOKEN` with the token of PARALLAX_API_TOKEN; without it they are
    refused. With --monitor, the live monitor polls the watch's feeds in a background thread
    and stores what it fetches, while the server reads the same store (SQLite WAL: readers do
    not wait for the writer); POST /api/v1/monitor/cycles wakes it for a cycle now. Without
    --monitor, that request runs one cycle in a background thread.
    """
    import uvicorn

    from ..errors import ParallaxError
    from ..watches import load_watch
    from ..web import create_app
    from ..web.cycles import CycleRunner

    access = read_access or settings.get("api_read")
    if access not in ("local", "open", "token"):
        raise click.BadParameter(
            f"PARALLAX_API_READ={access!r}: use local, open or token", param_hint="read access"
        )
    token = settings.get("api_token") or None
    try:
        refresh = settings.get_float("web_refresh")
    except ValueError as err:
        raise click.BadParameter(
            f"PARALLAX_WEB_REFRESH={settings.get('web_refresh')!r} is not a number of seconds",
            param_hint="refresh",
        ) from err
    hosts = _allowed_hosts(host, allowed_hosts)
    try:
        max_request_bytes = settings.get_int("max_request_bytes")
        if max_request_bytes < 1:
            raise ValueError
    except ValueError as err:
        raise click.BadParameter(
            f"PARALLAX_MAX_REQUEST_BYTES={settings.get('max_request_bytes')!r} is not a"
            " positive number of bytes",
            param_hint="request size",
        ) from err
    cycles = CycleRunner("attached") if with_monitor else None
    try:
        watch = load_watch(watch_name)
        app = create_app(
            db,
            watch,
            token,
            read_access=access,  # type: ignore[arg-type]
            refresh=refresh,
            cycles=cycles,
            max_request_bytes=max_request_bytes,
            allowed_hosts=hosts,
        )
    except ParallaxError as err:
        raise click.ClickException(str(err)) from err
    if access == "open" and not _loopback(host):
        log.warning("serving reads to everyone on %s (PARALLAX_API_READ=open)", host)
    click.echo(
        f"Parallax on http://{host}:{port}/ (store {db}, watch {watch.name}, writes"
        f" {'enabled' if token else 'disabled'}, reads {access})",
        err=True,
    )
    if not _loopback(host) and "*" not in hosts:
        named = ", ".join(hosts) or "no name (PARALLAX_ALLOWED_HOSTS or --allowed-hosts)"
        click.echo(
            f"Host headers accepted: localhost, loopback and this server's addresses; {named}",
            err=True,
        )
    if cycles is None:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
        return
    import os
    import signal
    import threading

    if allow_private_networks:
        os.environ["PARALLAX_ALLOW_PRIVATE_NETWORKS"] = "true"
    thread = threading.Thread(
        target=_run_monitor, args=(db, watch, cycles), name="parallax-monitor", daemon=True
    )
    thread.start()
    # uvicorn raises the SIGTERM it caught again once it has stopped: with the default handler
    # that would kill the process before the monitor finishes the work in hand
    signal.signal(signal.SIGTERM, _terminated)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    except _Terminated:
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM: leave now
        cycles.close()  # finish the work in hand, then leave
        thread.join(timeout=120)


def _loopback(host: str) -> bool:
    import ipaddress

    if host.lower().removesuffix(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _allowed_hosts(host: str, option: str | None) -> list[str]:
    """The ``Host`` names allowed besides localhost and the server's addresses: the option
    (else ``PARALLAX_ALLOWED_HOSTS``), plus the name the server listens on if ``host`` is one
    (not an address)."""
    import ipaddress

    from ..web.guards import allowed_hosts

    given = (option if option is not None else settings.get("allowed_hosts")).split(",")
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        if host.strip():
            given.append(host)
    try:
        return allowed_hosts(given)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--allowed-hosts") from err


class _Terminated(Exception):
    """SIGTERM, raised again by uvicorn after its shutdown."""


def _terminated(signum: int, frame: object) -> None:
    raise _Terminated


def _run_monitor(db: str, watch: Watch, cycles: CycleRunner) -> None:
    """The monitor loop of `serve --monitor` (its own connection; errors are logged). It
    sleeps between cycles until the next feed is due or `POST /api/v1/monitor/cycles` wakes
    it."""
    from ..monitor.cycle import Monitor
    from ..store.database import Store

    try:
        # the pipeline runs in a worker process: its CPU-heavy stages would hold the GIL that
        # every request of this process needs too
        with (
            Store(db) as store,
            Monitor(store, watch, stop=cycles.stop, pipeline_workers=1) as monitor,
        ):
            cycles.run_monitor(
                monitor, on_cycle=lambda s: log.info("monitor cycle: %s", s.as_dict())
            )
    except Exception:  # the server keeps serving what is stored
        log.exception("the live monitor stopped")
