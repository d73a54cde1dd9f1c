from decimal import Decimal

from django.db import migrations

TIERS = [
    # tier, rank, threshold, multiplier, coupon pack, early access minutes, support priority
    ("regular", 0, 0, Decimal("1.0"), "", 0, 0),
    ("silver", 1, 1000, Decimal("1.2"), "silver-monthly", 0, 0),
    ("gold", 2, 5000, Decimal("1.5"), "gold-monthly", 10, 0),
    ("platinum", 3, 20000, Decimal("2.0"), "platinum-monthly", 10, 1),
]

TASKS = [
    # code, title, action, target, points
    ("daily-checkin", "Check in today", "checkin", 1, 5),
    ("daily-post", "Publish a note", "post", 1, 10),
    ("daily-comment", "Comment 3 times", "comment", 3, 10),
    ("daily-share", "Share once", "share", 1, 5),
]


def seed(apps, schema_editor):
    TierBenefit = apps.get_model("community", "TierBenefit")
    TaskDefinition = apps.get_model("community", "TaskDefinition")
    for tier, rank, threshold, multiplier, pack, early, priority in TIERS:
        TierBenefit.objects.update_or_create(
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
    for code, title, action, target, points in TASKS:
        TaskDefinition.objects.get_or_create(
            code=code,
            defaults={"title": title, "action": action, "target_count": target, "points": points},
        )


def invite_codes(apps, schema_editor):
    import secrets

    User = apps.get_model("community", "User")
    for user in User.objects.filter(invite_code__isnull=True):
        user.invite_code = secrets.token_hex(4).upper()
        user.save(update_fields=["invite_code"])


class Migration(migrations.Migration):
    dependencies = [("community", "0002_loyalty_social_notifications")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(invite_codes, migrations.RunPython.noop),
    ]
