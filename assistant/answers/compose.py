"""Answer composition: the relevant sentences of the best section, citations, confidence, abstain."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date

from assistant.answers.closed import asks_open, drop_yes_no, yes_no_is_ours
from assistant.answers.gaps import missing, not_in_kb_text
from assistant.answers.types import Answer, Citation, Refer, Related
from assistant.content.currency import outdated_text, system_clock
from assistant.content.kb import KnowledgeBase
from assistant.content.outside import OutsideTopic, outside_topic
from assistant.content.text import Unit, answer_units, holds_words, is_pointer, markdown_to_text, pointer_texts
from assistant.search.asks import DATE_EVIDENCE
from assistant.search.lexical import fold, tokenize
from assistant.search.retrieval import Hit, Retrieval

ANSWER_CHARS = 420
LIST_CHARS = 1000  # a list and its lead-in may make the answer this long, never longer
SNIPPET_CHARS = 180
BEST_ROOM = 700  # lead plus the best-scoring unit stay within this many characters
MAX_SOURCES = 3  # an answer joins parts of at most this many sections, each with its own citation
SECOND_GAP = 0.05  # another section counts when its fused score is this close to the best one
BETTER_UNIT = 0.02  # … or when its best unit beats the main section's best unit by this much
JOINED_CHARS = 650  # parts of other sections join only while the whole answer stays this short (p90 words 91 → 87)
DATE_GAP = 0.15  # how far down a "wanneer" question looks for a dated unit when its answer has none
SILENT_GAP = 0.04  # a sentence saying the kb does not name what is asked counts this close to the best (dev: 0.03-0.05)
ASK_GAP = 0.10  # a further ask of a compound question may be answered by a section this close to the top one …
ASK_BETTER = 0.02  # … when its best unit for that ask beats the top section's best unit by this much
VIEW_ANSWER_MIN = 0.90  # a phrasing's named answer is used when the question is this close to the phrasing
OFF_TOPIC = 0.05  # below this confidence a question is about another subject (docs/evaluation.md)


def evidence(hit: Hit, retrieval: Retrieval) -> dict[str, float]:
    """The signals the confidence model weighs (calibration.FEATURES), for one hit."""
    return {"question_sim": hit.question_sim, "passage_sim": hit.passage_sim,
            "coverage": hit.coverage, "known": retrieval.known, "sentence_sim": hit.sentence_sim}


def confidence(hit: Hit, retrieval: Retrieval, weights: dict[str, float]) -> float:
    """Probability-like score that the top section answers the question (see calibration.py)."""
    z = weights["bias"] + sum(weights[name] * value for name, value in evidence(hit, retrieval).items())
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def _join(units: list[Unit], chosen: list[int]) -> str:
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


def _lead_extract(units: list[Unit], question_tokens: list[str], pointers: set[str]) -> list[int]:
    """Without unit scores: the lead of the section plus a far unit that matches the question well."""
    chosen: list[int] = []
    size = 0
    for i, unit in enumerate(units):
        room = LIST_CHARS if unit.items else ANSWER_CHARS
        if chosen and size + unit.size > room:
            break
        chosen.append(i)
        size += unit.size
    while len(chosen) > 1 and not units[chosen[-1]].items and is_pointer(units[chosen[-1]].lead, pointers):
        chosen.pop()
    wanted = set(question_tokens)
    if wanted:
        overlap = [len(wanted & set(tokenize(u.text()))) for u in units]
        best = max(range(len(units)), key=lambda i: overlap[i])
        if best not in chosen and overlap[best] >= max(overlap[i] for i in chosen) + 2 and \
                units[best].size <= ANSWER_CHARS:
            chosen.append(best)
    return chosen


def select_units(units: list[Unit], sims: list[float], question_tokens: list[str],
                 pointers: set[str] = frozenset(), asks: Sequence[int] = (), prefer: int | None = None) -> list[int]:
    """The lead of the section (it opens with its answer) plus the unit that scores best for this
    question when the lead does not hold it; the lead is cut back to make room when needed.

    `asks`: for a compound question, the unit that fits each further ask best; each joins the same
    way (tuning set: facts stated 0.708 → 0.723, blind dev unchanged, same median length).
    `prefer`: the unit an editor named as the answer to the phrasing closest to the question; it
    takes the place of the best-scoring unit."""
    chosen = _lead_extract(units, question_tokens, pointers)
    usable = [i for i in range(len(units)) if units[i].items or not is_pointer(units[i].lead, pointers)]
    if not usable:
        return chosen
    best = prefer if prefer in usable else max(usable, key=lambda i: sims[i])
    wanted = [best, *(i for i in asks if i in usable)]
    kept: list[int] = []
    for unit in wanted:
        if unit in chosen or unit in kept or units[unit].size > ANSWER_CHARS:
            continue
        while len(chosen) > 1 and sum(units[i].size for i in (*chosen, *kept)) + units[unit].size > BEST_ROOM:
            chosen.pop()
        kept.append(unit)
    return sorted({*chosen, *kept})


def extract(passage: str, question_tokens: list[str], pointers: set[str] = frozenset(),
            unit_sims: dict[str, float] | None = None, ask_units: Sequence[str] = (),
            answer_words: str = "") -> str:
    """The part of a section that answers the question.

    With `unit_sims` (the question's cosine to each answer unit, from the index) the answer is the
    best unit plus near ties and units that add asked-for words; without, the lead of the section.
    A list is never cut in two: it comes whole with the sentence that leads into it, or not at all.
    A question comes with the sentence that answers it. The answer does not end on a sentence that
    only points to another section (`pointers`), because the plain answer text cannot carry that link.
    `ask_units`: the best unit for each further ask of a compound question.
    `answer_words`: words of the unit that answers the phrasing closest to the question (kb/), if any.
    """
    units = answer_units(passage, pointers)
    if not units:
        return passage
    if unit_sims and any(u.text() in unit_sims for u in units):
        sims = [unit_sims.get(u.text(), -1.0) for u in units]
        texts = [u.text() for u in units]
        asks = [texts.index(t) for t in ask_units if t in texts]
        prefer = next((i for i, t in enumerate(texts) if holds_words(t, answer_words)), None)
        chosen = select_units(units, sims, question_tokens, pointers, asks, prefer)
    else:
        chosen = _lead_extract(units, question_tokens, pointers)
    return _join(units, chosen)


_WHEN = re.compile(r"\bwanneer\b")
# A part that leans on the sentence before it ("In zo'n route …", "Dat kan …") means little alone.
_LEANS_BACK = re.compile(r"^(dat|dit|die|deze|daar\w*|dan|ook|hij|zij|ze|zo'n|zulke|in zo'n|bij zo'n|"
                         r"daarnaast|bovendien|verder|wel|toch)\b", re.IGNORECASE)

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
                    last_reviewed=article.last_reviewed.isoformat(), stand=article.stand,
                    valid_until=article.valid_until.isoformat() if article.valid_until else None)


def currency(kb: KnowledgeBase, cites: list[Citation], today: date) -> tuple[str | None, str | None]:
    """The Stand line of the main source and, when a cited article's rules have ended, the warning."""
    stand = (cites[0].stand or None) if cites else None
    warnings = (outdated_text(kb.by_slug[c.article], today) for c in cites)
    return stand, next((w for w in warnings if w), None)


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


OFF_TOPIC_TEXT = ("Daarover heb ik geen informatie. Routewijzer beantwoordt vragen over de derde leerweg, "
                  "doorlopende en geïntegreerde leerroutes (vmbo-mbo) en praktijkleren in het mbo.")
NEAR_MISS_TEXT = ("Op deze vraag heb ik geen betrouwbaar antwoord in de kennisbank. "
                  "Misschien helpt een van de onderwerpen hieronder.")


def abstain_text(off_topic: bool) -> str:
    """What Routewijzer says when the knowledge base has no good answer (the contact is shown by the page)."""
    return OFF_TOPIC_TEXT if off_topic else NEAR_MISS_TEXT


def compose(question: str, retrieval: Retrieval, kb: KnowledgeBase, weights: dict[str, float],
            query: str | None = None, today: date | None = None, ask_units: Sequence[str] = (),
            ask_sources: Sequence[tuple[str, str]] = ()) -> Answer:
    """Turn a retrieval into an answer, or an honest abstention when the evidence is weak.

    `query` is what was searched for (a follow-up read with the previous question); what it asks
    for (a date, an amount) decides the parts of the answer. `question` is shown as asked.

    Far below the threshold (OFF_TOPIC) the question is about something else: no sections are
    offered, the pages show the themes and starter questions instead. Just below it, the nearest
    sections are offered, since one of them may still be what the user looks for.

    `today` (the engine's clock) decides whether a cited article's rules have ended (`outdated`).
    `ask_units`: for a compound question, the top section's best unit for each further ask.
    `ask_sources`: (section key, unit) for a further ask that a close section answers better; each
    joins with its own citation before other close sections do.
    """
    if not retrieval.hits:
        return Answer(question, abstain_text(True), True, 0.0, [], [])
    top = retrieval.hits[0]
    conf = confidence(top, retrieval, weights)
    topic = _outside(question, top.key, kb)
    if topic is not None:
        return refer_answer(question, topic, kb, round(conf, 3), related_sections(kb, retrieval.hits, exclude=set()))
    if conf < weights["threshold"]:
        off_topic = conf < OFF_TOPIC
        related = [] if off_topic else related_sections(kb, retrieval.hits, exclude=set())
        return Answer(question, abstain_text(off_topic), True, round(conf, 3), [], related)
    cite = citation(kb, top.key)
    section = kb.by_slug[top.slug].section(top.anchor)
    unit_sims = retrieval.unit_sims.get(top.key) or {}
    text = extract(cite.passage, retrieval.tokens, pointer_texts(section.body if section else ""), unit_sims,
                   ask_units, phrasing_answer(kb, top.key, retrieval.best_views.get(top.key)))
    cite = citation(kb, top.key, used=text)
    best_unit = max(unit_sims, key=unit_sims.__getitem__) if unit_sims else text
    asks = query or question
    top_sim = unit_sims.get(best_unit, 0.0)
    gap = missing(asks, cite.passage, best_unit, [u for u, s in unit_sims.items() if s >= top_sim - SILENT_GAP])
    cites = [cite]
    parts = [text]
    if gap is None:
        joined: list[tuple[str, str]] = []
        for key, part in ask_sources:
            if key != top.key and key not in dict(joined) and len(joined) + 1 < MAX_SOURCES:
                joined.append((key, part))
        have = " ".join([text, *(part for _, part in joined)])
        for key, part in more_sources(retrieval, have, max(unit_sims.values(), default=0.0), wants_date(asks)):
            if key not in dict(joined) and len(joined) + 1 < MAX_SOURCES:
                joined.append((key, part))
        for key, part in joined:
            parts.append(part)
            cites.append(citation(kb, key, used=part))
    # A joined part answers its own section's question; so does the main part of a "wat/wie/…" question,
    # and of a closed question that does not ask what the heading asks (yes_no_is_ours).
    ours = not asks_open(question) and yes_no_is_ours(question, section.heading if section else "",
                                                       retrieval.heading_sims.get(top.key, 0.0))
    parts = [part if n == 0 and ours else drop_yes_no(part) for n, part in enumerate(parts)]
    # With several parts, each ends on the number of its source, as listed under the answer.
    text = "\n\n".join(f"{p} [{n}]" for n, p in enumerate(parts, start=1)) if len(parts) > 1 else parts[0]
    if gap is not None:
        text = not_in_kb_text(gap, text)
    stand, outdated = currency(kb, cites, today or system_clock())
    return Answer(question, text, False, round(conf, 3), cites,
                  related_sections(kb, retrieval.hits, exclude={c.article + "#" + c.anchor for c in cites}),
                  not_in_kb=gap, stand=stand, outdated=outdated)


def phrasing_answer(kb: KnowledgeBase, key: str, view: tuple[str, float] | None) -> str:
    """The answer words an editor gave the phrasing closest to the question, when it is close enough."""
    if view is None or view[1] < VIEW_ANSWER_MIN:
        return ""
    slug, anchor = key.split("#", 1)
    article = kb.by_slug.get(slug)
    return article.phrasing_answers.get(anchor, {}).get(view[0], "") if article else ""


def _outside(question: str, key: str, kb: KnowledgeBase) -> OutsideTopic | None:
    """A nearby topic of kb/outside.yaml the question names and its best section does not."""
    if not kb.outside:
        return None
    slug, anchor = key.split("#", 1)
    section = kb.by_slug[slug].section(anchor)
    text = f"{section.heading}\n{markdown_to_text(section.body)}" if section else ""
    return outside_topic(question, text, kb.outside)


def refer_answer(question: str, topic: OutsideTopic, kb: KnowledgeBase, conf: float,
                 related: list[Related]) -> Answer:
    """An honest "not ours" for a nearby topic, with the page to go to when the topic names one."""
    source = kb.sources.get(topic.source) if topic.source else None
    text = f"Over {topic.name} gaat deze kennisbank niet."
    if source is not None and source.url:
        text += f" Kijk daarvoor bij {source.title}: {source.url}"
    refer = Refer(topic.id, source.title, source.url or "") if source else Refer(topic.id, "", "")
    return Answer(question, text, True, conf, [], related, refer=refer)


def wants_date(question: str) -> bool:
    """A question that asks when ("… melden en wanneer?") wants a date or a moment in its answer."""
    return bool(_WHEN.search(fold(question)))


def more_sources(retrieval: Retrieval, text: str, best_sim: float, date_wanted: bool = False) -> list[tuple[str, str]]:
    """Parts of other close sections that add what the main answer lacks: (section key, unit text).

    A section counts when its fused score is within SECOND_GAP of the best one and its best answer
    unit either brings question words the answer so far does not have, or fits the question better
    than anything in the main section. A question that asks when, answered without any date, looks
    further (DATE_GAP) for the section unit that names one. At most MAX_SOURCES sources in all.
    """
    top = retrieval.hits[0]
    wanted = set(retrieval.tokens)
    have = set(tokenize(text))
    out: list[tuple[str, str]] = []
    need_date = date_wanted and not DATE_EVIDENCE.search(fold(text))
    for hit in retrieval.hits[1:]:
        if len(out) + 1 >= MAX_SOURCES:
            break
        sims = retrieval.unit_sims.get(hit.key) or {}
        if need_date and hit.score >= top.score - DATE_GAP:
            dated = [(u, s) for u, s in sims.items() if DATE_EVIDENCE.search(fold(u)) and len(u) <= ANSWER_CHARS]
            if dated:
                out.append((hit.key, max(dated, key=lambda kv: kv[1])[0]))
                have |= set(tokenize(out[-1][1]))
                need_date = False
                continue
        if hit.score < top.score - SECOND_GAP:
            continue
        if not sims:
            continue
        unit, sim = max(sims.items(), key=lambda kv: kv[1])
        words = set(tokenize(unit))
        if len(unit) > ANSWER_CHARS or words <= have or _LEANS_BACK.match(unit):
            continue
        if len(text) + sum(len(u) for _, u in out) + len(unit) > JOINED_CHARS:
            continue
        if (words & wanted) - have or sim > best_sim + BETTER_UNIT:
            out.append((hit.key, unit))
            have |= words
    return out
