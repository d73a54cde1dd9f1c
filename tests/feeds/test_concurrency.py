"""Counters and rewards under real concurrency on PostgreSQL. Each race has a naive control written
the obvious way (read, then write) that must fail, proving the test can see the bug."""

import threading

import pytest

from community.models import PointsEntry
from feeds.models import Like, Post, ShareReward
from feeds.services.interactions import post_like
from feeds.services.shares import (
    Visitor,
    share_click_record,
    share_link_create,
    share_order_completed,
    share_order_paid,
)
from groupbuy.services import order_create
from tests.backends import needs_postgres
from tests.concurrency import run_concurrently
from tests.factories import UserFactory
from tests.feeds.conftest import make_post

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgres]

# tests/concurrency.py: every thread holds a pooled connection while it waits on the barrier,
# so batches stay small enough for the pool.
BATCH = 10


def test_fifty_simultaneous_likes_count_fifty(author, media):
    post = make_post(author)
    fans = [UserFactory() for _ in range(50)]

    results = []
    for start in range(0, 50, BATCH):
        batch = fans[start : start + BATCH]
        results += run_concurrently(lambda i, b=batch: post_like(actor=b[i], post=post), len(batch))

    assert results == [True] * 50
    post.refresh_from_db()
    assert post.like_count == 50 == Like.objects.filter(post=post).count()


def test_naive_read_modify_write_like_counter_loses_updates(author, media):
    post = make_post(author)
    all_read = threading.Barrier(BATCH)

    def naive_like(_):
        row = Post.objects.get(pk=post.pk)
        all_read.wait(timeout=30)
        row.like_count = row.like_count + 1
        row.save(update_fields=["like_count"])

    run_concurrently(naive_like, BATCH)

    post.refresh_from_db()
    assert post.like_count < BATCH  # the bug: lost updates


def test_the_same_click_reward_claimed_concurrently_pays_once(author, media):
    post = make_post(author)
    sharer, visitor = UserFactory(), UserFactory()
    link, _ = share_link_create(actor=sharer, target_type="post", target_id=post.pk)

    run_concurrently(
        lambda _: share_click_record(code=link.code, visitor=Visitor(user=visitor, ip="1.1.1.1")),
        BATCH,
    )

    assert PointsEntry.objects.filter(user=sharer, reason="share_click").count() == 1
    assert ShareReward.objects.filter(kind="click").count() == 1


def test_naive_check_then_pay_click_reward_pays_twice(db):
    from community.services import points_award

    sharer = UserFactory()
    between_check_and_act = threading.Barrier(2)

    def naive_claim(i):
        already = ShareReward.objects.filter(kind="click", sharer=sharer).exists()
        between_check_and_act.wait(timeout=30)
        if not already:
            points_award(user_id=sharer.pk, amount=1, reason="share_click", idempotency_key=f"n{i}")

    run_concurrently(naive_claim, 2)

    assert PointsEntry.objects.filter(user=sharer, reason="share_click").count() == 2  # the bug


def test_an_order_reward_completed_concurrently_pays_once(staff, author, media):
    from tests.feeds.conftest import _product_for

    product = _product_for(staff)
    sharer, buyer = UserFactory(), UserFactory()
    link, _ = share_link_create(actor=sharer, target_type="product", target_id=product.pk)
    share_click_record(code=link.code, visitor=Visitor(user=buyer, ip="2.2.2.2"))
    order = order_create(buyer=buyer, items=[(product.pk, 5)], share_code=link.code)
    share_order_paid(order_id=order.pk, buyer_id=buyer.pk, total=order.total, share_code=link.code)

    results = run_concurrently(lambda _: share_order_completed(order_id=order.pk), BATCH)

    assert results.count(True) == 1
    assert PointsEntry.objects.filter(user=sharer, reason="share_conversion").count() == 1


def test_self_referral_pays_nothing_even_concurrently(staff, media):
    from tests.feeds.conftest import _product_for

    product = _product_for(staff)
    sharer = UserFactory()
    link, _ = share_link_create(actor=sharer, target_type="product", target_id=product.pk)

    run_concurrently(
        lambda _: share_click_record(code=link.code, visitor=Visitor(user=sharer, ip="3.3.3.3")),
        BATCH,
    )
    order = order_create(buyer=sharer, items=[(product.pk, 1)], share_code=link.code)
    share_order_paid(order_id=order.pk, buyer_id=sharer.pk, total=order.total, share_code=link.code)
    share_order_completed(order_id=order.pk)

    assert ShareReward.objects.count() == 0
    assert not PointsEntry.objects.filter(
        user=sharer, reason__in=["share_click", "share_conversion"]
    ).exists()
