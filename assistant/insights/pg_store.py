"""The question log in PostgreSQL (ASSISTANT_DATABASE_URL), for several app processes behind a proxy.

Same interface and rows as `SqliteQuestionStore` (store.py); the schema comes from ordered
migrations (database.py), so a later column is one more `Migration`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import numpy as np

from assistant.insights.database import Database, Migration, for_postgresql, open_database
from assistant.insights.store import SCHEMA, LoggedQuestion, QuestionStore, SqliteQuestionStore
from assistant.settings import Settings

# The SQLite schema of store.py in PostgreSQL's types: one definition of the rows for both.
MIGRATIONS = (Migration(1, "question log", sqlite=(), postgresql=tuple(for_postgresql(s) for s in SCHEMA)),)


class PostgresQuestionStore:
    """The question log and its cached query vectors in a PostgreSQL `Database`."""

    def __init__(self, db: Database):
        if db.dialect != "postgresql":
            raise ValueError("PostgresQuestionStore needs a PostgreSQL database")
        self.db = db
        db.migrate("questions", MIGRATIONS)

    def add(self, entry: LoggedQuestion) -> int:
        """Store one entry; return its id once committed."""
        return self.db.insert(
            "INSERT INTO questions (day, question, sections, confidence, abstained, channel, site, index_version)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (entry.day, entry.question, json.dumps(list(entry.sections)), round(entry.confidence, 4),
             int(entry.abstained), entry.channel, entry.site, entry.index_version))

    def since(self, day: str | None) -> list[LoggedQuestion]:
        """Entries from `day` (YYYY-MM-DD) on, or all; oldest first."""
        rows = self.db.rows(
            "SELECT id, day, question, sections, confidence, abstained, channel, site, index_version"
            " FROM questions WHERE day >= ? ORDER BY day, id", (day or "",))
        return [LoggedQuestion(id=r["id"], day=r["day"], question=r["question"],
                               sections=tuple(json.loads(r["sections"])), confidence=r["confidence"],
                               abstained=bool(r["abstained"]), channel=r["channel"], site=r["site"],
                               index_version=r["index_version"]) for r in rows]

    def purge(self, before_day: str) -> int:
        """Delete entries (and cached vectors) older than `before_day`; return how many entries went."""
        removed = self.db.run("DELETE FROM questions WHERE day < ?", (before_day,))
        self.db.run("DELETE FROM vectors WHERE day < ?", (before_day,))
        return removed

    def vectors(self, model: str, texts: Iterable[str]) -> dict[str, np.ndarray]:
        """Cached vectors of these texts for this model (missing texts are left out)."""
        wanted = list(dict.fromkeys(texts))
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for row in self.db.rows("SELECT text, vector FROM vectors WHERE model = ? AND text = ANY(?)",
                                    (model, chunk)):
                found[row["text"]] = np.frombuffer(bytes(row["vector"]), dtype=np.float32)
        return found

    def save_vectors(self, model: str, day: str, vectors: dict[str, np.ndarray]) -> None:
        """Cache vectors; `day` is the newest day the text was seen (retention applies to it)."""
        rows = [(model, text, day, np.asarray(v, dtype=np.float32).tobytes()) for text, v in vectors.items()]
        self.db.run_many(
            "INSERT INTO vectors (model, text, day, vector) VALUES (?,?,?,?)"
            " ON CONFLICT (model, text) DO UPDATE SET day = EXCLUDED.day, vector = EXCLUDED.vector", rows)


def question_store(settings: Settings) -> QuestionStore:
    """PostgreSQL when ASSISTANT_DATABASE_URL is set, else the SQLite file ASSISTANT_QUESTION_LOG_DB."""
    if settings.database_url:
        return PostgresQuestionStore(open_database(settings.database_url, settings.question_log_db))
    return SqliteQuestionStore(settings.question_log_db)
