"""groupbuy.flash_sale:<id> over the real ASGI application and channel layer: who may watch,
stock pushes after purchases, the throttle coalescing a burst, and started/ended on the clock."""

import math
import time
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils.dateparse import parse_datetime

from groupbuy.services import flash_sale_order_place
from tests.factories import UserFactory, token_for
from tests.groupbuy.flashflow import make_sale
from tests.realtime.conftest import communicator, open_socket

pytestmark = pytest.mark.django_db(transaction=True)

STOCK_CHANGED = "groupbuy.flash_sale.stock_changed"


async def _watch(token: str, sale_id: int):
    socket = await open_socket(token)
    await socket.send_json_to({"action": "subscribe", "topic": f"groupbuy.flash_sale:{sale_id}"})
    reply = await socket.receive_json_from(timeout=10)
    assert reply["type"] == "realtime.subscribed", reply
    return socket


async def _frames_until(socket, done, timeout: float) -> list[dict]:
    """Read frames until ``done(frame)`` is true for one (or time is up)."""
    frames: list[dict] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            frame = await socket.receive_json_from(timeout=max(0.1, deadline - time.monotonic()))
        except TimeoutError:
            break
        frames.append(frame)
        if done(frame):
            break
    return frames


def _buyers(count: int) -> list:
    return [UserFactory() for _ in range(count)]


async def test_a_signed_in_member_may_watch_an_existing_sale_only():
    sale = await sync_to_async(make_sale)()
    token = await sync_to_async(token_for)(await sync_to_async(UserFactory)())
    socket = await open_socket(token)

    await socket.send_json_to({"action": "subscribe", "topic": f"groupbuy.flash_sale:{sale.pk}"})
    allowed = await socket.receive_json_from(timeout=5)
    await socket.send_json_to({"action": "subscribe", "topic": "groupbuy.flash_sale:999999"})
    missing = await socket.receive_json_from(timeout=5)
    await socket.send_json_to({"action": "subscribe", "topic": "groupbuy.flash_sale:abc-1"})
    malformed = await socket.receive_json_from(timeout=5)

    assert (allowed["type"], allowed["topic"]) == (
        "realtime.subscribed",
        f"groupbuy.flash_sale:{sale.pk}",
    )
    assert (missing["type"], missing["code"]) == ("realtime.error", "forbidden")
    assert (malformed["type"], malformed["code"]) == ("realtime.error", "unknown_topic")
    await socket.disconnect()


async def test_an_anonymous_socket_cannot_watch_at_all():
    socket = communicator()

    connected, code = await socket.connect(timeout=5)

    assert (connected, code) == (False, 4401)


async def test_a_watcher_sees_the_stock_fall_after_a_purchase():
    sale = await sync_to_async(make_sale)(stock=10)
    watcher, buyer = await sync_to_async(_buyers)(2)
    socket = await _watch(await sync_to_async(token_for)(watcher), sale.pk)

    await sync_to_async(flash_sale_order_place)(actor=buyer, sale_id=sale.pk, quantity=1)
    frames = await _frames_until(socket, lambda f: f["data"].get("stock_remaining") == 9, 5)

    last = frames[-1]
    assert last["type"] == STOCK_CHANGED
    assert last["topic"] == f"groupbuy.flash_sale:{sale.pk}"
    assert last["seq"] is None  # ephemeral: a reconnecting client re-reads the REST state
    assert last["data"]["stock_remaining"] == 9
    assert last["data"]["status"] == "live"
    assert parse_datetime(last["data"]["server_time"]) is not None
    await socket.disconnect()


async def test_a_burst_of_twenty_purchases_is_coalesced_into_a_few_frames(settings):
    settings.FLASH_SALE_PUSH_INTERVAL_MS = 250
    sale = await sync_to_async(make_sale)(stock=20)
    watcher, *buyers = await sync_to_async(_buyers)(21)
    socket = await _watch(await sync_to_async(token_for)(watcher), sale.pk)

    def buy_all() -> None:
        for buyer in buyers:
            flash_sale_order_place(actor=buyer, sale_id=sale.pk, quantity=1)

    started = time.monotonic()
    await sync_to_async(buy_all)()
    elapsed = time.monotonic() - started
    frames = await _frames_until(socket, lambda f: f["data"].get("stock_remaining") == 0, 5)

    stock_frames = [f for f in frames if f["type"] == STOCK_CHANGED]
    assert stock_frames[-1]["data"]["stock_remaining"] == 0
    assert stock_frames[-1]["data"]["status"] == "sold_out"
    # At most one frame per 250 ms window (plus the first state and the final one), and far
    # fewer than one per purchase.
    assert len(stock_frames) <= math.ceil(elapsed / 0.25) + 2
    assert len(stock_frames) < 10
    counts = [f["data"]["stock_remaining"] for f in stock_frames]
    assert counts == sorted(counts, reverse=True)
    await socket.disconnect()


async def test_watchers_hear_the_sale_start_and_end_on_time(settings):
    settings.FLASH_SALE_PUSH_INTERVAL_MS = 100
    sale = await sync_to_async(make_sale)(
        starts_in=timedelta(seconds=1), lasts=timedelta(seconds=1.5)
    )
    token = await sync_to_async(token_for)(await sync_to_async(UserFactory)())
    socket = await _watch(token, sale.pk)

    frames = await _frames_until(socket, lambda f: f["type"] == "groupbuy.flash_sale.ended", 8)

    types = [f["type"] for f in frames]
    assert types.count("groupbuy.flash_sale.started") == 1
    assert types.count("groupbuy.flash_sale.ended") == 1
    assert types.index("groupbuy.flash_sale.started") < types.index("groupbuy.flash_sale.ended")
    started = next(f for f in frames if f["type"] == "groupbuy.flash_sale.started")
    assert started["data"]["status"] == "live"
    assert parse_datetime(started["data"]["server_time"]) >= sale.starts_at
    assert frames[-1]["data"]["status"] == "ended"
    await socket.disconnect()


async def test_two_watchers_in_one_process_get_each_change_once():
    sale = await sync_to_async(make_sale)(stock=5)
    first, second, buyer = await sync_to_async(_buyers)(3)
    sockets = [
        await _watch(await sync_to_async(token_for)(person), sale.pk) for person in (first, second)
    ]

    await sync_to_async(flash_sale_order_place)(actor=buyer, sale_id=sale.pk, quantity=1)
    seen = [
        await _frames_until(socket, lambda f: f["data"].get("stock_remaining") == 4, 5)
        for socket in sockets
    ]
    # Nothing else changes, so nothing more may arrive.
    quiet = [await socket.receive_nothing(timeout=0.8) for socket in sockets]

    for frames in seen:
        assert [f["data"]["stock_remaining"] for f in frames if f["type"] == STOCK_CHANGED][-1] == 4
        assert sum(f["data"]["stock_remaining"] == 4 for f in frames) == 1
    assert quiet == [True, True]
    for socket in sockets:
        await socket.disconnect()
