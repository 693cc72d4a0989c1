"""Topics near ours that the knowledge base does not cover (kb/outside.yaml), with where to go instead.

People who ask about the derde leerweg or a doorlopende leerroute also ask about studiefinanciering,
the hbo or lesgeld. The nearest section then looks like an answer but is not one. Editors list such
topics here; a question that names one, while the best section does not, gets a plain "daarover gaat
deze kennisbank niet" and a referral instead of a confident neighbouring answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from assistant.content.glossary import Source
from assistant.content.problems import KBError, Problem, display_path, line_of, load_yaml
from assistant.content.seeds import fold

FIELDS = {"id", "name", "words", "source", "editor_notes"}
MIN_STEM = 7  # a word at least this long also matches its compounds and plurals ("inburgering" → "inburgeringsexamen")


@dataclass(frozen=True)
class OutsideTopic:
    """A nearby topic the knowledge base leaves to others."""

    id: str
    name: str  # as in "Over <name> gaat deze kennisbank niet."
    words: tuple[str, ...]
    source: str | None = None  # id in kb/sources.yaml of the page to go to instead
    line: int = 1

    @property
    def pattern(self) -> re.Pattern:
        """The topic's words in folded text: whole words, or word starts for long words."""
        parts = [re.escape(fold(w)).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]*") +
                 (r"\w*" if len(w) >= MIN_STEM else "") for w in self.words]
        return re.compile(r"(?<![\w-])(" + "|".join(parts) + r")(?![\w-])")

    def named_in(self, text: str) -> bool:
        """True when the text (a question, a section) names this topic."""
        return self.pattern.search(fold(text)) is not None


def load_outside(path: Path, sources: dict[str, Source]) -> list[OutsideTopic]:
    """Load kb/outside.yaml (a missing file means no topics); raise KBError with file:line problems."""
    if not path.exists():
        return []
    data, lines = load_yaml(path)
    name = display_path(path)
    topics_data = data.get("topics") if isinstance(data, dict) else None
    if not isinstance(topics_data, list):
        raise KBError([Problem(name, 1, "outside.yaml needs a list 'topics'")])
    problems: list[Problem] = []
    topics: list[OutsideTopic] = []
    seen: dict[str, str] = {}
    for i, entry in enumerate(topics_data):
        line = line_of(lines, "topics", i)
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            problems.append(Problem(name, line, "each topic needs an 'id'"))
            continue
        tid = entry["id"]
        for key in sorted(set(entry) - FIELDS):
            problems.append(Problem(name, line_of(lines, "topics", i, key), f"topic {tid!r}: unknown field {key!r}"))
        if not isinstance(entry.get("name"), str) or not entry["name"].strip():
            problems.append(Problem(name, line, f"topic {tid!r} needs a 'name'"))
        words = entry.get("words")
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            problems.append(Problem(name, line_of(lines, "topics", i, "words"),
                                    f"topic {tid!r}: 'words' must be a non-empty list of text"))
            continue
        for w in words:
            key = fold(w.strip())
            if key in seen:
                problems.append(Problem(name, line_of(lines, "topics", i, "words"),
                                        f"topic {tid!r}: word {w!r} is also a word of {seen[key]!r}"))
            seen[key] = tid
        source = entry.get("source")
        if source is not None and source not in sources:
            problems.append(Problem(name, line_of(lines, "topics", i, "source"),
                                    f"topic {tid!r}: source {source!r} is not in kb/sources.yaml"))
        if source is not None and source in sources and not sources[source].url:
            problems.append(Problem(name, line_of(lines, "topics", i, "source"),
                                    f"topic {tid!r}: source {source!r} has no url to refer to"))
        topics.append(OutsideTopic(tid, str(entry.get("name", "")).strip(), tuple(w.strip() for w in words),
                                   source, line))
    if problems:
        raise KBError(problems)
    return topics


def outside_topic(question: str, section_text: str, topics: list[OutsideTopic]) -> OutsideTopic | None:
    """The listed topic the question names while the best section does not: then it is not ours."""
    return next((t for t in topics if t.named_in(question) and not t.named_in(section_text)), None)
