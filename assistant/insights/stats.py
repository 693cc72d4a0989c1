"""Per-section figures (how often it answered, how helpful readers found it) and stale articles."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from assistant.content.kb import KnowledgeBase
from assistant.insights.store import LoggedQuestion

EXPIRING_SOON_DAYS = 30


@dataclass
class SectionStats:
    """One section's figures over a period."""

    key: str  # slug#anchor
    article: str = ""
    heading: str = ""
    answered: int = 0  # the first (main) source of an answer
    cited: int = 0  # any source of an answer
    helpful: int = 0
    not_helpful: int = 0
    reasons: Counter = field(default_factory=Counter)

    @property
    def helpful_rate(self) -> float | None:
        """Share of ratings that said 'helpful', or None without ratings."""
        rated = self.helpful + self.not_helpful
        return self.helpful / rated if rated else None

    def to_dict(self) -> dict:
        """JSON-ready figures."""
        return {"section": self.key, "article": self.article, "heading": self.heading,
                "answered": self.answered, "cited": self.cited, "helpful": self.helpful,
                "not_helpful": self.not_helpful, "helpful_rate": self.helpful_rate,
                "reasons": dict(self.reasons)}


def section_stats(questions: Iterable[LoggedQuestion], feedback: Iterable[dict], kb: KnowledgeBase,
                  since: str | None = None) -> list[SectionStats]:
    """Figures for every section that answered or was rated, most answers first."""
    stats: dict[str, SectionStats] = {}

    def get(key: str) -> SectionStats:
        if key not in stats:
            slug, _, anchor = key.partition("#")
            article = kb.by_slug.get(slug)
            section = article.section(anchor) if article else None
            stats[key] = SectionStats(key, article.title if article else slug,
                                      section.heading if section else anchor)
        return stats[key]

    for q in questions:
        if q.abstained:
            continue
        for i, key in enumerate(q.sections):
            s = get(key)
            s.cited += 1
            s.answered += i == 0
    for row in feedback:
        if since and str(row.get("created_at", ""))[:10] < since:
            continue
        citations = row.get("citations") or []
        if isinstance(citations, str):
            citations = json.loads(citations)
        for url in dict.fromkeys(c.removeprefix("/kb/").split("?")[0] for c in citations):
            s = get(url)
            if row.get("rating") == "helpful":
                s.helpful += 1
            else:
                s.not_helpful += 1
                if row.get("reason"):
                    s.reasons[row["reason"]] += 1
    return sorted(stats.values(), key=lambda s: (-s.answered, -s.not_helpful, s.key))


def article_stats(sections: Iterable[SectionStats]) -> list[SectionStats]:
    """Section figures added up per article (key: the slug), most answers first."""
    articles: dict[str, SectionStats] = {}
    for s in sections:
        slug = s.key.partition("#")[0]
        a = articles.setdefault(slug, SectionStats(slug, s.article))
        a.answered += s.answered
        a.cited += s.cited
        a.helpful += s.helpful
        a.not_helpful += s.not_helpful
        a.reasons.update(s.reasons)
    return sorted(articles.values(), key=lambda a: (-a.answered, -a.not_helpful, a.key))


@dataclass(frozen=True)
class StaleArticle:
    """An article that needs an editor's review, and why."""

    slug: str
    title: str
    path: str
    last_reviewed: date
    valid_until: date | None
    why: str

    def to_dict(self) -> dict:
        """JSON-ready."""
        return {"slug": self.slug, "title": self.title, "path": self.path,
                "last_reviewed": self.last_reviewed.isoformat(),
                "valid_until": self.valid_until.isoformat() if self.valid_until else None, "why": self.why}


def stale_articles(kb: KnowledgeBase, today: date, interval_days: int) -> list[StaleArticle]:
    """Articles past their review interval or their valid_until (or within 30 days of it)."""
    result = []
    for a in kb.articles:
        why = []
        due = a.last_reviewed + timedelta(days=interval_days)
        if due <= today:
            why.append(f"laatst gecontroleerd {(today - a.last_reviewed).days} dagen geleden "
                       f"(controle elke {interval_days} dagen)")
        if a.valid_until and a.valid_until < today:
            why.append(f"geldig tot {a.valid_until.isoformat()}: verlopen")
        elif a.valid_until and a.valid_until <= today + timedelta(days=EXPIRING_SOON_DAYS):
            why.append(f"geldig tot {a.valid_until.isoformat()}: verloopt binnenkort")
        if why:
            result.append(StaleArticle(a.slug, a.title, a.path or f"kb/articles/{a.slug}.md",
                                       a.last_reviewed, a.valid_until, "; ".join(why)))
    return sorted(result, key=lambda s: (s.last_reviewed, s.slug))
