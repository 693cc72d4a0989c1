"""Dedicated threads for all model work: torch calls from changing threads cost double."""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import Future
from contextvars import ContextVar
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class ModelThread:
    """Dedicated worker threads (one by default) that run model calls and whole questions.

    With torch (OpenMP) at 2 threads, every Python thread that calls the model gets its own
    OpenMP team; calls from a server's changing pool threads then each cost about double. Running
    every call here keeps them at single-call speed. `run` is re-entrant: called from a worker
    itself it runs the function directly, so a question answered on a worker can embed inline.

    With `workers` > 1 the threads share one queue: a call runs on whichever worker is free, and
    each worker keeps its own thread for its whole life, so an engine it owns (see `index` and
    `run_on_each`) is never called from another thread.
    """

    def __init__(self, name: str = "model", workers: int = 1):
        if workers < 1:
            raise ValueError("a ModelThread needs at least one worker")
        self.workers = workers
        self._queue: queue.SimpleQueue[tuple[Future, Callable[..., object], tuple] | None] = queue.SimpleQueue()
        self._local = threading.local()
        self._closed = False
        self._threads = [threading.Thread(target=self._loop, args=(i,), name=f"{name}-{i}", daemon=True)
                         for i in range(workers)]
        for thread in self._threads:
            thread.start()

    def _loop(self, index: int) -> None:
        self._local.inside, self._local.index = True, index
        while (item := self._queue.get()) is not None:
            future, fn, args = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller, as an executor does
                future.set_exception(exc)
            else:
                future.set_result(result)
            del item, future, fn, args

    @property
    def inside(self) -> bool:
        """True when the calling code already runs on one of the workers."""
        return getattr(self._local, "inside", False)

    @property
    def index(self) -> int | None:
        """The calling worker's number (0 … workers-1), or None outside the workers."""
        return getattr(self._local, "index", None)

    def submit(self, fn: Callable[..., T], *args: object) -> Future[T]:
        """Queue fn(*args) for the next free worker."""
        if self._closed:
            raise RuntimeError("the model thread is closed")
        future: Future[T] = Future()
        self._queue.put((future, fn, args))
        return future

    def run(self, fn: Callable[..., T], *args: object) -> T:
        """Run fn(*args) on a worker and wait for its result."""
        if self.inside:
            return fn(*args)
        return self.submit(fn, *args).result()

    async def run_async(self, fn: Callable[..., T], *args: object) -> T:
        """Await fn(*args) on a worker without blocking the event loop or a pool thread."""
        return await asyncio.wrap_future(self.submit(fn, *args))

    def _gathered(self, action: Callable[[], None] | None, fn: Callable[..., T] | None, *args: object) -> list[T]:
        """One task per worker, all held at a barrier until every worker holds one (so each runs on
        a different worker); then `action` runs once while all wait, then fn on each worker."""
        if self.inside:
            if self.workers > 1:
                raise RuntimeError("cannot gather every worker from inside one of them")
            if action is not None:
                action()
            return [fn(*args)] if fn is not None else []
        failed: list[BaseException] = []

        def act() -> None:
            try:
                action()  # type: ignore[misc] - only installed when given
            except BaseException as exc:  # noqa: BLE001 - raised in the caller below
                failed.append(exc)

        barrier = threading.Barrier(self.workers, action=act if action is not None else None)

        def task() -> tuple[int, T | None]:
            barrier.wait()
            return self._local.index, (fn(*args) if fn is not None else None)

        results = dict(f.result() for f in [self.submit(task) for _ in range(self.workers)])
        if failed:
            raise failed[0]
        return [results[i] for i in range(self.workers)] if fn is not None else []  # type: ignore[misc]

    def run_on_each(self, fn: Callable[..., T], *args: object) -> list[T]:
        """Run fn(*args) once on every worker (to load or warm what each owns); results by worker number."""
        return self._gathered(None, fn, *args)

    def run_alone(self, fn: Callable[[], None]) -> None:
        """Run fn on one worker while every other worker waits: no question is half-way through."""
        self._gathered(fn, None)

    def close(self) -> None:
        """Stop the workers once queued work is done (calling it again does nothing)."""
        if self._closed:
            return
        self._closed = True
        for _ in self._threads:
            self._queue.put(None)


# Who is asking (set by the web app per request: the client address or widget site). The Batcher
# serves its queue round-robin over these keys, so one greedy client cannot hold every slot.
CLIENT: ContextVar[str] = ContextVar("routewijzer_client", default="")


class Batcher(Generic[T, R]):
    """Collects requests that arrive while the model is busy and answers them as one batch.

    Under light load every request is a batch of one, so nothing waits for company. Under load
    the requests that queued during one model call go into the next: a batch of 8 questions costs
    about half as much per question as 8 single calls (sentence-transformers). With several
    workers (one engine each, `max_batch` 1) the waiting requests spread over the free workers.
    `answer_many` runs on a model worker and returns one result per request, in order; a result
    that is an exception is raised to its caller.

    Fairness: each client (the `CLIENT` context variable) has its own queue; a batch takes one
    request from each client in turn, so a client with 100 waiting questions delays another
    client's one question by about two short batches (`client_share` caps one client's part of a
    batch). The queue is bounded by count (`max_waiting`),
    per client (`max_per_client`, ClientQueueFull) and by the expected wait (`max_wait` seconds,
    estimated from recent batches); a request that still waited longer than `max_wait` is dropped
    before it reaches the model (its caller has most likely given up).
    """

    def __init__(self, thread: ModelThread, answer_many: Callable[[list[T]], list[R | Exception]],
                 max_batch: int = 16, max_waiting: int = 128, max_per_client: int | None = None,
                 max_wait: float | None = None, client_share: int | None = None):
        self._thread, self._answer_many, self._max = thread, answer_many, max_batch
        self._max_waiting, self._max_per_client, self._max_wait = max_waiting, max_per_client, max_wait
        self._client_share = client_share or max_batch  # one client's requests in one batch at most
        self._queues: OrderedDict[str, deque[tuple[T, Future[R], float]]] = OrderedDict()
        self._waiting = 0
        self._lock = threading.Lock()
        self.batch_seconds = 0.0  # moving average of one batch's model time
        # Called on the model thread after each batch: (seconds each request waited, batch seconds, results).
        self.observer: Callable[[list[float], float, list[R | Exception]], None] | None = None

    @property
    def waiting(self) -> int:
        """Requests queued for the model right now."""
        return self._waiting

    def expected_wait(self) -> float:
        """Seconds a request queued now would wait, estimated from recent batches."""
        return (self._waiting // (self._max * self._thread.workers) + 1) * self.batch_seconds

    async def submit(self, request: T) -> R:
        """Answer one request, batched with whatever else is waiting; QueueFull when too many wait."""
        future: Future[R] = Future()
        client = CLIENT.get()
        with self._lock:
            queue = self._queues.get(client)
            if self._max_per_client is not None and queue is not None and len(queue) >= self._max_per_client:
                raise ClientQueueFull(f"{len(queue)} requests of this client are already waiting")
            if self._waiting >= self._max_waiting:
                raise QueueFull(f"{self._waiting} requests are already waiting for the model")
            if self._max_wait is not None and self._waiting and self.expected_wait() > self._max_wait:
                raise QueueFull(f"the expected wait is {self.expected_wait():.1f} s")
            if queue is None:
                queue = self._queues[client] = deque()
            queue.append((request, future, time.monotonic()))
            self._waiting += 1
        self._thread.submit(self._drain)  # one drain per request; later ones may find nothing left
        return await asyncio.wrap_future(future)

    def _take(self) -> list[tuple[T, Future[R], float]]:
        """Up to max_batch requests, one per client in turn, at most `client_share` of one client;
        served clients go to the back. The share keeps each batch short enough that a client who
        arrives while one client has many questions waiting is answered within about two batches."""
        batch: list[tuple[T, Future[R], float]] = []
        taken: dict[str, int] = {}
        with self._lock:
            while len(batch) < self._max:
                ready = [c for c in self._queues if taken.get(c, 0) < self._client_share]
                if not ready:
                    break
                for client in ready:
                    queue = self._queues[client]
                    batch.append(queue.popleft())
                    taken[client] = taken.get(client, 0) + 1
                    self._waiting -= 1
                    if queue:
                        self._queues.move_to_end(client)
                    else:
                        del self._queues[client]
                    if len(batch) >= self._max:
                        break
        return batch

    def _drain(self) -> None:
        now = time.monotonic()
        batch = []
        for request, future, since in self._take():
            # A caller that gave up (its task was cancelled) is left out; the others are not held up.
            if not future.set_running_or_notify_cancel():
                continue
            if self._max_wait is not None and now - since > 2 * self._max_wait:
                future.set_exception(QueueFull(f"waited {now - since:.1f} s for the model"))
                continue
            batch.append((request, future, since))
        if not batch:
            return
        start = time.monotonic()
        results = self._answer_all([request for request, _, _ in batch])
        seconds = time.monotonic() - start
        self.batch_seconds = seconds if not self.batch_seconds else 0.8 * self.batch_seconds + 0.2 * seconds
        for (_, future, _), result in zip(batch, results, strict=True):
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)
        if self.observer is not None:
            self.observer([start - since for _, _, since in batch], seconds, results)

    def _answer_all(self, requests: list[T]) -> list[R | Exception]:
        """The batch's answers; when the batch as a whole fails, each request is answered alone,
        so one request that breaks the model (an odd character in the tokenizer) fails only itself."""
        try:
            return self._answer_many(requests)
        except Exception as exc:
            if len(requests) == 1:
                return [exc]
        results: list[R | Exception] = []
        for request in requests:
            try:
                results.extend(self._answer_many([request]))
            except Exception as exc:
                results.append(exc)
        return results


class QueueFull(RuntimeError):
    """Too many requests are waiting for the model: answer later instead of queueing without end."""


class ClientQueueFull(QueueFull):
    """This client alone already has its share of requests waiting: slow down (HTTP 429)."""
