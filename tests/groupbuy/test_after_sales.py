"""After-sales requests with photos, and staff handling them (PRODUCT.md §7)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import Notification
from groupbuy.models import AfterSalesPhoto, AfterSalesRequest, Order, Refund
from tests.factories import UserFactory
from tests.groupbuy.conftest import client_for, image_bytes, stored_files, upload
from tests.groupbuy.orderflow import delivered_order, paid_order, product, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(db):
    return UserFactory(username="buyer")


@pytest.fixture
def staff(db):
    return staff_member()


@pytest.fixture
def delivered(buyer, staff):
    return delivered_order(buyer, [(product().pk, 1)], staff)


def _open(client, order_id, photos=(), **fields):
    body = {"kind": "refund_only", "reason": "damaged", "description": "The jar was cracked"}
    body.update(fields)
    if photos:
        body["photos"] = list(photos)
    return client.post(f"/api/v1/orders/{order_id}/after-sales/", body, format="multipart")


def test_a_buyer_opens_a_request_with_photos_and_sees_it_on_the_order(buyer, delivered, media):
    client = client_for(buyer)

    created = _open(
        client,
        delivered.pk,
        photos=[upload(image_bytes()), upload(image_bytes("JPEG"), "b.jpg", "image/jpeg")],
    )

    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["kind"], body["reason"], body["status"]) == ("refund_only", "damaged", "open")
    assert len(body["photos"]) == 2
    assert len(stored_files(media)) == 2
    detail = client.get(f"/api/v1/orders/{delivered.pk}/").json()
    assert [r["id"] for r in detail["after_sales"]] == [body["id"]]
    listed = client.get(f"/api/v1/orders/{delivered.pk}/after-sales/")
    assert [r["id"] for r in listed.json()["results"]] == [body["id"]]


@pytest.mark.parametrize(
    "photo, code",
    [
        (lambda: upload(b"not an image at all", "x.png"), "invalid_image"),
        (lambda: upload(image_bytes()[:40], "cut.png"), "invalid_image"),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_stored(buyer, delivered, media, photo, code):
    response = _open(client_for(buyer), delivered.pk, photos=[upload(image_bytes()), photo()])

    assert (response.status_code, response.json()["code"]) == (400, code)
    assert not AfterSalesRequest.objects.exists()
    assert stored_files(media) == []


def test_too_many_photos_are_refused(buyer, delivered, media):
    photos = [upload(image_bytes(), f"{n}.png") for n in range(7)]

    response = _open(client_for(buyer), delivered.pk, photos=photos)

    assert (response.status_code, response.json()["code"]) == (400, "too_many_images")
    assert not AfterSalesRequest.objects.exists()


def test_one_active_request_per_order_and_invalid_choices_are_refused(buyer, delivered):
    client = client_for(buyer)
    assert _open(client, delivered.pk).status_code == 201

    second = _open(client, delivered.pk, kind="return")
    bad_kind = _open(client, delivered.pk, kind="teleport")

    assert (second.status_code, second.json()["code"]) == (409, "after_sales_open")
    assert (bad_kind.status_code, bad_kind.json()["code"]) == (400, "validation_error")
    assert AfterSalesRequest.objects.count() == 1


def test_after_sales_is_for_shipped_orders_within_the_window(buyer, staff):
    paid = paid_order(buyer, [(product().pk, 1)])
    old = delivered_order(buyer, [(product(title="Old").pk, 1)], staff)
    Order.objects.filter(pk=old.pk).update(
        status="completed", completed_at=timezone.now() - timedelta(days=16)
    )
    client = client_for(buyer)

    not_shipped = _open(client, paid.pk)
    too_late = _open(client, old.pk)

    assert (not_shipped.status_code, not_shipped.json()["code"]) == (409, "order_state_conflict")
    assert (too_late.status_code, too_late.json()["code"]) == (409, "after_sales_window_closed")
    assert not AfterSalesRequest.objects.exists()


def test_nobody_else_can_open_or_read_a_buyers_requests(buyer, delivered):
    _open(client_for(buyer), delivered.pk)
    stranger = client_for(UserFactory())

    assert _open(stranger, delivered.pk).status_code == 404
    assert stranger.get(f"/api/v1/orders/{delivered.pk}/after-sales/").status_code == 404
    assert client_for(None).get(f"/api/v1/orders/{delivered.pk}/after-sales/").status_code == 401
    assert AfterSalesRequest.objects.count() == 1


def test_staff_approving_a_refund_request_refunds_the_order_and_tells_the_buyer(
    buyer, staff, delivered, django_capture_on_commit_callbacks
):
    request_id = _open(client_for(buyer), delivered.pk).json()["id"]
    staff_client = client_for(staff)

    queue = staff_client.get("/api/v1/after-sales/")
    with django_capture_on_commit_callbacks(execute=True):
        decided = staff_client.post(
            f"/api/v1/after-sales/{request_id}/decide/",
            {"action": "approve", "note": "Sorry about that"},
            format="json",
        )
    again = staff_client.post(
        f"/api/v1/after-sales/{request_id}/decide/", {"action": "reject"}, format="json"
    )

    assert [r["id"] for r in queue.json()["results"]] == [request_id]
    assert (decided.status_code, decided.json()["status"]) == (200, "completed")
    assert decided.json()["staff_note"] == "Sorry about that"
    assert Order.objects.get(pk=delivered.pk).status == "refunded"
    assert Refund.objects.get(order=delivered).status == "succeeded"
    assert (again.status_code, again.json()["code"]) == (409, "after_sales_state_conflict")
    assert Notification.objects.filter(user=buyer, type="after_sales").count() == 1


def test_an_exchange_is_approved_then_completed_without_money_moving(buyer, staff, delivered):
    request_id = _open(client_for(buyer), delivered.pk, kind="exchange").json()["id"]
    staff_client = client_for(staff)

    approved = staff_client.post(
        f"/api/v1/after-sales/{request_id}/decide/", {"action": "approve"}, format="json"
    )
    completed = staff_client.post(
        f"/api/v1/after-sales/{request_id}/decide/", {"action": "complete"}, format="json"
    )

    assert (approved.json()["status"], completed.json()["status"]) == ("approved", "completed")
    assert not Refund.objects.exists()
    assert Order.objects.get(pk=delivered.pk).status == "delivered"


def test_rejection_and_withdrawal(buyer, staff, delivered):
    client = client_for(buyer)
    first = _open(client, delivered.pk).json()["id"]
    withdrawn = client.post(f"/api/v1/after-sales/{first}/withdraw/")
    second = _open(client, delivered.pk).json()["id"]  # a withdrawn request frees the order
    rejected = client_for(staff).post(
        f"/api/v1/after-sales/{second}/decide/",
        {"action": "reject", "note": "Photos show no damage"},
        format="json",
    )
    withdraw_rejected = client.post(f"/api/v1/after-sales/{second}/withdraw/")

    assert withdrawn.json()["status"] == "withdrawn"
    assert rejected.json()["status"] == "rejected"
    assert (withdraw_rejected.status_code, withdraw_rejected.json()["code"]) == (
        409,
        "after_sales_state_conflict",
    )
    assert Order.objects.get(pk=delivered.pk).status == "delivered"


@pytest.mark.parametrize("who", ["anonymous", "buyer", "stranger"])
def test_only_staff_see_the_queue_and_decide(buyer, delivered, who):
    request_id = _open(client_for(buyer), delivered.pk).json()["id"]
    actor = {"anonymous": None, "buyer": buyer, "stranger": UserFactory()}[who]
    client = client_for(actor)

    queue = client.get("/api/v1/after-sales/")
    decide = client.post(
        f"/api/v1/after-sales/{request_id}/decide/", {"action": "approve"}, format="json"
    )
    withdraw = client.post(f"/api/v1/after-sales/{request_id}/withdraw/")

    expected = 401 if who == "anonymous" else 404
    assert (queue.status_code, decide.status_code) == (expected, expected)
    assert withdraw.status_code == {"anonymous": 401, "buyer": 200, "stranger": 404}[who]
    assert not Refund.objects.exists()
    assert AfterSalesPhoto.objects.count() == 0
