"""Reader text: every text a reader can see, and the editor's notes and internal words it must not hold.

Reader text is an article's title, summary, Stand line, headings and section bodies, and the glossary's
definitions and names (and so every answer, which is cut from sections). Never phrasings or editor_notes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from assistant.content.kb import KnowledgeBase
from assistant.content.problems import Problem, display_path, line_of
from assistant.content.seeds import fold

# Words of editors and of the tool itself that mean nothing to a reader (matched on folded text).
# The level says what `kb check` makes of a hit; every rule here fails it.
EDITOR_WORDING: tuple[tuple[str, str, str], ...] = (
    (r"\b(todo|fixme|tbd)\b|\?\?|\[\.\.\.\]|\bxxx+\b", "a placeholder", "error"),
    (r"\bnavragen\b|\bnog (even )?(na)?check(en)?\b|\bnachecken\b|\bcheck\b", "an editor's to-do", "error"),
    (r"\bseed-?\d+|\b\d{3}_[0-9a-f]{8,}|\b(bron|seed|document|faq) 00\d\b", "a source's file id", "error"),
    (r"\b(redactie|redacteur|editor|editor_notes)\b", "editor language", "error"),
    (r"\b(outcome|node|wizard\.yaml|front ?matter)\b", "the tool's internal words", "error"),
    (r"\b(staat|staan) (niet|nergens) in de bron(nen)?\b|\bin de bron(nen)? staat\b|\blet op de woorden\b",
     "an editor's note about the source", "error"),
    (r"\bde bron(nen)? (zegt|zeggen|noemt|noemen|geeft|geven|vermeldt|vermelden|beantwoordt|beantwoorden)"
     r" (niet|geen|nergens)\b", "an editor's note about the source", "error"),
)
_COMPILED = tuple((re.compile(p), what, level) for p, what, level in EDITOR_WORDING)


def editor_wording(text: str) -> list[tuple[int, str, str]]:
    """Editor's notes and internal words in reader text: (character offset, message, level) per hit."""
    folded = fold(text)  # same length as text: offsets carry over
    hits = []
    for pattern, what, level in _COMPILED:
        for m in pattern.finditer(folded):
            hits.append((m.start(), f"{what} in reader text: {text[m.start():m.end()]!r}", level))
    return sorted(hits)


def reader_text_problems(text: str) -> list[str]:
    """The messages of `editor_wording`, for checks of other reader texts (the wizard's, answers)."""
    return [message for _, message, _ in editor_wording(text)]


@dataclass(frozen=True)
class ReaderText:
    """One piece of text a reader sees, with the file and line where it starts."""

    file: str
    line: int
    text: str
    what: str  # "title", "summary", "stand", "section <anchor>", "definition of <term>"

    def line_at(self, offset: int) -> int:
        """File line of a character offset in `text`."""
        return self.line + self.text.count("\n", 0, offset)


def reader_texts(kb: KnowledgeBase, kb_dir: Path) -> Iterator[ReaderText]:
    """Every reader-facing text of the knowledge base (never phrasings, editor_notes or ids)."""
    for art in kb.articles:
        for name in ("title", "summary", "stand"):
            value = getattr(art, name)
            if value:
                yield ReaderText(art.path, line_of(art.lines, name), value, name)
        for s in art.sections:
            yield ReaderText(art.path, s.line, s.heading, f"heading {s.anchor}")
            yield ReaderText(art.path, s.body_line or s.line, s.body, f"section {s.anchor}")
    glossary = display_path(kb_dir / "glossary.yaml")
    for term in kb.glossary:
        yield ReaderText(glossary, term.line, term.definition, f"definition of {term.term}")
        for name in term.synonyms + term.abbreviations:
            yield ReaderText(glossary, term.line, name, f"synonym of {term.term}")


def editor_wording_checks(kb: KnowledgeBase, kb_dir: Path) -> list[Problem]:
    """Editor's notes and internal words in any reader text, at their file:line."""
    problems = []
    for rt in reader_texts(kb, kb_dir):
        for offset, message, level in editor_wording(rt.text):
            problems.append(Problem(rt.file, rt.line_at(offset), f"{rt.what}: {message}", level))
    return problems
