"""Editors' commands: `gaps` (the report as text, JSON or CSV) and `beheer wachtwoord` (a password hash)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from assistant.insights.gaps import KINDS
from assistant.insights.report import Report, build_report, gaps_csv, since_days
from assistant.settings import Settings

DEFAULT_DAYS = 7


def run_gaps(settings: Settings, args: argparse.Namespace) -> int:
    """Print this period's gap groups (largest first), section figures and stale articles."""
    from assistant.content.kb import load_kb
    from assistant.insights.pg_store import question_store
    from assistant.search.embedder import make_embedder
    from assistant.webapp.feedback import FeedbackStore

    since = args.since.isoformat() if args.since else since_days(None if args.all else DEFAULT_DAYS)
    kb = load_kb(settings.kb_dir, settings.seeds_dir)
    shared = settings.database_url is not None  # PostgreSQL: the tables are there or made now
    store = question_store(settings) if shared or settings.question_log_db.exists() else None
    feedback = FeedbackStore.from_settings(settings).all() if shared or settings.feedback_db.exists() else []
    embedder = make_embedder(settings)
    try:
        report = build_report(kb, embedder, settings, feedback, store, since, date.today())
    finally:
        embedder.close()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    elif args.csv:
        sys.stdout.write(gaps_csv(report))
    else:
        print(format_report(report))
    return 0


def format_report(report: Report) -> str:
    """The report as plain text for the terminal."""
    period = f"vanaf {report.since}" if report.since else "alles"
    lines = [f"Hiaten {period} (t/m {report.today}): {report.questions} vragen gelogd, "
             f"{report.abstained} zonder antwoord; {report.feedback} beoordelingen, "
             f"{report.not_helpful} niet behulpzaam."]
    if not report.logging:
        lines.append("Het vragenlog staat uit (ASSISTANT_QUESTION_LOG); alleen feedback telt mee.")
    for n, g in enumerate(report.gaps, 1):
        kinds = ", ".join(f"{KINDS[k]} {c}" for k, c in g.kinds.most_common())
        lines += ["", f"{n}. {g.count}× — {kinds}" + (f" — naar {g.section}" if g.section else "")]
        lines += [f"   - {e}" for e in g.examples]
        if g.reasons:
            lines.append("   redenen: " + ", ".join(f"{r} {c}" for r, c in g.reasons.most_common()))
        lines += ["   " + g.suggestion["title"] + ":"]
        lines += ["     " + line for line in g.suggestion["text"].splitlines()]
    if not report.gaps:
        lines += ["", "Geen hiaten in deze periode."]
    if report.stale:
        lines += ["", "Te controleren artikelen:"]
        lines += [f"  - {s.path}: {s.why}" for s in report.stale]
    return "\n".join(lines)


def run_password(settings: Settings, args: argparse.Namespace) -> int:
    """Ask for a password twice (or read one line from stdin) and print its hash, or naam:hash, for the settings."""
    import getpass

    from assistant.webapp.editor_accounts import AccountsError, account_line
    from assistant.webapp.editor_auth import hash_password

    if args.gebruiker is not None:
        try:
            account_line(args.gebruiker, "scrypt$1$1$1$a$a")  # check the name before asking for a password
        except AccountsError:
            print("error: een gebruikersnaam bestaat uit letters, cijfers en . _ @ - (hoogstens 64 tekens)",
                  file=sys.stderr)
            return 2
    if sys.stdin.isatty():
        password = getpass.getpass("Nieuw wachtwoord: ")
        if password != getpass.getpass("Nog een keer: "):
            print("error: de wachtwoorden zijn niet gelijk", file=sys.stderr)
            return 2
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < 12:
        print("error: kies een wachtwoord van minstens 12 tekens", file=sys.stderr)
        return 2
    hashed = hash_password(password)
    if args.gebruiker is None:
        print(hashed)
        print("Zet deze waarde in ASSISTANT_EDITOR_PASSWORD_HASH (tussen enkele aanhalingstekens: de $ "
              "hoort erbij) en de gebruikersnaam in ASSISTANT_EDITOR_USER. Voor meer redacteuren: "
              "gebruik --gebruiker NAAM.", file=sys.stderr)
        return 0
    print(account_line(args.gebruiker, hashed))
    print("Zet deze regel in het bestand van ASSISTANT_EDITORS_FILE (of voeg hem, met een komma, toe aan "
          "ASSISTANT_EDITORS) en start de server opnieuw. Staat de naam er al, vervang dan die regel.",
          file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `gaps` and `beheer` subcommands."""
    beheer = sub.add_parser("beheer", help="editor pages (/beheer)").add_subparsers(dest="beheer_cmd", required=True)
    password = beheer.add_parser("wachtwoord", help="print the hash of a new editor password (with --gebruiker: "
                                                    "the line to add to ASSISTANT_EDITORS_FILE)")
    password.add_argument("--gebruiker", metavar="NAAM", help="the editor's user name: print naam:hash")
    password.set_defaults(func=run_password)

    gaps = sub.add_parser("gaps", help="unanswered and poorly rated questions, grouped, with suggestions")
    gaps.add_argument("--since", type=date.fromisoformat, help=f"from this date (YYYY-MM-DD); default the last "
                                                                f"{DEFAULT_DAYS} days")
    gaps.add_argument("--all", action="store_true", help="everything still kept")
    gaps.add_argument("--json", action="store_true", help="print the report as JSON")
    gaps.add_argument("--csv", action="store_true", help="print the gap groups as CSV")
    gaps.set_defaults(func=run_gaps)
