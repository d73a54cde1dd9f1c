"""Shipping, tracking, completion and what completion pays out (PRODUCT.md §3, §4, §5, §7)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from community.models import GrowthEntry, Notification, PointsEntry, User
from community.services import role_grant
from groupbuy.models import CommissionEntry, CreatorCode, Order, OrderEvent
from groupbuy.services import (
    commissions_confirm_due,
    order_complete,
    orders_complete_due,
)
from groupbuy.signals import order_completed, order_paid
from tests.factories import UserFactory
from tests.groupbuy.conftest import client_for
from tests.groupbuy.orderflow import delivered_order, paid_order, product, staff_member

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def buyer(db):
    return UserFactory(username="buyer")


@pytest.fixture
def staff(db):
    return staff_member()


@pytest.fixture
def heard():
    events: list[tuple[str, dict]] = []

    def listen(name):
        def receiver(sender, **kwargs):
            kwargs.pop("signal", None)
            events.append((name, kwargs))

        return receiver

    paid, completed = listen("paid"), listen("completed")
    order_paid.connect(paid)
    order_completed.connect(completed)
    yield events
    order_paid.disconnect(paid)
    order_completed.disconnect(completed)


def test_staff_ship_and_track_and_the_buyer_sees_the_history(buyer, staff):
    tea = product()
    order = paid_order(buyer, [(tea.pk, 1)])
    staff_client = client_for(staff)

    shipped = staff_client.post(
        f"/api/v1/orders/{order.pk}/ship/",
        {"carrier": "SF Express", "tracking_number": "SF123456"},
        format="json",
    )
    transit = staff_client.post(
        f"/api/v1/orders/{order.pk}/tracking/",
        {"status": "in_transit", "description": "Left Hangzhou hub", "location": "Hangzhou"},
        format="json",
    )
    delivered = staff_client.post(
        f"/api/v1/orders/{order.pk}/tracking/",
        {"status": "delivered", "location": "Chengdu"},
        format="json",
    )

    assert (shipped.status_code, shipped.json()["status"]) == (200, "shipped")
    assert (transit.status_code, delivered.status_code) == (201, 201)
    detail = client_for(buyer).get(f"/api/v1/orders/{order.pk}/").json()
    assert detail["status"] == "delivered"
    assert detail["shipment"]["carrier"] == "SF Express"
    assert detail["shipment"]["tracking_number"] == "SF123456"
    assert [e["status"] for e in detail["shipment"]["events"]] == [
        "shipped",
        "in_transit",
        "delivered",
    ]
    assert [e["to_status"] for e in detail["events"]] == [
        "pending_payment",
        "paid",
        "shipped",
        "delivered",
    ]
    assert detail["shipped_at"] and detail["delivered_at"]
    assert Notification.objects.filter(user=buyer, type="order_shipped").count() == 1


@pytest.mark.parametrize("who", ["anonymous", "buyer", "other"])
def test_only_staff_ship_or_track(buyer, who):
    order = paid_order(buyer, [(product().pk, 1)])
    actor = {"anonymous": None, "buyer": buyer, "other": UserFactory()}[who]
    client = client_for(actor)

    ship = client.post(
        f"/api/v1/orders/{order.pk}/ship/",
        {"carrier": "SF", "tracking_number": "1"},
        format="json",
    )
    track = client.post(
        f"/api/v1/orders/{order.pk}/tracking/", {"status": "delivered"}, format="json"
    )

    expected = 401 if who == "anonymous" else 404
    assert (ship.status_code, track.status_code) == (expected, expected)
    assert Order.objects.get(pk=order.pk).status == "paid"


def test_shipping_an_unpaid_order_or_tracking_an_unshipped_one_conflicts(buyer, staff):
    tea = product()
    unpaid = client_for(buyer).post(
        "/api/v1/orders/", {"items": [{"product": tea.pk, "quantity": 1}]}, format="json"
    )
    paid = paid_order(buyer, [(tea.pk, 1)])
    client = client_for(staff)

    ship = client.post(
        f"/api/v1/orders/{unpaid.json()['id']}/ship/",
        {"carrier": "SF", "tracking_number": "1"},
        format="json",
    )
    track = client.post(f"/api/v1/orders/{paid.pk}/tracking/", {"status": "in_transit"})
    bad = client.post(
        f"/api/v1/orders/{paid.pk}/ship/", {"carrier": "", "tracking_number": "1"}, format="json"
    )

    assert (ship.status_code, ship.json()["code"]) == (409, "order_state_conflict")
    assert (track.status_code, track.json()["code"]) == (409, "order_state_conflict")
    assert (bad.status_code, bad.json()["code"]) == (400, "validation_error")
    assert Order.objects.get(pk=paid.pk).status == "paid"


def test_confirming_receipt_completes_and_pays_points_times_tier_and_growth_once(
    buyer, staff, heard, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=buyer.pk).update(tier="gold")  # multiplier 1.5
    tea = product(price="99.90")
    order = delivered_order(buyer, [(tea.pk, 2)], staff)  # ¥199.80 paid
    client = client_for(buyer)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/api/v1/orders/{order.pk}/confirm-receipt/")
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/api/v1/orders/{order.pk}/confirm-receipt/")
        order_complete(order_id=order.pk)  # the sweeper racing the buyer

    assert (first.status_code, first.json()["status"]) == (200, "completed")
    assert again.status_code == 200
    purchase = PointsEntry.objects.get(user=buyer, reason="purchase")
    assert purchase.delta == 298  # floor(199.80) = 199 x 1.5, rounded down
    assert User.objects.get(pk=buyer.pk).points_balance == 298
    assert GrowthEntry.objects.get(user=buyer, source="purchase").amount == 199
    assert Notification.objects.filter(user=buyer, type="order_completed").count() == 1
    assert [name for name, _ in heard] == ["completed"]
    assert heard[0][1]["order_id"] == order.pk
    assert heard[0][1]["total"] == D("199.80")


def test_points_are_not_paid_at_payment(buyer, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = paid_order(buyer, [(product().pk, 1)], share_code="ab12")

    assert not PointsEntry.objects.filter(user=buyer, reason="purchase").exists()
    assert heard == [
        (
            "paid",
            {"order_id": order.pk, "buyer_id": buyer.pk, "total": D("99.00"), "share_code": "ab12"},
        )
    ]


def test_a_stranger_cannot_confirm_and_an_undelivered_paid_order_cannot_complete(buyer, staff):
    order = paid_order(buyer, [(product().pk, 1)])
    stranger = client_for(UserFactory()).post(f"/api/v1/orders/{order.pk}/confirm-receipt/")
    too_early = client_for(buyer).post(f"/api/v1/orders/{order.pk}/confirm-receipt/")

    assert stranger.status_code == 404
    assert (too_early.status_code, too_early.json()["code"]) == (409, "order_state_conflict")
    assert Order.objects.get(pk=order.pk).status == "paid"
    assert not PointsEntry.objects.filter(user=buyer, reason="purchase").exists()


def test_an_invited_members_first_completed_order_rewards_the_inviter_once(staff):
    inviter = UserFactory(username="inviter")
    invitee = UserFactory(username="invitee", invited_by=inviter)
    tea = product()

    for _ in range(2):
        order = delivered_order(invitee, [(tea.pk, 1)], staff)
        order_complete(order_id=order.pk)

    rewards = GrowthEntry.objects.filter(user=inviter, source="invite")
    assert [r.amount for r in rewards] == [50]


def test_the_sweeper_completes_long_delivered_or_shipped_orders_once(buyer, staff):
    tea = product()
    old_delivery = delivered_order(buyer, [(tea.pk, 1)], staff)
    fresh_delivery = delivered_order(buyer, [(tea.pk, 1)], staff)
    lost_in_transit = delivered_order(buyer, [(tea.pk, 1)], staff)
    now = timezone.now()
    Order.objects.filter(pk=old_delivery.pk).update(delivered_at=now - timedelta(days=8))
    Order.objects.filter(pk=fresh_delivery.pk).update(delivered_at=now - timedelta(days=6))
    Order.objects.filter(pk=lost_in_transit.pk).update(
        status="shipped", shipped_at=now - timedelta(days=16)
    )

    first = orders_complete_due()
    second = orders_complete_due()

    assert (first, second) == (2, 0)
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert statuses[old_delivery.pk] == "completed"
    assert statuses[fresh_delivery.pk] == "delivered"
    assert statuses[lost_in_transit.pk] == "completed"
    assert OrderEvent.objects.filter(to_status="completed").count() == 2
    assert PointsEntry.objects.filter(user=buyer, reason="purchase").count() == 2


def test_commission_is_pending_at_payment_and_confirmed_seven_days_after_completion(buyer, staff):
    creator = UserFactory(username="lily")
    role_grant(actor=None, user=creator, role="creator")
    CreatorCode.objects.create(creator=creator, code="LILY5", discount_percent=5)
    tea = product(price="100.00", rate="0.10")
    plain = product(title="No commission", price="50.00", rate="0")

    order = paid_order(buyer, [(tea.pk, 1), (plain.pk, 1)], creator_code="lily5")

    entry = CommissionEntry.objects.get(order=order)
    # ¥150 less 5 % = ¥142.50 paid; the tea's share is 100/150 of it = ¥95.00; 10 % = ¥9.50.
    assert (entry.creator, entry.status) == (creator, "pending")
    assert (entry.base_amount, entry.amount) == (D("95.00"), D("9.50"))
    assert entry.attribution_source == "creator_code"

    Order.objects.filter(pk=order.pk).update(status="delivered")
    completed = order_complete(order_id=order.pk)
    entry.refresh_from_db()
    assert entry.confirm_after == completed.completed_at + timedelta(days=7)

    assert commissions_confirm_due(now=completed.completed_at + timedelta(days=6)) == 0
    assert commissions_confirm_due(now=completed.completed_at + timedelta(days=7, seconds=1)) == 1
    assert commissions_confirm_due(now=completed.completed_at + timedelta(days=8)) == 0
    entry.refresh_from_db()
    assert entry.status == "confirmed"


def test_an_order_without_a_creator_earns_no_commission(buyer):
    order = paid_order(buyer, [(product().pk, 1)])
    assert not CommissionEntry.objects.filter(order=order).exists()
