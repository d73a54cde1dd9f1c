"""coalesce.py: a hot topic gets at most one frame per interval, from one process per window."""

import asyncio
import time

from channels.layers import get_channel_layer

from realtime.coalesce import Coalescer, claim_window
from realtime.registry import group_name

INTERVAL_MS = 100


class Counter:
    """A stand-in for a hot row: ``bump`` is a write, ``collect`` the app's change reader."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.value = 0
        self.published: int | None = None
        self.rounds = 0

    def bump(self) -> None:
        self.value += 1

    def collect(self, key: int, watching: int) -> list[tuple[str, dict]]:
        self.rounds += 1
        if not claim_window(self.name, key, INTERVAL_MS) or self.value == self.published:
            return []
        self.published = self.value
        return [("test.counter.changed", {"value": self.value, "watching": watching})]


def _coalescer(counter: Counter) -> Coalescer:
    return Coalescer(
        counter.name,
        topic=lambda key: f"test.counter:{key}",
        interval_ms=lambda: INTERVAL_MS,
        collect=counter.collect,
    )


async def _listen(topic: str) -> tuple[object, str]:
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(group_name(topic), channel)
    return layer, channel


async def _drain(layer, channel, seconds: float) -> list[dict]:
    frames = []
    deadline = asyncio.get_running_loop().time() + seconds
    while (left := deadline - asyncio.get_running_loop().time()) > 0:
        try:
            message = await asyncio.wait_for(layer.receive(channel), timeout=left)
        except TimeoutError:
            break
        frames.append(message["event"])
    return frames


async def test_a_burst_of_changes_goes_out_as_one_frame_with_the_latest_state():
    counter = Counter("burst")
    pushes = _coalescer(counter)
    layer, channel = await _listen("test.counter:1")

    await pushes.on_join(None, "1")
    for _ in range(200):  # 200 writes inside one interval
        counter.bump()
    frames = await _drain(layer, channel, INTERVAL_MS * 4 / 1000)
    await pushes.on_leave(None, "1")

    assert [frame["data"]["value"] for frame in frames] == [200]
    assert frames[0]["type"] == "test.counter.changed"
    assert frames[0]["topic"] == "test.counter:1"
    assert frames[0]["data"]["watching"] == 1


async def test_the_flusher_runs_while_watched_and_stops_after_the_last_watcher_leaves():
    counter = Counter("leave")
    pushes = _coalescer(counter)

    await pushes.on_join(None, "2")
    await pushes.on_join(None, "2")
    assert pushes.watching(2) == 2
    await asyncio.sleep(INTERVAL_MS * 3 / 1000)
    await pushes.on_leave(None, "2")
    assert pushes.watching(2) == 1
    await pushes.on_leave(None, "2")
    await asyncio.sleep(INTERVAL_MS * 3 / 1000)
    rounds_after_leaving = counter.rounds
    await asyncio.sleep(INTERVAL_MS * 3 / 1000)

    assert rounds_after_leaving >= 2  # it did run while watched
    assert counter.rounds == rounds_after_leaving  # and nothing runs once nobody watches
    assert pushes.watching(2) == 0


async def test_two_processes_watching_one_topic_publish_once_per_window():
    # Two Coalescers stand for two socket servers: the same name, the same cache. Each publishes
    # in every window it claims, so a window published twice would show up as a repeated number.
    def collect(key: int, watching: int) -> list[tuple[str, dict]]:
        if not claim_window("shared", key, INTERVAL_MS):
            return []
        window = int(time.time() * 1000) // INTERVAL_MS
        return [("test.window.claimed", {"window": window})]

    first, second = (
        Coalescer(
            "shared",
            topic=lambda key: f"test.counter:{key}",
            interval_ms=lambda: INTERVAL_MS,
            collect=collect,
        )
        for _ in range(2)
    )
    layer, channel = await _listen("test.counter:3")

    await first.on_join(None, "3")
    await second.on_join(None, "3")
    frames = await _drain(layer, channel, INTERVAL_MS * 6 / 1000)
    await first.on_leave(None, "3")
    await second.on_leave(None, "3")

    windows = [frame["data"]["window"] for frame in frames]
    assert len(windows) >= 3
    assert len(windows) == len(set(windows))


def test_claim_window_grants_one_caller_per_window():
    assert claim_window("claim", 4, 60_000) is True
    assert claim_window("claim", 4, 60_000) is False
    assert claim_window("claim", 5, 60_000) is True  # another key has its own window
