"""Throttled, coalesced pushes of a flash sale's state to ``groupbuy.flash_sale:<id>``.

A sale selling hundreds of units a second must not send hundreds of frames a second to every
watcher. So purchases push nothing themselves: every process with at least one socket watching a
sale runs one asyncio task for it (started by the topic's ``on_join`` hook, stopped after the last
``on_leave``) that wakes every ``FLASH_SALE_PUSH_INTERVAL_MS``, reads the sale's row (one primary
key lookup) and pushes only what changed since the last push:

* ``groupbuy.flash_sale.stock_changed`` when the remaining stock (or sold-out state) moved: however
  many purchases landed in the window, one frame carrying the latest count;
* ``groupbuy.flash_sale.started`` when the clock passes ``starts_at``, ``…ended`` at ``ends_at``.

Across processes (Redis mode, several daphnes) a per-window cache key lets one process publish per
window, and the last published state lives in the cache, so watchers get each change once. Why
here and not from the purchase or a Celery ETA task: the in-memory channel layer of the embedded
mode exists only inside daphne, the start and end need a clock rather than a write to trigger
them, and a sale nobody watches costs nothing. Nobody watching means nobody to tell.
"""

import asyncio
import time

import structlog
from channels.db import database_sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from groupbuy import flash_events
from groupbuy.models import FlashSale
from groupbuy.selectors_flash import ENDED, SCHEDULED, flash_sale_status
from realtime.publish import broadcast_async

log = structlog.get_logger(__name__)

_watchers: dict[int, int] = {}
_flushers: dict[int, asyncio.Task] = {}


def _interval_ms() -> int:
    return max(50, int(settings.FLASH_SALE_PUSH_INTERVAL_MS))


def _last_key(sale_id: int) -> str:
    return f"flash:pushed:{sale_id}"


def changes(sale_id: int, *, claim_window: bool = True) -> list[tuple[str, dict]]:
    """What to push for one sale now (empty when nothing changed or another process has this
    window); records what it returns as pushed."""
    if claim_window:
        window = int(time.time() * 1000) // _interval_ms()
        if not cache.add(f"flash:tick:{sale_id}:{window}", 1, timeout=5):
            return []
    row = (
        FlashSale.objects.filter(pk=sale_id)
        .values("stock_remaining", "stock_total", "starts_at", "ends_at")
        .first()
    )
    if row is None:
        return []
    now = timezone.now()
    status = flash_sale_status(
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        stock_remaining=row["stock_remaining"],
        now=now,
    )
    state = {"status": status, "stock_remaining": row["stock_remaining"]}
    last = cache.get(_last_key(sale_id))
    if last == state:
        return []
    cache.set(_last_key(sale_id), state, timeout=24 * 3600)
    data = flash_events.state_payload(sale_id=sale_id, now=now, **row, status=status)
    out: list[tuple[str, dict]] = []
    if last is None or last["stock_remaining"] != state["stock_remaining"]:
        out.append((flash_events.STOCK_CHANGED, data))
    if last is not None and last["status"] != status:
        if status == ENDED:
            out.append((flash_events.ENDED, data))
        elif last["status"] == SCHEDULED and status != SCHEDULED:
            out.append((flash_events.STARTED, data))
        elif not out:
            # Sold out <-> live with the same count cannot happen; anything else (a sale moved
            # back to scheduled by staff) still tells watchers the state.
            out.append((flash_events.STOCK_CHANGED, data))
    return out


async def _run(sale_id: int) -> None:
    topic = flash_events.sale_topic(sale_id)
    try:
        while True:
            await asyncio.sleep(_interval_ms() / 1000)
            if not _watchers.get(sale_id):
                # Stop between rounds, never inside one: a round that recorded a state as pushed
                # always pushes it (watchers in other processes rely on that).
                return
            try:
                for event_type, data in await database_sync_to_async(changes)(sale_id):
                    await broadcast_async(topic, event_type, data)
            except Exception:
                log.exception("flash_sale.push_failed", sale_id=sale_id)
    finally:
        if _flushers.get(sale_id) is asyncio.current_task():
            _flushers.pop(sale_id, None)


async def on_join(connection, argument: str) -> None:
    sale_id = int(argument)
    _watchers[sale_id] = _watchers.get(sale_id, 0) + 1
    task = _flushers.get(sale_id)
    if task is None or task.done():
        _flushers[sale_id] = asyncio.get_running_loop().create_task(_run(sale_id))


async def on_leave(connection, argument: str) -> None:
    sale_id = int(argument)
    left = _watchers.get(sale_id, 1) - 1
    if left > 0:
        _watchers[sale_id] = left
        return
    _watchers.pop(sale_id, None)  # the task sees it and stops after its current round
