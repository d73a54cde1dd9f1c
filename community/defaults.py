"""Default rows the product needs (PRODUCT.md §3-4): the tier table and the daily tasks.

Used by the data migration with historical models, and by tests after a database flush.
"""

from decimal import Decimal

TIERS = [
    # tier, rank, threshold, multiplier, coupon pack, early access minutes, support priority
    ("regular", 0, 0, Decimal("1.0"), "", 0, 0),
    ("silver", 1, 1000, Decimal("1.2"), "silver-monthly", 0, 0),
    ("gold", 2, 5000, Decimal("1.5"), "gold-monthly", 10, 0),
    ("platinum", 3, 20000, Decimal("2.0"), "platinum-monthly", 10, 1),
]

DAILY_TASKS = [
    # code, title, action, target, points
    ("daily-checkin", "Check in today", "checkin", 1, 5),
    ("daily-post", "Publish a note", "post", 1, 10),
    ("daily-comment", "Comment 3 times", "comment", 3, 10),
    ("daily-share", "Share once", "share", 1, 5),
]


def seed_loyalty_defaults(tier_model, task_model) -> None:
    """Create the default tiers and daily tasks where missing; staff edits are kept."""
    for tier, rank, threshold, multiplier, pack, early, priority in TIERS:
        tier_model.objects.get_or_create(
            tier=tier,
            defaults={
                "rank": rank,
                "threshold": threshold,
                "points_multiplier": multiplier,
                "monthly_coupon_pack": pack,
                "early_access_minutes": early,
                "support_priority": priority,
            },
        )
    for code, title, action, target, points in DAILY_TASKS:
        task_model.objects.get_or_create(
            code=code,
            defaults={"title": title, "action": action, "target_count": target, "points": points},
        )
