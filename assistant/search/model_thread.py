"""One dedicated thread for all model work: torch calls from changing threads cost double."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextvars import ContextVar
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


# Who is asking (set by the web app per request: the client address or widget site). The Batcher
# serves its queue round-robin over these keys, so one greedy client cannot hold every slot.
CLIENT: ContextVar[str] = ContextVar("routewijzer_client", default="")


class Batcher(Generic[T, R]):
    """Collects requests that arrive while the model is busy and answers them as one batch.

    Under light load every request is a batch of one, so nothing waits for company. Under load
    the requests that queued during one model call go into the next: a batch of 8 questions costs
    about half as much per question as 8 single calls. `answer_many` runs on the model thread and
    returns one result per request, in order; a result that is an exception is raised to its caller.

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
        return (self._waiting // self._max + 1) * self.batch_seconds

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
