"""Staff insights over a large event stream: COPY N events spread over 90 days into a dedicated
database, roll them up, then time the overview and retention endpoints (90-day range, in-process
API client, median of ``--repeat``) against the same run's raw ``SELECT COUNT(*)`` over the event
table, once per size.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tuanju_bench_insights \\
        python -m bench.insights --sizes 100000,1000000
"""

import argparse
import json
import os
import random
import statistics
import time
import uuid
from datetime import datetime, timedelta

# A database of its own: the bench truncates the event tables, so never the tests' or the demo's.
os.environ.setdefault(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tuanju_bench_insights"
)

from bench.harness import BENCH_DB, prepare_database, setup_django

NAMES = [
    ("page_view", 50),
    ("product_view", 18),
    ("post_view", 12),
    ("like", 6),
    ("search", 4),
    ("comment", 2),
    ("share", 1),
    ("checkin", 3),
    ("order_created", 2),
    ("order_paid", 1),
    ("chat_message", 1),
]


def _users(count: int) -> list[int]:
    from django.contrib.auth.hashers import make_password

    from community.models import User

    names = [f"bins{n:06d}" for n in range(count)]
    password = make_password("bench-password-123")
    User.objects.bulk_create(
        [User(username=name, password=password) for name in names],
        ignore_conflicts=True,
        batch_size=5000,
    )
    return list(User.objects.filter(username__in=names).values_list("pk", flat=True))


def _copy_events(total: int, days: int, user_ids: list[int]) -> None:
    """COPY ``total`` events over the last ``days`` business days (today included), with weekly
    seasonality, members signing up along the way and 30-minute-ish sessions."""
    from django.db import connection

    from community.selectors.loyalty import business_today, start_of_day

    rng = random.Random(13)
    today = business_today()
    first = today - timedelta(days=days - 1)
    # Each member signs up on a day of the range (a third before it: long-time members).
    signup = {uid: first + timedelta(days=rng.randint(-days // 2, days - 1)) for uid in user_ids}
    weights = [1.0 + (0.35 if (first + timedelta(d)).weekday() >= 5 else 0.0) for d in range(days)]
    per_day = [int(total * w / sum(weights)) for w in weights]
    per_day[-1] += total - sum(per_day)
    names, name_weights = zip(*NAMES, strict=True)
    now = datetime.now().astimezone()
    columns = "event_id, name, user_id, visitor_id, actor, at, day, received_at, properties"
    written = 0
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY community_event ({columns}) FROM STDIN") as copy,
    ):
        for index, count in enumerate(per_day):
            day = first + timedelta(days=index)
            opened = start_of_day(day)
            members = [uid for uid in user_ids if signup[uid] <= day]
            for uid in user_ids:
                if signup[uid] == day:
                    at = opened + timedelta(seconds=rng.randint(0, 86_399))
                    if at > now:
                        continue
                    copy.write_row(
                        (
                            uuid.uuid4(),
                            "sign_up",
                            uid,
                            "",
                            f"u:{uid}",
                            at,
                            day,
                            at,
                            json.dumps({"channel": rng.choice(["organic", "share", "ad"])}),
                        )
                    )
                    written += 1
            # Sessions of up to 8 events a few minutes apart; earlier members are more
            # active (a long tail). Today stops at the current time.
            made = misses = 0
            while made < count and members and misses < 1000:
                uid = members[int(len(members) * rng.random() ** 2)]
                at = opened + timedelta(seconds=rng.randint(0, 86_000))
                wrote = 0
                for _ in range(min(8, count - made)):
                    at += timedelta(seconds=rng.randint(5, 400))
                    if at > now or at >= opened + timedelta(days=1):
                        break
                    name = rng.choices(names, name_weights)[0]
                    copy.write_row((uuid.uuid4(), name, uid, "", f"u:{uid}", at, day, at, "{}"))
                    wrote += 1
                made += wrote
                misses += not wrote
            written += made
    print(f"  wrote {written:,} events over {days} days")


def _timed(call, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _reset() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE community_event, community_actorday, community_eventday, "
            "community_rolledday RESTART IDENTITY"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    print(f"database: {BENCH_DB}")
    prepare_database()
    setup_django()
    from django.db import connection
    from rest_framework.test import APIClient

    from community.models import Event, Role
    from community.selectors.loyalty import business_today
    from community.services import role_grant
    from community.services.insights.rollups import rollup_pending
    from tests.factories import UserFactory

    staff = UserFactory(username=f"bench_staff_{int(time.time())}")
    role_grant(actor=None, user=staff, role=Role.STAFF)
    client = APIClient()
    client.force_authenticate(staff)
    user_ids = _users(args.users)
    today = business_today()
    span = f"from={today - timedelta(days=args.days - 1)}&to={today}"

    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"size {size:,}")
        _reset()
        started = time.perf_counter()
        _copy_events(size, args.days, user_ids)
        copied = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE community_event")
        started = time.perf_counter()
        rolled = rollup_pending()
        rollup_seconds = time.perf_counter() - started
        # What autovacuum does soon after a load in production: fresh planner statistics and a
        # visibility map, so the index-only scans of ActorDay stay index-only.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE community_actorday")
            cursor.execute("VACUUM ANALYZE community_eventday")
        events = Event.objects.count()

        def count_all():
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM community_event")
                cursor.fetchone()

        def overview():
            response = client.get(f"/api/v1/insights/overview/?{span}")
            assert response.status_code == 200, response.content

        def retention():
            response = client.get(f"/api/v1/insights/retention/?{span}")
            assert response.status_code == 200, response.content

        baseline = _timed(count_all, args.repeat)
        rows.append(
            {
                "events": events,
                "copy_s": copied,
                "rollup_s": rollup_seconds,
                "rolled_days": len(rolled),
                "count_ms": baseline,
                "overview_ms": _timed(overview, args.repeat),
                "retention_ms": _timed(retention, args.repeat),
            }
        )
        print("  ", rows[-1])

    print()
    print("| events | COPY | rollup (days) | raw `COUNT(*)` | overview | retention |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['events']:,} | {row['copy_s']:.1f} s | {row['rollup_s']:.1f} s "
            f"({row['rolled_days']}) | {row['count_ms']:.1f} ms | "
            f"{row['overview_ms']:.1f} ms ({row['overview_ms'] / row['count_ms']:.1f}×) | "
            f"{row['retention_ms']:.1f} ms ({row['retention_ms'] / row['count_ms']:.1f}×) |"
        )


if __name__ == "__main__":
    main()
