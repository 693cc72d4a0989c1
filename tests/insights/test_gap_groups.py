"""Gap questions are grouped by meaning, deterministically, with a suggestion editors can paste."""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import yaml

from assistant.insights.gaps import GapItem, cluster, feedback_items, group_gaps, question_items
from assistant.insights.stats import section_stats, stale_articles
from assistant.insights.store import LoggedQuestion
from assistant.search.embedder import FakeEmbedder

SIM = 0.7  # the fake embedder's scale; the real model's default is in Settings
COST = ["Wat kost de derde leerweg voor een deelnemer?", "Hoeveel kost de derde leerweg voor een deelnemer?",
        "Wat kost een deelnemer in de derde leerweg?"]
AGE = ["Mag een leerling van 16 de derde leerweg volgen?", "Mag een leerling van 16 jaar in de derde leerweg?"]
CANTEEN = "Hoe laat gaat de kantine open?"


def q(text: str, day: str = "2026-12-01", abstained: bool = True, confidence: float = 0.1,
      sections: tuple[str, ...] = ()) -> LoggedQuestion:
    return LoggedQuestion(day, text, sections, confidence, abstained, "chat")


def fixture_items() -> list[GapItem]:
    logged = [q(t) for t in COST] + [q(CANTEEN, "2026-12-03")]
    logged += [q(t, abstained=False, confidence=0.3, sections=("derde-leerweg#voor-wie",)) for t in AGE]
    logged.append(q("Wat is de derde leerweg?", abstained=False, confidence=0.9, sections=("derde-leerweg#x",)))
    return question_items(logged, min_confidence=0.5)


def test_selects_abstained_and_low_confidence_questions() -> None:
    items = fixture_items()
    assert len(items) == 6  # the confident answer is no gap
    assert {i.kind for i in items} == {"abstained", "low"}


def test_groups_by_meaning_largest_first() -> None:
    groups = group_gaps(fixture_items(), FakeEmbedder().embed_queries, SIM)
    assert [g.count for g in groups] == [3, 2, 1]
    assert sorted(groups[0].examples) == sorted(COST)
    assert sorted(groups[1].examples) == sorted(AGE)
    assert groups[1].section == "derde-leerweg#voor-wie"
    assert groups[2].examples == [CANTEEN]


def test_grouping_is_deterministic_whatever_the_order() -> None:
    items = fixture_items()
    expected = [g.to_dict() for g in group_gaps(items, FakeEmbedder().embed_queries, SIM)]
    for seed in range(5):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        assert [g.to_dict() for g in group_gaps(shuffled, FakeEmbedder().embed_queries, SIM)] == expected


def test_similarity_threshold_decides_the_grouping() -> None:
    assert cluster(FakeEmbedder().embed_queries(COST + [CANTEEN]), 0.7) == [0, 0, 0, 1]
    assert cluster(FakeEmbedder().embed_queries(COST + [CANTEEN]), 0.99) == [0, 1, 2, 3]
    assert cluster(FakeEmbedder().embed_queries(COST + [CANTEEN]), 0.0) == [0, 0, 0, 0]


def test_suggestions_are_yaml_to_paste() -> None:
    paths = {"derde-leerweg": "kb/articles/derde-leerweg.md"}
    groups = group_gaps(fixture_items(), FakeEmbedder().embed_queries, SIM, paths)
    new, phrasings = groups[0].suggestion, groups[1].suggestion
    assert new["kind"] == "new_section" and new["title"] == "Nieuwe sectie nodig"
    assert phrasings["kind"] == "phrasings" and phrasings["path"] == "kb/articles/derde-leerweg.md"
    snippet = phrasings["text"].split("\n\n", 1)[1]
    assert sorted(yaml.safe_load(snippet)["phrasings"]["voor-wie"]) == sorted(AGE)


def test_feedback_not_helpful_joins_the_gaps_with_its_reasons() -> None:
    rows = [
        {"created_at": "2026-12-02T10:00:00", "rating": "not_helpful", "reason": "onjuist", "comment": "klopt niet",
         "question": AGE[0], "citations": '["/kb/derde-leerweg#voor-wie"]'},
        {"created_at": "2026-12-02T10:00:00", "rating": "not_helpful", "reason": "verouderd", "comment": None,
         "question": AGE[1], "citations": ["/kb/derde-leerweg#voor-wie"]},
        {"created_at": "2026-12-02T11:00:00", "rating": "helpful", "reason": None, "comment": None,
         "question": COST[0], "citations": []},
        {"created_at": "2026-11-01T11:00:00", "rating": "not_helpful", "reason": None, "comment": None,
         "question": "te oud", "citations": []},
    ]
    items = feedback_items(rows, since="2026-11-30")
    assert [(i.kind, i.section, i.reason) for i in items] == [
        ("not_helpful", "derde-leerweg#voor-wie", "onjuist"), ("not_helpful", "derde-leerweg#voor-wie", "verouderd")]
    [group] = group_gaps(items, FakeEmbedder().embed_queries, SIM)
    assert group.reasons == {"onjuist": 1, "verouderd": 1} and group.comments == ["klopt niet"]
    assert group.suggestion["kind"] == "revise"


def test_section_stats_count_answers_and_ratings(kb) -> None:
    logged = [q("a", abstained=False, confidence=0.9, sections=("derde-leerweg#voor-wie", "mbo-basis#x")),
              q("b", abstained=False, confidence=0.9, sections=("derde-leerweg#voor-wie",)),
              q("c", abstained=True)]
    rows = [{"created_at": "2026-12-02", "rating": "helpful", "citations": ["/kb/derde-leerweg#voor-wie"]},
            {"created_at": "2026-12-02", "rating": "not_helpful", "reason": "onvolledig",
             "citations": ["/kb/derde-leerweg#voor-wie"]},
            {"created_at": "2026-12-02", "rating": "not_helpful", "reason": "onjuist",
             "citations": ["/kb/derde-leerweg#voor-wie"]}]
    first, second = section_stats(logged, rows, kb)
    assert (first.key, first.answered, first.cited, first.helpful, first.not_helpful) == (
        "derde-leerweg#voor-wie", 2, 2, 1, 2)
    assert first.helpful_rate == 1 / 3 and first.reasons == {"onvolledig": 1, "onjuist": 1}
    assert first.article == kb.by_slug["derde-leerweg"].title
    assert (second.key, second.answered, second.cited, second.helpful_rate) == ("mbo-basis#x", 0, 1, None)


def test_stale_articles_past_review_interval_or_valid_until(kb) -> None:
    newest = max(a.last_reviewed for a in kb.articles)
    assert stale_articles(kb, newest, 3650) == [] or all("geldig tot" in s.why for s in
                                                          stale_articles(kb, newest, 3650))
    everything = stale_articles(kb, date(2040, 1, 1), 365)
    assert len(everything) == len(kb.articles)
    assert all("dagen geleden" in s.why for s in everything)
    oldest = min(a.last_reviewed for a in kb.articles)
    just_due = stale_articles(kb, oldest.replace(year=oldest.year + 1), 365)
    assert just_due and all(s.last_reviewed == oldest for s in just_due if "dagen geleden" in s.why)


def test_centring_removes_what_all_questions_share() -> None:
    shared = np.array([1.0, 0.0, 0.0])
    a, b = shared + [0, 0.3, 0], shared + [0, 0, 0.3]  # alike only in what every question has
    assert cluster(np.stack([a, b]), 0.9) == [0, 0]
    assert cluster(np.stack([a, b]), 0.9, center=shared) == [0, 1]


def test_article_figures_add_up_their_sections(kb) -> None:
    from assistant.insights.stats import article_stats

    logged = [q("a", abstained=False, confidence=0.9, sections=("derde-leerweg#voor-wie",)),
              q("b", abstained=False, confidence=0.9, sections=("derde-leerweg#modules", "mbo-basis#x"))]
    rows = [{"created_at": "2026-12-02", "rating": "not_helpful", "reason": "onjuist",
             "citations": ["/kb/derde-leerweg#modules"]}]
    [dlw, mbo] = article_stats(section_stats(logged, rows, kb))
    assert (dlw.key, dlw.answered, dlw.cited, dlw.not_helpful, dlw.reasons) == ("derde-leerweg", 2, 2, 1,
                                                                                 {"onjuist": 1})
    assert (mbo.key, mbo.answered, mbo.cited) == ("mbo-basis", 0, 1)
