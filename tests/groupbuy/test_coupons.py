from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.utils import timezone

from community.models import PointsEntry, User
from community.services import points_award, tier_monthly_packs_announce
from groupbuy.demo.coupons import seed_coupons
from groupbuy.models import Category, Coupon, Product, UserCoupon
from tests.factories import UserFactory
from tests.groupbuy.conftest import client_for

pytestmark = pytest.mark.django_db
D = Decimal


def make_coupon(**fields) -> Coupon:
    defaults = {"title": "¥20 off ¥199", "kind": "amount", "value": D("20"), "threshold": D("199")}
    return Coupon.objects.create(**{**defaults, **fields})


@pytest.fixture
def member(db):
    return UserFactory()


# --- coupon centre and claiming -----------------------------------------------------------------


def test_available_coupons_show_what_is_left_and_what_i_hold(member):
    open_coupon = make_coupon(total_quantity=5)
    make_coupon(title="hidden", claimable=False)
    make_coupon(title="over", valid_until=timezone.now() - timedelta(minutes=1))
    client = client_for(member)
    client.post(f"/api/v1/coupons/{open_coupon.pk}/claim/")

    page = client.get("/api/v1/coupons/available/").json()
    assert (page["next"], page["previous"]) == (None, None)
    rows = page["results"]

    assert [(r["coupon"]["id"], r["remaining"], r["held"], r["can_claim"]) for r in rows] == [
        (open_coupon.pk, 4, 1, False)
    ]
    assert client_for(None).get("/api/v1/coupons/available/").json()["results"][0]["held"] == 0


def test_claim_puts_a_coupon_in_the_wallet_with_its_expiry(member):
    coupon = make_coupon(valid_days_after_claim=7)

    response = client_for(member).post(f"/api/v1/coupons/{coupon.pk}/claim/")

    assert response.status_code == 201
    entry = UserCoupon.objects.get(user=member)
    assert entry.source == "claim"
    assert timedelta(days=6, hours=23) < entry.expires_at - timezone.now() <= timedelta(days=7)
    wallet = client_for(member).get("/api/v1/coupons/mine/").json()["results"]
    assert [c["id"] for c in wallet] == [entry.pk]


def test_claims_stop_at_the_total_quantity(member):
    coupon = make_coupon(total_quantity=1)
    assert client_for(UserFactory()).post(f"/api/v1/coupons/{coupon.pk}/claim/").status_code == 201

    response = client_for(member).post(f"/api/v1/coupons/{coupon.pk}/claim/")

    assert response.status_code == 409
    assert response.json()["code"] == "coupon_exhausted"
    assert not UserCoupon.objects.filter(user=member).exists()
    coupon.refresh_from_db()
    assert coupon.claimed_count == 1


def test_per_user_limit_refuses_and_does_not_consume_quantity(member):
    coupon = make_coupon(total_quantity=10, per_user_limit=2)
    client = client_for(member)

    codes = [client.post(f"/api/v1/coupons/{coupon.pk}/claim/").status_code for _ in range(3)]

    assert codes == [201, 201, 409]
    coupon.refresh_from_db()
    assert coupon.claimed_count == 2  # the refused claim gave its unit back


@pytest.mark.parametrize(
    ("fields", "code", "status"),
    [
        ({"is_active": False}, "coupon_unavailable", 409),
        ({"valid_from": timezone.now() + timedelta(days=1)}, "coupon_unavailable", 409),
        ({"min_tier": "gold"}, "coupon_not_eligible", 403),
        ({"new_user_days": 7}, "coupon_not_eligible", 403),
    ],
)
def test_ineligible_claims_are_refused(member, fields, code, status):
    User.objects.filter(pk=member.pk).update(date_joined=timezone.now() - timedelta(days=30))
    member.refresh_from_db()
    coupon = make_coupon(**fields)

    response = client_for(member).post(f"/api/v1/coupons/{coupon.pk}/claim/")

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert not UserCoupon.objects.exists()


def test_tier_exclusive_coupon_for_a_gold_member(member):
    User.objects.filter(pk=member.pk).update(tier="platinum")
    member.refresh_from_db()
    coupon = make_coupon(min_tier="gold")

    assert client_for(member).post(f"/api/v1/coupons/{coupon.pk}/claim/").status_code == 201


def test_anonymous_cannot_claim_redeem_or_see_a_wallet():
    coupon = make_coupon()
    anonymous = client_for(None)

    for method, path in [
        ("post", f"/api/v1/coupons/{coupon.pk}/claim/"),
        ("post", "/api/v1/coupons/redeem/"),
        ("get", "/api/v1/coupons/mine/"),
        ("post", f"/api/v1/coupons/{coupon.pk}/exchange/"),
        ("post", "/api/v1/coupons/best/"),
    ]:
        assert getattr(anonymous, method)(path, {}).status_code == 401
    assert not UserCoupon.objects.exists()


def test_wallet_shows_only_my_coupons(member):
    coupon = make_coupon(per_user_limit=5)
    other = UserFactory()
    client_for(other).post(f"/api/v1/coupons/{coupon.pk}/claim/")

    assert client_for(member).get("/api/v1/coupons/mine/").json()["results"] == []


# --- codes and the points mall --------------------------------------------------------------------


def test_redeem_code_regardless_of_case_and_unknown_code(member):
    make_coupon(code="WELCOME20", claimable=False)
    client = client_for(member)

    assert client.post("/api/v1/coupons/redeem/", {"code": "welcome20"}).status_code == 201
    unknown = client.post("/api/v1/coupons/redeem/", {"code": "NOPE"})
    assert (unknown.status_code, unknown.json()["code"]) == (400, "coupon_code_invalid")


def test_points_exchange_spends_points_and_issues_together(member):
    coupon = make_coupon(points_price=500, claimable=False)
    points_award(user_id=member.pk, amount=600, reason="task", idempotency_key="seed")
    client = client_for(member)

    first = client.post(f"/api/v1/coupons/{coupon.pk}/exchange/")
    second = client.post(f"/api/v1/coupons/{coupon.pk}/exchange/")  # the per-user limit

    assert first.status_code == 201
    assert second.json()["code"] == "coupon_limit_reached"
    assert User.objects.get(pk=member.pk).points_balance == 100
    assert PointsEntry.objects.filter(user=member, reason="redeem").count() == 1


def test_points_exchange_without_enough_points_issues_nothing(member):
    coupon = make_coupon(points_price=500, claimable=False, total_quantity=3)

    response = client_for(member).post(f"/api/v1/coupons/{coupon.pk}/exchange/")

    assert (response.status_code, response.json()["code"]) == (409, "insufficient_points")
    assert not UserCoupon.objects.exists()
    coupon.refresh_from_db()
    assert coupon.claimed_count == 0


# --- best coupon for a cart ---------------------------------------------------------------------


def test_best_coupon_for_a_cart_picks_the_biggest_saving_that_applies(member):
    category = Category.objects.create(name="Snacks", slug="snacks")
    product = Product.objects.create(
        title="Tea", price=D("250.00"), stock=5, status="active", category=category
    )
    fixed = make_coupon(per_user_limit=1)
    percent = make_coupon(
        title="10 % off", kind="percent", value=D("10"), threshold=D("0"), cap=D("50")
    )
    far = make_coupon(title="¥100 off ¥500", value=D("100"), threshold=D("500"))
    client = client_for(member)
    for coupon in (fixed, percent, far):
        client.post(f"/api/v1/coupons/{coupon.pk}/claim/")

    body = client.post(
        "/api/v1/coupons/best/", {"items": [{"product": product.pk, "quantity": 1}]}, format="json"
    ).json()
    bad = client.post("/api/v1/coupons/best/", {"items": []}, format="json")
    unknown = client.post(
        "/api/v1/coupons/best/", {"items": [{"product": 99999, "quantity": 1}]}, format="json"
    )

    assert (body["user_coupon"]["coupon"]["id"], body["discount"]) == (percent.pk, "25.00")
    assert bad.status_code == 400
    assert unknown.status_code == 404


# --- the monthly tier pack hook -----------------------------------------------------------------


def test_monthly_tier_pack_is_issued_once_per_member_and_month(member):
    User.objects.filter(pk=member.pk).update(tier="gold")
    make_coupon(
        title="Gold ¥10", value=D("10"), threshold=D("0"), pack_code="gold-monthly", claimable=False
    )

    tier_monthly_packs_announce(month="2026-12")
    tier_monthly_packs_announce(month="2026-12")
    tier_monthly_packs_announce(month="2027-01")

    assert UserCoupon.objects.filter(user=member, source="auto").count() == 2


def test_demo_coupons_seed_once():
    UserFactory(username="alice")
    seed_coupons(StringIO())
    count = Coupon.objects.count()
    seed_coupons(StringIO())

    assert Coupon.objects.count() == count == 11
    assert UserCoupon.objects.filter(user__username="alice").count() == 1
    assert Coupon.objects.filter(pack_code="gold-monthly").exists()
    assert set(Coupon.objects.exclude(auto_issue="").values_list("auto_issue", flat=True)) == {
        "new_user",
        "invitee",
    }
