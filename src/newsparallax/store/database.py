"""The embedded store: one SQLite file (WAL), created on first use, with versioned migrations.

Migrations are the numbered ``migrations/NNNN_*.sql`` files shipped in the package, applied in
order in one transaction each and tracked with ``PRAGMA user_version``; a store written by a
newer Parallax is refused rather than damaged.

Writing is idempotent: :meth:`Store.add` of an article id already present stores nothing and
returns ``None``. Nothing is ever updated in place by ingest, so a failing input cannot touch
what earlier runs stored.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, cast

import numpy as np

from ..errors import InputProblem, StoreError
from ..minhash import Signature, band_keys
from ..records import Article, Outlet
from ..textnorm import normalize
from .counts import count_article
from .inserts import insert_annotations
from .postgres import COMPAT_SQL, PgConnection, is_url, redact, translate_ddl
from .rows import article_from_row, event_from_row, mention_from_row, theme_from_row

_BUSY_TIMEOUT_S = 30.0


def _migrations() -> list[tuple[int, str, str]]:
    found = []
    for entry in resources.files("newsparallax.store").joinpath("migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def store_exists(ref: str | Path) -> bool:
    """Whether ``ref`` names a store that may hold data: an existing file, or any database URL
    (opening it says whether the server is there)."""
    return is_url(ref) or Path(ref).exists()


class Store:
    """A Parallax store: one SQLite file (the default), or a PostgreSQL database by URL.

    ``ref`` is a path, or a ``postgresql://user:password@host/dbname`` URL (see :mod:`.pg`).
    """

    def __init__(self, ref: str | Path, *, readonly: bool = False) -> None:
        self.url: str | None = str(ref) if is_url(ref) else None
        self.dialect = "postgresql" if self.url else "sqlite"
        self.path = Path(ref) if self.url is None else Path(redact(str(ref)))
        self.conn: sqlite3.Connection
        if self.url is not None:
            # PgConnection gives the sqlite3 interface the library uses (see pg.py)
            self.conn = cast(sqlite3.Connection, PgConnection(self.url, readonly=readonly))
            if not readonly:
                self._migrate()
            else:
                self._check_version()
            return
        if readonly and not self.path.exists():
            raise StoreError(f"no store at {self.path} (run `parallax ingest` or `parallax demo`)")
        try:
            if readonly:
                uri = f"file:{self.path.resolve()}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, timeout=_BUSY_TIMEOUT_S)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S)
        except sqlite3.Error as err:
            raise StoreError(f"cannot open store {self.path}: {err}") from err
        self.conn.row_factory = sqlite3.Row
        self.conn.isolation_level = None  # explicit transactions only
        self.conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        else:
            self._check_version()

    def has_table(self, *names: str) -> bool:
        """Whether every table named exists (a store opened read-only may predate some)."""
        wanted = set(names)
        found = {
            str(r[0])
            for r in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN"
                f" ({','.join('?' * len(wanted))})",
                sorted(wanted),
            )
        }
        return found == wanted

    def change_token(self) -> str:
        """A string that changes whenever any process writes to the store (for caches)."""
        if self.dialect == "postgresql":
            row = self.conn.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0),"
                " (SELECT max(rowid) FROM articles) FROM pg_stat_user_tables"
            ).fetchone()
            return f"{row[0]}:{row[1]}"
        parts = []
        for path in (self.path, Path(f"{self.path}-wal")):
            try:
                st = path.stat()
                parts.append(f"{st.st_mtime_ns}:{st.st_size}")
            except OSError:
                parts.append("-")
        parts.append(str(self.conn.execute("SELECT max(rowid) FROM articles").fetchone()[0]))
        return ":".join(parts)

    @property
    def name(self) -> str:
        """The store for messages: its path, or its URL without the password."""
        return str(self.path)

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        if self.dialect == "postgresql":
            if not self._has_schema_table():
                return 0
            row = self.conn.execute("SELECT version FROM parallax_schema").fetchone()
            return int(row[0]) if row else 0
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _has_schema_table(self) -> bool:
        row = self.conn.execute("SELECT to_regclass('parallax_schema') IS NOT NULL").fetchone()
        return bool(row[0])

    def _check_version(self) -> None:
        latest = _migrations()[-1][0]
        if self.version > latest:
            raise StoreError(
                f"store {self.path} has schema version {self.version}, newer than this "
                f"Parallax knows ({latest}); upgrade Parallax"
            )

    def _migrate(self) -> None:
        self._check_version()
        if self.dialect == "postgresql":
            self._migrate_postgresql()
            return
        for number, name, sql in _migrations():
            if number <= self.version:
                continue
            try:
                self.conn.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;")
            except sqlite3.Error as err:
                self.conn.execute("ROLLBACK") if self.conn.in_transaction else None
                raise StoreError(f"migration {name} failed on {self.path}: {err}") from err

    def _migrate_postgresql(self) -> None:
        """The same migrations, their DDL translated; the version sits in ``parallax_schema``.

        Concurrent first openings are serialised by an advisory lock."""
        step = "the compatibility functions"
        try:
            self.conn.executescript(
                "BEGIN; SELECT pg_advisory_xact_lock(7243190); " + COMPAT_SQL + " COMMIT;"
            )
            for number, name, sql in _migrations():
                if number <= self.version:
                    continue
                step = f"migration {name}"
                self.conn.executescript(
                    "BEGIN; SELECT pg_advisory_xact_lock(7243190);\n"
                    f"DO $$ BEGIN IF (SELECT version FROM parallax_schema) >= {number} THEN"
                    " RAISE EXCEPTION 'parallax-already-migrated'; END IF; END $$;\n"
                    f"{translate_ddl(sql)}\nUPDATE parallax_schema SET version = {number};\nCOMMIT;"
                )
        except sqlite3.Error as err:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if "parallax-already-migrated" in str(err):  # another process got there first
                return self._migrate_postgresql()
            raise StoreError(f"{step} failed on {self.name}: {err}") from err
        finally:
            cast(PgConnection, self.conn).forget_schema()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction; nested inside another, a savepoint that undoes only its part."""
        if self.conn.in_transaction:
            self.conn.execute("SAVEPOINT nested")
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK TO nested")
                self.conn.execute("RELEASE nested")
                raise
            self.conn.execute("RELEASE nested")
            return
        self.conn.execute("BEGIN IMMEDIATE")  # BEGIN on PostgreSQL
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def commit(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")

    def begin(self) -> None:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")

    # -- outlets ---------------------------------------------------------------------------

    def sync_outlets(self, outlets: Sequence[Outlet], *, watch: str) -> None:
        """Insert or update the outlets a watch defines."""
        with self.transaction():
            for o in outlets:
                self.conn.execute(
                    "INSERT INTO outlets(id, name, domains, country, languages, camp, ownership,"
                    " state_affiliated, evidence, founded, feeds, watch)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
                    " ON CONFLICT(id) DO UPDATE SET name=excluded.name, domains=excluded.domains,"
                    " country=excluded.country, languages=excluded.languages, camp=excluded.camp,"
                    " ownership=excluded.ownership, state_affiliated=excluded.state_affiliated,"
                    " evidence=excluded.evidence, founded=excluded.founded, feeds=excluded.feeds,"
                    " watch=excluded.watch",
                    (
                        o.id,
                        o.name,
                        json.dumps(list(o.domains)),
                        o.country,
                        json.dumps(list(o.languages)),
                        o.camp,
                        o.ownership,
                        int(o.state_affiliated),
                        o.evidence,
                        o.founded,
                        json.dumps(list(o.feeds)),
                        watch,
                    ),
                )

    def ensure_outlet(self, outlet: Outlet) -> None:
        """Record an outlet seen in the data but defined by no watch (camp unknown)."""
        self.conn.execute(
            "INSERT OR IGNORE INTO outlets(id, name, domains, languages) VALUES (?,?,?,?)",
            (outlet.id, outlet.name, json.dumps(list(outlet.domains)), "[]"),
        )

    def outlets(self) -> list[Outlet]:
        rows = self.conn.execute("SELECT * FROM outlets ORDER BY camp, id").fetchall()
        return [_outlet(r) for r in rows]

    def outlet(self, outlet_id: str) -> Outlet | None:
        row = self.conn.execute("SELECT * FROM outlets WHERE id = ?", (outlet_id,)).fetchone()
        return _outlet(row) if row else None

    # -- articles --------------------------------------------------------------------------

    def has(self, article_id: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def add(
        self,
        article: Article,
        *,
        signature: Signature | None = None,
        canonical_url: str | None = None,
        run_id: int | None = None,
    ) -> int | None:
        """Store ``article`` with its annotations and index entries; ``None`` if already there."""
        with self.transaction():
            cur = self.conn.execute(
                "INSERT OR IGNORE INTO articles(id, url, canonical_url, outlet, domain, published,"
                " published_ts, date_precision, date_claimed, title, summary, text, author,"
                " site_name, language, language_confidence, quality_score, quality_flags,"
                " quality_details, content_hash, duplicate_of, duplicate_similarity, extractor,"
                " source, collection, license, stages, extra, ingested_at, run_id)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    article.id,
                    article.url,
                    canonical_url,
                    article.outlet,
                    article.domain,
                    _iso(article.published),
                    int(article.published.timestamp()) if article.published else None,
                    article.date_precision.value if article.date_precision else None,
                    article.date_claimed,
                    article.title,
                    article.summary,
                    article.text,
                    article.author,
                    article.site_name,
                    article.language,
                    article.language_confidence,
                    article.quality.score,
                    json.dumps(list(article.quality.flags)),
                    json.dumps(article.quality.details),
                    article.content_hash,
                    article.duplicate_of,
                    article.duplicate_similarity,
                    article.extractor,
                    article.source,
                    article.collection,
                    article.license,
                    json.dumps(list(article.stages)),
                    json.dumps(article.extra, ensure_ascii=False, default=str),
                    _now(),
                    run_id,
                ),
            )
            if cur.rowcount == 0:
                return None
            rowid = int(cur.lastrowid or 0)
            self.conn.execute(
                "INSERT INTO articles_fts(rowid, title, body) VALUES (?,?,?)",
                (rowid, normalize(article.title), normalize(article.summary + "\n" + article.text)),
            )
            if signature is not None:
                self.conn.execute(
                    "INSERT INTO minhash(article_rowid, signature) VALUES (?,?)",
                    (rowid, signature.astype(np.uint32).tobytes()),
                )
                self.conn.executemany(
                    "INSERT INTO lsh_bands(key, article_rowid) VALUES (?,?)",
                    [(key, rowid) for key in band_keys(signature)],
                )
            insert_annotations(self.conn, rowid, article)
            count_article(self.conn, article)
            return rowid

    def get(self, article_id: str) -> Article | None:
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return self._article(row) if row else None

    def articles(self, *, where: str = "1", params: Sequence[Any] = ()) -> Iterator[Article]:
        """Iterate stored articles in storage order (``where`` is an SQL condition)."""
        sql = f"SELECT * FROM articles WHERE {where} ORDER BY rowid"
        for row in self.conn.execute(sql, tuple(params)):
            yield self._article(row)

    def newest_articles(self, *, limit: int, language: str | None = None) -> Iterator[Article]:
        """The ``limit`` most recently published originals (not duplicates), of ``language``
        if given, in storage order."""
        condition, params = "duplicate_of IS NULL", list[Any]()
        if language:
            condition += " AND language = ?"
            params.append(language)
        params.append(limit)
        return self.articles(
            where=f"rowid IN (SELECT rowid FROM articles WHERE {condition}"
            " ORDER BY published DESC LIMIT ?)",
            params=params,
        )

    def _article(self, row: sqlite3.Row) -> Article:
        rowid = row["rowid"]
        mentions = [
            mention_from_row(m)
            for m in self.conn.execute(
                "SELECT * FROM mentions WHERE article_rowid = ? ORDER BY field = 'text', field,"
                " start",
                (rowid,),
            )
        ]
        events = [
            event_from_row(e)
            for e in self.conn.execute(
                "SELECT * FROM events WHERE article_rowid = ? ORDER BY sentence_start", (rowid,)
            )
        ]
        themes = [
            theme_from_row(t)
            for t in self.conn.execute(
                "SELECT * FROM themes WHERE article_rowid = ? ORDER BY score DESC", (rowid,)
            )
        ]
        return article_from_row(row, mentions=mentions, events=events, themes=themes)

    # -- the duplicate index (see dedupe.DuplicateIndex) ------------------------------------

    def find_exact(self, content_hash: str) -> str | None:
        row = self.conn.execute(
            "SELECT id FROM articles WHERE content_hash = ? ORDER BY rowid LIMIT 1",
            (content_hash,),
        ).fetchone()
        return str(row[0]) if row else None

    def candidates(self, keys: list[int]) -> list[tuple[str, Signature]]:
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self.conn.execute(
            "SELECT a.id, m.signature FROM minhash m JOIN articles a ON a.rowid = m.article_rowid"
            f" WHERE m.article_rowid IN (SELECT DISTINCT article_rowid FROM lsh_bands"
            f" WHERE key IN ({marks})) ORDER BY m.article_rowid",
            keys,
        ).fetchall()
        return [(str(r[0]), np.frombuffer(r[1], dtype=np.uint32)) for r in rows]

    # -- runs and input errors --------------------------------------------------------------

    def start_run(self, command: str) -> int:
        """Record a new run (its host and process), after marking the unfinished runs of this
        host whose process is gone as ``interrupted``."""
        host = socket.gethostname()
        with self.transaction():
            stale = [
                int(r[0])
                for r in self.conn.execute(
                    "SELECT id, pid FROM runs WHERE finished_at IS NULL"
                    " AND (host = ? OR host IS NULL)",
                    (host,),
                ).fetchall()
                if not _process_alive(r[1])
            ]
            for run_id in stale:
                self.conn.execute(
                    "UPDATE runs SET finished_at = ?, status = 'interrupted', summary = ?"
                    " WHERE id = ?",
                    (_now(), json.dumps({"interrupted": True}), run_id),
                )
            cur = self.conn.execute(
                "INSERT INTO runs(command, started_at, host, pid, status) VALUES (?,?,?,?,?)",
                (command, _now(), host, os.getpid(), "running"),
            )
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, summary: dict[str, Any], *, status: str = "finished") -> None:
        """Record the end of a run: ``finished``, or ``failed`` when an error stopped it."""
        with self.transaction():
            self.conn.execute(
                "UPDATE runs SET finished_at = ?, summary = ?, status = ? WHERE id = ?",
                (_now(), json.dumps(summary, ensure_ascii=False), status, run_id),
            )

    def record_problem(self, run_id: int | None, problem: InputProblem) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO input_errors(run_id, input, code, reason, created_at)"
                " VALUES (?,?,?,?,?)",
                (run_id, problem.input, problem.code, problem.reason, _now()),
            )

    def problems(self, run_id: int | None = None) -> list[InputProblem]:
        sql = "SELECT input, code, reason FROM input_errors"
        rows = (
            self.conn.execute(sql + " WHERE run_id = ? ORDER BY id", (run_id,))
            if run_id is not None
            else self.conn.execute(sql + " ORDER BY id")
        )
        return [InputProblem(input=r[0], code=r[1], reason=r[2]) for r in rows]


def _process_alive(pid: int | None) -> bool:
    """Whether process ``pid`` of this host still runs (``None``: a run of an older version,
    which recorded no process: gone)."""
    if not pid:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def _outlet(row: sqlite3.Row) -> Outlet:
    return Outlet(
        id=row["id"],
        name=row["name"],
        domains=tuple(json.loads(row["domains"])),
        country=row["country"],
        languages=tuple(json.loads(row["languages"])),
        camp=row["camp"],
        ownership=row["ownership"],
        state_affiliated=bool(row["state_affiliated"]),
        evidence=row["evidence"],
        founded=row["founded"],
        feeds=tuple(json.loads(row["feeds"])),
    )
