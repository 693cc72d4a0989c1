"""How well gap grouping puts questions with one meaning together, per ASSISTANT_GAP_SIMILARITY.

Questions of the team-written eval set (tests/eval/questions_*.yaml; not the blind set) stand in for
logged gap questions; two questions "mean the same" when they expect the same section. For each
threshold: pair precision (grouped pairs that share a section), pair recall (same-section pairs
that are grouped) and the number of groups, for the shipped method (complete linkage, centred on the
knowledge base's phrasings) and, for comparison, without the centring. Uses the real embedding model.

    .venv/bin/python scripts/gap_grouping.py
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import yaml

from assistant.content.kb import load_kb
from assistant.insights.gaps import cluster
from assistant.insights.report import kb_center
from assistant.search.embedder import make_embedder
from assistant.settings import ROOT, Settings


def main() -> None:
    items = []
    for path in sorted(Path(ROOT / "tests" / "eval").glob("questions_*.yaml")):
        items += [(row["q"], row["expect"]) for row in yaml.safe_load(path.read_text(encoding="utf-8"))
                  if isinstance(row.get("expect"), str)]
    settings = Settings()
    embedder = make_embedder(settings)
    vectors = embedder.embed_queries([q for q, _ in items])
    center = kb_center(load_kb(settings.kb_dir), embedder.embed_queries)
    embedder.close()
    labels = [e for _, e in items]
    same = {(i, j) for i, j in itertools.combinations(range(len(items)), 2) if labels[i] == labels[j]}
    sims = vectors @ vectors.T
    pair_sims = [sims[i, j] for i, j in same]
    other = [sims[i, j] for i, j in itertools.combinations(range(len(items)), 2) if (i, j) not in same]
    print(f"{len(items)} questions, {len(set(labels))} sections, model {embedder.name}")
    print(f"cosine, same section: median {np.median(pair_sims):.3f}; other sections: median "
          f"{np.median(other):.3f}, p95 {np.percentile(other, 95):.3f}")
    for name, c, thresholds in (("centred (shipped)", center, (0.4, 0.5, 0.55, 0.6, 0.65, 0.7)),
                                ("raw", None, (0.86, 0.88, 0.90, 0.92, 0.94))):
        print(f"{name}\n threshold  groups  pair-precision  pair-recall")
        for t in thresholds:
            groups = cluster(vectors, t, c)
            grouped = {(i, j) for i, j in itertools.combinations(range(len(items)), 2) if groups[i] == groups[j]}
            precision = len(grouped & same) / len(grouped) if grouped else 1.0
            recall = len(grouped & same) / len(same)
            print(f" {t:9.2f}  {len(set(groups)):6d}  {precision:14.2f}  {recall:11.2f}")


if __name__ == "__main__":
    main()
