"""One dedicated thread for all model work: torch calls from changing threads cost double."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


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


class Batcher(Generic[T, R]):
    """Collects requests that arrive while the model is busy and answers them as one batch.

    Under light load every request is a batch of one, so nothing waits for company. Under load
    the requests that queued during one model call go into the next: a batch of 8 questions costs
    about half as much per question as 8 single calls. `answer_many` runs on the model thread and
    returns one result per request, in order; a result that is an exception is raised to its caller.
    """

    def __init__(self, thread: ModelThread, answer_many: Callable[[list[T]], list[R | Exception]],
                 max_batch: int = 16, max_waiting: int = 128):
        self._thread, self._answer_many, self._max = thread, answer_many, max_batch
        self._max_waiting = max_waiting
        self._pending: list[tuple[T, Future[R]]] = []
        self._lock = threading.Lock()

    async def submit(self, request: T) -> R:
        """Answer one request, batched with whatever else is waiting; QueueFull when too many wait."""
        future: Future[R] = Future()
        with self._lock:
            if len(self._pending) >= self._max_waiting:
                raise QueueFull(f"{len(self._pending)} requests are already waiting for the model")
            self._pending.append((request, future))
        self._thread.submit(self._drain)  # one drain per request; later ones may find nothing left
        return await asyncio.wrap_future(future)

    def _drain(self) -> None:
        with self._lock:
            batch, self._pending = self._pending[: self._max], self._pending[self._max :]
        # A caller that gave up (its task was cancelled) is left out; the others are not held up.
        batch = [(request, future) for request, future in batch if future.set_running_or_notify_cancel()]
        if not batch:
            return
        try:
            results = self._answer_many([request for request, _ in batch])
        except Exception as exc:  # a failure of the whole batch reaches every waiting caller
            results = [exc] * len(batch)
        for (_, future), result in zip(batch, results, strict=True):
            if isinstance(result, Exception):
                future.set_exception(result)
            else:
                future.set_result(result)


class QueueFull(RuntimeError):
    """Too many requests are waiting for the model: answer later instead of queueing without end."""
