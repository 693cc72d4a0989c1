"""One dedicated thread for all model work: torch calls from changing threads cost double."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class ModelThread:
    """A single worker thread that runs model calls (and whole questions) one at a time.

    With torch (OpenMP) at 2 threads, every Python thread that calls the model gets its own
    OpenMP team; calls from a server's changing pool threads then each cost about double. Running
    every call here keeps them at single-call speed. `run` is re-entrant: called from the worker
    itself it runs the function directly, so a question answered on this thread can embed inline.
    """

    def __init__(self, name: str = "model"):
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._local = threading.local()

    def _mark(self, fn: Callable[..., T], *args: object) -> T:
        self._local.inside = True
        return fn(*args)

    @property
    def inside(self) -> bool:
        """True when the calling code already runs on this thread."""
        return getattr(self._local, "inside", False)

    def submit(self, fn: Callable[..., T], *args: object) -> Future[T]:
        """Queue fn(*args) on the worker thread."""
        return self._pool.submit(self._mark, fn, *args)

    def run(self, fn: Callable[..., T], *args: object) -> T:
        """Run fn(*args) on the worker thread and wait for its result."""
        if self.inside:
            return fn(*args)
        return self.submit(fn, *args).result()

    async def run_async(self, fn: Callable[..., T], *args: object) -> T:
        """Await fn(*args) on the worker thread without blocking the event loop or a pool thread."""
        return await asyncio.wrap_future(self.submit(fn, *args))

    def close(self) -> None:
        """Stop the worker thread once queued work is done."""
        self._pool.shutdown(wait=False)
