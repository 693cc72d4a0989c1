"""The seed documents as text, and the folded words both they and the knowledge base are compared in."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case without accents, one character for each character (offsets stay valid)."""
    lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return "".join(c if c.isascii() else unicodedata.normalize("NFKD", c)[0] for c in lower)


def words(text: str) -> list[str]:
    """The words of a text, folded."""
    return _WORD.findall(fold(text))


def word_spans(text: str) -> list[tuple[str, int]]:
    """The folded words of a text with their character offsets."""
    return [(m.group(), m.start()) for m in _WORD.finditer(fold(text))]


def sentences(text: str) -> list[tuple[int, str]]:
    """Rough sentences (up to . ! ? or a line end) with their offsets: enough to compare wording."""
    return [(m.start(), m.group()) for m in re.finditer(r"[^.!?\n]+[.!?]?", text) if m.group().strip()]


@dataclass(frozen=True)
class Seed:
    """A seed document: its file name and text."""

    name: str
    text: str

    def sentences(self) -> list[tuple[int, str]]:
        """(line number, sentence) for every sentence of the document."""
        return [(n, s) for n, line in enumerate(self.text.split("\n"), start=1) for _, s in sentences(line)]


def load_seeds(seeds_dir: Path | None) -> list[Seed]:
    """The seed documents (*.txt) in `seeds_dir`; none when the folder is not there."""
    if seeds_dir is None or not seeds_dir.is_dir():
        return []
    return [Seed(p.name, p.read_text(encoding="utf-8")) for p in sorted(seeds_dir.glob("*.txt"))]
