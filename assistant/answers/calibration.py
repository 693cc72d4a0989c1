"""Confidence calibration: a logistic model over retrieval evidence, fitted per embedding model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")
FEATURES = ("question_sim", "passage_sim", "coverage", "known", "sentence_sim")
# Used for a model that has not been calibrated yet: conservative, leans towards abstaining.
FALLBACK = {"bias": -60.0, "question_sim": 60.0, "passage_sim": 5.0, "coverage": 2.0, "known": 2.0,
            "sentence_sim": 0.0, "threshold": 0.5}


def load_weights(model: str, path: Path = CALIBRATION_FILE) -> dict[str, float]:
    """Weights and threshold fitted for this model, or the conservative fallback."""
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return dict(FALLBACK)
    return {**FALLBACK, **table.get(model, {})}


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 20000) -> dict[str, float]:
    """Class-balanced L2 logistic regression by gradient descent; returns weights on raw features."""
    mu, sd = x.mean(0), x.std(0) + 1e-9
    z = (x - mu) / sd
    sample_w = np.where(y == 1, 0.5 / max(1, (y == 1).sum()), 0.5 / max(1, (y == 0).sum()))
    w, b = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(z @ w + b)))
        g = (p - y) * sample_w
        w -= 0.5 * (z.T @ g + l2 * w)
        b -= 0.5 * g.sum()
    raw_w = w / sd
    weights = {"bias": float(b - (raw_w * mu).sum())}
    weights.update({name: float(v) for name, v in zip(FEATURES, raw_w, strict=True)})
    return weights


def choose_threshold(p_in: np.ndarray, p_out: np.ndarray, max_wrong_abstain: float = 0.02) -> float:
    """The highest threshold that abstains on at most `max_wrong_abstain` of in-scope questions."""
    candidates = sorted(set(np.round(np.linspace(0.05, 0.95, 91), 2)), reverse=True)
    for t in candidates:
        if (p_in < t).mean() <= max_wrong_abstain:
            return float(t)
    return 0.05


def save_weights(model: str, weights: dict[str, float], path: Path = CALIBRATION_FILE) -> None:
    """Store the weights for one model, keeping the others."""
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        table = {}
    table[model] = {k: round(v, 4) for k, v in weights.items()}
    path.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
