"""The moderation queue with N open items: time and queries of the first page and of a page
deep in the cursor chain, against the bare ordered query of the same rows (same run).

    python -m bench.moderation_queue --items 100000 --depth 50
"""

import argparse
import random
import statistics
import time

from bench.harness import prepare_database, setup_django


def _seed(count: int) -> None:
    from community.models import ModerationItem

    existing = ModerationItem.objects.filter(target_type="user").count()
    if existing >= count:
        return
    ModerationItem.objects.filter(target_type="user").delete()
    rng = random.Random(7)
    batch = []
    for target in range(1, count + 1):
        batch.append(
            ModerationItem(
                target_type="user",
                target_id=10_000_000 + target,
                source="reports",
                score=round(rng.uniform(0.2, 12.0), 2),
                reports_count=rng.randint(1, 9),
                reporters_count=1,
                categories=[rng.choice(["spam", "scam", "abuse"])],
            )
        )
        if len(batch) == 5000:
            ModerationItem.objects.bulk_create(batch)
            batch = []
    ModerationItem.objects.bulk_create(batch)


def _timed(call, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            samples.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
    return statistics.median(samples), queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--depth", type=int, default=50, help="pages followed for the deep page")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    prepare_database()
    setup_django()
    from rest_framework.test import APIClient

    from community.models import ItemStatus, ModerationItem, Role
    from community.services import role_grant
    from tests.factories import UserFactory

    _seed(args.items)
    moderator = UserFactory(username=f"bench_mod_{int(time.time())}")
    role_grant(actor=None, user=moderator, role=Role.MODERATOR)
    client = APIClient()
    client.force_authenticate(moderator)

    def first_page():
        response = client.get("/api/v1/moderation/queue/")
        assert response.status_code == 200 and len(response.json()["results"]) == 20

    cursor_url = "/api/v1/moderation/queue/"
    for _ in range(args.depth):
        cursor_url = client.get(cursor_url).json()["next"]

    def deep_page():
        response = client.get(cursor_url)
        assert response.status_code == 200 and len(response.json()["results"]) == 20

    def bare_query():
        list(
            ModerationItem.objects.exclude(status=ItemStatus.RESOLVED).order_by(
                "-score", "created_at", "id"
            )[:20]
        )

    baseline_ms, _ = _timed(bare_query, args.repeat)
    first_ms, first_queries = _timed(first_page, args.repeat)
    deep_ms, deep_queries = _timed(deep_page, args.repeat)
    open_items = ModerationItem.objects.exclude(status=ItemStatus.RESOLVED).count()
    print(f"open items: {open_items}")
    print(f"bare ordered query (20 rows): {baseline_ms:.2f} ms median")
    print(
        f"GET queue, first page: {first_ms:.2f} ms median, {first_queries} queries, "
        f"{first_ms / baseline_ms:.1f}x the bare query"
    )
    print(
        f"GET queue, page {args.depth + 1}: {deep_ms:.2f} ms median, {deep_queries} queries, "
        f"{deep_ms / baseline_ms:.1f}x the bare query"
    )


if __name__ == "__main__":
    main()
