"""Where stored data lives: SQLite (one file, the default) or PostgreSQL (shared by several app processes).

Both speak through `Database`: statements use `?` placeholders, `insert` returns the new row's id,
`rows` returns dicts. Each table's owner lists its `Migration`s; `migrate` applies the ones a
database has not seen, in order, each in one transaction, and records them in `schema_migrations`
(several processes starting at once: SQLite's write lock or a PostgreSQL advisory lock lets one
migrate while the others wait).
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

Dialect = Literal["sqlite", "postgresql"]


@dataclass(frozen=True)
class Migration:
    """One ordered schema step, written once per dialect."""

    version: int
    name: str
    sqlite: tuple[str, ...]
    postgresql: tuple[str, ...]


class Duplicate(Exception):
    """An insert broke a unique constraint (an idempotency key seen before)."""


class Database(Protocol):
    """What stores need from a database."""

    dialect: Dialect

    def run(self, sql: str, params: Sequence[Any] = ()) -> int: ...

    def run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    def insert(self, sql: str, params: Sequence[Any]) -> int: ...

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...

    def migrate(self, component: str, migrations: Sequence[Migration]) -> list[int]: ...

    def close(self) -> None: ...


MIGRATIONS_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_migrations (component TEXT NOT NULL, version INTEGER NOT NULL,"
    " name TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (component, version))"
)


def _check_order(migrations: Sequence[Migration]) -> None:
    versions = [m.version for m in migrations]
    if versions != sorted(set(versions)):
        raise ValueError(f"migrations must have increasing, unique versions: {versions}")


class SqliteDatabase:
    """One SQLite file; a short connection per call, writes serialised by a lock (safe across threads)."""

    dialect: Dialect = "sqlite"

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connection() as conn:
            conn.execute("PRAGMA journal_mode=WAL")

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=10)
        try:
            with conn:  # commits, or rolls back on error
                yield conn
        except sqlite3.IntegrityError as exc:
            if "UNIQUE" in str(exc):
                raise Duplicate(str(exc)) from exc
            raise
        finally:
            conn.close()

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Execute one statement; return the number of rows it changed."""
        with self._lock, self._connection() as conn:
            return conn.execute(sql, tuple(params)).rowcount

    def run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Execute one statement for each row, in one transaction."""
        with self._lock, self._connection() as conn:
            conn.executemany(sql, [tuple(r) for r in rows])

    def insert(self, sql: str, params: Sequence[Any]) -> int:
        """Insert one row; return its id once committed (Duplicate on a unique constraint)."""
        with self._lock, self._connection() as conn:
            return int(conn.execute(sql, tuple(params)).lastrowid or 0)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """The result rows as dicts."""
        with self._connection() as conn:
            conn.row_factory = sqlite3.Row
            return [dict(r) for r in conn.execute(sql, tuple(params))]

    def migrate(self, component: str, migrations: Sequence[Migration]) -> list[int]:
        """Apply the migrations not yet applied, in order; return their versions."""
        _check_order(migrations)
        applied: list[int] = []
        with self._lock, self._connection() as conn:
            conn.execute("BEGIN IMMEDIATE")  # one process migrates, the others wait for it
            conn.execute(MIGRATIONS_TABLE)
            done = {v for (v,) in conn.execute(
                "SELECT version FROM schema_migrations WHERE component = ?", (component,))}
            for m in migrations:
                if m.version in done:
                    continue
                for statement in m.sqlite:
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?, datetime('now'))",
                             (component, m.version, m.name))
                applied.append(m.version)
        return applied

    def close(self) -> None:
        """Nothing is held open between calls."""


class PostgresDatabase:
    """PostgreSQL through psycopg 3; a few pooled connections shared by the app's threads."""

    dialect: Dialect = "postgresql"

    def __init__(self, url: str, pool_size: int = 4):
        import psycopg

        self._psycopg = psycopg
        self.url = url
        self._idle: queue.LifoQueue[Any] = queue.LifoQueue(maxsize=pool_size)
        with self._connection():  # fail at start-up, not on the first question, when unreachable
            pass

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        try:
            conn = self._idle.get_nowait()
            if conn.closed or conn.broken:
                conn = self._psycopg.connect(self.url, connect_timeout=10, autocommit=True)
        except queue.Empty:
            conn = self._psycopg.connect(self.url, connect_timeout=10, autocommit=True)
        try:
            with conn.transaction():
                yield conn
        except self._psycopg.errors.UniqueViolation as exc:
            self._release(conn)
            raise Duplicate(str(exc)) from exc
        except BaseException:
            conn.close()  # a connection in an unknown state is not reused
            raise
        self._release(conn)

    def _release(self, conn: Any) -> None:
        try:
            self._idle.put_nowait(conn)
        except queue.Full:
            conn.close()

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Execute one statement; return the number of rows it changed."""
        with self._connection() as conn:
            return conn.execute(self._sql(sql), tuple(params)).rowcount

    def run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Execute one statement for each row, in one transaction."""
        with self._connection() as conn, conn.cursor() as cur:
            cur.executemany(self._sql(sql), [tuple(r) for r in rows])

    def insert(self, sql: str, params: Sequence[Any]) -> int:
        """Insert one row; return its id once committed (Duplicate on a unique constraint)."""
        with self._connection() as conn:
            row = conn.execute(self._sql(sql) + " RETURNING id", tuple(params)).fetchone()
        return int(row[0])

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """The result rows as dicts."""
        from psycopg.rows import dict_row

        with self._connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            return list(cur.execute(self._sql(sql), tuple(params)).fetchall())

    def migrate(self, component: str, migrations: Sequence[Migration]) -> list[int]:
        """Apply the migrations not yet applied, in order; return their versions."""
        _check_order(migrations)
        applied: list[int] = []
        with self._connection() as conn:
            # One process migrates; the others wait here, then find nothing left to do.
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (zlib.crc32(b"routewijzer-migrations"),))
            conn.execute(MIGRATIONS_TABLE)
            done = {v for (v,) in conn.execute(
                "SELECT version FROM schema_migrations WHERE component = %s", (component,))}
            for m in migrations:
                if m.version in done:
                    continue
                for statement in m.postgresql:
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_migrations VALUES (%s, %s, %s, now()::text)",
                             (component, m.version, m.name))
                applied.append(m.version)
        return applied

    def close(self) -> None:
        """Close the pooled connections."""
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return


def open_database(url: str | None, sqlite_path: Path) -> Database:
    """PostgreSQL when a URL is set (ASSISTANT_DATABASE_URL), else the SQLite file."""
    return PostgresDatabase(url) if url else SqliteDatabase(sqlite_path)
