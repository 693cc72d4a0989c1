"""The answer contract shared by the CLI (`ask --json`), the HTTP API and the pages."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field


class QuestionError(ValueError):
    """A question that cannot be asked (empty, too long, not text); the message is plain Dutch."""


@dataclass(frozen=True)
class Citation:
    """One cited knowledge-base section."""

    article: str  # slug
    title: str  # article title
    section: str  # section heading
    anchor: str
    url: str  # /kb/<slug>#<anchor>
    snippet: str  # short extract shown in lists
    passage: str  # full text of the cited section (Markdown stripped to plain text)
    last_reviewed: str  # ISO date of the article's last review
    stand: str = ""  # how current the article's rules are (shown as "Stand: …"); "" when not written
    valid_until: str | None = None  # ISO date up to which the article's rules applied, when it has one


@dataclass(frozen=True)
class Related:
    """A section worth reading next ("Lees ook"), offered with abstentions and answers alike."""

    article: str  # slug
    title: str  # article title
    url: str  # /kb/<slug>#<anchor>
    section: str = ""  # section heading


@dataclass(frozen=True)
class Refer:
    """Where to go for a nearby topic the knowledge base leaves to others (kb/outside.yaml)."""

    topic: str  # the topic's id
    title: str  # the page to go to instead, when the topic names one
    url: str


@dataclass(frozen=True)
class Answer:
    """What Routewijzer says to one question."""

    question: str
    answer: str
    abstained: bool
    confidence: float
    citations: list[Citation] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    # Set when the topic is known but the specific ask is not ("bedrag", "datum"): what kb/ does not say.
    not_in_kb: str | None = None
    stand: str | None = None  # the Stand line of the main cited article (citations[0]), without "Stand: "
    # "Deze informatie is mogelijk verouderd: …" when a cited article's rules ended before today.
    outdated: str | None = None
    # Set when the question is about a nearby topic kb/ does not cover: where to go instead (url may be "").
    refer: Refer | None = None

    def to_dict(self) -> dict:
        """JSON-ready dict in the documented contract shape."""
        return asdict(self)


# NUL and other C0/C1 control characters (tab, newline and carriage return are whitespace) and
# lone surrogates, which cannot be encoded as UTF-8 and break the tokenizer, a database or an export.
_INVALID_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def has_invalid_chars(text: str) -> bool:
    """True when text holds characters that no question or stored text may contain."""
    return _INVALID_CHARS.search(text) is not None


def validate_question(question: object, max_chars: int) -> str:
    """Return the cleaned question or raise QuestionError with a Dutch message."""
    if not isinstance(question, str):
        raise QuestionError("De vraag moet tekst zijn.")
    if has_invalid_chars(question):
        raise QuestionError("De vraag bevat ongeldige tekens.")
    cleaned = " ".join(question.split())
    if not cleaned:
        raise QuestionError("Typ eerst een vraag.")
    if len(cleaned) > max_chars:
        raise QuestionError(f"De vraag is te lang: gebruik hoogstens {max_chars} tekens.")
    return cleaned
