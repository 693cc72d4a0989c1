"""Prometheus metrics (ASSISTANT_METRICS): requests and latency by route, answers and abstentions,
the model's queue (depth, wait), model time per batch and the index version being served.

Off by default. On: `GET /metrics` on the app's port, or, with ASSISTANT_METRICS_PORT, on its own
port bound to 127.0.0.1 (scraped from the machine or a sidecar, never public). Labels are route
templates (`/kb/{slug}`), never paths, addresses or questions: nothing personal, bounded cardinality.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


class Metrics:
    """One registry per app, so several apps in one process (tests) do not mix their figures."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("routewijzer_http_requests", "HTTP requests by route, method and status.",
                                ["route", "method", "status"], registry=r)
        self.latency = Histogram("routewijzer_http_request_seconds", "Time to the end of the response, by route.",
                                 ["route"], buckets=LATENCY_BUCKETS, registry=r)
        self.answers = Counter("routewijzer_answers", "Questions answered by the model: answered or abstained.",
                               ["outcome"], registry=r)
        self.queue_wait = Histogram("routewijzer_queue_wait_seconds", "Time a question waited for the model.",
                                    buckets=LATENCY_BUCKETS, registry=r)
        self.model_time = Histogram("routewijzer_model_batch_seconds", "Model time of one batch of questions.",
                                    buckets=LATENCY_BUCKETS, registry=r)
        self.batch_size = Histogram("routewijzer_model_batch_size", "Questions per model batch.",
                                    buckets=(1, 2, 4, 8, 16, 32), registry=r)
        self.engine: Any = None
        r.register(_EngineCollector(self))

    def watch(self, engine: Any) -> None:
        """Observe the engine's model queue (when it has one) and report its index version."""
        self.engine = engine
        batcher = getattr(engine, "queue", None)
        if batcher is not None:
            batcher.observer = self.observe_batch

    def observe_batch(self, waits: list[float], seconds: float, results: list[object]) -> None:
        """Called on the model thread after each batch."""
        for wait in waits:
            self.queue_wait.observe(wait)
        self.model_time.observe(seconds)
        self.batch_size.observe(len(results))
        for result in results:
            if hasattr(result, "abstained"):
                self.answers.labels("abstained" if result.abstained else "answered").inc()

    def exposition(self) -> bytes:
        """The text format Prometheus scrapes."""
        return generate_latest(self.registry)


class _EngineCollector(Collector):
    """Read at scrape time: queue depth and the index version now served (it may change at run time)."""

    def __init__(self, metrics: Metrics):
        self.metrics = metrics

    def collect(self) -> Iterator[GaugeMetricFamily]:
        engine = self.metrics.engine
        queue = getattr(engine, "queue", None)
        depth = GaugeMetricFamily("routewijzer_queue_depth", "Questions waiting for the model now.")
        depth.add_metric([], float(getattr(queue, "waiting", 0)))
        yield depth
        info = GaugeMetricFamily("routewijzer_index_info", "The index version served (value 1).", labels=["version"])
        version = getattr(engine, "index_version", None)
        if version:
            info.add_metric([str(version)], 1.0)
        yield info


class RequestMetrics:
    """Count every request and time it, labelled by the matched route template."""

    def __init__(self, app: ASGIApp, metrics: Metrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = getattr(scope.get("route"), "path", None)
            if route is None:
                route = "/static" if scope.get("path", "").startswith("/static/") else "unmatched"
            self.metrics.requests.labels(route, scope.get("method", ""), str(status)).inc()
            self.metrics.latency.labels(route).observe(time.perf_counter() - start)


async def metrics_endpoint(request: Request) -> Response:
    """GET /metrics on the app's own port."""
    return Response(request.app.state.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)


def serve_metrics(port: int, registry: CollectorRegistry) -> None:
    """/metrics on a port of its own, 127.0.0.1 only, in a background thread."""
    from prometheus_client import start_http_server

    start_http_server(port, addr="127.0.0.1", registry=registry)
