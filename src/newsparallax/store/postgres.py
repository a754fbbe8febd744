"""The PostgreSQL backend: a connection that speaks the store's SQL to a PostgreSQL server.

The library writes its queries once, in the SQL that SQLite (the embedded default) and
PostgreSQL share, with SQLite's ``?`` placeholders. :class:`PgConnection` gives the part of the
:mod:`sqlite3` connection interface the library uses (``execute``, ``executemany``,
``executescript``, ``in_transaction``, rows readable by name and position) over a
:mod:`psycopg` connection, and :func:`translate` rewrites the few SQLite spellings the library
uses into PostgreSQL's:

- ``?`` and ``?N`` placeholders; ``INSERT OR IGNORE`` / ``INSERT OR REPLACE`` (as
  ``ON CONFLICT``); ``BEGIN IMMEDIATE``; ``WHERE 1``; ``CAST(x AS REAL)``; the ``+column``
  index hint; ``x IN ()``; SQLite's order of NULLs in ``ORDER BY`` (first going up, last
  going down);
- the SQLite functions the queries call (``json_each``, ``json_array_length``,
  ``json_group_array``, ``strftime``, two-argument ``round``...) are defined in the database by
  :data:`COMPAT_SQL`, so the query text stays the same;
- migrations are the same ``migrations/NNNN_*.sql`` files, their DDL rewritten by
  :func:`translate_ddl` (identity columns for ``INTEGER PRIMARY KEY``, ``BYTEA``, double
  precision, a ``tsvector`` table for the full-text index).

Errors surface as the :mod:`sqlite3` exception classes (``IntegrityError``,
``OperationalError``) so the callers' handling is the same for both backends.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

from ..errors import StoreError

try:  # the `postgres` extra
    import psycopg
    from psycopg import ClientCursor
    from psycopg.adapt import Loader
    from psycopg.pq import TransactionStatus
    from psycopg.types.numeric import IntDumper
except ImportError:  # pragma: no cover - exercised only without the extra
    psycopg = None  # type: ignore[assignment]

URL_PREFIXES = ("postgresql://", "postgres://")

# Tables whose SQLite rowid (implicit there) queries use: they get an explicit identity column.
ROWID_TABLES = frozenset({"events", "frontier"})


def is_url(ref: object) -> bool:
    return isinstance(ref, str) and ref.startswith(URL_PREFIXES)


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


# -- SQL translation ---------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""'(?:[^']|'')*'"""  # string literal
    r'''|"(?:[^"]|"")*"'''  # quoted identifier
    r"|--[^\n]*"  # comment
    r"|\?(\d*)"  # placeholder
    r"|%"  # percent sign: doubled for psycopg
)
_INSERT_OR = re.compile(r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+", re.IGNORECASE)
_INSERT_TABLE = re.compile(r"^\s*INSERT\s+INTO\s+([\w\"]+)\s*\(([^)]*)\)", re.IGNORECASE)
_BEGIN = re.compile(r"^\s*BEGIN\s+(IMMEDIATE|DEFERRED|EXCLUSIVE)\s*;?\s*$", re.IGNORECASE)
_WHERE_1 = re.compile(r"\bWHERE\s+1(?=\s*(?:$|\)|ORDER\b|GROUP\b|LIMIT\b|AND\b|OR\b))", re.I)
_UNARY_PLUS = re.compile(r"\b(WHERE|AND|OR|ON)\s+\+(?=[A-Za-z_\"])", re.IGNORECASE)
_EMPTY_IN = re.compile(r"([\w.]+)\s+(NOT\s+)?IN\s*\(\s*\)", re.IGNORECASE)
_AS_REAL = re.compile(r"\bAS\s+REAL\b", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)


class Translated:
    """One statement in PostgreSQL's spelling, and how to pass its parameters."""

    __slots__ = ("conflict", "insert_table", "numbered", "sql")

    def __init__(self, sql: str, numbered: bool, insert_table: str | None, conflict: str) -> None:
        self.sql = sql
        self.numbered = numbered  # ?N placeholders: parameters go by name
        self.insert_table = insert_table  # an INSERT: its table (for lastrowid)
        self.conflict = conflict  # '', 'ignore' or 'replace'


@lru_cache(maxsize=4096)
def translate(sql: str) -> Translated:
    """Rewrite one statement of the store's SQL for PostgreSQL (see the module docstring)."""
    conflict = ""
    m = _INSERT_OR.match(sql)
    if m:
        conflict = m.group(1).lower()
        sql = "INSERT INTO " + sql[m.end() :]
    if _BEGIN.match(sql):
        sql = "BEGIN"
    numbered = False

    def token(match: re.Match[str]) -> str:
        nonlocal numbered
        text = match.group(0)
        if text == "%":
            return "%%"
        if text.startswith("?"):
            if match.group(1):
                numbered = True
                return f"%(p{match.group(1)})s"
            return "%s"
        return text.replace("%", "%%")  # psycopg reads % in literals too

    sql = _TOKEN.sub(token, sql)
    sql = _null_order(sql)
    sql = _WHERE_1.sub("WHERE TRUE", sql)
    sql = _EMPTY_IN.sub(r"\1 \2IN (SELECT \1 WHERE FALSE)", sql)  # SQLite allows "IN ()"
    sql = _UNARY_PLUS.sub(r"\1 ", sql)  # SQLite's "+col": an index hint, meaningless here
    sql = _AS_REAL.sub("AS DOUBLE PRECISION", sql)
    table = None
    t = _INSERT_TABLE.match(sql)
    if t:
        table = t.group(1).strip('"')
    return Translated(sql, numbered, table, conflict)


_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
_ORDER_END = re.compile(r"\b(LIMIT|OFFSET|UNION|EXCEPT|INTERSECT)\b", re.IGNORECASE)


def _null_order(sql: str) -> str:
    """SQLite sorts NULL first going up and last going down; PostgreSQL the other way round.
    Each ORDER BY term gets SQLite's order spelled out (``NULLS FIRST`` / ``NULLS LAST``)."""
    out: list[str] = []
    pos = 0
    for m in _ORDER_BY.finditer(sql):
        if m.start() < pos:
            continue
        out.append(sql[pos : m.end()])
        i, depth, start, terms = m.end(), 0, m.end(), []
        while i < len(sql):
            ch = sql[i]
            if ch in "'\"":
                close = sql.find(ch, i + 1)
                i = len(sql) if close < 0 else close + 1
                continue
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            elif ch == ";" and depth == 0:
                break
            elif ch == "," and depth == 0:
                terms.append(sql[start:i])
                start = i + 1
            elif depth == 0 and _ORDER_END.match(sql, i) and not sql[i - 1].isalnum():
                break
            i += 1
        terms.append(sql[start:i])
        out.append(",".join(_null_term(t) for t in terms))
        pos = i
    out.append(sql[pos:])
    return "".join(out)


def _null_term(term: str) -> str:
    stripped = term.rstrip()
    tail = term[len(stripped) :]
    upper = stripped.upper()
    if not stripped or "NULLS" in upper.split():
        return term
    if upper.endswith(" DESC"):
        return f"{stripped} NULLS LAST{tail}"
    return f"{stripped} NULLS FIRST{tail}"


# -- DDL translation (migrations) -------------------------------------------------------------

_CREATE_TABLE = re.compile(r"CREATE\s+TABLE\s+(\w+)\s*\(", re.IGNORECASE)
_FTS = re.compile(r"CREATE\s+VIRTUAL\s+TABLE\s+(\w+)\s+USING\s+fts5\s*\((.*?)\);", re.I | re.S)


def translate_ddl(script: str) -> str:
    """A migration script in PostgreSQL's DDL."""
    script = re.sub(r"--[^\n]*", "", script)
    script = _FTS.sub(_fts_table, script)
    script = re.sub(r"\)\s*WITHOUT\s+ROWID\s*;", ");", script, flags=re.I)
    script = re.sub(
        r"\b(\w+)\s+INTEGER\s+PRIMARY\s+KEY\b(?!\s*\()",
        r"\1 BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        script,
        flags=re.I,
    )
    script = re.sub(r"\bINTEGER\b", "BIGINT", script)
    script = re.sub(r"\bREAL\b", "DOUBLE PRECISION", script)
    script = re.sub(r"\bBLOB\b", "BYTEA", script)

    def rowid(match: re.Match[str]) -> str:
        if match.group(1) in ROWID_TABLES:
            return f"{match.group(0)}\n    rowid BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE,"
        return match.group(0)

    return _CREATE_TABLE.sub(rowid, script)


def _fts_table(match: re.Match[str]) -> str:
    """The FTS5 index as a table with a weighted ``tsvector`` (title 'A', body 'B')."""
    name = match.group(1)
    columns = [c.strip() for c in match.group(2).split(",") if "=" not in c and c.strip()]
    if columns != ["title", "body"]:  # pragma: no cover - a guard for future migrations
        raise StoreError(f"no PostgreSQL form for full-text table {name} {columns}")
    return (
        f"CREATE TABLE {name} (\n"
        "    rowid BIGINT PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE,\n"
        "    title TEXT NOT NULL DEFAULT '',\n"
        "    body TEXT NOT NULL DEFAULT '',\n"
        "    doc tsvector GENERATED ALWAYS AS (\n"
        "        setweight(to_tsvector('english', title), 'A') ||\n"
        "        setweight(to_tsvector('english', body), 'B')) STORED\n"
        ");\n"
        f"CREATE INDEX {name}_doc ON {name} USING gin(doc);"
    )


# The SQLite functions the library's queries call, defined for PostgreSQL (idempotent).
COMPAT_SQL = r"""
CREATE TABLE IF NOT EXISTS parallax_schema (version BIGINT NOT NULL);
INSERT INTO parallax_schema SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM parallax_schema);

CREATE OR REPLACE VIEW sqlite_master AS
    SELECT CASE c.relkind WHEN 'i' THEN 'index' WHEN 'v' THEN 'view' ELSE 'table' END::text
               AS type,
           c.relname::text AS name, c.relname::text AS tbl_name, NULL::text AS sql
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i', 'v');

CREATE OR REPLACE FUNCTION json_each(doc text) RETURNS TABLE(key text, value text)
LANGUAGE sql IMMUTABLE AS $$
    SELECT (n - 1)::text, v FROM json_array_elements_text(
        CASE WHEN json_typeof(doc::json) = 'array' THEN doc::json ELSE '[]'::json END
    ) WITH ORDINALITY AS t(v, n)
    UNION ALL
    SELECT k, v FROM json_each_text(
        CASE WHEN json_typeof(doc::json) = 'object' THEN doc::json ELSE '{}'::json END
    ) AS o(k, v)
$$;

CREATE OR REPLACE FUNCTION json_array_length(doc text) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$ SELECT json_array_length(doc::json)::bigint $$;

CREATE OR REPLACE FUNCTION parallax_json_agg_final(items text[]) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT coalesce(array_to_json(items)::text, '[]') $$;

CREATE OR REPLACE AGGREGATE json_group_array(text) (
    SFUNC = array_append, STYPE = text[], FINALFUNC = parallax_json_agg_final, INITCOND = '{}'
);

-- SQLite's scalar min(a, b) and max(a, b) (PostgreSQL: LEAST and GREATEST)
CREATE OR REPLACE FUNCTION min(a anycompatible, b anycompatible) RETURNS anycompatible
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE LEAST(a, b) END
$$;
CREATE OR REPLACE FUNCTION max(a anycompatible, b anycompatible) RETURNS anycompatible
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE GREATEST(a, b) END
$$;

-- SQLite's comparisons are integers: sum(x = y) counts
CREATE OR REPLACE FUNCTION parallax_bool_sum(state bigint, value boolean) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN value IS NULL THEN state ELSE coalesce(state, 0) + value::int END
$$;
CREATE OR REPLACE AGGREGATE sum(boolean) (SFUNC = parallax_bool_sum, STYPE = bigint);

CREATE OR REPLACE FUNCTION round(x double precision, digits integer) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$ SELECT round(x::numeric, digits)::double precision $$;

CREATE OR REPLACE FUNCTION parallax_ts(value text, modifier text) RETURNS timestamp
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN modifier = 'unixepoch' THEN to_timestamp(value::double precision)
                     AT TIME ZONE 'UTC'
                ELSE (value::timestamptz) AT TIME ZONE 'UTC' END
$$;

CREATE OR REPLACE FUNCTION strftime(fmt text, value anyelement, modifier text DEFAULT '')
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(parallax_ts(value::text, modifier), replace(replace(replace(replace(replace(
        replace(fmt, '%Y', 'YYYY'), '%m', 'MM'), '%d', 'DD'), '%H', 'HH24'), '%M', 'MI'),
        '%S', 'SS'))
$$;

CREATE OR REPLACE FUNCTION date(value anyelement, modifier text DEFAULT '') RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT to_char(parallax_ts(value::text, modifier), 'YYYY-MM-DD') $$;
"""


# -- the connection ---------------------------------------------------------------------------


if psycopg is not None:

    class _BoolAsInt(IntDumper):
        """SQLite has no booleans: store True/False as 1/0 like sqlite3 does."""

        def dump(self, obj: Any) -> bytes:
            return b"1" if obj else b"0"

    class _NumericLoader(Loader):
        """``sum()`` of integers is ``numeric`` in PostgreSQL: read it back as int or float."""

        def load(self, data: Any) -> Any:
            text = bytes(data).decode()
            if text in ("NaN", "Infinity", "-Infinity"):
                return float(text)
            return int(text) if "." not in text and "e" not in text.lower() else float(text)


class Row(tuple[Any, ...]):
    """A result row readable by position and by column name, like :class:`sqlite3.Row`."""

    _names: tuple[str, ...] = ()

    def __new__(cls, values: Sequence[Any], names: tuple[str, ...]) -> Row:
        row = super().__new__(cls, values)
        row._names = names
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._names.index(key))
            except ValueError:
                raise IndexError(f"no such column: {key}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


class PgCursor:
    """The result of one statement: rows, ``rowcount`` and ``lastrowid`` as sqlite3 gives them."""

    def __init__(self, cursor: Any, lastrowid: int | None = None) -> None:
        self._cursor = cursor
        self.rowcount: int = cursor.rowcount
        self.lastrowid = lastrowid
        names = tuple(d.name for d in cursor.description) if cursor.description else ()
        self.description = tuple((n, None, None, None, None, None, None) for n in names)
        self._names = names

    def _row(self, values: Sequence[Any] | None) -> Row | None:
        return Row(values, self._names) if values is not None else None

    def fetchone(self) -> Row | None:
        if not self._names:
            return None
        return self._row(self._cursor.fetchone())

    def fetchall(self) -> list[Row]:
        if not self._names:
            return []
        return [Row(v, self._names) for v in self._cursor.fetchall()]

    def fetchmany(self, size: int = 1) -> list[Row]:
        if not self._names:
            return []
        return [Row(v, self._names) for v in self._cursor.fetchmany(size)]

    def __iter__(self) -> Iterator[Row]:
        if not self._names:
            return iter(())
        return (Row(v, self._names) for v in self._cursor)

    def close(self) -> None:
        self._cursor.close()


def _params(tr: Translated, params: Sequence[Any] | dict[str, Any]) -> Any:
    if isinstance(params, dict):
        return params
    values = list(params)
    if tr.numbered:
        return {f"p{i}": v for i, v in enumerate(values, start=1)}
    return values


class PgConnection:
    """A psycopg connection behind the subset of the sqlite3 interface the library uses."""

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        if psycopg is None:
            raise StoreError(
                "a postgresql:// store needs psycopg: pip install 'newsparallax[postgres]'"
            )
        try:
            conn = psycopg.connect(url, autocommit=True, cursor_factory=ClientCursor)
        except psycopg.Error as err:
            raise StoreError(f"cannot connect to {redact(url)}: {err}") from err
        conn.adapters.register_dumper(bool, _BoolAsInt)
        conn.adapters.register_loader("numeric", _NumericLoader)
        self.raw = conn
        self.url = url
        self._keys: dict[str, tuple[list[str], str | None]] = {}
        if readonly:
            conn.execute("SET default_transaction_read_only = on")

    # sqlite3.Connection-like API ----------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        return bool(self.raw.info.transaction_status != TransactionStatus.IDLE)

    def close(self) -> None:
        self.raw.close()

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> PgCursor:
        tr = translate(sql)
        text = tr.sql
        returning = None
        if tr.insert_table is not None:
            text, returning = self._insert_sql(tr)
        cur = self._run(text, _params(tr, params))
        if returning is None or not cur.description:
            return PgCursor(cur)
        row = cur.fetchone()
        result = PgCursor(cur, int(row[0]) if row and row[0] is not None else None)
        result.rowcount = 1 if row else 0
        return result

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> PgCursor:
        tr = translate(sql)
        text = tr.sql
        if tr.insert_table is not None:
            text = self._insert_sql(tr, returning=False)[0]
        rows = [_params(tr, p) for p in seq]
        cur = self.raw.cursor()
        try:
            if rows:
                cur.executemany(text, rows)
        except psycopg.Error as err:
            raise _sqlite_error(err) from err
        return PgCursor(cur)

    def executescript(self, script: str) -> None:
        try:
            self.raw.execute(script.encode())  # no parameters: sent as one simple query
        except psycopg.Error as err:
            raise _sqlite_error(err) from err

    # helpers -------------------------------------------------------------------------------

    def _run(self, text: str, params: Any) -> Any:
        cur = self.raw.cursor()
        try:
            cur.execute(text, params)
        except psycopg.Error as err:
            raise _sqlite_error(err) from err
        return cur

    def _insert_sql(self, tr: Translated, *, returning: bool = True) -> tuple[str, str | None]:
        """An INSERT with its ON CONFLICT clause and a RETURNING of the table's row id."""
        assert tr.insert_table is not None
        keys, identity = self._table_keys(tr.insert_table)
        text = tr.sql
        if _RETURNING.search(text):
            return text, None
        if tr.conflict == "ignore":
            text += " ON CONFLICT DO NOTHING"
        elif tr.conflict == "replace":
            m = _INSERT_TABLE.match(text)
            assert m is not None
            columns = [c.strip().strip('"') for c in m.group(2).split(",")]
            updates = [c for c in columns if c not in keys]
            target = ", ".join(f'"{k}"' for k in keys)
            if updates and keys:
                sets = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in updates)
                text += f" ON CONFLICT ({target}) DO UPDATE SET {sets}"
            else:
                text += " ON CONFLICT DO NOTHING"
        if identity is None or not returning:
            return text, None
        text += f' RETURNING "{identity}"'
        return text, identity

    def _table_keys(self, table: str) -> tuple[list[str], str | None]:
        """The primary-key columns of ``table`` and its identity column (the rowid), if any."""
        if table not in self._keys:
            rows = self.raw.execute(
                "SELECT a.attname, a.attidentity, (a.attnum = ANY(i.indkey)) AS pk"
                " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary"
                " WHERE c.relname = %s AND c.relkind = 'r' AND a.attnum > 0"
                " AND NOT a.attisdropped AND n.nspname = ANY(current_schemas(false))"
                " ORDER BY a.attnum",
                (table,),
            ).fetchall()
            keys = [r[0] for r in rows if r[2]]
            identity = next((r[0] for r in rows if r[1]), None)
            self._keys[table] = (keys, identity)
        return self._keys[table]

    def forget_schema(self) -> None:
        self._keys.clear()


def _sqlite_error(err: Exception) -> sqlite3.Error:
    message = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    if psycopg is not None and isinstance(err, psycopg.errors.IntegrityError):
        return sqlite3.IntegrityError(message)
    return sqlite3.OperationalError(message)
