"""Answer composition: the relevant sentences of the best section, citations, confidence, abstain."""

from __future__ import annotations

import math
import re

from assistant.answer_types import Answer, Citation, Related
from assistant.chunks import markdown_to_text
from assistant.kb import KnowledgeBase
from assistant.lexical import tokenize
from assistant.retrieval import Hit, Retrieval

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9À-ÝĲ\"'‘“(])")
ANSWER_CHARS = 420
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


def extract(passage: str, question_tokens: list[str]) -> str:
    """The lead of the section (sections open with their answer) plus a far sentence that matches well."""
    sentences = split_sentences(passage)
    if not sentences:
        return passage
    chosen: list[int] = []
    size = 0
    for i, s in enumerate(sentences):
        if chosen and size + len(s) > ANSWER_CHARS and not sentences[chosen[-1]].endswith(":"):
            break
        chosen.append(i)
        size += len(s)
        if size > ANSWER_CHARS * 1.6:
            break
    wanted = set(question_tokens)
    if wanted:
        overlap = [len(wanted & set(tokenize(s))) for s in sentences]
        best = max(range(len(sentences)), key=lambda i: overlap[i])
        if best not in chosen and overlap[best] >= max(overlap[i] for i in chosen) + 2:
            chosen.append(best)
    parts = []
    for n, i in enumerate(chosen):
        if n and i != chosen[n - 1] + 1:
            parts.append("…")
        parts.append(sentences[i])
    return " ".join(parts)


def citation(kb: KnowledgeBase, key: str, used: str | None = None) -> Citation:
    """A citation for slug#anchor with the cited passage in full."""
    slug, anchor = key.split("#", 1)
    article = kb.by_slug[slug]
    section = article.section(anchor)
    assert section is not None, key
    passage = markdown_to_text(section.body)
    snippet = used or passage
    if len(snippet) > SNIPPET_CHARS:
        snippet = snippet[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return Citation(article=slug, title=article.title, section=section.heading, anchor=anchor,
                    url=f"/kb/{slug}#{anchor}", snippet=snippet, passage=passage,
                    last_reviewed=article.last_reviewed.isoformat())


def related_articles(kb: KnowledgeBase, hits: list[Hit], exclude: set[str], limit: int = 3) -> list[Related]:
    """Distinct articles among the candidates, for 'lees ook' and abstentions."""
    out: list[Related] = []
    for h in hits:
        if h.slug in exclude or any(r.article == h.slug for r in out):
            continue
        article = kb.by_slug[h.slug]
        out.append(Related(article=h.slug, title=article.title, url=f"/kb/{h.slug}"))
        if len(out) == limit:
            break
    return out


def abstain_text(contact: str) -> str:
    """What Routewijzer says when the knowledge base has no good answer."""
    return (
        "Op deze vraag heb ik geen betrouwbaar antwoord in de kennisbank. "
        "Misschien helpen de artikelen hieronder. Zoekt u de juiste route voor een leerling? "
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
                      related_articles(kb, retrieval.hits, exclude=set()))
    cite = citation(kb, top.key)
    text = extract(cite.passage, retrieval.tokens)
    cite = citation(kb, top.key, used=text)
    return Answer(question, text, False, round(conf, 3), [cite],
                  related_articles(kb, retrieval.hits[1:], exclude={top.slug}))
