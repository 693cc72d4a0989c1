"""Answer composition: the relevant sentences of the best section, citations, confidence, abstain."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from assistant.answers.types import Answer, Citation, Related
from assistant.content.kb import KnowledgeBase
from assistant.search.chunks import markdown_to_text
from assistant.search.lexical import tokenize
from assistant.search.retrieval import Hit, Retrieval

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9À-ÝĲ\"'‘“(])")
ANSWER_CHARS = 420
LIST_CHARS = 1000  # a list and its lead-in may make the answer this long, never longer
SNIPPET_CHARS = 180

def confidence(hit: Hit, retrieval: Retrieval, weights: dict[str, float]) -> float:
    """Probability-like score that the top section answers the question (see calibration.py)."""
    evidence = {"question_sim": hit.question_sim, "passage_sim": hit.passage_sim,
                "coverage": hit.coverage, "known": retrieval.known}
    z = weights["bias"] + sum(weights[name] * value for name, value in evidence.items())
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def split_sentences(text: str) -> list[str]:
    """Sentences and list items of a plain-text passage."""
    out: list[str] = []
    for line in text.split("\n"):
        out += [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]
    return out


@dataclass
class _Unit:
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


def _is_pointer(sentence: str, pointers: set[str]) -> bool:
    """A sentence that only sends the reader elsewhere: it starts with 'Zie' or ends on a link."""
    bare = sentence.rstrip(" .")
    return any(p and p.rstrip(" .") in bare and (bare.startswith("Zie ") or bare.endswith(p.rstrip(" .")))
               for p in pointers)


def _units(passage: str, pointers: set[str] = frozenset()) -> list[_Unit]:
    """The passage as units; list items join the list before them or the sentence ending in ':'."""
    units: list[_Unit] = []
    for n, line in enumerate(passage.split("\n")):
        line = line.strip()
        if line.startswith("- "):  # a list item stays whole, even when it holds two sentences
            last = units[-1] if units else None
            if last and (last.items or last.lead.endswith(":")) and last.end == n - 1:
                last.items.append(line[2:])
                last.end = n
            else:
                units.append(_Unit(items=[line[2:]], start=n, end=n))
        elif line:
            units += [_Unit(lead=sentence, start=n, end=n) for sentence in split_sentences(line)]
    # "Geeft u de fase pas na 1 oktober door? Dan …": a question binds to what answers it.
    bound: list[_Unit] = []
    for unit in units:
        last = bound[-1] if bound else None
        if last and last.lead.endswith("?") and not last.items and not _is_pointer(last.lead, pointers):
            question = bound.pop()
            unit.lead = f"{question.lead} {unit.lead}" if unit.lead else question.lead
            unit.start = question.start
        bound.append(unit)
    return bound


def _join(units: list[_Unit], chosen: list[int]) -> str:
    """Plain text: paragraphs split by a blank line, list items on lines of their own after '- '."""
    out = ""
    for n, i in enumerate(chosen):
        unit = units[i]
        if n:
            prev = units[chosen[n - 1]]
            if i != chosen[n - 1] + 1:  # a skipped stretch of the section
                out += "\n\n…\n\n" if unit.items or prev.items else " … "
            else:  # a list ends its paragraph; a new line of the passage starts one
                out += "\n\n" if prev.items or unit.start != prev.end else " "
        out += unit.text()
    return out


def extract(passage: str, question_tokens: list[str], pointers: set[str] = frozenset()) -> str:
    """The lead of the section (sections open with their answer) plus a far sentence that matches well.

    A list is never cut in two: it comes whole with the sentence that leads into it, or not at all
    (then the answer stops before it), so a list of conditions is never shown half. A question
    comes with the sentence that answers it. The answer does not end on a sentence that only points
    to another section (`pointers`: the texts of the section's internal links), because the plain
    answer text cannot carry that link.
    """
    units = _units(passage, pointers)
    if not units:
        return passage
    chosen: list[int] = []
    size = 0
    for i, unit in enumerate(units):
        room = LIST_CHARS if unit.items else ANSWER_CHARS
        if chosen and size + unit.size > room:
            break
        chosen.append(i)
        size += unit.size
    while len(chosen) > 1 and not units[chosen[-1]].items and _is_pointer(units[chosen[-1]].lead, pointers):
        chosen.pop()
    wanted = set(question_tokens)
    if wanted:
        overlap = [len(wanted & set(tokenize(u.text()))) for u in units]
        best = max(range(len(units)), key=lambda i: overlap[i])
        if best not in chosen and overlap[best] >= max(overlap[i] for i in chosen) + 2 and \
                units[best].size <= ANSWER_CHARS:
            chosen.append(best)
    return _join(units, chosen)


def citation(kb: KnowledgeBase, key: str, used: str | None = None) -> Citation:
    """A citation for slug#anchor with the cited passage in full."""
    slug, anchor = key.split("#", 1)
    article = kb.by_slug[slug]
    section = article.section(anchor)
    assert section is not None, key
    passage = markdown_to_text(section.body)
    snippet = " ".join((used or passage).split())
    if len(snippet) > SNIPPET_CHARS:
        snippet = snippet[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return Citation(article=slug, title=article.title, section=section.heading, anchor=anchor,
                    url=f"/kb/{slug}#{anchor}", snippet=snippet, passage=passage,
                    last_reviewed=article.last_reviewed.isoformat())


def related_sections(kb: KnowledgeBase, hits: list[Hit], exclude: set[str], limit: int = 3) -> list[Related]:
    """The next-best sections, for 'lees ook' and abstentions: a near miss is one click away."""
    out: list[Related] = []
    for h in hits:
        if h.key in exclude:
            continue
        article = kb.by_slug[h.slug]
        section = article.section(h.anchor)
        heading = section.heading if section else ""
        out.append(Related(article=h.slug, title=article.title, url=f"/kb/{h.key}", section=heading))
        if len(out) == limit:
            break
    return out


def abstain_text(contact: str) -> str:
    """What Routewijzer says when the knowledge base has no good answer."""
    return (
        "Op deze vraag heb ik geen betrouwbaar antwoord in de kennisbank. "
        "Misschien helpt een van de onderwerpen hieronder. Zoekt u de juiste route voor een leerling? "
        f"Gebruik dan de routewijzer. U kunt ook contact opnemen met {contact}."
    )


def compose(question: str, retrieval: Retrieval, kb: KnowledgeBase, weights: dict[str, float],
            contact: str) -> Answer:
    """Turn a retrieval into an answer, or an honest abstention when the evidence is weak."""
    if not retrieval.hits:
        return Answer(question, abstain_text(contact), True, 0.0, [], [])
    top = retrieval.hits[0]
    conf = confidence(top, retrieval, weights)
    if conf < weights["threshold"]:
        return Answer(question, abstain_text(contact), True, round(conf, 3), [],
                      related_sections(kb, retrieval.hits, exclude=set()))
    cite = citation(kb, top.key)
    section = kb.by_slug[top.slug].section(top.anchor)
    text = extract(cite.passage, retrieval.tokens, pointer_texts(section.body if section else ""))
    cite = citation(kb, top.key, used=text)
    return Answer(question, text, False, round(conf, 3), [cite],
                  related_sections(kb, retrieval.hits, exclude={top.key}))
