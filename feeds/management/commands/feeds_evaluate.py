"""Offline evaluation of the item-to-item recommender against a popularity baseline.

Interactions (likes and saves) before the split time train both models; what each member touched
after it is the holdout. Reports precision@k and recall@k averaged over members with both.
"""

from collections import Counter, defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from feeds.models.interactions import Like, Save
from feeds.selectors.feeds import (
    cooccurrence,
    precision_recall_at_k,
    recommend_by_similarity,
    recommend_popular,
)


def evaluate(*, split_days: int, k: int) -> dict[str, dict[str, float]]:
    split = timezone.now() - timedelta(days=split_days)
    train: dict[int, set[int]] = defaultdict(set)
    test: dict[int, set[int]] = defaultdict(set)
    for model in (Like, Save):
        for user_id, post_id, at in model.objects.values_list("user_id", "post_id", "created_at"):
            (train if at < split else test)[user_id].add(post_id)
    similar = cooccurrence(train, neighbours=settings.FEEDS_COOCCURRENCE_NEIGHBOURS)
    popularity = Counter(post for items in train.values() for post in items)
    totals = {"cooccurrence": [0.0, 0.0], "popularity": [0.0, 0.0]}
    users = 0
    for user_id, relevant in test.items():
        history = train.get(user_id, set())
        relevant = relevant - history
        if not history or not relevant:
            continue
        users += 1
        for name, recommended in (
            ("cooccurrence", recommend_by_similarity(history, similar, k=k)),
            ("popularity", recommend_popular(history, popularity, k=k)),
        ):
            precision, recall = precision_recall_at_k(recommended, relevant, k)
            totals[name][0] += precision
            totals[name][1] += recall
    return {
        name: {
            "users": users,
            "precision": (p / users) if users else 0.0,
            "recall": (r / users) if users else 0.0,
        }
        for name, (p, r) in totals.items()
    }


class Command(BaseCommand):
    help = "precision@k / recall@k of the for-you co-occurrence model vs a popularity baseline"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--k", type=int, default=10)
        parser.add_argument("--split-days", type=int, default=7)

    def handle(self, *args, k: int, split_days: int, **options) -> None:
        results = evaluate(split_days=split_days, k=k)
        self.stdout.write(f"holdout: the last {split_days} days; k={k}")
        for name, row in results.items():
            self.stdout.write(
                f"{name:<13} users={row['users']:<5} precision@{k}={row['precision']:.4f} "
                f"recall@{k}={row['recall']:.4f}"
            )
