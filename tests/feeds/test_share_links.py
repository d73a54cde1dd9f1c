"""Share links: creation, redirect and clicks, click points with the daily cap, registration and
first-order rewards (held, granted, reversed), self-referral, farming flags and per-link stats."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from community.models import PointsEntry, User
from community.services import role_grant
from feeds.models import RewardStatus, ShareClick, ShareFraudFlag, ShareLink, ShareReward
from feeds.services.shares import (
    Visitor,
    share_click_record,
    share_clicks_for_buyer,
    share_fraud_resolve,
)
from feeds.signals import share_fraud_flagged
from groupbuy.services import order_create
from groupbuy.signals import order_completed, order_paid, order_refunded
from tests.factories import PASSWORD, UserFactory
from tests.feeds.conftest import client_for, make_post

pytestmark = pytest.mark.django_db


def _link(user, target_type, target_id) -> dict:
    response = client_for(user).post(
        "/api/v1/share-links/", {"target_type": target_type, "target_id": target_id}, format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()


def _points(user, reason) -> int:
    return sum(PointsEntry.objects.filter(user=user, reason=reason).values_list("delta", flat=True))


def _click(code, user=None, ip="10.0.0.1", device="d1", now=None):
    return share_click_record(
        code=code, visitor=Visitor(user=user, ip=ip, user_agent="ua", device_id=device), now=now
    )


# --- creation -------------------------------------------------------------------------------------


def test_creating_a_link_for_a_post_product_and_storefront(sharer, post, product, staff):
    from groupbuy.services import storefront_create

    creator = UserFactory()
    role_grant(actor=None, user=creator, role="creator")
    shop = storefront_create(actor=creator, slug="lily", title="Lily")

    made = _link(sharer, "post", post.pk)
    again = client_for(sharer).post(
        "/api/v1/share-links/", {"target_type": "post", "target_id": post.pk}, format="json"
    )
    product_link = _link(sharer, "product", product.pk)
    store_link = _link(sharer, "storefront", shop.pk)

    assert len(made["code"]) == 8
    assert made["url"] == f"http://testserver/s/{made['code']}"
    assert made["target_url"] == f"/posts/{post.pk}/"
    assert made["earns_rewards"] is True
    assert (again.status_code, again.json()["code"]) == (201, made["code"])
    assert product_link["target_url"] == f"/products/{product.pk}/"
    assert store_link["target_url"] == "/store/lily/"
    post.refresh_from_db()
    assert post.share_count == 1


def test_sharing_your_own_post_earns_nothing(author, post):
    link = _link(author, "post", post.pk)
    reader = UserFactory()

    _click(link["code"], user=reader)

    assert link["earns_rewards"] is False
    assert _points(author, "share_click") == 0


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"target_type": "post", "target_id": 99999}, 400, "share_target_invalid"),
        ({"target_type": "team", "target_id": 1}, 400, "share_target_invalid"),
        ({"target_type": "spaceship", "target_id": 1}, 400, "validation_error"),
        ({"target_type": "post"}, 400, "validation_error"),
    ],
)
def test_bad_share_targets_are_refused(sharer, body, status, code):
    response = client_for(sharer).post("/api/v1/share-links/", body, format="json")

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert ShareLink.objects.count() == 0


def test_a_draft_post_cannot_be_shared(author, sharer, media):
    draft = make_post(author, publish=False)

    response = client_for(sharer).post(
        "/api/v1/share-links/", {"target_type": "post", "target_id": draft.pk}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (400, "share_target_invalid")


def test_share_link_create_needs_an_account(post):
    response = client_for(None).post(
        "/api/v1/share-links/", {"target_type": "post", "target_id": post.pk}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")
    assert ShareLink.objects.count() == 0


# --- clicks ---------------------------------------------------------------------------------------


def test_opening_a_link_redirects_records_and_pays_one_point_per_visitor_a_day(sharer, post):
    code = _link(sharer, "post", post.pk)["code"]
    browser = Client(REMOTE_ADDR="10.1.1.1")

    first = browser.get(f"/s/{code}")
    second = browser.get(f"/s/{code}")
    other = Client(REMOTE_ADDR="10.1.1.2", HTTP_USER_AGENT="other").get(f"/s/{code}")
    missing = browser.get("/s/nope1234")

    assert first.status_code == 302
    assert first["Location"] == f"/posts/{post.pk}/"
    assert second.status_code == other.status_code == 302
    assert missing.status_code == 404
    assert ShareClick.objects.count() == 3
    assert _points(sharer, "share_click") == 2
    stats = client_for(sharer).get(f"/api/v1/share-links/{code}/stats/").json()
    assert stats["clicks"] == 3 and stats["unique_clicks"] == 2 and stats["points_awarded"] == 2


def test_the_same_visitor_earns_the_sharer_a_point_again_the_next_day(sharer, post):
    code = _link(sharer, "post", post.pk)["code"]
    visitor = UserFactory()
    now = timezone.now()

    _click(code, user=visitor, now=now)
    _click(code, user=visitor, now=now + timedelta(days=1))

    assert _points(sharer, "share_click") == 2


def test_click_points_stop_at_the_daily_cap(sharer, post, settings):
    settings.FEEDS_SHARE_CLICK_DAILY_CAP = 3
    code = _link(sharer, "post", post.pk)["code"]

    for i in range(5):
        _click(code, ip=f"10.9.0.{i}")

    assert _points(sharer, "share_click") == 3
    assert (
        ShareReward.objects.filter(status=RewardStatus.VOID, hold_reason="daily_cap").count() == 2
    )


def test_self_clicks_earn_nothing(sharer, post):
    code = _link(sharer, "post", post.pk)["code"]

    _click(code, user=sharer)
    browser = Client()
    browser.force_login(sharer)
    browser.get(f"/s/{code}")

    assert ShareClick.objects.filter(is_self=True).count() == 2
    assert _points(sharer, "share_click") == 0
    assert ShareReward.objects.count() == 0


def test_clicks_made_signed_out_by_the_sharer_are_taken_back_when_they_sign_in(sharer, post):
    from feeds.services.shares import share_clicks_claim

    code = _link(sharer, "post", post.pk)["code"]
    before = User.objects.get(pk=sharer.pk).points_balance
    own = [_click(code, ip=f"10.9.9.{n}", device=f"d{n}") for n in range(3)]  # three browsers
    assert User.objects.get(pk=sharer.pk).points_balance == before + 3

    share_clicks_claim(click_ids=[c.pk for c in own], user=sharer)

    assert _points(sharer, "share_click") == 3  # the award entries stay in the ledger...
    assert User.objects.get(pk=sharer.pk).points_balance == before  # ...and are clawed back
    assert ShareClick.objects.filter(is_self=True).count() == 3
    assert set(ShareReward.objects.values_list("status", flat=True)) == {"reversed"}


def test_many_accounts_from_one_device_are_flagged_and_held(
    sharer, post, settings, django_capture_on_commit_callbacks
):
    settings.FEEDS_FRAUD_MAX_ACCOUNTS = 3
    code = _link(sharer, "post", post.pk)["code"]
    flagged = []
    share_fraud_flagged.connect(
        lambda sender, signal, **kw: flagged.append(kw), weak=False, dispatch_uid="t"
    )
    try:
        for i in range(6):
            with django_capture_on_commit_callbacks(execute=True):
                _click(code, user=UserFactory(), ip=f"10.2.0.{i}", device="farm-phone")
    finally:
        share_fraud_flagged.disconnect(dispatch_uid="t")

    assert _points(sharer, "share_click") == 3
    held = ShareReward.objects.filter(status=RewardStatus.HELD, hold_reason="fraud")
    assert held.count() == 3
    flag = ShareFraudFlag.objects.get()
    assert (flag.signal, flag.accounts) == ("device", 4)
    assert flagged == [
        {
            "flag_id": flag.pk,
            "sharer_id": sharer.pk,
            "link_id": flag.link_id,
            "kind": "device",
            "accounts": 4,
        }
    ]


def test_staff_release_or_void_held_rewards(sharer, post, staff, settings):
    settings.FEEDS_FRAUD_MAX_ACCOUNTS = 1
    code = _link(sharer, "post", post.pk)["code"]
    for _ in range(3):
        _click(code, user=UserFactory(), device="shared")
    flag = ShareFraudFlag.objects.get()

    with pytest.raises(Exception, match="Only staff"):
        share_fraud_resolve(actor=sharer, flag=flag, release=True)
    released = share_fraud_resolve(actor=staff, flag=flag, release=True)
    again = share_fraud_resolve(actor=staff, flag=flag, release=True)

    assert (released, again) == (2, 0)
    assert _points(sharer, "share_click") == 3


# --- registration ---------------------------------------------------------------------------------


def test_registering_after_opening_a_link_rewards_the_sharer(sharer, post):
    code = _link(sharer, "post", post.pk)["code"]
    browser = Client(REMOTE_ADDR="10.3.3.3")
    browser.get(f"/s/{code}")

    response = browser.post(
        "/api/v1/auth/register/",
        {"username": "newbie", "password": PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 201
    newbie = User.objects.get(username="newbie")
    assert _points(sharer, "invite") == 100
    assert ShareClick.objects.get().visitor == newbie
    stats = client_for(sharer).get(f"/api/v1/share-links/{code}/stats/").json()
    assert stats["registrations"] == 1


def test_a_member_who_registers_through_a_link_gets_the_invitee_coupon(
    sharer, post, django_capture_on_commit_callbacks
):
    from groupbuy.models import Coupon, UserCoupon

    Coupon.objects.create(
        title="Invited ¥20", kind="amount", value=Decimal("20"), auto_issue="invitee"
    )
    code = _link(sharer, "post", post.pk)["code"]
    browser = Client(REMOTE_ADDR="10.3.3.4")
    browser.get(f"/s/{code}")

    with django_capture_on_commit_callbacks(execute=True):
        browser.post(
            "/api/v1/auth/register/",
            {"username": "invitee", "password": PASSWORD},
            content_type="application/json",
        )

    wallet = UserCoupon.objects.filter(user__username="invitee")
    assert list(wallet.values_list("coupon__title", "source")) == [("Invited ¥20", "reward")]
    assert not UserCoupon.objects.filter(user=sharer).exists()


def test_an_existing_member_signing_in_is_not_a_registration(sharer, post):
    code = _link(sharer, "post", post.pk)["code"]
    member = UserFactory(username="old")
    User.objects.filter(pk=member.pk).update(date_joined=timezone.now() - timedelta(days=30))
    browser = Client()
    browser.get(f"/s/{code}")

    browser.post(
        "/api/v1/auth/login/",
        {"username": "old", "password": PASSWORD},
        content_type="application/json",
    )

    assert _points(sharer, "invite") == 0
    assert ShareClick.objects.get().visitor == member  # the click is theirs for attribution


def _app_register(username, code, ip="10.8.8.8", **headers):
    # An app keeps no cookies: a fresh client per request, the link named in a header.
    return Client(REMOTE_ADDR=ip).post(
        "/api/v1/auth/register/",
        {"username": username, "password": PASSWORD},
        content_type="application/json",
        headers={"X-Share-Code": code, **headers},
    )


def test_an_app_registering_with_the_link_it_was_opened_from_rewards_the_sharer(sharer, post):
    code = _link(sharer, "post", post.pk)["code"]
    Client(REMOTE_ADDR="10.8.8.8").get(f"/s/{code}")  # the app opened the link, cookieless

    response = _app_register("appnewbie", code, **{"X-Device-Id": "phone-1"})

    assert response.status_code == 201
    newbie = User.objects.get(username="appnewbie")
    assert _points(sharer, "invite") == 100
    # The app's own click is the one attributed, not a second one.
    assert list(ShareClick.objects.values_list("visitor", flat=True)) == [newbie.pk]
    stats = client_for(sharer).get(f"/api/v1/share-links/{code}/stats/").json()
    assert (stats["clicks"], stats["registrations"]) == (1, 1)


def test_an_app_registration_without_an_earlier_click_counts_as_the_click(sharer, post):
    code = _link(sharer, "post", post.pk)["code"]

    assert _app_register("direct", code).status_code == 201

    click = ShareClick.objects.get()
    assert click.visitor.username == "direct"
    assert _points(sharer, "invite") == 100


def test_an_unknown_share_code_or_a_sign_in_later_pays_nothing(sharer, post):
    code = _link(sharer, "post", post.pk)["code"]

    assert _app_register("lost", "NOPE1234").status_code == 201
    old = UserFactory(username="veteran")
    User.objects.filter(pk=old.pk).update(date_joined=timezone.now() - timedelta(days=30))
    signed_in = Client().post(
        "/api/v1/auth/login/",
        {"username": "veteran", "password": PASSWORD},
        content_type="application/json",
        headers={"X-Share-Code": code},
    )

    assert signed_in.status_code == 200
    assert _points(sharer, "invite") == 0
    assert not ShareClick.objects.exists()


# --- orders ---------------------------------------------------------------------------------------


def _paid_order(buyer, product, code):
    order = order_create(buyer=buyer, items=[(product.pk, 5)], share_code=code)
    order_paid.send(
        sender=None, order_id=order.pk, buyer_id=buyer.pk, total=order.total, share_code=code
    )
    return order


def test_first_order_reward_is_held_then_granted_on_completion(sharer, product):
    code = _link(sharer, "product", product.pk)["code"]
    buyer = UserFactory()
    _click(code, user=buyer)

    order = _paid_order(buyer, product, code)
    held = ShareReward.objects.get(kind="order")
    assert (held.status, held.hold_reason, held.points) == ("held", "pending_completion", 199)
    assert _points(sharer, "share_conversion") == 0

    for _ in range(2):
        order_completed.send(
            sender=None, order_id=order.pk, buyer_id=buyer.pk, total=order.total, share_code=code
        )

    assert order.total == Decimal("99.50")
    assert _points(sharer, "share_conversion") == 199  # 2 % of ¥99.50 at 100 points per yuan
    stats = client_for(sharer).get(f"/api/v1/share-links/{code}/stats/").json()
    assert (stats["orders"], stats["orders_completed"]) == (1, 1)


def test_refund_after_completion_claws_the_reward_back(sharer, product):
    code = _link(sharer, "product", product.pk)["code"]
    buyer = UserFactory()
    _click(code, user=buyer)
    order = _paid_order(buyer, product, code)
    order_completed.send(
        sender=None, order_id=order.pk, buyer_id=buyer.pk, total=order.total, share_code=code
    )

    for _ in range(2):
        order_refunded.send(
            sender=None, order_id=order.pk, buyer_id=buyer.pk, amount=order.total, share_code=code
        )

    assert _points(sharer, "share_conversion") == 199
    assert _points(sharer, "refund_clawback") == -199
    # What is left: the buyer's click point and the daily "share once" task.
    assert User.objects.get(pk=sharer.pk).points_balance == 1 + 5
    assert ShareReward.objects.get(kind="order").status == "reversed"


def test_refund_before_completion_drops_the_held_reward(sharer, product):
    code = _link(sharer, "product", product.pk)["code"]
    buyer = UserFactory()
    _click(code, user=buyer)
    order = _paid_order(buyer, product, code)

    order_refunded.send(
        sender=None, order_id=order.pk, buyer_id=buyer.pk, amount=order.total, share_code=code
    )
    order_completed.send(
        sender=None, order_id=order.pk, buyer_id=buyer.pk, total=order.total, share_code=code
    )

    assert _points(sharer, "share_conversion") == 0
    assert ShareReward.objects.get(kind="order").status == "reversed"


def test_no_order_reward_without_a_click_or_for_self_purchases_or_creators(sharer, product):
    code = _link(sharer, "product", product.pk)["code"]
    stranger = UserFactory()
    _paid_order(stranger, product, code)  # never opened the link
    _click(code, user=sharer)
    _paid_order(sharer, product, code)  # self-purchase
    creator = UserFactory()
    role_grant(actor=None, user=creator, role="creator")
    creator_code = _link(creator, "product", product.pk)["code"]
    fan = UserFactory()
    _click(creator_code, user=fan)
    _paid_order(fan, product, creator_code)

    assert ShareReward.objects.filter(kind="order").count() == 0


def test_an_old_click_is_outside_the_window(sharer, product):
    code = _link(sharer, "product", product.pk)["code"]
    buyer = UserFactory()
    _click(code, user=buyer, now=timezone.now() - timedelta(days=8))

    _paid_order(buyer, product, code)

    assert ShareReward.objects.filter(kind="order").count() == 0


def test_creator_clicks_feed_checkout_attribution(product):
    creator = UserFactory()
    role_grant(actor=None, user=creator, role="creator")
    member = UserFactory()
    buyer = UserFactory()
    _click(_link(creator, "product", product.pk)["code"], user=buyer)
    _click(_link(member, "product", product.pk)["code"], user=buyer)

    clicks = share_clicks_for_buyer(buyer.pk, timezone.now())
    order = order_create(buyer=buyer, items=[(product.pk, 1)])

    assert sorted((sharer, is_creator) for sharer, _, is_creator in clicks) == sorted(
        [(creator.pk, True), (member.pk, False)]
    )
    assert (order.attributed_creator_id, order.attribution_source) == (creator.pk, "share_link")


def test_a_creators_dashboard_counts_clicks_on_their_links_but_not_their_own(product):
    creator = UserFactory()
    role_grant(actor=None, user=creator, role="creator")
    code = _link(creator, "product", product.pk)["code"]
    _click(code, user=UserFactory())
    _click(code, user=UserFactory(), ip="10.0.0.2", device="d2")
    _click(code, user=creator)  # a self-click is not a click

    body = client_for(creator).get("/api/v1/creator/dashboard/?days=7").json()

    assert body["clicks"] == 2
    assert body["days"][-1]["clicks"] == 2


# --- stats permission matrix ------------------------------------------------------------------------


def test_stats_are_for_the_sharer_and_staff_only(sharer, post, staff):
    code = _link(sharer, "post", post.pk)["code"]
    url = f"/api/v1/share-links/{code}/stats/"

    anonymous = client_for(None).get(url)
    other = client_for(UserFactory()).get(url)
    own = client_for(sharer).get(url)
    by_staff = client_for(staff).get(url)
    missing = client_for(sharer).get("/api/v1/share-links/nope/stats/")

    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "not_authenticated")
    assert (other.status_code, other.json()["code"]) == (403, "permission_denied")
    assert (missing.status_code, missing.json()["code"]) == (404, "share_link_not_found")
    assert own.status_code == by_staff.status_code == 200
    assert own.json() == {
        "code": code,
        "clicks": 0,
        "unique_clicks": 0,
        "registrations": 0,
        "orders": 0,
        "orders_completed": 0,
        "orders_refunded": 0,
        "points_awarded": 0,
        "points_held": 0,
        "rewards_held_for_review": 0,
    }


def test_my_links_list_shows_only_mine(sharer, post, product):
    _link(sharer, "post", post.pk)
    _link(UserFactory(), "product", product.pk)

    mine = client_for(sharer).get("/api/v1/share-links/").json()["results"]
    anonymous = client_for(None).get("/api/v1/share-links/")

    assert [link["target_type"] for link in mine] == ["post"]
    assert anonymous.status_code == 401
