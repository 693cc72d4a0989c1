"""Measurement of answer quality: the evaluation harness over tests/eval/."""
