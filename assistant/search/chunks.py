"""Articles → chunks: each section becomes one passage plus the question-style views that find it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from assistant.content.articles import Article, Section
from assistant.content.glossary import Term
from assistant.content.text import answer_units, markdown_to_text, pointer_texts

PASSAGE = "passage"  # the section text, embedded with the passage prompt
QUESTION = "question"  # heading, phrasings and glossary entries, embedded with the query prompt
SENTENCE = "sentence"  # one answer unit of a section (a sentence, or a list with its lead-in), passage prompt
PASSAGE_KINDS = (PASSAGE, SENTENCE)


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


@dataclass(frozen=True)
class ChunkTable:
    """Many chunks as three columns (section key, kind, text): quick to load, also by the 100,000."""

    keys: list[str]
    kinds: list[str]
    texts: list[str]

    @classmethod
    def of(cls, chunks: list[Chunk]) -> ChunkTable:
        """The columns of a list of chunks."""
        return cls([c.key for c in chunks], [c.kind for c in chunks], [c.text for c in chunks])

    def to_json(self) -> dict:
        """What chunks.json holds."""
        return {"keys": self.keys, "kinds": self.kinds, "texts": self.texts}

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, i: int) -> Chunk:
        slug, _, anchor = self.keys[i].partition("#")
        return Chunk(self.kinds[i], slug, anchor, self.texts[i])

    def __iter__(self):  # noqa: ANN204 - Iterator[Chunk]
        return (self[i] for i in range(len(self)))


def section_passage(article: Article, section: Section) -> str:
    """The text embedded for a section: article title and heading give it context."""
    return f"{article.title} — {section.heading}\n{markdown_to_text(section.body)}"


def section_units(section: Section) -> list:
    """The answer units of a section, as answers show them (see content/text.py)."""
    return answer_units(markdown_to_text(section.body), pointer_texts(section.body))


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
            for text in dict.fromkeys(u.text() for u in section_units(section)):
                chunks.append(Chunk(SENTENCE, article.slug, section.anchor, text))
            questions = [section.heading, *article.phrasings.get(section.anchor, ()), *extra.get(key, ())]
            seen: set[str] = set()
            for q in questions:
                if q.lower() not in seen:
                    seen.add(q.lower())
                    chunks.append(Chunk(QUESTION, article.slug, section.anchor, q))
    return chunks
