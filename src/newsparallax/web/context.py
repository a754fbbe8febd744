"""What every request of the web app shares: the store, the watch, the token and a small cache.

Reads use one read-only connection per worker thread (SQLite connections are not shared across
threads; in WAL mode readers never block the writer nor each other). Writes open their own
short-lived writable store. Expensive results (overview, statistics) are cached under the store's
*fingerprint*, which changes with every write to the store file; the same fingerprint makes the
ETags of read endpoints.

Under a writer that commits all the time (the live monitor, an ingest) the fingerprint changes
every ``refresh`` seconds, and each change would make every request that needs an expensive
result wait for its recomputation. Instead, while one request recomputes a value, concurrent
requests get the previous one (*stale while revalidate*, only if it is at most
:data:`STALE_GRACE` ``× refresh`` seconds old plus twice the time it took to compute, never with
``refresh`` 0); such a response is marked (:func:`served_stale`) and goes out without an ETag,
so no client keeps an old body under a current ETag. The most expensive value (the overview) is
even recomputed in a background thread, one at a time, so that no request waits for it.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal, TypeVar

from ..annotate.actors import Actor, ActorDictionary
from ..store.database import Store
from ..watches import Watch, load_watch

T = TypeVar("T")
log = logging.getLogger(__name__)
ReadAccess = Literal["local", "open", "token"]
READ_ACCESS: tuple[ReadAccess, ...] = ("local", "open", "token")
_CACHE_SIZE = 256
_SEARCH_CACHE_SIZE = 512
STALE_GRACE = 4.0
"""A previous value is served while the current one is computed if it is at most this many
``refresh`` periods old."""
_dictionaries: dict[tuple[str, ...], ActorDictionary] = {}
_dictionary_lock = threading.Lock()
_stale_marks: ContextVar[list[str] | None] = ContextVar("parallax_stale_marks", default=None)


def track_stale() -> list[str]:
    """Start recording, for the current request (its context), the cached values it is given
    stale; the list returned fills as :meth:`WebContext.cached` serves them. Threads that run
    the request's sync code see the same list (they run in a copy of the context)."""
    marks: list[str] = []
    _stale_marks.set(marks)
    return marks


def served_stale(name: str) -> None:
    marks = _stale_marks.get()
    if marks is not None:
        marks.append(name)


class WebContext:
    """Shared state of one app: see the module docstring."""

    def __init__(
        self,
        *,
        db: str | Path,
        watch: Watch,
        token: str | None,
        read_access: ReadAccess,
        refresh: float = 0.0,
    ) -> None:
        self.db = db
        self.watch = watch
        self.token = token or None
        self.read_access: ReadAccess = read_access
        self.refresh = refresh
        """Seconds between two looks at the store files (0: on every request)."""
        self._seen: tuple[float, str] | None = None
        self.generation = 0
        """Bumped when the app itself changes what it serves (a watch reloaded after a write)."""
        self._local = threading.local()
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, str], Any] = OrderedDict()
        self._flights: dict[tuple[str, str], threading.Lock] = {}
        self._latest: OrderedDict[str, tuple[str, float, Any, float]] = OrderedDict()
        """The newest value computed per name: ``(fingerprint, time.monotonic() when done,
        value, seconds it took)``."""
        self._refreshing: set[str] = set()
        """Names being computed in the background: their previous value is served meanwhile."""
        self._refresher: ThreadPoolExecutor | None = None
        """One thread (so one connection) for ``cached(..., background=True)``."""
        self._stores: list[Store] = []
        self._searches: OrderedDict[tuple[str, int], list[Actor]] = OrderedDict()

    # -- the store -------------------------------------------------------------------------

    def store(self) -> Store:
        """This thread's read-only store."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.db, readonly=True)
            self._local.store = store
            with self._lock:
                self._stores.append(store)
        return store

    @contextmanager
    def writable(self) -> Iterator[Store]:
        """A writable store for one write request."""
        store = Store(self.db)
        try:
            yield store
        finally:
            store.close()

    def close(self) -> None:
        with self._lock:
            refresher, self._refresher = self._refresher, None
        if refresher is not None:
            refresher.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            stores, self._stores = self._stores, []
        for store in stores:
            # a connection made by another thread: sqlite3 may refuse to close it from here
            with suppress(Exception):
                store.close()

    def fingerprint(self) -> str:
        """Changes whenever the store file (or its write-ahead log) or the app's watch changes.

        The files are looked at most once every ``refresh`` seconds: under a writer that
        commits all the time (the monitor, an ingest) the aggregates are then recomputed at that
        pace rather than on every request, and pages and ETags lag the store by at most that."""
        now = time.monotonic()
        seen = self._seen
        if seen is None or now - seen[0] >= self.refresh:
            seen = (now, self.store().change_token())
            self._seen = seen
        return f"{self.generation}:{seen[1]}"

    def etag(self, key: str) -> str:
        digest = hashlib.blake2b(f"{self.fingerprint()}|{key}".encode(), digest_size=12)
        return f'"{digest.hexdigest()}"'

    def cached(self, name: str, compute: Callable[[], T], *, background: bool = False) -> T:
        """``compute()`` cached until the store changes; concurrent callers of one key wait for
        the first instead of computing it again, or get the previous value if it is recent
        (see the module docstring). With ``background``, even the first caller gets a recent
        previous value, and the new one is computed in a thread of the context: ``compute``
        must then take its store from :meth:`store`, not capture the caller's."""
        fingerprint = self.fingerprint()
        key = (name, fingerprint)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]  # type: ignore[no-any-return]
            previous = self._latest.get(name)
            usable = previous is not None and self._fresh_enough(previous)
            if usable and (key in self._flights or background):
                if key not in self._flights and name not in self._refreshing:
                    self._flights[key] = threading.Lock()
                    self._refreshing.add(name)  # one at a time: they never pile up
                    if self._refresher is None:
                        self._refresher = ThreadPoolExecutor(1, "parallax-refresh")
                    self._refresher.submit(self._refresh, name, fingerprint, compute)
                served_stale(name)
                return previous[2]  # type: ignore[index, no-any-return]
            flight = self._flights.setdefault(key, threading.Lock())
        return self._fill(name, fingerprint, compute, flight)

    def _refresh(self, name: str, fingerprint: str, compute: Callable[[], Any]) -> None:
        try:
            self._fill(name, fingerprint, compute)
        except Exception:
            log.exception("could not refresh %s", name)  # the next request tries again
        finally:
            with self._lock:
                self._refreshing.discard(name)

    def _fill(
        self,
        name: str,
        fingerprint: str,
        compute: Callable[[], T],
        flight: threading.Lock | None = None,
    ) -> T:
        key = (name, fingerprint)
        if flight is None:
            with self._lock:
                flight = self._flights.setdefault(key, threading.Lock())
        with flight:
            with self._lock:
                if key in self._cache:
                    self._flights.pop(key, None)
                    return self._cache[key]  # type: ignore[no-any-return]
            started = time.monotonic()
            try:
                value = compute()
            finally:
                with self._lock:
                    self._flights.pop(key, None)
            with self._lock:
                self._cache[key] = value
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
                if fingerprint.startswith(f"{self.generation}:"):  # not from before a reload
                    done = time.monotonic()
                    self._latest[name] = (fingerprint, done, value, done - started)
                    self._latest.move_to_end(name)
                    while len(self._latest) > _CACHE_SIZE:
                        self._latest.popitem(last=False)
        return value

    def _fresh_enough(self, previous: tuple[str, float, Any, float]) -> bool:
        """Recent enough to stand in: computed at most ``STALE_GRACE × refresh`` seconds ago,
        plus twice what computing it took (the time a background refresh may need)."""
        fingerprint, done, _value, took = previous
        return (
            self.refresh > 0
            and fingerprint.startswith(f"{self.generation}:")
            and time.monotonic() - done <= STALE_GRACE * self.refresh + 2 * took
        )

    # -- the watch and the dictionary ------------------------------------------------------

    def reload_watch(self) -> Watch:
        """Load the watch again (after its user outlet file changed)."""
        watch = load_watch(
            self.watch.path if not self.watch.path.startswith("<") else self.watch.name
        )
        with self._lock:
            self.watch = watch
            self.generation += 1
            self._cache.clear()
            self._latest.clear()
        return watch

    def dictionary(self) -> ActorDictionary:
        """The actor dictionary (shipped plus the user's files), loaded once per process."""
        from ..annotate.actors import user_files

        key = tuple(str(p) for p in user_files())
        with _dictionary_lock:
            if key not in _dictionaries:
                _dictionaries[key] = ActorDictionary.load(extra=[Path(p) for p in key])
            return _dictionaries[key]

    def search_actors(self, query: str, *, limit: int) -> list[Actor]:
        """:meth:`ActorDictionary.search`, remembered (it scans every entry; the dictionary
        does not change while the server runs)."""
        key = (query, limit)
        with self._lock:
            if key in self._searches:
                self._searches.move_to_end(key)
                return self._searches[key]
        found = self.dictionary().search(query, limit=limit)
        with self._lock:
            self._searches[key] = found
            while len(self._searches) > _SEARCH_CACHE_SIZE:
                self._searches.popitem(last=False)
        return found

    # -- access ----------------------------------------------------------------------------

    def read_allowed_without_token(self, client_host: str | None) -> bool:
        if self.read_access == "open":
            return True
        if self.read_access == "token":
            return False
        return is_loopback(client_host)


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return host == "localhost"
