"""ModelThread: every call lands on one worker thread, re-entrant calls do not deadlock."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest

from assistant.search.model_thread import Batcher, ModelThread, QueueFull

T = TypeVar("T")


def run(coroutine_fn: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """asyncio.run on a fresh thread: Playwright's sync API may hold a loop on the test thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine_fn()).result(timeout=30)


def test_calls_from_many_threads_all_run_on_one_thread() -> None:
    worker = ModelThread("test")
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            idents = set(pool.map(lambda _: worker.run(threading.get_ident), range(40)))
        assert len(idents) == 1 and threading.get_ident() not in idents
    finally:
        worker.close()


def test_run_inside_the_worker_runs_inline() -> None:
    worker = ModelThread("test")
    try:
        def outer() -> tuple[int, int]:
            return threading.get_ident(), worker.run(threading.get_ident)  # would deadlock if queued

        first, inner = worker.submit(outer).result(timeout=5)
        assert first == inner
        assert not worker.inside  # the calling (test) thread is not the worker
    finally:
        worker.close()


def test_run_async_leaves_the_event_loop_thread_and_propagates_errors() -> None:
    worker = ModelThread("test")

    async def main() -> tuple[int, int]:
        return threading.get_ident(), await worker.run_async(threading.get_ident)

    def boom() -> None:
        raise ValueError("kapot")

    try:
        loop_ident, ran_on = run(main)
        assert loop_ident != ran_on == worker.run(threading.get_ident)
        with pytest.raises(ValueError, match="kapot"):
            run(lambda: worker.run_async(boom))
    finally:
        worker.close()


def test_batcher_groups_requests_that_wait_and_keeps_their_order() -> None:
    worker = ModelThread("test")
    gate = threading.Event()
    batches: list[list[int]] = []

    def answer_many(requests: list[int]) -> list[int | Exception]:
        gate.wait(5)  # the first batch holds the model while the others queue up
        batches.append(requests)
        return [ValueError(f"oneven {r}") if r % 2 else r * 10 for r in requests]

    batcher: Batcher[int, int] = Batcher(worker, answer_many, max_batch=3)

    async def main() -> list[object]:
        tasks = [asyncio.ensure_future(batcher.submit(r)) for r in range(6)]
        await asyncio.sleep(0.05)
        gate.set()
        return await asyncio.gather(*tasks, return_exceptions=True)

    try:
        results = run(main)
    finally:
        worker.close()
    assert [r if isinstance(r, int) else str(r) for r in results] == [
        0, "oneven 1", 20, "oneven 3", 40, "oneven 5"]
    assert [r for b in batches for r in b] == list(range(6))  # every request once, in order
    assert max(len(b) for b in batches) == 3 and len(batches) < 6  # waiting requests were batched


def test_batcher_failure_reaches_every_caller_of_the_batch() -> None:
    worker = ModelThread("test")

    def broken(requests: list[int]) -> list[int | Exception]:
        raise RuntimeError("model weg")

    batcher: Batcher[int, int] = Batcher(worker, broken)

    async def main() -> list[object]:
        return await asyncio.gather(*(batcher.submit(r) for r in range(3)), return_exceptions=True)

    try:
        results = run(main)
    finally:
        worker.close()
    assert all(isinstance(r, RuntimeError) and "model weg" in str(r) for r in results)


def test_batcher_refuses_when_too_many_wait_and_skips_callers_who_gave_up() -> None:
    worker = ModelThread("test")
    gate, started = threading.Event(), threading.Event()
    seen: list[int] = []

    def answer_many(requests: list[int]) -> list[int | Exception]:
        started.set()
        gate.wait(5)
        seen.extend(requests)
        return requests

    batcher: Batcher[int, int] = Batcher(worker, answer_many, max_batch=8, max_waiting=3)

    async def main() -> tuple[list[object], bool]:
        first = asyncio.ensure_future(batcher.submit(0))  # taken by the model, which then waits
        assert await asyncio.get_running_loop().run_in_executor(None, started.wait, 5)
        waiting = [asyncio.ensure_future(batcher.submit(r)) for r in (1, 2, 3)]
        await asyncio.sleep(0.05)
        refused = False
        try:
            await batcher.submit(4)
        except QueueFull:
            refused = True
        waiting[1].cancel()  # this caller gives up while it waits …
        await asyncio.sleep(0.05)  # … which reaches its future on the loop's next turn
        gate.set()
        results = await asyncio.gather(first, *waiting, return_exceptions=True)
        return results, refused

    try:
        results, refused = run(main)
    finally:
        worker.close()
    assert refused
    assert results[0] == 0 and results[1] == 1 and results[3] == 3
    assert isinstance(results[2], asyncio.CancelledError)
    assert seen == [0, 1, 3]  # the cancelled request never reached the model


def test_batcher_serves_clients_in_turn_so_a_greedy_one_cannot_starve_others() -> None:
    from assistant.search.model_thread import CLIENT

    worker = ModelThread("test")
    gate, started = threading.Event(), threading.Event()
    batches: list[list[str]] = []

    def answer_many(requests: list[str]) -> list[str | Exception]:
        started.set()
        gate.wait(5)
        batches.append(requests)
        return requests

    batcher: Batcher[str, str] = Batcher(worker, answer_many, max_batch=4, max_waiting=100)

    async def ask_as(client: str, request: str) -> str:
        CLIENT.set(client)  # a task has its own copy of the context
        return await batcher.submit(request)

    async def main() -> list[object]:
        first = asyncio.ensure_future(ask_as("greedy", "g-first"))
        assert await asyncio.get_running_loop().run_in_executor(None, started.wait, 5)
        greedy = [asyncio.ensure_future(ask_as("greedy", f"g{i}")) for i in range(40)]
        await asyncio.sleep(0.02)
        normal = asyncio.ensure_future(ask_as("normal", "n"))
        await asyncio.sleep(0.02)
        gate.set()
        return await asyncio.gather(first, normal, *greedy)

    try:
        run(main)
    finally:
        worker.close()
    where = next(i for i, b in enumerate(batches) if "n" in b)
    assert where == 1, batches  # in the first batch after the one running: not behind 40 greedy ones


def test_batcher_limits_one_clients_waiting_requests() -> None:
    from assistant.search.model_thread import CLIENT, ClientQueueFull

    worker = ModelThread("test")
    gate = threading.Event()
    batcher: Batcher[int, int] = Batcher(worker, lambda rs: (gate.wait(5), rs)[1], max_batch=2,
                                         max_per_client=3)

    async def ask_as(client: str, r: int) -> int:
        CLIENT.set(client)
        return await batcher.submit(r)

    async def main() -> list[object]:
        tasks = [asyncio.ensure_future(ask_as("greedy", r)) for r in range(8)]
        other = asyncio.ensure_future(ask_as("other", 99))
        await asyncio.sleep(0.05)
        gate.set()
        return await asyncio.gather(*tasks, other, return_exceptions=True)

    try:
        results = run(main)
    finally:
        worker.close()
    refused = [r for r in results if isinstance(r, ClientQueueFull)]
    assert refused and results[-1] == 99  # the greedy client is refused, the other one is served


def test_batcher_refuses_when_the_expected_wait_is_too_long() -> None:
    worker = ModelThread("test")
    gate, started = threading.Event(), threading.Event()

    def answer_many(requests: list[int]) -> list[int | Exception]:
        started.set()
        gate.wait(5)
        return requests

    batcher: Batcher[int, int] = Batcher(worker, answer_many, max_batch=2, max_wait=1.0)
    batcher.batch_seconds = 0.6  # as measured on earlier batches

    async def main() -> list[object]:
        first = asyncio.ensure_future(batcher.submit(0))
        assert await asyncio.get_running_loop().run_in_executor(None, started.wait, 5)
        more = [asyncio.ensure_future(batcher.submit(r)) for r in range(1, 6)]
        await asyncio.sleep(0.05)
        gate.set()
        return await asyncio.gather(first, *more, return_exceptions=True)

    try:
        results = run(main)
    finally:
        worker.close()
    assert results[:3] == [0, 1, 2]  # the first two waiting fit in one batch (0.6 s)
    assert all(isinstance(r, QueueFull) for r in results[3:])  # the next would wait 1.2 s


def test_one_client_fills_at_most_its_share_of_a_batch() -> None:
    from assistant.search.model_thread import CLIENT

    worker = ModelThread("test")
    gate, started = threading.Event(), threading.Event()
    batches: list[list[str]] = []

    def answer_many(requests: list[str]) -> list[str | Exception]:
        started.set()
        gate.wait(5)
        batches.append(requests)
        return requests

    batcher: Batcher[str, str] = Batcher(worker, answer_many, max_batch=8, max_waiting=100, client_share=3)

    async def ask_as(client: str, request: str) -> str:
        CLIENT.set(client)
        return await batcher.submit(request)

    async def main() -> list[object]:
        first = asyncio.ensure_future(ask_as("greedy", "g-first"))
        assert await asyncio.get_running_loop().run_in_executor(None, started.wait, 5)
        greedy = [asyncio.ensure_future(ask_as("greedy", f"g{i}")) for i in range(10)]
        normal = [asyncio.ensure_future(ask_as("normal", f"n{i}")) for i in range(2)]
        await asyncio.sleep(0.02)
        gate.set()
        return await asyncio.gather(first, *greedy, *normal)

    try:
        results = run(main)
    finally:
        worker.close()
    assert len(results) == 13  # everyone answered
    assert all(sum(r.startswith("g") for r in b) <= 3 for b in batches[1:]), batches
    assert batches[1] == ["g0", "n0", "g1", "n1", "g2"]  # in turn, the greedy client capped at 3


def test_several_workers_run_calls_side_by_side_each_on_its_own_thread() -> None:
    workers = ModelThread("test", workers=2)
    both = threading.Barrier(2, timeout=5)  # passes only when two calls run at the same time

    def meet() -> tuple[int, int | None]:
        both.wait()
        return threading.get_ident(), workers.index

    try:
        first, second = workers.submit(meet), workers.submit(meet)
        (ident_a, index_a), (ident_b, index_b) = first.result(timeout=10), second.result(timeout=10)
        assert ident_a != ident_b and {index_a, index_b} == {0, 1}
        assert workers.index is None and not workers.inside  # the test thread is no worker
        # a worker keeps its thread: the same number always answers from the same thread
        seen = {workers.run(lambda: (workers.index, threading.get_ident())) for _ in range(40)}
        assert seen <= {(index_a, ident_a), (index_b, ident_b)}
    finally:
        workers.close()
        workers.close()  # a second close does nothing


def test_run_on_each_reaches_every_worker_and_run_alone_waits_for_the_others() -> None:
    workers = ModelThread("test", workers=3)
    busy, lock, overlap = [0], threading.Lock(), []
    release = threading.Event()

    def question() -> None:
        with lock:
            busy[0] += 1
        release.wait(5)
        with lock:
            busy[0] -= 1

    def swap() -> None:
        with lock:
            overlap.append(busy[0])  # questions half-way through while the swap runs

    try:
        assert workers.run_on_each(lambda: workers.index) == [0, 1, 2]
        idents = workers.run_on_each(threading.get_ident)
        assert len(set(idents)) == 3
        pending = [workers.submit(question) for _ in range(2)]
        with ThreadPoolExecutor(max_workers=1) as caller:
            alone = caller.submit(workers.run_alone, swap)
            assert not alone.done()  # held back while two questions are busy
            release.set()
            alone.result(timeout=10)
        assert all(p.done() for p in pending) and overlap == [0]

        def inner() -> None:
            workers.run_on_each(threading.get_ident)  # would wait for itself

        with pytest.raises(RuntimeError, match="inside"):
            workers.submit(inner).result(timeout=5)
    finally:
        workers.close()


def test_run_alone_raises_the_error_of_its_function() -> None:
    workers = ModelThread("test", workers=2)

    def broken() -> None:
        raise ValueError("kapot")

    try:
        with pytest.raises(ValueError, match="kapot"):
            workers.run_alone(broken)
        assert workers.run(lambda: 7) == 7  # the workers still answer
    finally:
        workers.close()


def test_batcher_with_one_request_per_batch_spreads_waiting_requests_over_the_workers() -> None:
    workers = ModelThread("test", workers=2)
    gate = threading.Event()
    ran_on: list[tuple[list[int], int | None]] = []

    def answer_many(requests: list[int]) -> list[int | Exception]:
        gate.wait(5)
        ran_on.append((requests, workers.index))
        return [r * 10 for r in requests]

    batcher: Batcher[int, int] = Batcher(workers, answer_many, max_batch=1)

    async def main() -> list[int]:
        tasks = [asyncio.ensure_future(batcher.submit(r)) for r in range(6)]
        await asyncio.sleep(0.05)
        gate.set()
        return await asyncio.gather(*tasks)

    try:
        assert run(main) == [0, 10, 20, 30, 40, 50]
    finally:
        workers.close()
    assert all(len(requests) == 1 for requests, _ in ran_on) and len(ran_on) == 6
    assert {index for _, index in ran_on} == {0, 1}  # both workers answered
