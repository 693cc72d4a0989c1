"""The editors' report for a period: gap groups, per-section figures and stale articles.

One function serves the /beheer pages, `python -m assistant gaps` and the CSV export, so all
three show the same. Query vectors of logged questions are cached in the question store.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from assistant.content.kb import KnowledgeBase
from assistant.insights.gaps import KINDS, GapGroup, feedback_items, group_gaps, question_items
from assistant.insights.stats import SectionStats, StaleArticle, article_stats, section_stats, stale_articles
from assistant.insights.store import QuestionStore
from assistant.search.embedder import Embedder
from assistant.settings import Settings

MAX_GAP_ITEMS = 5000
CSV_FIELDS = ("aantal", "voorbeelden", "soort", "sectie", "redenen", "opmerkingen", "eerste_dag",
              "laatste_dag", "voorstel")


@dataclass
class Report:
    """What editors see for one period."""

    since: str | None
    today: str
    questions: int  # logged questions in the period
    abstained: int
    feedback: int  # ratings in the period
    not_helpful: int
    logging: bool  # whether the question log is switched on
    gaps: list[GapGroup]
    sections: list[SectionStats]
    stale: list[StaleArticle]
    capped: bool = False  # more gap questions than MAX_GAP_ITEMS: only the newest were grouped

    @property
    def articles(self) -> list[SectionStats]:
        """The section figures added up per article."""
        return article_stats(self.sections)

    def to_dict(self) -> dict:
        """JSON-ready (for `gaps --json`)."""
        return {"since": self.since, "today": self.today, "questions": self.questions,
                "abstained": self.abstained, "feedback": self.feedback, "not_helpful": self.not_helpful,
                "question_log": self.logging, "gaps": [g.to_dict() for g in self.gaps],
                "sections": [s.to_dict() for s in self.sections], "articles": [a.to_dict() for a in self.articles],
                "stale": [s.to_dict() for s in self.stale], "capped": self.capped}


def since_days(days: int | None, today: date | None = None) -> str | None:
    """The first day of a period of `days` days ending today, or None for everything."""
    if not days:
        return None
    return ((today or date.today()) - timedelta(days=days - 1)).isoformat()


def cached_embed(embedder: Embedder, store: QuestionStore | None, today: str):  # noqa: ANN201
    """An embed function that reuses and fills the store's vector cache."""

    def embed(texts: list[str]) -> np.ndarray:
        found = store.vectors(embedder.name, texts) if store is not None else {}
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            new = dict(zip(missing, embedder.embed_queries(missing), strict=True))
            if store is not None:
                store.save_vectors(embedder.name, today, new)
            found.update(new)
        return np.stack([found[t] for t in texts])

    return embed


def kb_center(kb: KnowledgeBase, embed) -> np.ndarray | None:  # noqa: ANN001 - an embed function
    """The mean query vector of the knowledge base's phrasings: what all questions here share."""
    phrasings = sorted({p for a in kb.articles for ps in a.phrasings.values() for p in ps})
    return embed(phrasings).mean(axis=0) if phrasings else None


def build_report(kb: KnowledgeBase, embedder: Embedder, settings: Settings, feedback: list[dict],
                 store: QuestionStore | None, since: str | None, today: date | None = None,
                 with_gaps: bool = True) -> Report:
    """Gaps, section figures and stale articles from the question log and feedback since `since`.

    Only the newest MAX_GAP_ITEMS gap questions are grouped (`Report.capped` says so), which keeps
    the clustering's pairwise distances within a few hundred megabytes.
    """
    today = today or date.today()
    questions = store.since(since) if store is not None else []
    rated = [r for r in feedback if not since or str(r.get("created_at", ""))[:10] >= since]
    items = question_items(questions, settings.gap_confidence) + feedback_items(rated) if with_gaps else []
    capped = len(items) > MAX_GAP_ITEMS
    items = sorted(items, key=lambda i: i.day)[-MAX_GAP_ITEMS:]
    paths = {a.slug: a.path or f"kb/articles/{a.slug}.md" for a in kb.articles}
    embed = cached_embed(embedder, store, today.isoformat())
    center = kb_center(kb, embed) if items else None
    groups = group_gaps(items, embed, settings.gap_similarity, paths, center)
    return Report(
        since=since, today=today.isoformat(), questions=len(questions),
        abstained=sum(q.abstained for q in questions), feedback=len(rated),
        not_helpful=sum(r.get("rating") == "not_helpful" for r in rated), logging=store is not None,
        gaps=groups, sections=section_stats(questions, rated, kb),
        stale=stale_articles(kb, today, settings.review_interval_days), capped=capped,
    )


def gaps_csv(report: Report) -> str:
    """The gap groups as CSV (one row per group), for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for g in report.gaps:
        writer.writerow([
            g.count, " | ".join(g.examples),
            ", ".join(f"{KINDS[k]} {n}" for k, n in g.kinds.most_common()), g.section or "",
            ", ".join(f"{r} {n}" for r, n in g.reasons.most_common()), " | ".join(g.comments),
            min(i.day for i in g.items), g.last_day, g.suggestion.get("text", ""),
        ])
    return out.getvalue()
