"""What every request of the web app shares: the store, the watch, the token and a small cache.

Reads use one read-only connection per worker thread (SQLite connections are not shared across
threads; in WAL mode readers never block the writer nor each other). Writes open their own
short-lived writable store. Expensive results (overview, statistics) are cached under the store's
*fingerprint*, which changes with every write to the store file, so a cached value is never
stale; the same fingerprint makes the ETags of read endpoints.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Literal, TypeVar

from ..actors import Actor, ActorDictionary
from ..store import Store
from ..watches import Watch, load_watch

T = TypeVar("T")
ReadAccess = Literal["local", "open", "token"]
READ_ACCESS: tuple[ReadAccess, ...] = ("local", "open", "token")
_CACHE_SIZE = 256
_SEARCH_CACHE_SIZE = 512
_dictionaries: dict[tuple[str, ...], ActorDictionary] = {}
_dictionary_lock = threading.Lock()


class WebContext:
    """Shared state of one app: see the module docstring."""

    def __init__(
        self,
        *,
        db: Path,
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
            conn = self.store().conn  # first: opening a connection may create the -wal file
            parts = []
            for path in (self.db, Path(f"{self.db}-wal")):
                try:
                    st = os.stat(path)
                    parts.append(f"{st.st_mtime_ns}:{st.st_size}")
                except OSError:
                    parts.append("-")
            parts.append(str(conn.execute("SELECT max(rowid) FROM articles").fetchone()[0]))
            seen = (now, ":".join(parts))
            self._seen = seen
        return f"{self.generation}:{seen[1]}"

    def etag(self, key: str) -> str:
        digest = hashlib.blake2b(f"{self.fingerprint()}|{key}".encode(), digest_size=12)
        return f'"{digest.hexdigest()}"'

    def cached(self, name: str, compute: Callable[[], T]) -> T:
        """``compute()`` cached until the store changes; concurrent callers of one key wait for
        the first instead of computing it again."""
        key = (name, self.fingerprint())
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]  # type: ignore[no-any-return]
            flight = self._flights.setdefault(key, threading.Lock())
        with flight:
            with self._lock:
                if key in self._cache:
                    return self._cache[key]  # type: ignore[no-any-return]
            try:
                value = compute()
            finally:
                with self._lock:
                    self._flights.pop(key, None)
            with self._lock:
                self._cache[key] = value
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        return value

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
        return watch

    def dictionary(self) -> ActorDictionary:
        """The actor dictionary (shipped plus the user's files), loaded once per process."""
        from ..actors import user_files

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
