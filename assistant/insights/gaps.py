"""Gaps: questions Routewijzer did not answer well, grouped by meaning, each with a suggestion.

A gap item is a logged question that abstained or answered below ASSISTANT_GAP_CONFIDENCE, or an
answer rated "niet nuttig". Items are grouped by complete-linkage clustering of their query
vectors: every two questions in a group have at least ASSISTANT_GAP_SIMILARITY cosine similarity,
measured after subtracting a centre (the mean vector of the knowledge base's phrasings), because
e5 puts all Dutch questions close together (raw cosines of unrelated questions are around 0.83).
The grouping is deterministic for the same items. The suggestion is text to paste: phrasings for
a section's front matter, or a note that a new section is needed. kb/ stays in git; editors
change it, the web app never does.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from assistant.insights.store import LoggedQuestion

KINDS = {"abstained": "geen antwoord", "low": "lage zekerheid", "not_helpful": "niet nuttig"}
FIX_REASONS = {"onjuist", "verouderd", "onvolledig", "onduidelijk"}  # the section's text needs work
MAX_EXAMPLES = 5


@dataclass(frozen=True)
class GapItem:
    """One question that was not answered well."""

    question: str
    kind: str  # a key of KINDS
    day: str
    section: str | None = None  # "slug#anchor" it went to, if any
    reason: str | None = None  # feedback reason key
    comment: str | None = None  # feedback comment (redacted when stored)


@dataclass
class GapGroup:
    """Questions with one meaning: how often, examples, where they went, why they failed."""

    items: list[GapItem]
    examples: list[str] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)
    sections: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    comments: list[str] = field(default_factory=list)
    suggestion: dict = field(default_factory=dict)

    @property
    def count(self) -> int:
        """How many questions (and ratings) fell in this group."""
        return len(self.items)

    @property
    def section(self) -> str | None:
        """The section these questions went to most often."""
        return self.sections.most_common(1)[0][0] if self.sections else None

    @property
    def last_day(self) -> str:
        """The newest day in the group."""
        return max(i.day for i in self.items)

    def to_dict(self) -> dict:
        """JSON-ready summary."""
        return {"count": self.count, "examples": self.examples, "kinds": dict(self.kinds),
                "section": self.section, "sections": dict(self.sections), "reasons": dict(self.reasons),
                "comments": self.comments, "first_day": min(i.day for i in self.items),
                "last_day": self.last_day, "suggestion": self.suggestion}


def question_items(questions: Iterable[LoggedQuestion], min_confidence: float) -> list[GapItem]:
    """Logged questions that abstained or answered below `min_confidence`."""
    items = []
    for q in questions:
        if q.abstained or q.confidence < min_confidence:
            items.append(GapItem(q.question, "abstained" if q.abstained else "low", q.day,
                                 q.sections[0] if q.sections and not q.abstained else None))
    return items


def feedback_items(rows: Iterable[dict], since: str | None = None) -> list[GapItem]:
    """Feedback rows (FeedbackStore.all()) rated not helpful, from `since` on."""
    items = []
    for row in rows:
        day = str(row.get("created_at", ""))[:10]
        if row.get("rating") != "not_helpful" or (since and day < since):
            continue
        citations = row.get("citations") or []
        if isinstance(citations, str):
            citations = json.loads(citations)
        section = citations[0].removeprefix("/kb/").split("?")[0] if citations else None
        items.append(GapItem(row["question"], "not_helpful", day, section, row.get("reason"),
                             row.get("comment")))
    return items


def cluster(vectors: np.ndarray, similarity: float, center: np.ndarray | None = None) -> list[int]:
    """Group labels (0, 1, …) by complete-linkage clustering on cosine distance (after centring)."""
    n = len(vectors)
    if n < 2:
        return [0] * n
    from scipy.cluster.hierarchy import fcluster, linkage

    v = np.asarray(vectors, dtype=np.float64)
    if center is not None:
        v = v - np.asarray(center, dtype=np.float64)
    v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
    tree = linkage(v, method="complete", metric="cosine")
    labels = fcluster(tree, t=1.0 - similarity, criterion="distance")
    # Number groups in order of first appearance, so labels do not depend on scipy's numbering.
    order: dict[int, int] = {}
    return [order.setdefault(int(label), len(order)) for label in labels]


def group_gaps(items: list[GapItem], embed: Callable[[list[str]], np.ndarray], similarity: float,
               paths: dict[str, str] | None = None, center: np.ndarray | None = None) -> list[GapGroup]:
    """Group items by meaning, largest group first, each with its suggestion."""
    items = sorted(items, key=lambda i: (i.day, i.question, i.kind, i.section or "", i.reason or ""))
    if not items:
        return []
    vectors = embed([i.question for i in items])
    groups: dict[int, list[GapItem]] = {}
    for item, label in zip(items, cluster(vectors, similarity, center), strict=True):
        groups.setdefault(label, []).append(item)
    result = [_summarise(members, paths or {}) for members in groups.values()]
    result.sort(key=lambda g: (-g.count, _negate(g.last_day), g.examples[0]))
    return result


def _negate(day: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in day)


def _summarise(items: list[GapItem], paths: dict[str, str]) -> GapGroup:
    texts = Counter(i.question for i in items)
    group = GapGroup(
        items=items,
        examples=[t for t, _ in sorted(texts.items(), key=lambda kv: (-kv[1], kv[0]))][:MAX_EXAMPLES],
        kinds=Counter(i.kind for i in items),
        sections=Counter(i.section for i in items if i.section),
        reasons=Counter(i.reason for i in items if i.reason),
        comments=list(dict.fromkeys(i.comment for i in items if i.comment))[:3],
    )
    group.suggestion = suggest(group, paths)
    return group


def suggest(group: GapGroup, paths: dict[str, str]) -> dict:
    """What to change in kb/: phrasings for a section, a section to revise, or a new section."""
    # Placeholders ("[naam]") make poor phrasings: use them only when nothing else is there.
    phrasings = [e for e in group.examples if "[" not in e] or group.examples
    section = group.section
    unanswered = group.kinds["abstained"] + group.reasons["geen-antwoord"]
    if section is None or unanswered * 2 > group.count:
        return {"kind": "new_section", "title": "Nieuwe sectie nodig",
                "text": "Geen sectie beantwoordt deze vragen. Schrijf een nieuwe sectie (of vul een "
                        "bestaande aan) en geef haar deze formuleringen in de front matter:\n\n"
                        + _yaml("nieuwe-sectie", phrasings)}
    slug, _, anchor = section.partition("#")
    path = paths.get(slug, f"kb/articles/{slug}.md")
    fixes = sum(n for reason, n in group.reasons.items() if reason in FIX_REASONS)
    if fixes * 2 > group.count:
        top = ", ".join(r for r, _ in group.reasons.most_common(2))
        return {"kind": "revise", "title": f"Herzie sectie {section}", "path": path,
                "text": f"Lezers vinden het antwoord uit {path}#{anchor} niet goed ({top}). "
                        "Controleer de tekst aan de bron; passen de vragen bij de sectie, voeg dan "
                        "ook deze formuleringen toe:\n\n" + _yaml(anchor, phrasings)}
    return {"kind": "phrasings", "title": f"Formuleringen voor {section}", "path": path,
            "text": f"Geeft {path}#{anchor} het juiste antwoord? Voeg deze formuleringen toe aan de "
                    f"front matter van {path}:\n\n" + _yaml(anchor, phrasings)}


def _yaml(anchor: str, phrasings: list[str]) -> str:
    lines = ["phrasings:", f"  {anchor}:"]
    lines += [f"    - {json.dumps(p, ensure_ascii=False)}" if ":" in p or " #" in p or p[:1] in "-[{'\"#&*!|>%@`"
              else f"    - {p}" for p in phrasings] or ["    - (typ hier een formulering)"]
    return "\n".join(lines)
