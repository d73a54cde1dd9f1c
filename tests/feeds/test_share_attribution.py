"""Share rewards for orders that name no link (web checkout, group buys, flash sales): the buyer's
last click within the window decides. Anonymous click farming from one IP is held and flagged."""

import threading
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from community.models import PointsEntry, User
from community.services import role_grant
from feeds.models import RewardStatus, ShareClick, ShareFraudFlag, ShareReward
from feeds.services.shares import (
    Visitor,
    share_click_record,
    share_fraud_resolve,
    share_link_create,
)
from feeds.signals import share_fraud_flagged
from groupbuy.models import Order
from groupbuy.services import order_complete, order_create, order_ship, team_expire
from groupbuy.signals import order_paid
from tests.backends import needs_postgres
from tests.concurrency import run_concurrently
from tests.factories import PASSWORD, UserFactory
from tests.feeds.conftest import client_for, make_post
from tests.groupbuy.teamflow import campaign, join_paid, open_paid


def _code(user, target_type, target_id) -> str:
    link, _ = share_link_create(actor=user, target_type=target_type, target_id=target_id)
    return link.code


def _points(user, reason) -> int:
    return sum(PointsEntry.objects.filter(user=user, reason=reason).values_list("delta", flat=True))


def _click(code, user=None, ip="10.0.0.1", ua="ua", now=None):
    return share_click_record(
        code=code, visitor=Visitor(user=user, ip=ip, user_agent=ua, device_id=""), now=now
    )


def _paid_without_link(buyer, product, quantity=5):
    """An order paid as the web checkout pays it: ``order_paid`` with no ``share_code``."""
    order = order_create(buyer=buyer, items=[(product.pk, quantity)])
    order_paid.send(
        sender=Order, order_id=order.pk, buyer_id=buyer.pk, total=order.total, share_code=""
    )
    return order


def _stats(user, code) -> dict:
    return client_for(user).get(f"/api/v1/share-links/{code}/stats/").json()


# --- orders without a share code ------------------------------------------------------------------


def test_a_web_order_after_opening_a_post_link_earns_the_sharer_a_held_then_granted_reward(
    sharer, post, product, staff, django_capture_on_commit_callbacks
):
    code = _code(sharer, "post", post.pk)
    browser = Client(REMOTE_ADDR="10.4.4.4")
    browser.get(f"/s/{code}")
    registered = browser.post(
        "/api/v1/auth/register/",
        {"username": "newbie", "password": PASSWORD},
        content_type="application/json",
    )
    assert registered.status_code == 201
    buyer = User.objects.get(username="newbie")
    assert ShareClick.objects.get().visitor == buyer  # the click is the buyer's now

    with django_capture_on_commit_callbacks(execute=True):
        placed = browser.post(
            "/api/v1/orders/",
            {"items": [{"product": product.pk, "quantity": 5}]},
            content_type="application/json",
        )
        assert placed.status_code == 201, placed.json()
        order_id = placed.json()["id"]
        payment = browser.post(f"/api/v1/orders/{order_id}/pay/").json()
        paid = browser.post(f"/api/v1/payments/sandbox/{payment['payment_id']}/complete/")
    assert paid.json()["order_status"] == "paid"
    assert Order.objects.get(pk=order_id).share_code == ""  # the checkout named no link

    held = ShareReward.objects.get(kind="order")
    assert (held.status, held.hold_reason, held.points, held.order_id) == (
        "held",
        "pending_completion",
        199,  # 2 % of ¥99.50 at 100 points per yuan
        order_id,
    )
    assert _points(sharer, "share_conversion") == 0
    stats = _stats(sharer, code)
    assert (stats["orders"], stats["orders_completed"], stats["points_held"]) == (1, 0, 199)

    with django_capture_on_commit_callbacks(execute=True):
        order_ship(actor=staff, order_id=order_id, carrier="SF Express", tracking_number="SF1")
        order_complete(order_id=order_id)

    assert ShareReward.objects.get(kind="order").status == "granted"
    assert _points(sharer, "share_conversion") == 199
    assert _points(sharer, "invite") == 100  # the registration reward is untouched
    stats = _stats(sharer, code)
    assert (stats["orders"], stats["orders_completed"], stats["points_held"]) == (1, 1, 0)


def test_joining_a_team_through_its_share_link_holds_the_sharers_reward(
    sharer, django_capture_on_commit_callbacks
):
    drive = campaign(team_size=3)
    leader, member = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        team = open_paid(leader, drive.pk).team
    code = _code(sharer, "team", team.pk)
    browser = Client()
    browser.force_login(member)
    assert browser.get(f"/s/{code}")["Location"] == f"/teams/{team.pk}/"

    with django_capture_on_commit_callbacks(execute=True):
        seat = join_paid(member, team.pk)

    reward = ShareReward.objects.get(kind="order")
    assert (reward.sharer_id, reward.visitor_id, reward.order_id) == (
        sharer.pk,
        member.pk,
        seat.order.pk,
    )
    assert (reward.status, reward.hold_reason) == ("held", "pending_completion")
    assert reward.points == 79  # 2 % of the ¥39.90 group price
    assert _points(sharer, "share_conversion") == 0
    assert _stats(sharer, code)["orders"] == 1

    # The team fails: every member is refunded, and the held reward goes with the money.
    with django_capture_on_commit_callbacks(execute=True):
        team_expire(team_id=team.pk, now=timezone.now() + timedelta(days=1))

    assert ShareReward.objects.get(kind="order").status == "reversed"
    assert _points(sharer, "share_conversion") == 0


def test_the_last_click_within_the_window_decides(sharer, product):
    other = UserFactory()
    buyer = UserFactory()
    now = timezone.now()
    _click(_code(sharer, "product", product.pk), user=buyer, now=now - timedelta(hours=2))
    _click(_code(other, "product", product.pk), user=buyer, now=now - timedelta(hours=1))

    _paid_without_link(buyer, product)

    assert ShareReward.objects.get(kind="order").sharer_id == other.pk


def test_a_last_click_on_a_creators_link_pays_no_earlier_sharer(sharer, product):
    creator, buyer = UserFactory(), UserFactory()
    role_grant(actor=None, user=creator, role="creator")
    now = timezone.now()
    _click(_code(sharer, "product", product.pk), user=buyer, now=now - timedelta(hours=2))
    _click(_code(creator, "product", product.pk), user=buyer, now=now - timedelta(hours=1))

    _paid_without_link(buyer, product)

    assert not ShareReward.objects.filter(kind="order").exists()


def test_old_clicks_self_clicks_and_second_orders_pay_nothing_more(sharer, product):
    code = _code(sharer, "product", product.pk)
    late, buyer = UserFactory(), UserFactory()
    _click(code, user=late, now=timezone.now() - timedelta(days=8))
    _click(code, user=sharer)  # the sharer's own click...

    _paid_without_link(late, product)  # ...outside the window
    _paid_without_link(sharer, product)  # ...a self-purchase
    assert not ShareReward.objects.filter(kind="order").exists()

    _click(code, user=buyer)
    first = _paid_without_link(buyer, product)
    _click(code, user=buyer)  # opened again before the next order
    _paid_without_link(buyer, product)
    _paid_without_link(buyer, product, quantity=1)

    reward = ShareReward.objects.get(kind="order")
    assert (reward.order_id, reward.points) == (first.pk, 199)


def test_a_click_exactly_at_the_window_edge_still_counts(sharer, product, settings):
    code = _code(sharer, "product", product.pk)
    buyer = UserFactory()
    now = timezone.now()
    _click(code, user=buyer, now=now - timedelta(days=settings.FEEDS_SHARE_WINDOW_DAYS))
    order = order_create(buyer=buyer, items=[(product.pk, 5)])

    from feeds.services.shares import share_order_paid

    reward = share_order_paid(
        order_id=order.pk, buyer_id=buyer.pk, total=order.total, share_code="", now=now
    )

    assert reward is not None and reward.status == "held"


def test_an_order_naming_a_link_is_paid_to_that_link_not_the_last_click(sharer, product):
    named = _code(sharer, "product", product.pk)
    other, buyer = UserFactory(), UserFactory()
    now = timezone.now()
    _click(named, user=buyer, now=now - timedelta(hours=2))
    _click(_code(other, "product", product.pk), user=buyer, now=now - timedelta(hours=1))
    order = order_create(buyer=buyer, items=[(product.pk, 5)], share_code=named)

    order_paid.send(
        sender=Order, order_id=order.pk, buyer_id=buyer.pk, total=order.total, share_code=named
    )

    assert ShareReward.objects.get(kind="order").sharer_id == sharer.pk


# --- anonymous farming ----------------------------------------------------------------------------


def _collect_flags():
    flagged: list[dict] = []
    share_fraud_flagged.connect(
        lambda sender, signal, **kw: flagged.append(kw), weak=False, dispatch_uid="anon-test"
    )
    return flagged


def test_rotating_user_agents_from_one_ip_earns_up_to_the_threshold_then_is_flagged(
    sharer, post, staff, settings, django_capture_on_commit_callbacks
):
    assert settings.FEEDS_FRAUD_MAX_ANONYMOUS_PER_IP == 5  # the documented default
    code = _code(sharer, "post", post.pk)
    flagged = _collect_flags()
    try:
        for i in range(10):
            with django_capture_on_commit_callbacks(execute=True):
                Client(REMOTE_ADDR="10.5.5.5", HTTP_USER_AGENT=f"bot/{i}").get(f"/s/{code}")
    finally:
        share_fraud_flagged.disconnect(dispatch_uid="anon-test")

    assert _points(sharer, "share_click") == 5
    held = ShareReward.objects.filter(status=RewardStatus.HELD, hold_reason="fraud")
    assert held.count() == 5
    flag = ShareFraudFlag.objects.get()
    assert (flag.sharer_id, flag.signal, flag.accounts) == (sharer.pk, "ip", 6)
    assert [(f["flag_id"], f["kind"], f["accounts"]) for f in flagged] == [(flag.pk, "ip", 6)]
    assert _stats(sharer, code)["rewards_held_for_review"] == 5

    # Staff may decide it was a busy café after all: the held points are paid once.
    assert share_fraud_resolve(actor=staff, flag=flag, release=True) == 5
    assert _points(sharer, "share_click") == 10


def test_visitors_from_different_ips_earn_normally(sharer, post):
    code = _code(sharer, "post", post.pk)

    for i in range(10):
        Client(REMOTE_ADDR=f"10.6.0.{i}", HTTP_USER_AGENT="same-browser").get(f"/s/{code}")

    assert _points(sharer, "share_click") == 10
    assert not ShareFraudFlag.objects.exists()
    assert not ShareReward.objects.filter(status=RewardStatus.HELD).exists()


def test_one_anonymous_visitor_reopening_a_link_is_not_farming(sharer, post, settings):
    settings.FEEDS_FRAUD_MAX_ANONYMOUS_PER_IP = 1
    code = _code(sharer, "post", post.pk)
    now = timezone.now()

    for day in range(3):  # the same browser, a point a day
        _click(code, ip="10.7.7.7", ua="phone", now=now + timedelta(days=day, minutes=day))

    assert _points(sharer, "share_click") == 3
    assert not ShareFraudFlag.objects.exists()


def test_anonymous_visitors_of_another_sharer_do_not_count(sharer, post, settings):
    settings.FEEDS_FRAUD_MAX_ANONYMOUS_PER_IP = 2
    mine = _code(sharer, "post", post.pk)
    theirs = _code(UserFactory(), "post", post.pk)

    for i in range(2):
        _click(mine, ip="10.8.0.1", ua=f"ua{i}")
        _click(theirs, ip="10.8.0.1", ua=f"other{i}")

    assert _points(sharer, "share_click") == 2
    assert not ShareFraudFlag.objects.exists()


# --- concurrency (PostgreSQL, real threads) -------------------------------------------------------

BATCH = 10


@pytest.mark.django_db(transaction=True)
@needs_postgres
def test_a_burst_of_anonymous_visitors_from_one_ip_is_still_held(author, media, settings):
    settings.FEEDS_FRAUD_MAX_ANONYMOUS_PER_IP = 2
    sharer = UserFactory()
    code = _code(sharer, "post", make_post(author).pk)

    results = run_concurrently(lambda i: _click(code, ip="10.9.9.9", ua=f"bot/{i}"), BATCH)

    assert all(isinstance(click, ShareClick) for click in results)
    assert _points(sharer, "share_click") == 2
    assert ShareReward.objects.filter(status="held", hold_reason="fraud").count() == BATCH - 2
    assert ShareFraudFlag.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@needs_postgres
def test_naive_count_then_pay_lets_a_burst_of_anonymous_visitors_through(author, media):
    """Control: counting visitors without taking turns, each sees only its own uncommitted click."""
    threshold = 2
    sharer = UserFactory()
    link, _ = share_link_create(actor=sharer, target_type="post", target_id=make_post(author).pk)
    all_inserted = threading.Barrier(BATCH)
    now = timezone.now()

    def naive_click(i):
        with transaction.atomic():
            ShareClick.objects.create(
                link=link, visitor_key=f"a:{i}", ip_hash="farm", day=now.date(), clicked_at=now
            )
            all_inserted.wait(timeout=30)
            visitors = (
                ShareClick.objects.filter(link__sharer_id=sharer.pk, ip_hash="farm")
                .values("visitor_key")
                .distinct()
                .count()
            )
            return visitors <= threshold  # "pay"

    results = run_concurrently(naive_click, BATCH)

    # the bug: every thread thinks it is the first
    assert results.count(True) > threshold, results
