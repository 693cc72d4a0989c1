"""Which answered questions ASSISTANT_GAP_CONFIDENCE sends to the editors' gaps, per threshold.

On the blind set's dev half (tune on dev only): of the in-scope questions Routewijzer answered,
how many answers that do not state the expected facts fall below the threshold (caught), and how
many right answers do (noise for editors); of the out-of-scope questions it answered anyway, how
many fall below. Abstentions are gaps whatever the threshold. Uses the real model and index/.

    PYTHONPATH=. .venv/bin/python scripts/gap_confidence.py
"""

from __future__ import annotations

from assistant.engine import Routewijzer
from assistant.quality.blind import load_blind_set, states
from assistant.quality.evaluation import BLIND_DIR
from assistant.settings import Settings


def main() -> None:
    blind = load_blind_set(BLIND_DIR)
    rw = Routewijzer.load(Settings())
    try:
        right, wrong, stray = [], [], []
        abstained = 0
        for item in (q for q in blind.questions if q.split == "dev"):
            answer = rw.ask(item.q)
            if answer.abstained:
                abstained += 1
            else:
                (right if states(answer.answer, item.facts) else wrong).append(answer.confidence)
        for item in (o for o in blind.out_of_scope if o.split == "dev"):
            answer = rw.ask(item.q)
            if not answer.abstained:
                stray.append(answer.confidence)
    finally:
        rw.close()
    print(f"dev half: {len(right)} right, {len(wrong)} wrong answers, {abstained} abstained; "
          f"{len(stray)} out-of-scope answered")
    print("threshold  wrong caught  right flagged  out-of-scope caught")
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        def share(xs: list[float], t: float = t) -> str:
            return f"{sum(x < t for x in xs)}/{len(xs)}"
        print(f"{t:9.1f}  {share(wrong):>12}  {share(right):>13}  {share(stray):>19}")


if __name__ == "__main__":
    main()
