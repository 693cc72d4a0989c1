"""Plain text of a section and its answer units: sentences, and lists kept whole with their lead-in.

Both the index (a view per unit, embedded at build) and the answers (which units to show) use these,
so a unit found by search is exactly a unit an answer can show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9À-ÝĲ\"'‘“(])")


@lru_cache(maxsize=4096)
def markdown_to_text(markdown: str) -> str:
    """Plain text of a Markdown fragment: paragraphs and list items on their own lines."""
    out: list[str] = []
    bullet = ""
    for tok in _md.parse(markdown):
        if tok.type == "list_item_open":
            bullet = "- "
        elif tok.type == "inline":
            text = "".join(
                c.content if c.type in ("text", "code_inline")
                else (" " if c.type in ("softbreak", "hardbreak") else "")
                for c in tok.children or []
            )
            out.append(bullet + " ".join(text.split()))
            bullet = ""
        elif tok.type == "fence" or tok.type == "code_block":
            out.append(tok.content.strip())
    return "\n".join(line for line in out if line.strip())


def split_sentences(text: str) -> list[str]:
    """Sentences and list items of a plain-text passage."""
    out: list[str] = []
    for line in text.split("\n"):
        out += [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]
    return out


@dataclass
class Unit:
    """What an answer takes whole: one sentence, or a list with the sentence that leads into it."""

    lead: str = ""
    items: list[str] = field(default_factory=list)
    start: int = 0  # the line of the passage the unit starts on …
    end: int = 0  # … and the one it ends on

    @property
    def size(self) -> int:
        return len(self.lead) + sum(len(i) for i in self.items)

    def text(self) -> str:
        return "\n".join([self.lead] * bool(self.lead) + [f"- {i}" for i in self.items])


_INTERNAL_LINK = re.compile(r"\[([^\]]+)\]\((?:/kb/|#)[^)]*\)")


def pointer_texts(markdown: str) -> set[str]:
    """The texts of a section's links to other sections ("Zie [Wie meldt verzuim?](#verzuim)")."""
    return {" ".join(m.group(1).split()) for m in _INTERNAL_LINK.finditer(markdown)}


# "Zie …", "… leest u in …": wording that sends the reader on. "Die afspraken legt u vast in de
# [samenwerkingsovereenkomst]." ends on a link too, but says something itself.
_SENDS = re.compile(r"^(zie|lees)\b|\b(leest u|lees (ook|meer)|staat in|staan in|vindt u in|"
                    r"meer (hierover|daarover|informatie))\b", re.IGNORECASE)


def holds_words(text: str, words: str) -> bool:
    """Whether `text` holds `words` (case and spacing aside): how a phrasing's answer words find their sentence."""
    wanted = " ".join(words.lower().split())
    return bool(wanted) and wanted in " ".join(text.lower().split())


def is_pointer(sentence: str, pointers: set[str]) -> bool:
    """A sentence that only sends the reader elsewhere: it ends on a link and says 'zie' or 'leest u in'."""
    bare = sentence.rstrip(" .")
    return bool(_SENDS.search(bare)) and any(
        p and p.rstrip(" .") in bare and (bare.startswith("Zie ") or bare.endswith(p.rstrip(" .")))
        for p in pointers)


def answer_units(passage: str, pointers: set[str] = frozenset()) -> list[Unit]:
    """The passage as units; list items join the list before them or the sentence ending in ':'."""
    units: list[Unit] = []
    for n, line in enumerate(passage.split("\n")):
        line = line.strip()
        if line.startswith("- "):  # a list item stays whole, even when it holds two sentences
            last = units[-1] if units else None
            if last and (last.items or last.lead.endswith(":")) and last.end == n - 1:
                last.items.append(line[2:])
                last.end = n
            else:
                units.append(Unit(items=[line[2:]], start=n, end=n))
        elif line:
            units += [Unit(lead=sentence, start=n, end=n) for sentence in split_sentences(line)]
    # "Geeft u de fase pas na 1 oktober door? Dan …": a question binds to what answers it.
    bound: list[Unit] = []
    for unit in units:
        last = bound[-1] if bound else None
        if last and last.lead.endswith("?") and not last.items and not is_pointer(last.lead, pointers):
            question = bound.pop()
            unit.lead = f"{question.lead} {unit.lead}" if unit.lead else question.lead
            unit.start = question.start
        bound.append(unit)
    return bound


