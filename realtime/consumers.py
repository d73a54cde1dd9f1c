"""The one WebSocket endpoint, ``/ws/``: subscriptions, replay, ping and app-registered actions."""

import json
import time
from typing import Any

import structlog
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from config.parsers import nested_too_deep
from realtime import registry
from realtime.auth import TOKEN_SUBPROTOCOL_PREFIX, offered_subprotocols
from realtime.envelopes import envelope, server_time

log = structlog.get_logger(__name__)

CLOSE_FLOODING = 4429
# The member may no longer use the service (banned): the client must not reconnect on its own.
CLOSE_ACCESS_ENDED = 4403


class FrameBucket:
    """Token bucket per connection: ``rate`` frames a second, bursts up to ``burst``."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.updated = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class DeliveredSeqs:
    """Which seqs of one durable topic this socket has sent: everything up to ``floor`` plus the
    ``above`` set. Pushes of concurrent writers can arrive out of order, so a lower seq that was
    not sent yet must still go out; only a seq already sent is a duplicate."""

    MAX_ABOVE = 2048

    def __init__(self, floor: int | None = None) -> None:
        self.floor = floor
        self.above: set[int] = set()

    def first_time(self, seq: int) -> bool:
        if (self.floor is not None and seq <= self.floor) or seq in self.above:
            return False
        self.above.add(seq)
        if self.floor is not None:
            while self.floor + 1 in self.above:
                self.floor += 1
                self.above.discard(self.floor)
        if len(self.above) > self.MAX_ABOVE:  # a long-lived gap: forget the oldest part
            self.floor = sorted(self.above)[len(self.above) // 2]
            self.above = {s for s in self.above if s > self.floor}
        return True


class RealtimeConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        # RequireAuthentication (realtime.auth) has already turned anonymous handshakes away.
        self.user = self.scope["user"]
        self.subscriptions: dict[str, DeliveredSeqs] = {}
        self.bucket = FrameBucket(settings.REALTIME_FRAME_RATE, settings.REALTIME_FRAME_BURST)
        self.refused_frames = 0
        token_protocol = next(
            (p for p in offered_subprotocols(self.scope) if p.startswith(TOKEN_SUBPROTOCOL_PREFIX)),
            None,
        )
        # A browser that offered a subprotocol drops the socket unless the server picks one.
        await self.accept(subprotocol=token_protocol)
        await self._join(registry.user_topic(self.user.pk))
        await self.send_json(
            envelope("realtime.hello", {"user_id": self.user.pk, "server_time": server_time()})
        )
        await self._run_connection_hooks("on_open")

    async def disconnect(self, code: int) -> None:
        for topic in list(getattr(self, "subscriptions", {})):
            await self.channel_layer.group_discard(registry.group_name(topic), self.channel_name)
            await self._left(topic)
        if hasattr(self, "subscriptions"):
            await self._run_connection_hooks("on_close")

    async def _run_connection_hooks(self, which: str) -> None:
        for hooks in registry.connection_hooks():
            hook = getattr(hooks, which)
            if hook is None:
                continue
            try:
                await hook(self)
            except Exception:
                log.exception("realtime.connection_hook_failed", hook=which)

    async def _topic_hook(self, topic_name: str, which: str) -> None:
        try:
            topic, argument = registry.resolve(topic_name)
        except registry.UnknownTopic:
            return
        hook = getattr(topic, which)
        if hook is None:
            return
        try:
            await hook(self, argument)
        except Exception:
            log.exception("realtime.topic_hook_failed", hook=which, topic=topic_name)

    async def _left(self, topic_name: str) -> None:
        await self._topic_hook(topic_name, "on_leave")

    # -- client frames --------------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not self.bucket.take():
            self.refused_frames += 1
            if self.refused_frames >= settings.REALTIME_FLOOD_CLOSE_AFTER:
                log.warning("realtime.flood_disconnect", user_id=self.user.pk)
                await self.close(code=CLOSE_FLOODING)
                return
            await self.send_error("throttled", "Too many frames; slow down.")
            return
        frame = self._parse(text_data, bytes_data)
        if frame is None:
            await self.send_error("bad_frame", "Frames are JSON objects of at most 64 KiB.")
            return
        action = frame.get("action")
        if action == "subscribe":
            await self._subscribe(frame)
        elif action == "unsubscribe":
            await self._unsubscribe(frame)
        elif action == "ping":
            await self._run_connection_hooks("on_ping")
            now = server_time()
            await self.send_json(
                {
                    "type": "realtime.pong",
                    "topic": None,
                    "seq": None,
                    "server_time": now,
                    "data": {"server_time": now},
                }
            )
        else:
            handler = registry.action_handler(action) if isinstance(action, str) else None
            if handler is None:
                await self.send_error("unknown_action", f"Unknown action {action!r}.")
                return
            try:
                await handler(self, frame)
            except Exception:  # one bad frame must never take the socket down
                log.exception("realtime.action_failed", action=action, user_id=self.user.pk)
                await self.send_error("action_failed", "That could not be done; nothing changed.")

    def _parse(self, text_data: str | None, bytes_data: bytes | None) -> dict | None:
        if text_data is None or len(text_data.encode()) > settings.REALTIME_MAX_FRAME_BYTES:
            return None
        if "\x00" in text_data or "\\u0000" in text_data:
            # NUL cannot be stored (PostgreSQL text) or shown: a malformed frame, not an action.
            return None
        try:
            frame = json.loads(text_data)
        except (ValueError, RecursionError):
            # RecursionError: 64 KiB of "[" nests ~30,000 levels, past the decoder's stack.
            return None
        if not isinstance(frame, dict) or nested_too_deep(frame):
            return None
        return frame

    async def _subscribe(self, frame: dict[str, Any]) -> None:
        topic_name = frame.get("topic")
        after_seq = frame.get("after_seq")
        if after_seq is not None and (
            isinstance(after_seq, bool) or not isinstance(after_seq, int) or after_seq < 0
        ):
            await self.send_error("bad_frame", "after_seq must be a non-negative integer.")
            return
        try:
            if not isinstance(topic_name, str):
                raise registry.UnknownTopic(topic_name)
            topic, argument = registry.resolve(topic_name)
        except registry.UnknownTopic:
            await self.send_error("unknown_topic", "No such topic.", topic=topic_name)
            return
        allowed = await database_sync_to_async(topic.can_subscribe)(self.user, argument)
        if not allowed:
            await self.send_error(
                "forbidden", "You may not subscribe to this topic.", topic=topic_name
            )
            return
        # Join before reading the backlog: events committed meanwhile queue behind this handler
        # and are then dropped by seq, so nothing falls between the replay and the live stream.
        joined_now = topic_name not in self.subscriptions
        if joined_now and len(self.subscriptions) >= settings.REALTIME_MAX_SUBSCRIPTIONS:
            # Each topic can cost the server work (a livestream's batcher): a socket watches a
            # bounded number of them.
            await self.send_error(
                "too_many_subscriptions",
                f"At most {settings.REALTIME_MAX_SUBSCRIPTIONS} topics per connection.",
                topic=topic_name,
            )
            return
        await self._join(topic_name)
        if after_seq is not None:
            # The client says what it has: send everything after that again, even what this
            # socket already pushed (the client drops its own duplicates by seq).
            self.subscriptions[topic_name] = DeliveredSeqs(floor=after_seq)
        if joined_now:
            # Before the reply: a topic whose pushes carry only changes records the state the
            # client will fetch once it hears it is subscribed.
            await self._topic_hook(topic_name, "on_join")
        await self.send_json(
            {"type": "realtime.subscribed", "topic": topic_name, "seq": None, "data": {}}
        )
        if after_seq is not None and topic.replay is not None:
            missed = await database_sync_to_async(
                lambda: list(topic.replay(self.user, argument, after_seq))
            )()
            for event in missed:
                await self._deliver(event)

    async def _unsubscribe(self, frame: dict[str, Any]) -> None:
        topic_name = frame.get("topic")
        if topic_name == registry.user_topic(self.user.pk) or topic_name not in self.subscriptions:
            await self.send_error("bad_frame", "Not subscribed to that topic.", topic=topic_name)
            return
        del self.subscriptions[topic_name]
        await self.channel_layer.group_discard(registry.group_name(topic_name), self.channel_name)
        await self._left(topic_name)
        await self.send_json(
            {"type": "realtime.unsubscribed", "topic": topic_name, "seq": None, "data": {}}
        )

    async def _join(self, topic: str) -> None:
        if topic not in self.subscriptions:
            self.subscriptions[topic] = DeliveredSeqs()
            await self.channel_layer.group_add(registry.group_name(topic), self.channel_name)

    # -- server events ---------------------------------------------------------------------------

    async def realtime_event(self, message: dict[str, Any]) -> None:
        await self._deliver(message["event"])

    async def _deliver(self, event: dict[str, Any]) -> None:
        topic = event.get("topic")
        if topic not in self.subscriptions:
            return
        seq = event.get("seq")
        if seq is not None and not self.subscriptions[topic].first_time(seq):
            return  # already sent by the replay or an earlier push
        await self.send_json(event)

    async def realtime_revoke(self, message: dict[str, Any]) -> None:
        """The member lost access to a topic (left a room, was removed): stop delivering it."""
        topic = message["topic"]
        if topic in self.subscriptions and topic != registry.user_topic(self.user.pk):
            del self.subscriptions[topic]
            await self.channel_layer.group_discard(registry.group_name(topic), self.channel_name)
            await self._left(topic)
            await self.send_json(
                {
                    "type": "realtime.unsubscribed",
                    "topic": topic,
                    "seq": None,
                    "data": {"reason": "revoked"},
                }
            )

    async def realtime_disconnect(self, message: dict[str, Any]) -> None:
        """The member's access ended (a ban): close every socket of theirs at once."""
        await self.close(code=CLOSE_ACCESS_ENDED)

    # -- helpers used by app-registered actions ----------------------------------------------------

    async def send_json(self, content: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(content, separators=(",", ":"), default=str))

    async def send_error(self, code: str, detail: str, *, topic: Any = None, **extra: Any) -> None:
        # extra: what the same refusal carries over REST (e.g. slow mode's reason, retry_after).
        await self.send_json(
            {
                "type": "realtime.error",
                "code": code,
                "detail": detail,
                "topic": topic,
                "seq": None,
                **extra,
            }
        )
