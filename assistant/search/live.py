"""Live index swap: watch index/CURRENT and hand a newly built index to the server without a restart."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from assistant.search.index import CURRENT

log = logging.getLogger("uvicorn.error")


def current_version(index_dir: Path) -> str | None:
    """The version index/CURRENT names, or None when there is none (yet)."""
    try:
        return (index_dir / CURRENT).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


class IndexWatcher:
    """Checks index/CURRENT every `interval_s` seconds; calls `on_change(version)` when it names another.

    `index build` switches CURRENT atomically once a new index is complete, so the server never
    sees a half-written one. `on_change` loads the new index beside the old, which keeps serving
    until the swap; when loading fails (a corrupt or mismatched index), the old one stays and the
    failure is logged once per version.
    """

    def __init__(self, index_dir: Path, interval_s: float, serving: str, on_change: Callable[[str], object]):
        self.index_dir, self.interval_s, self.serving = index_dir, interval_s, serving
        self._on_change = on_change
        self._failed: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="index-watch", daemon=True)

    def check(self) -> bool:
        """One look at CURRENT; True when a new index was taken into use."""
        version = current_version(self.index_dir)
        if version is None or version in (self.serving, self._failed):
            return False
        try:
            self._on_change(version)
        except Exception as exc:  # noqa: BLE001 - any failure keeps the old index serving
            self._failed = version
            log.error("Nieuwe index %s niet in gebruik genomen; de vorige blijft actief: %s", version, exc)
            return False
        self.serving = version
        log.info("Routewijzer: index %s in gebruik genomen", version)
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.check()

    def start(self) -> IndexWatcher:
        """Start watching in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop watching (the thread ends within one interval)."""
        self._stop.set()
