"""How current a rule is: the injectable clock, Dutch dates and the reader's "mogelijk verouderd" line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from assistant.content.articles import Article

# Where dates matter (valid_until, last_reviewed) code asks a clock, so tests can set the day.
Clock = Callable[[], date]

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")


def system_clock() -> date:
    """Today's date on this machine: the clock used outside tests."""
    return date.today()


def dutch_date(value: date) -> str:
    """7 december 2026: how a date is written for readers."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def outdated_text(article: Article, today: date) -> str | None:
    """The reader's warning when the article's rules ended before `today`, else None."""
    if not article.expired(today):
        return None
    assert article.valid_until is not None
    return (f"Deze informatie is mogelijk verouderd: de regels in '{article.title}' golden tot en met "
            f"{dutch_date(article.valid_until)}.")


def not_yet_text(article: Article, today: date) -> str | None:
    """The reader's note when the article's rules start after `today`, else None."""
    if article.valid_from is None or article.valid_from <= today:
        return None
    return f"Let op: deze regels gelden pas vanaf {dutch_date(article.valid_from)}."
