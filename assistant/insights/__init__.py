"""Editor insights: the question log, feedback, gaps, per-section figures and stale articles."""
