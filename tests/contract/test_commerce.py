"""API.md "Commerce (groupbuy)": catalog, storefronts, coupons, orders, payment through the
sandbox and its signed webhook, refunds and after-sales."""

from decimal import Decimal

import pytest

from community.services import role_grant
from groupbuy.models import Coupon, Order, Payment
from groupbuy.services.payments import SandboxProvider
from tests.contract.helpers import (
    app,
    assert_error,
    assert_iso,
    assert_money,
    assert_page,
)
from tests.factories import UserFactory
from tests.groupbuy.orderflow import delivered_order, paid_order, staff_member
from tests.groupbuy.orderflow import product as make_product

pytestmark = pytest.mark.django_db

ORDER_KEYS = {"id", "status", "items", "subtotal", "discount", "points_used", "total"}
PRODUCT = {"title": "Chili oil", "price": "19.90", "stock": 10, "commission_rate": "0.10"}


@pytest.fixture
def staff(db):
    return staff_member(username="contract-staff")


@pytest.fixture
def buyer(db):
    return UserFactory(username="contract-buyer")


@pytest.fixture
def goods(db):
    return make_product(title="Longjing tea", price="99.00", stock=5)


@pytest.fixture
def creator(db):
    person = UserFactory(username="contract-creator")
    role_grant(actor=None, user=person, role="creator")
    return person


def coupon(**fields):
    defaults = {
        "title": "10 off",
        "kind": "amount",
        "value": Decimal("10"),
        "threshold": Decimal("50"),
    }
    return Coupon.objects.create(**{**defaults, **fields})


def place(client, product, quantity=1, **extra):
    return client.post(
        "/api/v1/orders/",
        {"items": [{"product": product.pk, "quantity": quantity}], **extra},
        format="json",
    )


def signed_webhook(payment, order_id):
    return SandboxProvider().webhook_for(
        provider_payment_id=payment.provider_payment_id,
        reference=f"order-{order_id}",
        amount=payment.amount,
    )


def post_webhook(body, signature):
    return app().post(
        "/api/v1/payments/webhooks/sandbox/",
        data=body,
        content_type="application/json",
        HTTP_X_SANDBOX_SIGNATURE=signature,
    )


# --- catalog -----------------------------------------------------------------------------------


def test_products_list_is_a_page_containing_active_products(goods):
    response = app().get("/api/v1/products/")

    assert response.status_code == 200
    assert goods.pk in [row["id"] for row in assert_page(response.json())]


def test_product_detail_has_money_and_iso_times(goods):
    response = app().get(f"/api/v1/products/{goods.pk}/")

    assert response.status_code == 200
    assert response.json()["price"] == "99.00"
    assert_money(response.json()["price"])
    assert_iso(response.json()["created_at"])


def test_unknown_product_is_404_not_found():
    assert_error(app().get("/api/v1/products/999999/"), 404, "not_found")


def test_staff_creates_a_product(staff):
    response = app(staff).post("/api/v1/products/", PRODUCT, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert {"id", "title", "price", "stock"} <= set(body)
    assert (body["title"], body["price"], body["stock"]) == ("Chili oil", "19.90", 10)


def test_member_cannot_create_a_product(buyer):
    assert_error(
        app(buyer).post("/api/v1/products/", PRODUCT, format="json"), 403, "permission_denied"
    )


def test_anonymous_cannot_create_a_product():
    assert_error(app().post("/api/v1/products/", PRODUCT, format="json"), 401, "not_authenticated")


def test_product_without_price_and_stock_is_a_validation_error(staff):
    body = assert_error(
        app(staff).post("/api/v1/products/", {"title": "x"}, format="json"), 400, "validation_error"
    )

    assert {"price", "stock"} <= set(body["fields"])


# --- storefronts -------------------------------------------------------------------------------


def test_creator_opens_reads_and_renames_a_storefront(creator):
    client = app(creator)

    created = client.post(
        "/api/v1/storefronts/", {"slug": "tea-shop", "title": "Tea shop"}, format="json"
    )
    read = app().get("/api/v1/storefronts/tea-shop/")
    renamed = client.patch("/api/v1/storefronts/tea-shop/", {"title": "New"}, format="json")

    assert created.status_code == 201, created.json()
    assert read.status_code == 200
    assert read.json()["title"] == "Tea shop"
    assert renamed.status_code == 200
    assert renamed.json()["title"] == "New"


def test_only_the_owner_changes_a_storefront(creator, buyer):
    app(creator).post(
        "/api/v1/storefronts/", {"slug": "tea-shop", "title": "Tea shop"}, format="json"
    )

    refused = app(buyer).patch("/api/v1/storefronts/tea-shop/", {"title": "x"}, format="json")

    assert_error(refused, 403, "permission_denied")


def test_only_creators_open_storefronts(buyer):
    refused = app(buyer).post("/api/v1/storefronts/", {"slug": "mine", "title": "x"}, format="json")

    assert_error(refused, 403, "permission_denied")


def test_unknown_storefront_is_404_not_found():
    assert_error(app().get("/api/v1/storefronts/no-such-shop/"), 404, "not_found")


# --- coupons -----------------------------------------------------------------------------------


def test_available_coupons_are_a_page(buyer):
    offered = coupon()

    response = app(buyer).get("/api/v1/coupons/available/")

    assert response.status_code == 200
    assert [row["coupon"]["id"] for row in assert_page(response.json())] == [offered.pk]


def test_claim_is_201_then_409_at_the_member_limit(buyer):
    offered = coupon(total_quantity=5, per_user_limit=1)
    client = app(buyer)

    assert client.post(f"/api/v1/coupons/{offered.pk}/claim/").status_code == 201
    assert_error(client.post(f"/api/v1/coupons/{offered.pk}/claim/"), 409, "coupon_limit_reached")


def test_claim_is_409_once_every_coupon_is_taken():
    offered = coupon(total_quantity=1, per_user_limit=1)
    app(UserFactory()).post(f"/api/v1/coupons/{offered.pk}/claim/")

    assert_error(
        app(UserFactory()).post(f"/api/v1/coupons/{offered.pk}/claim/"), 409, "coupon_exhausted"
    )


# --- orders ------------------------------------------------------------------------------------


def test_order_is_201_pending_payment_with_money_strings(buyer, goods):
    response = place(app(buyer), goods, quantity=2)

    assert response.status_code == 201, response.json()
    order = response.json()
    assert set(order) >= ORDER_KEYS, ORDER_KEYS - set(order)
    assert order["status"] == "pending_payment"
    assert (order["subtotal"], order["discount"], order["total"]) == ("198.00", "0.00", "198.00")
    assert order["points_used"] == 0
    assert_iso(order["created_at"])


def test_order_beyond_stock_is_409_out_of_stock(buyer, goods):
    assert_error(place(app(buyer), goods, quantity=50), 409, "out_of_stock")


def test_order_with_unknown_coupon_is_409_coupon_invalid(buyer, goods):
    assert_error(place(app(buyer), goods, coupon=999999), 409, "coupon_invalid")


def test_order_with_a_claimed_coupon_takes_its_discount(buyer, goods):
    offered = coupon()
    wallet_entry = app(buyer).post(f"/api/v1/coupons/{offered.pk}/claim/").json()

    response = place(app(buyer), goods, coupon=wallet_entry["id"], points=0)

    assert response.status_code == 201, response.json()
    assert (response.json()["discount"], response.json()["total"]) == ("10.00", "89.00")


def test_order_with_someone_elses_coupon_is_409_coupon_invalid(buyer, goods):
    # `coupon` names an entry of the buyer's own wallet, so another member's claim is no use.
    theirs = app(UserFactory()).post(f"/api/v1/coupons/{coupon().pk}/claim/").json()

    assert_error(place(app(buyer), goods, coupon=theirs["id"]), 409, "coupon_invalid")


def test_orders_list_detail_are_the_buyers_own(buyer, goods):
    client = app(buyer)
    oid = place(client, goods).json()["id"]

    listing = client.get("/api/v1/orders/")
    detail = client.get(f"/api/v1/orders/{oid}/")

    assert [row["id"] for row in assert_page(listing.json())] == [oid]
    assert detail.status_code == 200
    assert detail.json()["id"] == oid
    assert_error(app(UserFactory()).get(f"/api/v1/orders/{oid}/"), 404, "not_found")


def test_cancel_an_unpaid_order_is_200_and_safe_to_repeat(buyer, goods):
    client = app(buyer)
    oid = place(client, goods).json()["id"]

    first = client.post(f"/api/v1/orders/{oid}/cancel/")
    again = client.post(f"/api/v1/orders/{oid}/cancel/")

    assert (first.status_code, first.json()["status"]) == (200, "cancelled")
    assert (again.status_code, again.json()["status"]) == (200, "cancelled")


def test_cancel_a_paid_order_is_409_order_state_conflict(buyer, goods):
    order = paid_order(buyer, [(goods.pk, 1)])

    assert_error(app(buyer).post(f"/api/v1/orders/{order.pk}/cancel/"), 409, "order_state_conflict")


# --- payment -----------------------------------------------------------------------------------


def test_pay_is_201_with_a_pending_sandbox_payment(buyer, goods):
    client = app(buyer)
    oid = place(client, goods).json()["id"]

    response = client.post(f"/api/v1/orders/{oid}/pay/")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert isinstance(body["payment_id"], int)
    assert (body["provider"], body["status"]) == ("sandbox", "pending")


def test_paying_again_reuses_the_pending_payment(buyer, goods):
    client = app(buyer)
    oid = place(client, goods).json()["id"]

    first = client.post(f"/api/v1/orders/{oid}/pay/")
    again = client.post(f"/api/v1/orders/{oid}/pay/")

    assert again.status_code == 201
    assert again.json()["payment_id"] == first.json()["payment_id"]


def test_sandbox_complete_pays_the_order_and_repeating_changes_nothing(buyer, goods):
    client = app(buyer)
    oid = place(client, goods).json()["id"]
    pid = client.post(f"/api/v1/orders/{oid}/pay/").json()["payment_id"]

    done = client.post(f"/api/v1/payments/sandbox/{pid}/complete/")
    again = client.post(f"/api/v1/payments/sandbox/{pid}/complete/")

    assert done.status_code == 200, done.json()
    assert again.status_code == 200
    assert client.get(f"/api/v1/orders/{oid}/").json()["status"] == "paid"
    assert Payment.objects.filter(order_id=oid).count() == 1


def test_signed_webhook_pays_the_order(buyer, goods):
    client = app(buyer)
    oid = place(client, goods).json()["id"]
    payment = Payment.objects.get(pk=client.post(f"/api/v1/orders/{oid}/pay/").json()["payment_id"])
    body, headers = signed_webhook(payment, oid)

    response = post_webhook(body, headers["X-Sandbox-Signature"])

    assert response.status_code == 200, response.content
    assert Order.objects.get(pk=oid).status == "paid"


def test_replayed_webhook_changes_nothing(buyer, goods):
    order = paid_order(buyer, [(goods.pk, 1)])
    payment = order.payments.get()
    body, headers = signed_webhook(payment, order.pk)
    paid_at = order.paid_at

    response = post_webhook(body, headers["X-Sandbox-Signature"])

    assert response.status_code == 200, response.content
    order.refresh_from_db()
    assert (order.status, order.paid_at) == ("paid", paid_at)


def test_forged_webhook_is_400_bad_signature(buyer, goods):
    client = app(buyer)
    oid = place(client, goods).json()["id"]
    payment = Payment.objects.get(pk=client.post(f"/api/v1/orders/{oid}/pay/").json()["payment_id"])
    body, _ = signed_webhook(payment, oid)

    assert_error(post_webhook(body, "t=1,v1=deadbeef"), 400, "bad_signature")
    assert Order.objects.get(pk=oid).status == "pending_payment"


def test_paying_a_cancelled_order_is_409_order_state_conflict(buyer, goods):
    client = app(buyer)
    oid = place(client, goods).json()["id"]
    client.post(f"/api/v1/orders/{oid}/cancel/")

    assert_error(client.post(f"/api/v1/orders/{oid}/pay/"), 409, "order_state_conflict")


# --- refunds and after-sales -------------------------------------------------------------------


def test_refund_answers_the_order_refunding_then_refunded(
    buyer, goods, django_capture_on_commit_callbacks
):
    order = paid_order(buyer, [(goods.pk, 1)])
    client = app(buyer)

    # The refund is processed after commit; run that work to see the final state.
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(
            f"/api/v1/orders/{order.pk}/refund/", {"reason": "changed mind"}, format="json"
        )

    assert first.status_code == 200, first.json()
    assert set(first.json()) >= ORDER_KEYS
    assert first.json()["status"] == "refunding"
    assert client.get(f"/api/v1/orders/{order.pk}/").json()["status"] == "refunded"


def test_second_refund_request_changes_nothing(buyer, goods):
    order = paid_order(buyer, [(goods.pk, 1)])
    client = app(buyer)

    first = client.post(f"/api/v1/orders/{order.pk}/refund/")
    second = client.post(f"/api/v1/orders/{order.pk}/refund/")

    assert first.status_code == 200, first.json()
    assert second.status_code == 200, second.json()
    assert second.json()["status"] == first.json()["status"]
    assert order.refunds.count() == 1


def test_refund_of_an_unpaid_order_is_409_refund_not_allowed(buyer, goods):
    client = app(buyer)
    oid = place(client, goods).json()["id"]
    client.post(f"/api/v1/orders/{oid}/cancel/")

    assert_error(client.post(f"/api/v1/orders/{oid}/refund/"), 409, "refund_not_allowed")


def test_refund_of_a_shipped_order_is_409_refund_not_allowed(buyer, goods, staff):
    order = delivered_order(buyer, [(goods.pk, 1)], staff)

    assert_error(app(buyer).post(f"/api/v1/orders/{order.pk}/refund/"), 409, "refund_not_allowed")


def test_after_sales_request_on_a_delivered_order_is_201_open(buyer, goods, staff):
    order = delivered_order(buyer, [(goods.pk, 1)], staff)

    created = app(buyer).post(
        f"/api/v1/orders/{order.pk}/after-sales/",
        {"kind": "refund_only", "reason": "damaged", "description": "broken jar"},
        format="json",
    )

    assert created.status_code == 201, created.json()
    assert (created.json()["kind"], created.json()["status"]) == ("refund_only", "open")


def test_after_sales_list_is_a_cursor_page(buyer, goods, staff):
    order = delivered_order(buyer, [(goods.pk, 1)], staff)
    client = app(buyer)
    url = f"/api/v1/orders/{order.pk}/after-sales/"
    created = client.post(url, {"kind": "refund_only", "reason": "damaged"}, format="json").json()

    listing = client.get(url)

    assert listing.status_code == 200
    # API.md Conventions: every list is a cursor page, however short.
    assert [row["id"] for row in assert_page(listing.json())] == [created["id"]]


def test_second_open_after_sales_request_is_409_after_sales_open(buyer, goods, staff):
    order = delivered_order(buyer, [(goods.pk, 1)], staff)
    client = app(buyer)
    request = {"kind": "refund_only", "reason": "damaged"}
    client.post(f"/api/v1/orders/{order.pk}/after-sales/", request, format="json")

    refused = client.post(f"/api/v1/orders/{order.pk}/after-sales/", request, format="json")

    assert_error(refused, 409, "after_sales_open")


def test_after_sales_before_shipping_is_409_order_state_conflict(buyer, goods):
    order = paid_order(buyer, [(goods.pk, 1)])

    refused = app(buyer).post(
        f"/api/v1/orders/{order.pk}/after-sales/",
        {"kind": "return", "reason": "other"},
        format="json",
    )

    assert_error(refused, 409, "order_state_conflict")
