"""What the wizard shows: citations, the "Stand" of the sources, the JSON of a step, Mermaid.

Pure functions over a `Step` and the knowledge base; the web pages and the API both use them,
so a page and the API never disagree about an outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.content.currency import dutch_date
from assistant.wizard.tree import Outcome, Step, Wizard, permalink

if TYPE_CHECKING:
    from assistant.content.articles import Article
    from assistant.content.kb import KnowledgeBase

HEADINGS = {  # kind → heading above `why`
    "route": "Waarom deze route?",
    "gesprek": "Waarom eerst een gesprek?",
    "buiten": "Waarom de routewijzer hier geen route geeft",
}


def citation(cite: str, kb: KnowledgeBase) -> dict[str, str]:
    """`{"title": "<article> – <section>", "url": "/kb/slug#anchor"}` for one cited section."""
    slug, _, anchor = cite.partition("#")
    article = kb.by_slug.get(slug)
    section = article.section(anchor) if article and anchor else None
    title = article.title if article else slug
    if section:
        title = f"{title} – {section.heading}"
    return {"title": title, "url": f"/kb/{cite}"}


def citations(outcome: Outcome, kb: KnowledgeBase) -> list[dict[str, str]]:
    """The outcome's cited sections, resolved to titles and links."""
    return [citation(c, kb) for c in outcome.cites]


def all_cites(step: Step) -> list[str]:
    """Every section the result rests on: the outcome's, then those of the reasons, once each."""
    seen: dict[str, None] = dict.fromkeys(step.outcome.cites if step.outcome else ())
    for option in step.reasons:
        seen.update(dict.fromkeys(option.cites))
    return list(seen)


@dataclass(frozen=True)
class Stand:
    """How current one cited article is: its sources with their dates and its review date."""

    slug: str
    title: str
    stand: str
    reviewed: str


def stands(step: Step, kb: KnowledgeBase) -> list[Stand]:
    """The "Stand" of every article the result cites, in citation order."""
    result: list[Stand] = []
    for slug in dict.fromkeys(c.partition("#")[0] for c in all_cites(step)):
        article = kb.by_slug.get(slug)
        if article is None:
            continue
        own = article.stand or _stand_from_sources(article, kb)
        result.append(Stand(slug=slug, title=article.title, stand=str(own),
                            reviewed=dutch_date(article.last_reviewed)))
    return result


def _stand_from_sources(article: Article, kb: KnowledgeBase) -> str:
    """Without a "Stand" line: the dated sources, and how many undated web pages besides."""
    dated, undated = [], 0
    for ref in article.sources:
        source = kb.sources.get(ref.id) if ref.id else None
        if source and source.date:
            dated.append(f"{source.title} ({source.date})")
        else:
            undated += 1
    if undated:
        pages = "webpagina" if undated == 1 else "webpagina's"
        dated.append(f"{undated} openbare {pages} zonder datum")
    return "; ".join(dated)


def referrals(outcome: Outcome, kb: KnowledgeBase) -> list[dict[str, str]]:
    """The referrals of an outcome with the title and address of their public source."""
    result = []
    for ref in outcome.refers:
        source = kb.sources.get(ref.source)
        result.append({"text": ref.text, "source": source.title if source else ref.source,
                       "url": (source.url or "") if source else ""})
    return result


def question_json(step: Step) -> dict[str, Any]:
    """The API form of a question step."""
    q = step.question
    assert q is not None
    return {
        "question": {"id": q.id, "text": q.text, "help": q.help,
                     "options": [{"id": o.id, "label": o.label, "unknown": o.unknown}
                                 for o in q.options]},
        "step": step.number,
        "total": step.total,
        "answers": step.answers,
    }


def outcome_json(step: Step, kb: KnowledgeBase) -> dict[str, Any]:
    """The API form of an outcome step, with resolved citations, the Stand and the permalink."""
    o = step.outcome
    assert o is not None
    return {
        "outcome": {
            "id": o.id, "kind": o.kind, "title": o.title, "heading": HEADINGS[o.kind],
            "why": o.why,
            "reasons": [{"text": r.reason, "citations": [citation(c, kb) for c in r.cites]}
                        for r in step.reasons],
            "settle_first": step.settle,
            "arrange": list(o.arrange), "good_to_know": list(o.good_to_know),
            "next_steps": list(o.next_steps), "referrals": referrals(o, kb),
            "citations": [citation(c, kb) for c in all_cites(step)],
            "stand": [{"article": s.title, "stand": s.stand, "reviewed": s.reviewed}
                      for s in stands(step, kb)],
        },
        "answers": step.answers,
        "path": [{"question": q.text, "answer": opt.label} for q, opt in step.path],
        "permalink": permalink(step),
    }


def _mermaid_text(text: str) -> str:
    return '"' + text.replace('"', "#quot;").replace("\n", " ") + '"'


def to_mermaid(wizard: Wizard) -> str:
    """The tree as a Mermaid flowchart: questions are diamonds, outcomes rounded boxes."""
    ids = {name: f"q_{name.replace('-', '_')}" for name in wizard.questions}
    ids |= {name: f"o_{name.replace('-', '_')}" for name in wizard.outcomes}
    lines = ["flowchart TD"]
    for q in wizard.questions.values():
        lines.append(f"    {ids[q.id]}{{{_mermaid_text(q.text)}}}")
    for o in wizard.outcomes.values():
        lines.append(f"    {ids[o.id]}([{_mermaid_text(o.title)}])")
    for q in wizard.questions.values():
        for opt in q.options:
            label = _mermaid_text(opt.label)
            edge = f"-. {label} .->" if opt.unknown else f"-- {label} -->"  # dotted: weet ik niet
            lines.append(f"    {ids[q.id]} {edge} {ids[opt.next]}")
    lines.append("    classDef outcome fill:#e6f2e6,stroke:#2d6a2d;")
    lines.append(f"    class {','.join(ids[o] for o in wizard.outcomes)} outcome;")
    return "\n".join(lines)
