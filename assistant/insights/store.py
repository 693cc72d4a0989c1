"""Where logged questions live: a small storage interface and its SQLite implementation.

The interface (`QuestionStore`) is what the log, the gaps report and retention need, so another
backend (PostgreSQL) can be added without touching them. Rows hold no personal data: the
question is redacted before it gets here, and the time is a day, not a moment.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

CHANNELS = ("chat", "widget", "api")


@dataclass(frozen=True)
class LoggedQuestion:
    """One logged question: what editors need to see a gap, nothing about who asked."""

    day: str  # YYYY-MM-DD
    question: str  # redacted
    sections: tuple[str, ...]  # "slug#anchor" of the cited sections, best first
    confidence: float
    abstained: bool
    channel: str  # chat, widget or api
    index_version: str | None = None
    site: str | None = None  # for the widget: the allowlisted origin it was embedded on
    id: int | None = field(default=None, compare=False)


class QuestionStore(Protocol):
    """Storage for the question log and the cached query vectors of its questions."""

    def add(self, entry: LoggedQuestion) -> int: ...

    def since(self, day: str | None) -> list[LoggedQuestion]: ...

    def purge(self, before_day: str) -> int: ...

    def vectors(self, model: str, texts: Iterable[str]) -> dict[str, np.ndarray]: ...

    def save_vectors(self, model: str, day: str, vectors: dict[str, np.ndarray]) -> None: ...


SCHEMA = (
    """CREATE TABLE IF NOT EXISTS questions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        day TEXT NOT NULL,
        question TEXT NOT NULL,
        sections TEXT NOT NULL DEFAULT '[]',
        confidence REAL NOT NULL,
        abstained INTEGER NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('chat', 'widget', 'api')),
        site TEXT,
        index_version TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS questions_day ON questions (day)",
    # Query vectors of redacted questions, by text, so a report embeds each question once.
    """CREATE TABLE IF NOT EXISTS vectors (
        model TEXT NOT NULL,
        text TEXT NOT NULL,
        day TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (model, text)
    )""",
)


class SqliteQuestionStore:
    """The question log in one SQLite file; one short connection per call, safe across threads."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self._connection() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            for statement in SCHEMA:
                conn.execute(statement)

    def _connection(self) -> _Connection:
        return _Connection(self.path)

    def add(self, entry: LoggedQuestion) -> int:
        """Store one entry; return its id once committed."""
        row = (entry.day, entry.question, json.dumps(list(entry.sections)), round(entry.confidence, 4),
               int(entry.abstained), entry.channel, entry.site, entry.index_version)
        with self._lock, self._connection() as conn:
            cur = conn.execute(
                "INSERT INTO questions (day, question, sections, confidence, abstained, channel, site,"
                " index_version) VALUES (?,?,?,?,?,?,?,?)", row)
            return int(cur.lastrowid or 0)

    def since(self, day: str | None) -> list[LoggedQuestion]:
        """Entries from `day` (YYYY-MM-DD) on, or all; oldest first."""
        with self._connection() as conn:
            rows = conn.execute(
                "SELECT id, day, question, sections, confidence, abstained, channel, site, index_version"
                " FROM questions WHERE day >= ? ORDER BY day, id", (day or "",)).fetchall()
        return [LoggedQuestion(id=r[0], day=r[1], question=r[2], sections=tuple(json.loads(r[3])),
                               confidence=r[4], abstained=bool(r[5]), channel=r[6], site=r[7],
                               index_version=r[8]) for r in rows]

    def purge(self, before_day: str) -> int:
        """Delete entries (and cached vectors) older than `before_day`; return how many entries went."""
        with self._lock, self._connection() as conn:
            n = conn.execute("DELETE FROM questions WHERE day < ?", (before_day,)).rowcount
            conn.execute("DELETE FROM vectors WHERE day < ?", (before_day,))
        return n

    def vectors(self, model: str, texts: Iterable[str]) -> dict[str, np.ndarray]:
        """Cached vectors of these texts for this model (missing texts are left out)."""
        wanted = list(dict.fromkeys(texts))
        found: dict[str, np.ndarray] = {}
        with self._connection() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for text, blob in conn.execute(
                        f"SELECT text, vector FROM vectors WHERE model = ? AND text IN ({marks})",  # noqa: S608
                        (model, *chunk)):
                    found[text] = np.frombuffer(blob, dtype=np.float32)
        return found

    def save_vectors(self, model: str, day: str, vectors: dict[str, np.ndarray]) -> None:
        """Cache vectors; `day` is the newest day the text was seen (retention applies to it)."""
        rows = [(model, text, day, np.asarray(v, dtype=np.float32).tobytes()) for text, v in vectors.items()]
        with self._lock, self._connection() as conn:
            conn.executemany("INSERT OR REPLACE INTO vectors (model, text, day, vector) VALUES (?,?,?,?)", rows)


class _Connection:
    """A connection that commits (or rolls back) and closes at the end of a `with` block."""

    def __init__(self, path: Path):
        self.conn = sqlite3.connect(path, timeout=10)

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, exc_type: object, *rest: object) -> None:
        try:
            if exc_type is None:
                self.conn.commit()
            else:
                self.conn.rollback()
        finally:
            self.conn.close()
