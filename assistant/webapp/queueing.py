"""Ask the engine on behalf of a web request: give up when the caller has gone, map a full queue."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse

from assistant.search.model_thread import ClientQueueFull, QueueFull

T = TypeVar("T")
BUSY = "Routewijzer is nu erg druk. Probeer het over een paar seconden opnieuw."
CLIENT_BUSY = ("U heeft al veel vragen tegelijk openstaan. Wacht op de antwoorden en probeer het "
               "daarna opnieuw.")
RETRY_AFTER = {"Retry-After": "2"}


class ClientGone(Exception):
    """The caller closed the connection before the answer was ready."""


async def unless_gone(request: Request, work: Awaitable[T]) -> T:
    """Await `work`, but cancel it as soon as the client disconnects (so it never reaches the model)."""
    task = asyncio.ensure_future(work)

    async def disconnected() -> None:
        while (await request.receive())["type"] != "http.disconnect":
            pass

    watcher = asyncio.ensure_future(disconnected())
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        task.cancel()
        raise
    finally:
        watcher.cancel()
    if task.done():
        return task.result()
    task.cancel()
    raise ClientGone


def busy_status(exc: QueueFull) -> tuple[int, str]:
    """429 when this client alone has too much waiting, 503 when the whole queue is full."""
    return (429, CLIENT_BUSY) if isinstance(exc, ClientQueueFull) else (503, BUSY)


def busy_response(exc: QueueFull | None = None) -> JSONResponse:
    """The JSON answer to a full queue, with Retry-After."""
    status, message = busy_status(exc or QueueFull())
    return JSONResponse({"detail": message, "field": None}, status_code=status, headers=RETRY_AFTER)
