"""Stage 3, answers: the answer types, composing an answer from retrieval hits, and calibrated confidence."""
