"""Articles → chunks: each section becomes one passage plus the question-style views that find it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

from assistant.content.articles import Article, Section
from assistant.content.glossary import Term

_md = MarkdownIt("commonmark")

PASSAGE = "passage"  # the section text, embedded with the passage prompt
QUESTION = "question"  # heading, phrasings and glossary entries, embedded with the query prompt


@dataclass(frozen=True)
class Chunk:
    """One indexed text that points at a section (slug#anchor)."""

    kind: str
    slug: str
    anchor: str
    text: str

    @property
    def key(self) -> str:
        """slug#anchor of the section this chunk finds."""
        return f"{self.slug}#{self.anchor}"

    def content_hash(self, model: str) -> str:
        """Changes when the text, its kind or the model changes: the unit of incremental rebuilds."""
        raw = f"{model}\x00{self.kind}\x00{self.text}".encode()
        return hashlib.sha256(raw).hexdigest()[:24]


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


def section_passage(article: Article, section: Section) -> str:
    """The text embedded for a section: article title and heading give it context."""
    return f"{article.title} — {section.heading}\n{markdown_to_text(section.body)}"


def glossary_views(glossary: list[Term]) -> dict[str, list[str]]:
    """Map slug#anchor → glossary texts that should find that section (from each term's `see`)."""
    views: dict[str, list[str]] = {}
    for term in glossary:
        if not term.see:
            continue
        key = term.see.removeprefix("/kb/")
        if "#" not in key:
            continue
        names = ", ".join(term.names)
        views.setdefault(key, []).append(f"Wat is {term.term}? ({names}) {term.definition}")
    return views


def make_chunks(articles: list[Article], glossary: list[Term]) -> list[Chunk]:
    """Every chunk of the knowledge base, in a stable order."""
    extra = glossary_views(glossary)
    chunks: list[Chunk] = []
    for article in sorted(articles, key=lambda a: a.slug):
        for section in article.sections:
            key = f"{article.slug}#{section.anchor}"
            chunks.append(Chunk(PASSAGE, article.slug, section.anchor, section_passage(article, section)))
            questions = [section.heading, *article.phrasings.get(section.anchor, ()), *extra.get(key, ())]
            seen: set[str] = set()
            for q in questions:
                if q.lower() not in seen:
                    seen.add(q.lower())
                    chunks.append(Chunk(QUESTION, article.slug, section.anchor, q))
    return chunks
