"""Monitor cycles asked for through the API (``POST /api/v1/monitor/cycles``).

A :class:`CycleRunner` keeps the requests and their outcome (the last :data:`HISTORY`), in one
of two modes:

``attached``
    ``parallax serve --monitor``: the live monitor runs in this process; a request wakes it
    from its sleep between cycles so that a cycle starts now (or right after the one in hand).
    :meth:`CycleRunner.run_monitor` is that loop.
``on_demand``
    no monitor in this process: a request runs one cycle (as ``parallax watch --once``) in a
    background thread with its own writable connection to the store.

With ``feeds=all`` (the default of the endpoint) every enabled feed is made due first, so the
cycle polls them all now; with ``feeds=due`` the cycle polls only the feeds whose next poll
time has come (the monitor's own schedule) and fetches the articles waiting in the frontier.

Requests coalesce: while one is queued (not started yet), another gets the same run back, since
the cycle that will start serves both. A run is ``queued``, ``running``, then ``done`` (with the
cycle's summary) or ``failed`` (with the error). Any cycle that starts after a request satisfies
it, including the monitor's own scheduled one.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..watches import Watch

if TYPE_CHECKING:
    from ..monitor.cycle import CycleSummary, Monitor

log = logging.getLogger(__name__)

Mode = Literal["attached", "on_demand"]
Status = Literal["queued", "running", "done", "failed"]
HISTORY = 50


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(slots=True)
class CycleRun:
    """One requested cycle and what became of it."""

    id: int
    mode: Mode
    requested: str
    status: Status = "queued"
    started: str | None = None
    finished: str | None = None
    summary: dict[str, Any] | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "mode": self.mode,
            "status": self.status,
            "requested": self.requested,
            "started": self.started,
            "finished": self.finished,
            "summary": self.summary,
            "error": self.error,
            "url": f"/api/v1/monitor/cycles/{self.id}",
        }


class MonitorStopped(RuntimeError):
    """No cycle can run: the attached monitor has stopped, or the server is stopping."""


class CycleRunner:
    """See the module docstring. ``db`` and ``watch`` are needed in ``on_demand`` mode only
    (``watch`` is called when a cycle starts, so a reloaded watch is used)."""

    def __init__(
        self,
        mode: Mode,
        *,
        db: str | Path | None = None,
        watch: Callable[[], Watch] | None = None,
    ) -> None:
        if mode == "on_demand" and (db is None or watch is None):
            raise ValueError("on_demand cycles need the store and the watch")
        self.mode: Mode = mode
        self.db = db
        self.watch = watch
        self.wake = threading.Event()
        """Set by a request: the attached monitor stops sleeping."""
        self.stop = threading.Event()
        """Set when the server stops: cycles finish the work in hand and no new one starts."""
        self._lock = threading.Lock()
        self._runs: OrderedDict[int, CycleRun] = OrderedDict()
        self._last_id = 0
        self._queued: CycleRun | None = None
        self._running: CycleRun | None = None
        self._worker: threading.Thread | None = None
        self.stopped: str | None = None
        """Why the attached monitor loop ended (then requests are refused)."""

    # -- requests --------------------------------------------------------------------------

    def request(self) -> tuple[CycleRun, bool]:
        """Ask for a cycle: the run that will serve the request, and whether it is new (a
        queued run is shared). :class:`MonitorStopped` when no cycle can run any more."""
        with self._lock:
            if self.stopped is not None:
                raise MonitorStopped(self.stopped)
            if self.stop.is_set():
                raise MonitorStopped("the server is stopping")
            if self._queued is not None:
                return self._queued, False
            self._last_id += 1
            run = CycleRun(id=self._last_id, mode=self.mode, requested=_now())
            self._queued = run
            self._runs[run.id] = run
            while len(self._runs) > HISTORY:
                self._runs.popitem(last=False)
            if self.mode == "attached":
                self.wake.set()
            elif self._worker is None:
                self._worker = threading.Thread(
                    target=self._work, name="parallax-cycle", daemon=True
                )
                self._worker.start()
        return run, True

    def get(self, run_id: int) -> CycleRun | None:
        with self._lock:
            return self._runs.get(run_id)

    def state(self) -> dict[str, Any]:
        """The mode, the queued and running requests, and the most recent runs first."""
        with self._lock:
            return {
                "mode": self.mode,
                "queued": self._queued.as_dict() if self._queued else None,
                "running": self._running.as_dict() if self._running else None,
                "recent": [r.as_dict() for r in reversed(self._runs.values())][:10],
            }

    # -- the cycles ------------------------------------------------------------------------

    def _claim(self) -> CycleRun | None:
        """A cycle starts: it serves the queued request, if any."""
        with self._lock:
            run, self._queued = self._queued, None
            if run is not None:
                run.status = "running"
                run.started = _now()
                self._running = run
            return run

    def _finish(
        self, run: CycleRun | None, summary: CycleSummary | None, error: str | None = None
    ) -> None:
        if run is None:
            return
        with self._lock:
            run.finished = _now()
            run.status = "failed" if error else "done"
            run.summary = summary.as_dict() if summary is not None else None
            run.error = error
            if self._running is run:
                self._running = None

    def run_monitor(
        self, monitor: Monitor, *, on_cycle: Callable[[CycleSummary], None] | None = None
    ) -> None:
        """The attached loop: a cycle, then sleep until the monitor's next due time or a
        request, until :attr:`stop` (which must also be the monitor's ``stop``)."""
        why = "the server stopped"
        try:
            while not self.stop.is_set():
                run = self._claim()
                try:
                    summary = monitor.cycle()
                except Exception as err:
                    why = f"the live monitor stopped: {type(err).__name__}: {err}"
                    self._finish(run, None, why)
                    raise
                self._finish(run, summary)
                if on_cycle is not None:
                    on_cycle(summary)
                self.wake.wait(monitor.sleep_time())
                self.wake.clear()
        finally:
            with self._lock:
                self.stopped = why
                queued, self._queued = self._queued, None
            if queued is not None:
                self._finish(queued, None, why)

    def _work(self) -> None:
        """The on-demand worker: one cycle per queued request, then it leaves."""
        from ..monitor.cycle import Monitor
        from ..store.database import Store

        assert self.db is not None and self.watch is not None
        while True:
            with self._lock:
                if self._queued is None or self.stop.is_set():
                    self._worker = None
                    queued, self._queued = self._queued, None
                    break
            run = self._claim()
            try:
                with Store(self.db) as store, Monitor(store, self.watch(), stop=self.stop) as m:
                    summary = m.cycle()
            except Exception as err:  # reported in the run; the server keeps serving
                log.exception("the requested monitor cycle failed")
                self._finish(run, None, f"{type(err).__name__}: {err}")
            else:
                self._finish(run, summary)
        if queued is not None:
            self._finish(queued, None, "the server stopped")

    def close(self) -> None:
        """Stop: the cycle in hand finishes its work in hand; nothing new starts."""
        self.stop.set()
        self.wake.set()
        with self._lock:
            worker = self._worker
        if worker is not None:
            worker.join(timeout=30)
