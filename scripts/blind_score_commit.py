"""Score an older commit of Routewijzer on today's blind set: the 'before' figure in docs/evaluation.md.

From the project folder (main), with stop 9's commit in a worktree beside it:

    git worktree add ../rw-old bc51a39
    export ASSISTANT_INDEX_DIR=/tmp/old-index ASSISTANT_MODEL=$PWD/models/multilingual-e5-small
    (cd ../rw-old && ../main/.venv/bin/python -c \\
        "from assistant.settings import Settings; from assistant.index import build_index as b; b(Settings())")
    (cd ../rw-old && ../main/.venv/bin/python ../main/scripts/blind_score_commit.py dev test)

Run from the old worktree: its `assistant` package answers, today's blind.py scores. The old tree
has no `assistant.answers.types`, so its `answer_types` module stands in for it.
"""

import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]  # this checkout (main)
sys.path.insert(0, str(Path.cwd()))  # the old worktree

import assistant.answer_types as old_types  # noqa: E402  (the old tree's module)

from assistant.engine import Routewijzer  # noqa: E402
from assistant.settings import Settings  # noqa: E402

sys.modules["assistant.answers"] = type(sys)("assistant.answers")
sys.modules["assistant.answers.types"] = old_types
spec = importlib.util.spec_from_file_location("blind", HERE / "assistant" / "quality" / "blind.py")
blind = importlib.util.module_from_spec(spec)
sys.modules["blind"] = blind
spec.loader.exec_module(blind)

rw = Routewijzer.load(Settings())
blind_set = blind.load_blind_set(HERE / "tests" / "eval" / "blind")
for part in sys.argv[1:]:
    report = blind.score(lambda q, c: rw.ask(q, c), blind_set.part(part))
    report.pop("failures")
    print(part, json.dumps(report))
