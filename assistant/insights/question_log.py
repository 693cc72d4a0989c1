"""The opt-in question log: what editors need to find gaps, and nothing that says who asked.

Kept per question: the question after redaction (e-mail, phone, BSN, IBAN, addresses and names),
the cited sections, the confidence, whether Routewijzer abstained, the channel (chat, widget site
or API; the CLI logs nothing), the index version and the day. Not kept: IP address, cookies,
session, time of day, the answer text. Rows older than ASSISTANT_QUESTION_LOG_DAYS are deleted
at start-up and once a day after that.
"""

from __future__ import annotations

import logging
import threading
from datetime import date, timedelta

from assistant.answers.types import Answer
from assistant.content.kb import KnowledgeBase
from assistant.insights.pg_store import question_store
from assistant.insights.redact import redact, vocabulary
from assistant.insights.store import CHANNELS, LoggedQuestion, QuestionStore
from assistant.settings import Settings

log = logging.getLogger("routewijzer.insights")


def kb_vocabulary(kb: KnowledgeBase) -> frozenset[str]:
    """Every word the knowledge base uses (articles, phrasings, glossary): capitalised others are names."""
    texts: list[str] = []
    for article in kb.articles:
        texts += [article.title, article.summary, *(s.heading for s in article.sections),
                  *(s.body for s in article.sections)]
        texts += [p for phrasings in article.phrasings.values() for p in phrasings]
    for term in kb.glossary:
        texts += [str(v) for v in vars(term).values() if isinstance(v, str)]
        texts += [x for v in vars(term).values() if isinstance(v, list | tuple) for x in v if isinstance(x, str)]
    return vocabulary(texts)


def section_key(url: str) -> str:
    """'/kb/slug#anchor' → 'slug#anchor' (the key used for sections everywhere in insights)."""
    return url.removeprefix("/kb/").split("?")[0]


class QuestionLog:
    """Record answered questions, redacted, and enforce the retention period."""

    def __init__(self, store: QuestionStore, days: int, known: frozenset[str] | None = None):
        self.store = store
        self.days = days
        self.known = known
        self._purged_on: date | None = None
        self._lock = threading.Lock()
        self.purge()

    @classmethod
    def from_settings(cls, settings: Settings) -> QuestionLog | None:
        """The log the settings ask for, or None when it is switched off (the default)."""
        if not settings.question_log:
            return None
        return cls(question_store(settings), settings.question_log_days)

    def purge(self, today: date | None = None) -> int:
        """Delete entries older than the retention period; return how many went."""
        today = today or date.today()
        with self._lock:
            self._purged_on = today
        cutoff = (today - timedelta(days=self.days - 1)).isoformat()
        removed = self.store.purge(cutoff)
        if removed:
            log.info("question log: %d entries older than %d days deleted", removed, self.days)
        return removed

    def entry(self, answer: Answer, channel: str, index_version: str | None = None,
              site: str | None = None, today: date | None = None) -> LoggedQuestion:
        """The redacted log entry for one answer (pure; nothing is stored)."""
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}")
        return LoggedQuestion(
            day=(today or date.today()).isoformat(),
            question=redact(answer.question, self.known),
            sections=tuple(dict.fromkeys(section_key(c.url) for c in answer.citations)),
            confidence=float(answer.confidence),
            abstained=bool(answer.abstained),
            channel=channel,
            index_version=index_version,
            site=site if channel == "widget" else None,
        )

    def record(self, answer: Answer, channel: str, index_version: str | None = None,
               site: str | None = None, today: date | None = None) -> int:
        """Store one answered question; purge first when the day has changed."""
        today = today or date.today()
        if self._purged_on != today:
            self.purge(today)
        return self.store.add(self.entry(answer, channel, index_version, site, today))

    def record_quietly(self, answer: Answer, channel: str, index_version: str | None = None,
                       site: str | None = None) -> None:
        """`record` after the response is sent: a failure is logged (without the question), never raised."""
        try:
            self.record(answer, channel, index_version, site)
        except Exception as exc:  # noqa: BLE001 - the reader already has the answer
            log.warning("question log: entry not stored (%s)", type(exc).__name__)
