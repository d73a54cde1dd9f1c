"""What groupbuy tells insights: orders created, paid, completed and refunded, group-buy teams
opened, joined and succeeded, coupons claimed and redeemed, each once its transaction commits."""

from decimal import Decimal

import pytest
from django.db import transaction

from community.models import Event
from groupbuy.models import Coupon, Refund
from groupbuy.services import (
    coupon_claim,
    order_confirm_receipt,
    order_create,
    order_refund_request,
)
from groupbuy.services.refunds import refund_process
from tests.factories import UserFactory
from tests.groupbuy.orderflow import delivered_order, paid_order, product, staff_member
from tests.groupbuy.teamflow import campaign, join_paid, open_paid

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what the block queued on commit, as a real commit would
    (track() stores on commit); a savepoint rolled back inside drops its callbacks."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def events(user, name: str) -> list[dict]:
    return list(
        Event.objects.filter(user=user, name=name)
        .order_by("id")
        .values_list("properties", flat=True)
    )


def test_a_paid_order_records_created_and_paid_with_its_amount(committed):
    buyer = UserFactory()
    tea = product(price="99.00")

    with committed():
        order = paid_order(buyer, [(tea.pk, 2)])

    expected = {"order_id": order.pk, "amount": "198.00", "kind": "regular"}
    assert events(buyer, "order_paid") == [expected]
    [created] = events(buyer, "order_created")
    assert created | expected == created and created["items"] == 1


def test_completing_and_refunding_an_order_are_recorded_once(committed):
    buyer, staff = UserFactory(), staff_member()
    order = delivered_order(buyer, [(product(price="50.00").pk, 1)], staff)

    with committed():
        order_confirm_receipt(actor=buyer, order_id=order.pk)
        order_refund_request(actor=staff, order_id=order.pk, by_staff=True, reason="damaged")
    refund = Refund.objects.get(order=order)
    with committed():
        refund_process(refund_id=refund.pk)
        refund_process(refund_id=refund.pk)  # a second run (the sweeper) changes nothing

    assert events(buyer, "order_completed") == [
        {"order_id": order.pk, "amount": "50.00", "kind": "regular"}
    ]
    assert events(buyer, "refund") == [
        {"order_id": order.pk, "refund_id": refund.pk, "amount": "50.00", "whole_order": True}
    ]


def test_a_group_buy_records_open_join_and_one_success_for_the_team(committed):
    leader, friend = UserFactory(), UserFactory()
    deal = campaign(team_size=2)

    with committed():
        seat = open_paid(leader, deal.pk)
        join_paid(friend, seat.team.pk)

    ids = {"team_id": seat.team.pk, "campaign_id": deal.pk}
    assert [e | ids == e for e in events(leader, "team_open")] == [True]
    assert [e | ids == e for e in events(friend, "team_join")] == [True]
    assert events(leader, "team_succeed") == [{**ids, "members": 2, "platform_filled": False}]
    assert Event.objects.filter(name="team_succeed").count() == 1


def test_a_coupon_claimed_and_used_on_a_paid_order_is_claimed_and_redeemed(committed):
    buyer = UserFactory()
    coupon = Coupon.objects.create(
        title="¥10 off", kind="amount", value=Decimal("10.00"), threshold=Decimal("0")
    )

    with committed():
        entry = coupon_claim(actor=buyer, coupon_id=coupon.pk)
        order = paid_order(buyer, [(product(price="30.00").pk, 1)], user_coupon_id=entry.pk)

    assert events(buyer, "coupon_claim") == [
        {"coupon_id": coupon.pk, "user_coupon_id": entry.pk, "source": "claim"}
    ]
    [redeemed] = events(buyer, "coupon_redeem")
    assert (redeemed["order_id"], redeemed["amount"]) == (order.pk, "20.00")


def test_an_order_rolled_back_records_nothing(committed):
    buyer = UserFactory()
    tea = product()

    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        order_create(buyer=buyer, items=[(tea.pk, 1)])
        raise RuntimeError("the request failed after the order was placed")

    assert not Event.objects.filter(user=buyer).exists()
