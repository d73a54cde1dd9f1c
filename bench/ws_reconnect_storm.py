"""B7 (anchors-perf-reliability.md §8): a reconnect storm with gap-fill.

N members connect to /ws/ with their tokens; while they are away each gets K notifications; then
all reconnect at once and ask for everything after the last seq they saw. Reported against a
baseline taken in the same run: the connect rate of a bare ASGI app (bench/baseline_asgi.py) under
the same daphne. Target: ≥ 50 % of the baseline connect rate, 100 % of gaps filled.

    .venv/bin/python -m bench.ws_reconnect_storm --clients 300 --missed 5 --concurrency 50

Needs PostgreSQL and Redis (BENCH_DATABASE_URL / BENCH_REDIS_URL, default the local ones; the
database `tuanju_bench` is created and migrated). Loopback only; bounded in count and time.
"""

import argparse
import asyncio
import json
import time

from websockets.asyncio.client import connect

from bench.harness import (
    bench_env,
    daphne,
    members_with_tokens,
    percentile,
    prepare_database,
    setup_django,
)


async def _connect_all(
    ws_url: str, tokens: list[str], concurrency: int, after_seq: dict | None, expect: int
):
    """Open one socket per token (``concurrency`` handshakes in flight at once); with ``after_seq``
    also subscribe to the member's topic and wait for ``expect`` replayed events. Returns
    (elapsed seconds, per-client latencies, replayed-event counts)."""
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    replayed: list[int] = []

    async def one(index: int, token: str) -> None:
        async with gate:
            started = time.perf_counter()
            async with connect(
                ws_url, additional_headers={"Authorization": f"Token {token}"}
            ) as ws:
                hello = json.loads(await ws.recv())
                got = 0
                if after_seq is not None:
                    user_id = hello["data"]["user_id"]
                    await ws.send(
                        json.dumps(
                            {
                                "action": "subscribe",
                                "topic": f"user:{user_id}",
                                "after_seq": after_seq[user_id],
                            }
                        )
                    )
                    seen: set[int] = set()
                    while len(seen) < expect:
                        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=30))
                        if frame.get("seq") is not None:
                            seen.add(frame["seq"])
                    got = len(seen)
                latencies.append(time.perf_counter() - started)
                replayed.append(got)

    started = time.perf_counter()
    await asyncio.gather(*(one(i, token) for i, token in enumerate(tokens)))
    return time.perf_counter() - started, latencies, replayed


def _report(label: str, clients: int, elapsed: float, latencies: list[float]) -> float:
    rate = clients / elapsed
    print(
        f"{label:<34} {rate:8.1f} conn/s   p50 {percentile(latencies, 0.5) * 1000:7.1f} ms"
        f"   p99 {percentile(latencies, 0.99) * 1000:7.1f} ms"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--missed", type=int, default=5, help="notifications each member misses")
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()

    prepare_database()
    setup_django()
    from community.models import Notification, NotificationStream
    from community.services import notification_send

    members = members_with_tokens(args.clients)
    tokens = [token for _, token in members]
    env = bench_env()

    with daphne("bench.baseline_asgi:app", env) as url:
        ws_url = url.replace("http", "ws") + "/ws/"
        elapsed, latencies, _ = asyncio.run(_connect_all(ws_url, tokens, args.concurrency, None, 0))
        baseline = _report("baseline: bare ASGI connect", args.clients, elapsed, latencies)

    with daphne("config.asgi:application", env) as url:
        ws_url = url.replace("http", "ws") + "/ws/"
        elapsed, latencies, _ = asyncio.run(_connect_all(ws_url, tokens, args.concurrency, None, 0))
        connect_rate = _report("tuanju: token auth + hello", args.clients, elapsed, latencies)

        ids = [user_id for user_id, _ in members]
        streams = dict(
            NotificationStream.objects.filter(user_id__in=ids).values_list("user_id", "last_seq")
        )
        after_seq = {user_id: streams.get(user_id, 0) for user_id in ids}
        started = time.perf_counter()
        for user_id in ids:
            for n in range(args.missed):
                notification_send(user_id=user_id, type="follow", title=f"bench {n}")
        written = time.perf_counter() - started
        print(
            f"{'wrote missed notifications':<34} {len(ids) * args.missed / written:8.1f} notif/s (while nobody listened)"
        )

        elapsed, latencies, replayed = asyncio.run(
            _connect_all(ws_url, tokens, args.concurrency, after_seq, args.missed)
        )
        storm_rate = _report("tuanju: reconnect + gap-fill", args.clients, elapsed, latencies)
        filled = sum(replayed) / (len(ids) * args.missed)

    Notification.objects.filter(user_id__in=ids).delete()
    print(f"\nconnect rate vs baseline:           {connect_rate / baseline:6.2f}x")
    print(f"reconnect+gap-fill rate vs baseline: {storm_rate / baseline:6.2f}x  (target >= 0.50)")
    print(f"gaps filled:                         {filled:6.1%}  (target 100 %)")


if __name__ == "__main__":
    main()
