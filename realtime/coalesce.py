"""Coalesced pushes: at most one frame per interval per topic, however many changes landed.

A hot topic (a livestream's comments and counters, a flash sale's stock, a group-buy campaign's
seats) changes far more often than a watcher can use. So the writes push nothing themselves: every
process with at least one socket watching a topic runs one asyncio task for it (started by the
topic's ``on_join`` hook, stopped after the last ``on_leave``) that wakes every interval, asks the
app's ``collect(key, watching)`` what changed, and publishes that.

Why in the socket server's event loop and not in Celery or in the request: the in-memory channel
layer of the embedded mode exists only inside daphne, a deadline (a sale starting) needs a clock
rather than a write to trigger it, and a topic nobody watches through a process costs that process
nothing. Across processes (Redis mode, several daphnes) ``claim_window`` lets one process publish
per window; ``collect`` keeps what it last published in the cache so watchers get each change once.
"""

import asyncio
import time
from collections.abc import Callable

import structlog
from channels.db import database_sync_to_async
from django.core.cache import cache

from realtime.publish import broadcast_async

log = structlog.get_logger(__name__)

Frames = list[tuple[str, dict]]


def claim_window(name: str, key: int, interval_ms: int) -> bool:
    """True for the first process to ask in this interval-long window (one publisher per window
    across every process watching the topic)."""
    window = int(time.time() * 1000) // interval_ms
    return bool(cache.add(f"coalesce:{name}:{key}:{window}", 1, timeout=5))


class Coalescer:
    """One flusher task per watched key in this process, publishing ``collect``'s frames."""

    def __init__(
        self,
        name: str,
        *,
        topic: Callable[[int], str],
        interval_ms: Callable[[], int],
        collect: Callable[[int, int], Frames],
        prime: Callable[[int], None] | None = None,
    ) -> None:
        self.name = name
        self.topic = topic
        self.interval_ms = interval_ms
        self.collect = collect
        # Runs (in a worker thread) when this process starts watching a key, before the client
        # hears it is subscribed: a collector that pushes only changes records the state the
        # client is about to fetch.
        self.prime = prime
        self._watching: dict[int, int] = {}
        self._flushers: dict[int, asyncio.Task] = {}

    def watching(self, key: int) -> int:
        """Sockets of this process watching ``key``."""
        return self._watching.get(key, 0)

    async def on_join(self, connection, argument: str) -> None:
        key = int(argument)
        self._watching[key] = self._watching.get(key, 0) + 1
        task = self._flushers.get(key)
        if task is None or task.done():
            if self.prime is not None:
                await database_sync_to_async(self.prime)(key)
            self._flushers[key] = asyncio.get_running_loop().create_task(self._run(key))

    async def on_leave(self, connection, argument: str) -> None:
        key = int(argument)
        left = self._watching.get(key, 1) - 1
        if left > 0:
            self._watching[key] = left
            return
        self._watching.pop(key, None)  # the flusher sees it and stops after its current round

    async def flush_now(self, key: int, *, watching: int = 0) -> None:
        """Run one round at once (tests and tooling)."""
        await self._publish(key, await database_sync_to_async(self.collect)(key, watching))

    async def _publish(self, key: int, frames: Frames) -> None:
        for event_type, data in frames:
            await broadcast_async(self.topic(key), event_type, data)

    async def _run(self, key: int) -> None:
        try:
            while True:
                await asyncio.sleep(self.interval_ms() / 1000)
                watching = self._watching.get(key, 0)
                if not watching:
                    # Stop between rounds, never inside one: a round that claimed a window or
                    # recorded a state as published always publishes it (watchers in other
                    # processes rely on that).
                    return
                try:
                    await self.flush_now(key, watching=watching)
                except Exception:
                    log.exception("realtime.coalesce_failed", coalescer=self.name, key=key)
        finally:
            if self._flushers.get(key) is asyncio.current_task():
                self._flushers.pop(key, None)
