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
