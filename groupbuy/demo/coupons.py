"""Demo coupons: the coupon centre, codes, points-mall coupons, welcome coupons and tier packs
(idempotent, and claimed through the services like any member's)."""

from decimal import Decimal

from community.models import User
from groupbuy.models import Coupon, UserCoupon
from groupbuy.services.coupons import coupon_claim

# title, fields
DEMO_COUPONS = [
    (
        "满199减20 ¥20 off ¥199",
        {
            "kind": "amount",
            "value": Decimal("20"),
            "threshold": Decimal("199"),
            "total_quantity": 500,
        },
    ),
    (
        "全场9折 10 % off (max ¥50)",
        {
            "kind": "percent",
            "value": Decimal("10"),
            "cap": Decimal("50"),
            "total_quantity": 200,
            "valid_days_after_claim": 14,
        },
    ),
    (
        "新人专享 New members ¥15",
        {"kind": "amount", "value": Decimal("15"), "threshold": Decimal("49"), "new_user_days": 7},
    ),
    (
        "新人礼 Welcome ¥8 off ¥39",
        {
            "kind": "amount",
            "value": Decimal("8"),
            "threshold": Decimal("39"),
            "auto_issue": "new_user",
            "claimable": False,
            "valid_days_after_claim": 14,
        },
    ),
    (
        "好友邀请 Invited by a friend ¥20 off ¥99",
        {
            "kind": "amount",
            "value": Decimal("20"),
            "threshold": Decimal("99"),
            "auto_issue": "invitee",
            "claimable": False,
            "valid_days_after_claim": 30,
        },
    ),
    (
        "金卡专享 Gold ¥30 off ¥299",
        {"kind": "amount", "value": Decimal("30"), "threshold": Decimal("299"), "min_tier": "gold"},
    ),
    (
        "WELCOME2026 code ¥10",
        {
            "kind": "amount",
            "value": Decimal("10"),
            "threshold": Decimal("59"),
            "code": "WELCOME2026",
            "claimable": False,
        },
    ),
    (
        "积分兑换 500 points: ¥5 off",
        {
            "kind": "amount",
            "value": Decimal("5"),
            "points_price": 500,
            "claimable": False,
            "per_user_limit": 3,
        },
    ),
    (
        "Silver monthly ¥8",
        {
            "kind": "amount",
            "value": Decimal("8"),
            "threshold": Decimal("99"),
            "pack_code": "silver-monthly",
            "claimable": False,
            "valid_days_after_claim": 30,
        },
    ),
    (
        "Gold monthly ¥15",
        {
            "kind": "amount",
            "value": Decimal("15"),
            "threshold": Decimal("129"),
            "pack_code": "gold-monthly",
            "claimable": False,
            "valid_days_after_claim": 30,
        },
    ),
    (
        "Platinum monthly ¥30",
        {
            "kind": "amount",
            "value": Decimal("30"),
            "threshold": Decimal("199"),
            "pack_code": "platinum-monthly",
            "claimable": False,
            "valid_days_after_claim": 30,
        },
    ),
]


def seed_coupons(stdout) -> None:
    """Idempotent: the demo coupon centre, a code, the points mall and the monthly tier packs."""
    for title, fields in DEMO_COUPONS:
        Coupon.objects.get_or_create(title=title, defaults=fields)
    alice = User.objects.filter(username="alice").first()
    first = Coupon.objects.filter(title=DEMO_COUPONS[0][0]).first()
    if (
        alice is not None
        and first is not None
        and not UserCoupon.objects.filter(user=alice, coupon=first).exists()
    ):
        coupon_claim(actor=alice, coupon_id=first.pk)
    stdout.write(f"  coupons: {Coupon.objects.count()} in the coupon centre, mall and tier packs")
