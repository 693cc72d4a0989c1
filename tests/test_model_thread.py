"""ModelThread: every call lands on one worker thread, re-entrant calls do not deadlock."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant.model_thread import ModelThread


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
        loop_ident, ran_on = asyncio.run(main())
        assert loop_ident != ran_on == worker.run(threading.get_ident)
        with pytest.raises(ValueError, match="kapot"):
            asyncio.run(worker.run_async(boom))
    finally:
        worker.close()
