"""The event stream's way in: POST /api/v1/events/, visitors becoming members, sign-up channels,
and community's own server events (check-in, points spend, sign-up, login)."""

import json
import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from community.models import Event, PointsReason, VisitorLink
from community.services import checkin_perform, points_award, points_spend
from tests.factories import PASSWORD, UserFactory, token_for

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"
REGISTER = "/api/v1/auth/register/"
LOGIN = "/api/v1/auth/login/"
VISITOR = "visitor_abc123XYZ"


def send(client, events, visitor=VISITOR, **extra):
    headers = {"HTTP_X_VISITOR_ID": visitor} if visitor else {}
    return client.post(EVENTS, {"events": events}, format="json", **headers, **extra)


def names(**filters) -> list[str]:
    return sorted(Event.objects.filter(**filters).values_list("name", flat=True))


# track() stores on commit: these tests commit for real, as a request does.
committed = pytest.mark.django_db(transaction=True)


# --- the endpoint ---------------------------------------------------------------------------------


def test_an_anonymous_visitors_batch_is_stored_for_that_visitor(api_client):
    late = timezone.now() - timedelta(hours=2)
    response = send(
        api_client,
        [
            {"name": "session_start", "event_id": str(uuid.uuid4())},
            {
                "name": "page_view",
                "properties": {"path": "/products/", "referrer": ""},
                "at": late.isoformat(),
                "event_id": str(uuid.uuid4()),
            },
        ],
    )

    assert response.status_code == 202
    assert response.json() == {"accepted": 2}
    view = Event.objects.get(name="page_view")
    assert view.actor == f"v:{VISITOR}"
    assert view.user_id is None
    assert view.properties == {"path": "/products/", "referrer": ""}
    assert view.at == late
    # Grouped by the business day (Asia/Shanghai), not the UTC date.
    assert view.day == timezone.localtime(late, timezone.get_fixed_timezone(8 * 60)).date()


def test_a_retried_batch_counts_once(api_client):
    batch = [{"name": "page_view", "event_id": str(uuid.uuid4())} for _ in range(3)]

    first = send(api_client, batch)
    again = send(api_client, [*batch, {"name": "page_view", "event_id": str(uuid.uuid4())}])

    assert first.json() == {"accepted": 3}
    assert again.json() == {"accepted": 1}
    assert Event.objects.count() == 4


def test_the_same_event_id_twice_in_one_batch_is_one_event(api_client):
    event_id = str(uuid.uuid4())

    response = send(api_client, [{"name": "page_view", "event_id": event_id}] * 2)

    assert response.json() == {"accepted": 1}
    assert Event.objects.count() == 1


def test_a_members_events_are_theirs_and_link_the_browser(api_client, user):
    api_client.force_authenticate(user)

    response = send(api_client, [{"name": "page_view", "properties": {"path": "/"}}])

    assert response.status_code == 202
    event = Event.objects.get()
    assert (event.user_id, event.actor, event.visitor_id) == (user.pk, f"u:{user.pk}", VISITOR)
    assert VisitorLink.objects.get(visitor_id=VISITOR).user == user


def test_a_member_may_send_without_a_visitor_id(api_client, user):
    api_client.force_authenticate(user)

    assert send(api_client, [{"name": "screen_view"}], visitor="").json() == {"accepted": 1}


def test_a_slightly_fast_clock_is_taken_as_now(api_client):
    before = timezone.now()
    ahead = (before + timedelta(minutes=4)).isoformat()

    send(api_client, [{"name": "page_view", "at": ahead}])

    assert before <= Event.objects.get().at <= timezone.now()


def test_an_event_71_hours_late_is_still_accepted(api_client):
    late = timezone.now() - timedelta(hours=71)

    assert send(api_client, [{"name": "page_view", "at": late.isoformat()}]).status_code == 202


def _now_plus(**delta) -> str:
    return (timezone.now() + timedelta(**delta)).isoformat()


BAD_BATCHES = {
    "events not a list": {"events": {"name": "page_view"}},
    "no events key": {"name": "page_view"},
    "empty list": {"events": []},
    "101 events": {"events": [{"name": "page_view"}] * 101},
    "event not an object": {"events": ["page_view"]},
    "unknown key": {"events": [{"name": "page_view", "user_id": 1}]},
    "unknown name": {"events": [{"name": "made_up"}]},
    "server-only name": {"events": [{"name": "order_paid", "properties": {"amount": "9.90"}}]},
    "name not text": {"events": [{"name": 7}]},
    "name too long": {"events": [{"name": "page_view" * 20}]},
    "properties a list": {"events": [{"name": "page_view", "properties": ["a"]}]},
    "nested property": {"events": [{"name": "page_view", "properties": {"a": {"b": 1}}}]},
    "too many properties": {
        "events": [{"name": "page_view", "properties": {f"k{i}": i for i in range(21)}}]
    },
    "property text too long": {"events": [{"name": "page_view", "properties": {"a": "x" * 513}}]},
    "properties too large": {
        "events": [{"name": "page_view", "properties": {f"k{i}": "x" * 500 for i in range(5)}}]
    },
    "NUL in a property": {"events": [{"name": "page_view", "properties": {"a": "x\x00y"}}]},
    "at unparseable": {"events": [{"name": "page_view", "at": "yesterday"}]},
    "at without offset": {"events": [{"name": "page_view", "at": "2026-12-01T10:00:00"}]},
    "at 73 hours ago": {"events": [{"name": "page_view", "at": "__73h_ago__"}]},
    "at an hour ahead": {"events": [{"name": "page_view", "at": "__1h_ahead__"}]},
    "event_id not a uuid": {"events": [{"name": "page_view", "event_id": "retry-1"}]},
    "one bad among good": {
        "events": [{"name": "page_view"}, {"name": "page_view"}, {"name": "order_paid"}]
    },
}


@pytest.mark.parametrize("case", list(BAD_BATCHES))
def test_a_malformed_batch_is_refused_whole(api_client, case):
    body = json.loads(
        json.dumps(BAD_BATCHES[case])
        .replace("__73h_ago__", _now_plus(hours=-73))
        .replace("__1h_ahead__", _now_plus(hours=1))
    )

    response = api_client.post(EVENTS, body, format="json", HTTP_X_VISITOR_ID=VISITOR)

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "bad_batch"
    assert Event.objects.count() == 0


def test_a_body_that_is_not_json_is_a_bad_batch(api_client):
    response = api_client.generic(
        "POST", EVENTS, "{events: [", content_type="application/json", HTTP_X_VISITOR_ID=VISITOR
    )

    assert response.status_code == 400
    assert response.json()["code"] == "bad_batch"


@pytest.mark.parametrize("visitor", ["", "short", "has spaces in it", "x" * 65, "semi;colon00"])
def test_anonymous_events_need_a_well_formed_visitor_id(api_client, visitor):
    response = send(api_client, [{"name": "page_view"}], visitor=visitor)

    assert response.status_code == 400
    assert response.json()["code"] == "bad_batch"
    assert Event.objects.count() == 0


def test_the_endpoint_has_its_own_throttle(api_client, monkeypatch):
    # DRF reads the rates once at import; the setting's default is 120/min.
    rates = {**ScopedRateThrottle.THROTTLE_RATES, "events": "2/min"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()

    statuses = [send(api_client, [{"name": "page_view"}]).status_code for _ in range(3)]

    assert statuses == [202, 202, 429]
    assert send(api_client, [{"name": "page_view"}]).json()["code"] == "throttled"
    assert Event.objects.count() == 2


# --- visitors becoming members --------------------------------------------------------------------


def _browse_anonymously(client, visitor=VISITOR, count=2):
    send(client, [{"name": "page_view", "properties": {"path": f"/p/{i}/"}} for i in range(count)])


@committed
def test_signing_up_makes_the_visitors_earlier_visits_the_new_members(api_client):
    _browse_anonymously(api_client)
    api_client.cookies["tj_vid"] = VISITOR  # what track.js sets

    response = api_client.post(REGISTER, {"username": "meimei", "password": PASSWORD})

    member_id = response.json()["user"]["id"]
    assert not Event.objects.filter(actor=f"v:{VISITOR}").exists()
    assert names(actor=f"u:{member_id}") == ["page_view", "page_view", "sign_up"]
    assert VisitorLink.objects.get(visitor_id=VISITOR).user_id == member_id


@committed
def test_logging_in_from_an_app_links_its_visitor_header(api_client, user):
    _browse_anonymously(api_client)

    response = APIClient().post(
        LOGIN, {"username": user.username, "password": PASSWORD}, HTTP_X_VISITOR_ID=VISITOR
    )

    assert response.status_code == 200
    assert names(user_id=user.pk) == ["page_view", "page_view"]


def test_a_visitor_id_stays_with_the_first_member_it_was_linked_to(api_client, user, other_user):
    _browse_anonymously(api_client)
    api_client.force_authenticate(user)
    send(api_client, [{"name": "page_view"}])
    api_client.force_authenticate(None)
    _browse_anonymously(api_client, count=1)  # signed out again on the same browser

    APIClient().post(
        LOGIN, {"username": other_user.username, "password": PASSWORD}, HTTP_X_VISITOR_ID=VISITOR
    )

    assert VisitorLink.objects.get(visitor_id=VISITOR).user == user
    assert Event.objects.filter(user=other_user).count() == 0


def test_a_relinked_day_is_marked_late_for_the_rollups(api_client, user):
    _browse_anonymously(api_client)
    Event.objects.update(received_at=timezone.now() - timedelta(days=2))
    api_client.force_authenticate(user)

    send(api_client, [{"name": "page_view"}])

    # Moved events count as received now, so the days they belong to are rebuilt.
    assert Event.objects.filter(received_at__lt=timezone.now() - timedelta(days=1)).count() == 0


# --- community's server events --------------------------------------------------------------------


@committed
def test_sign_up_records_its_channel(api_client):
    inviter = UserFactory(username="inviter", invite_code="ABCDE12345")

    organic = api_client.post(REGISTER, {"username": "solo", "password": PASSWORD}).json()
    invited = APIClient().post(
        REGISTER, {"username": "friend", "password": PASSWORD, "invite_code": "abcde12345"}
    )

    solo = Event.objects.get(name="sign_up", user_id=organic["user"]["id"])
    friend = Event.objects.get(name="sign_up", user_id=invited.json()["user"]["id"])
    assert solo.properties == {"channel": "organic"}
    assert friend.properties == {"channel": "invite", "inviter_id": inviter.pk}


@committed
def test_a_sign_up_through_a_share_link_is_the_share_links(client):
    from feeds.services.shares import share_link_create
    from tests.feeds.conftest import make_post

    sharer = UserFactory(username="sharer")
    author = UserFactory(username="author")
    link, _ = share_link_create(actor=sharer, target_type="post", target_id=make_post(author).pk)
    client.get(f"/s/{link.code}")

    response = client.post(
        REGISTER, {"username": "newbie", "password": PASSWORD}, content_type="application/json"
    )

    event = Event.objects.get(name="sign_up", user_id=response.json()["user"]["id"])
    assert event.properties == {"channel": "share_link", "sharer_id": sharer.pk, "code": link.code}


@committed
def test_an_app_login_starts_a_session_and_a_browser_login_leaves_it_to_the_tracker(user):
    APIClient().post(LOGIN, {"username": user.username, "password": PASSWORD})
    browser = APIClient()
    browser.cookies["tj_vid"] = VISITOR
    browser.post(LOGIN, {"username": user.username, "password": PASSWORD})

    assert names(user=user) == ["session_start"]


@committed
def test_check_in_and_points_spend_are_recorded_(user):
    checkin_perform(user_id=user.pk)
    points_award(user_id=user.pk, amount=50, reason=PointsReason.TASK, idempotency_key="k")
    points_spend(user_id=user.pk, amount=30, reason="redeem", idempotency_key="spend")

    assert names(user=user) == ["checkin", "points_spend"]
    spend = Event.objects.get(name="points_spend")
    assert spend.properties == {"points": 30, "reason": "redeem"}


@committed
def test_a_rolled_back_check_in_records_nothing(user):
    with pytest.raises(RuntimeError), transaction.atomic():
        checkin_perform(user_id=user.pk)
        raise RuntimeError("the request failed after the check-in")

    assert Event.objects.count() == 0


# --- view events from pages and apps --------------------------------------------------------------


@committed
def test_a_product_page_counts_a_view_for_the_visitor(client):
    from tests.groupbuy.orderflow import product

    item = product()
    client.cookies["tj_vid"] = VISITOR

    client.get(f"/products/{item.pk}/")

    event = Event.objects.get(name="product_view")
    assert (event.actor, event.properties["product_id"]) == (f"v:{VISITOR}", item.pk)


@committed
def test_an_app_reading_a_product_counts_a_view_but_a_pages_own_fetch_does_not(user):
    from tests.groupbuy.orderflow import product

    item = product()
    app = APIClient()
    app.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    page = APIClient()
    page.force_login(user)

    app.get(f"/api/v1/products/{item.pk}/")
    page.get(f"/api/v1/products/{item.pk}/")

    assert names(user=user, name="product_view") == ["product_view"]


# --- the demo history -----------------------------------------------------------------------------


def test_the_demo_history_is_believable_and_written_once():
    from io import StringIO

    from django.db.models import Count

    from community.demo.insights import seed_history

    written = seed_history(StringIO(), days=35, quiet=True)
    again = seed_history(StringIO(), days=35, quiet=True)

    assert written == Event.objects.count() > 10_000
    assert again == 0
    # Busier at the weekend than on weekdays.
    daily = dict(
        Event.objects.filter(name="session_start")
        .values_list("day")
        .annotate(n=Count("actor", distinct=True))
    )
    weekend = [n for day, n in daily.items() if day.weekday() >= 5]
    weekdays = [n for day, n in daily.items() if day.weekday() < 5]
    assert sum(weekend) / len(weekend) > 1.15 * sum(weekdays) / len(weekdays)
    # Product views turn into orders, and fewer orders into payments.
    funnel = [
        Event.objects.filter(name=name).values("actor").distinct().count()
        for name in ("product_view", "order_created", "order_paid")
    ]
    assert funnel[0] > funnel[1] > funnel[2] > 0
    # A cohort came and went: members active in their first week, silent for the last two.
    last = max(daily)
    signed_up = Event.objects.filter(name="sign_up", day__lte=last - timedelta(days=21))
    gone = [
        user_id
        for user_id in signed_up.values_list("user_id", flat=True)
        if not Event.objects.filter(user_id=user_id, day__gt=last - timedelta(days=14)).exists()
    ]
    assert len(gone) >= 10
    # Shares bring clicks and members.
    assert Event.objects.filter(name="share_click").exists()
    assert Event.objects.filter(name="sign_up", properties__channel="share_link").exists()
