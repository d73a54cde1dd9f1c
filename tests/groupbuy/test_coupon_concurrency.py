"""Coupon quotas under 50 simultaneous claims on PostgreSQL, with naive controls that must fail."""

import threading
from decimal import Decimal

import pytest

from groupbuy.exceptions import CouponExhaustedError, CouponLimitReachedError
from groupbuy.models import Coupon, CouponIssue, UserCoupon
from groupbuy.services import coupon_claim
from tests.backends import needs_postgres
from tests.concurrency import run_concurrently
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgres]


def _coupon(**fields) -> Coupon:
    return Coupon.objects.create(title="¥5", kind="amount", value=Decimal("5"), **fields)


def test_fifty_members_racing_for_ten_coupons_get_exactly_ten():
    coupon = _coupon(total_quantity=10)
    members = [UserFactory() for _ in range(50)]

    results = run_concurrently(lambda i: coupon_claim(actor=members[i], coupon_id=coupon.pk), 50)

    assert sum(isinstance(r, UserCoupon) for r in results) == 10
    assert sum(isinstance(r, CouponExhaustedError) for r in results) == 40
    coupon.refresh_from_db()
    assert coupon.claimed_count == UserCoupon.objects.filter(coupon=coupon).count() == 10


def test_one_member_claiming_fifty_times_at_once_gets_the_per_user_limit():
    coupon = _coupon(total_quantity=100, per_user_limit=3)
    member = UserFactory()

    results = run_concurrently(lambda _: coupon_claim(actor=member, coupon_id=coupon.pk), 50)

    assert sum(isinstance(r, UserCoupon) for r in results) == 3
    assert sum(isinstance(r, CouponLimitReachedError) for r in results) == 47
    coupon.refresh_from_db()
    assert coupon.claimed_count == 3


def test_naive_check_then_insert_control_overissues():
    coupon = _coupon(total_quantity=5)
    # 12 threads, each holding a pooled connection at the barrier (the pool has 20).
    members = [UserFactory() for _ in range(12)]
    all_checked = threading.Barrier(12)

    def naive_claim(i):
        remaining = coupon.total_quantity - UserCoupon.objects.filter(coupon=coupon).count()
        all_checked.wait(timeout=30)
        if remaining > 0:
            UserCoupon.objects.create(coupon=coupon, user=members[i], source=CouponIssue.CLAIM)

    results = run_concurrently(naive_claim, 12)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert UserCoupon.objects.filter(coupon=coupon).count() > 5  # the bug: more than the quota
