"""Feedback on answers: validated, redacted and stored in SQLite; acknowledged only after commit."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from assistant.insights.redact import redact
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

SCHEMA = """
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
)
"""


INSERT = (
    "INSERT INTO feedback (created_at, rating, reason, comment, question, answer, citations,"
    " abstained, index_version) VALUES (?,?,?,?,?,?,?,?,?)"
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
    """A small SQLite table of feedback; one short connection per write, safe across threads."""

    def __init__(self, path: Path, keep_days: int | None = None):
        self.path = Path(path)
        self.keep_days = keep_days  # retention, enforced on start-up and on the first write of a day
        self._purged_on: date | None = None
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def add(self, item: FeedbackIn, index_version: str | None = None) -> int:
        """Redact and store one feedback item; return its id once committed."""
        if self.keep_days and self._purged_on != datetime.now(UTC).date():
            self.purge(self.keep_days)
        row = (
            datetime.now(UTC).isoformat(timespec="seconds"),
            item.rating,
            item.reason,
            redact(item.comment.strip()) if item.comment and item.comment.strip() else None,
            redact(" ".join(item.question.split())),
            redact(item.answer) if item.answer else None,
            json.dumps([redact(c[:500]) for c in item.citations]),
            None if item.abstained is None else int(item.abstained),
            index_version,
        )
        with self._lock:
            conn = self._connect()
            try:
                with conn:  # commits, or rolls back on error
                    cur = conn.execute(INSERT, row)
                    new_id = int(cur.lastrowid or 0)
            finally:
                conn.close()
        log.info("feedback %d stored: %s %s", new_id, item.rating, item.reason or "")
        return new_id

    def purge(self, keep_days: int, today: date | None = None) -> int:
        """Delete feedback older than `keep_days` days (ASSISTANT_FEEDBACK_DAYS); return how many went."""
        today = today or datetime.now(UTC).date()
        self._purged_on = today
        cutoff = today - timedelta(days=keep_days - 1)
        with self._lock:
            conn = self._connect()
            try:
                with conn:
                    removed = conn.execute("DELETE FROM feedback WHERE substr(created_at, 1, 10) < ?",
                                           (cutoff.isoformat(),)).rowcount
            finally:
                conn.close()
        if removed:
            log.info("feedback: %d item(s) older than %d days deleted", removed, keep_days)
        return removed

    def all(self) -> list[dict]:
        """Every stored item, oldest first (for tests and export)."""
        conn = self._connect()
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute("SELECT * FROM feedback ORDER BY id")]
        finally:
            conn.close()
