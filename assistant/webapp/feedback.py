"""Feedback on answers: validated, redacted, stored (SQLite or PostgreSQL); acknowledged only after commit."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from assistant.insights.database import (
    Database,
    Duplicate,
    Migration,
    SqliteDatabase,
    for_postgresql,
    open_database,
)
from assistant.insights.redact import redact
from assistant.settings import Settings
from assistant.webapp.text_fields import FilledText, SafeText

log = logging.getLogger("routewijzer.feedback")

Rating = Literal["helpful", "not_helpful"]
REASONS: dict[str, str] = {
    "onjuist": "Het antwoord klopt niet",
    "onvolledig": "Het antwoord is onvolledig",
    "geen-antwoord": "Het gaat niet over mijn vraag",
    "onduidelijk": "Het antwoord is onduidelijk",
    "verouderd": "De informatie is verouderd",
    "anders": "Iets anders",
}
MAX_COMMENT = 1000
MAX_TEXT = 5000

COLUMNS = "id, created_at, rating, reason, comment, question, answer, citations, abstained, index_version"
FEEDBACK_TABLE = """
        CREATE TABLE IF NOT EXISTS feedback (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            created_at TEXT NOT NULL,
            rating TEXT NOT NULL CHECK (rating IN ('helpful', 'not_helpful')),
            reason TEXT,
            comment TEXT,
            question TEXT NOT NULL,
            answer TEXT,
            citations TEXT NOT NULL DEFAULT '[]',
            abstained INTEGER,
            index_version TEXT
        )"""
IDEMPOTENCY_KEY = ("ALTER TABLE feedback ADD COLUMN idempotency_key TEXT",  # the same in both dialects
                   "CREATE UNIQUE INDEX feedback_idempotency ON feedback (idempotency_key)")
MIGRATIONS = (
    Migration(1, "feedback table", sqlite=(FEEDBACK_TABLE,), postgresql=(for_postgresql(FEEDBACK_TABLE),)),
    Migration(2, "idempotency key", sqlite=IDEMPOTENCY_KEY, postgresql=IDEMPOTENCY_KEY),
    Migration(3, "index for retention", sqlite=(
        "CREATE INDEX feedback_created ON feedback (created_at)",
    ), postgresql=(
        "CREATE INDEX feedback_created ON feedback (created_at)",
    )),
)
INSERT = (
    "INSERT INTO feedback (created_at, rating, reason, comment, question, answer, citations,"
    " abstained, index_version, idempotency_key) VALUES (?,?,?,?,?,?,?,?,?,?)"
)


class FeedbackIn(BaseModel):
    """A rating of one answer, as posted by the chat page or an API client."""

    model_config = ConfigDict(extra="ignore")

    question: FilledText = Field(
        ..., min_length=1, max_length=MAX_TEXT, description="The question asked."
    )
    rating: Rating = Field(..., description="'helpful' or 'not_helpful'.")
    reason: Literal[tuple(REASONS)] | None = Field(  # type: ignore[valid-type]
        None, description="Optional reason: " + ", ".join(REASONS) + "."
    )
    comment: SafeText | None = Field(
        None, max_length=MAX_COMMENT, description="Optional free text."
    )
    answer: SafeText | None = Field(
        None, max_length=MAX_TEXT, description="The answer text shown."
    )
    citations: list[SafeText] = Field(
        default_factory=list, max_length=20, description="URLs of the cited sections."
    )
    abstained: StrictBool | None = Field(None, description="Whether Routewijzer abstained.")


class FeedbackStore:
    """The feedback table, in SQLite (a path) or any `Database` (PostgreSQL); safe across threads."""

    def __init__(self, where: Path | Database, keep_days: int | None = None):
        self.db: Database = where if hasattr(where, "dialect") else SqliteDatabase(Path(where))  # type: ignore[assignment]
        self.keep_days = keep_days  # retention, enforced on start-up and on the first write of a day
        self._purged_on: date | None = None
        self.known: frozenset[str] | None = None  # kb words: capitalised others count as names (app.py)
        self.db.migrate("feedback", MIGRATIONS)

    @classmethod
    def from_settings(cls, settings: Settings, keep_days: int | None = None) -> FeedbackStore:
        """PostgreSQL when ASSISTANT_DATABASE_URL is set, else the SQLite file ASSISTANT_FEEDBACK_DB."""
        return cls(open_database(settings.database_url, settings.feedback_db), keep_days)

    def add(self, item: FeedbackIn, index_version: str | None = None) -> int:
        """Redact and store one feedback item; return its id once committed."""
        return self.add_once(item, index_version)[0]

    def add_once(self, item: FeedbackIn, index_version: str | None = None,
                 key: str | None = None) -> tuple[int, bool]:
        """Store an item unless one with the same idempotency key is stored: (id, newly stored)."""
        if self.keep_days and self._purged_on != datetime.now(UTC).date():
            self.purge(self.keep_days)
        digest = hashlib.sha256(key.encode()).hexdigest() if key else None  # the client's key is not kept
        if digest and (known := self._by_key(digest)) is not None:
            return known, False
        row = (
            datetime.now(UTC).isoformat(timespec="seconds"),
            item.rating,
            item.reason,
            redact(item.comment.strip(), self.known) if item.comment and item.comment.strip() else None,
            redact(" ".join(item.question.split()), self.known),
            redact(item.answer) if item.answer else None,
            json.dumps([redact(c[:500]) for c in item.citations]),
            None if item.abstained is None else int(item.abstained),
            index_version,
            digest,
        )
        try:
            new_id = self.db.insert(INSERT, row)
        except Duplicate:  # the same key from another process, just now
            known = self._by_key(digest) if digest else None
            if known is None:
                raise
            return known, False
        log.info("feedback %d stored: %s %s", new_id, item.rating, item.reason or "")
        return new_id, True

    def _by_key(self, digest: str) -> int | None:
        found = self.db.rows("SELECT id FROM feedback WHERE idempotency_key = ?", (digest,))
        return int(found[0]["id"]) if found else None

    def purge(self, keep_days: int, today: date | None = None) -> int:
        """Delete feedback older than `keep_days` days (ASSISTANT_FEEDBACK_DAYS); return how many went."""
        today = today or datetime.now(UTC).date()
        self._purged_on = today
        cutoff = today - timedelta(days=keep_days - 1)
        removed = self.db.run("DELETE FROM feedback WHERE substr(created_at, 1, 10) < ?", (cutoff.isoformat(),))
        if removed:
            log.info("feedback: %d item(s) older than %d days deleted", removed, keep_days)
        return removed

    def all(self) -> list[dict]:
        """Every stored item, oldest first (for tests and export)."""
        return self.db.rows(f"SELECT {COLUMNS} FROM feedback ORDER BY id")  # noqa: S608 - constant
