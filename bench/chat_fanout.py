"""Chat fan-out: messages delivered per second to a 50-member room, and delivery latency.

50 members open /ws/ with their tokens and subscribe to one group room; S of them send N
messages each through the ``chat.send`` socket action (the same service as REST: seq in the
message's transaction, idempotency, flood control, push on commit). Every member receives every
message. Reported against a baseline taken in the same run: a bare Channels consumer
(bench/baseline_channels.py) under the same daphne and Redis channel layer that group_sends each
frame to the same 50 sockets.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_chat_bench \\
        .venv/bin/python -m bench.chat_fanout --members 50 --senders 5 --messages 40

Needs PostgreSQL and Redis. Loopback only; bounded in count and time.
"""

import argparse
import asyncio
import json
import os
import time

from websockets.asyncio.client import connect

from bench.harness import bench_env, daphne, members_with_tokens, percentile, prepare_database


def fanout_env() -> dict[str, str]:
    env = bench_env()
    env.update(
        TUANJU_REDIS_PREFIX=os.environ.get("TUANJU_REDIS_PREFIX", "h-chat-bench"),
        REDIS_CACHE_DB=os.environ.get("REDIS_CACHE_DB", "6"),
        REDIS_CHANNEL_DB=os.environ.get("REDIS_CHANNEL_DB", "7"),
        # The benchmark's accounts are minutes old and send fast on purpose.
        CHAT_FLOOD_MAX_MESSAGES="100000",
        CHAT_FLOOD_MAX_MESSAGES_NEW_ACCOUNT="100000",
    )
    return env


async def _run(
    ws_url: str,
    tokens: list[str],
    senders: int,
    per_sender: int,
    make_frame,
    is_message,
    subscribe: dict | None,
) -> tuple[float, list[float], int]:
    """Connect everyone, send, and wait until every member has every message. Returns
    (seconds from first send to last delivery, per-delivery latencies, deliveries)."""
    expected = senders * per_sender
    latencies: list[float] = []
    done = asyncio.Event()
    finished = 0
    sockets = []
    for token in tokens:
        ws = await connect(ws_url, additional_headers={"Authorization": f"Token {token}"})
        await ws.recv()  # hello
        if subscribe is not None:
            await ws.send(json.dumps(subscribe))
            while json.loads(await ws.recv()).get("type") != "realtime.subscribed":
                pass
        sockets.append(ws)

    async def receive(ws) -> None:
        nonlocal finished
        got = 0
        while got < expected:
            frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=60))
            sent_at = is_message(frame)
            if sent_at is not None:
                latencies.append(time.perf_counter() - sent_at)
                got += 1
        finished += 1
        if finished == len(sockets):
            done.set()

    async def send(ws, sender: int) -> None:
        for n in range(per_sender):
            await ws.send(json.dumps(make_frame(sender, n, time.perf_counter())))
            await asyncio.sleep(0)

    readers = [asyncio.ensure_future(receive(ws)) for ws in sockets]
    started = time.perf_counter()
    await asyncio.gather(*(send(sockets[i], i) for i in range(senders)))
    await asyncio.wait_for(done.wait(), timeout=120)
    elapsed = time.perf_counter() - started
    await asyncio.gather(*readers)
    await asyncio.gather(*(ws.close() for ws in sockets))
    return elapsed, latencies, len(latencies)


def _report(label: str, messages: int, elapsed: float, latencies: list[float]) -> float:
    rate = len(latencies) / elapsed
    print(
        f"{label:<30} {messages / elapsed:7.1f} msg/s sent  {rate:8.1f} deliveries/s"
        f"   p50 {percentile(latencies, 0.5) * 1000:7.1f} ms   p99 {percentile(latencies, 0.99) * 1000:7.1f} ms"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--senders", type=int, default=5)
    parser.add_argument("--messages", type=int, default=40, help="messages per sender")
    args = parser.parse_args()

    env = fanout_env()
    prepare_database()
    os.environ.update(env)
    import django

    django.setup()
    from chat.models import Room
    from chat.services import room_group_create
    from community.models import User

    members = members_with_tokens(args.members, prefix="fan")
    tokens = [token for _, token in members]
    users = list(User.objects.filter(pk__in=[pk for pk, _ in members]).order_by("username"))
    room = Room.objects.filter(kind="group", title="bench fan-out", created_by=users[0]).first()
    if room is None:
        room = room_group_create(actor=users[0], title="bench fan-out", members=users[1:])
    total = args.senders * args.messages
    run_id = str(int(time.time()))

    def echo_frame(sender: int, n: int, now: float) -> dict:
        return {"t": now, "id": f"{sender}-{n}"}

    def echo_message(frame: dict) -> float | None:
        return frame.get("t")

    def chat_frame(sender: int, n: int, now: float) -> dict:
        return {
            "action": "chat.send",
            "room": room.pk,
            "body": f"t={now!r}",
            "client_msg_id": f"bench-{run_id}-{sender}-{n}",
        }

    def chat_message(frame: dict) -> float | None:
        if frame.get("type") != "chat.message.created":
            return None
        return float(frame["data"]["body"][2:])

    print(f"{args.members} members, {args.senders} senders x {args.messages} messages = {total}")
    with daphne("bench.baseline_channels:app", env) as url:
        ws_url = url.replace("http", "ws") + "/ws/"
        elapsed, latencies, _ = asyncio.run(
            _run(ws_url, tokens, args.senders, args.messages, echo_frame, echo_message, None)
        )
        baseline = _report("baseline: bare Channels echo", total, elapsed, latencies)
        base_p99 = percentile(latencies, 0.99)

    with daphne("config.asgi:application", env) as url:
        ws_url = url.replace("http", "ws") + "/ws/"
        subscribe = {"action": "subscribe", "topic": f"chat.room:{room.pk}"}
        elapsed, latencies, _ = asyncio.run(
            _run(ws_url, tokens, args.senders, args.messages, chat_frame, chat_message, subscribe)
        )
        tuanju = _report("tuanju: chat.send -> room", total, elapsed, latencies)
        p99 = percentile(latencies, 0.99)

    print(f"\ndelivery rate vs baseline: {tuanju / baseline:6.2f}x")
    print(f"p99 latency vs baseline:   {p99 / base_p99:6.2f}x")


if __name__ == "__main__":
    main()
