"""The staff metrics endpoints and the ``insights.live`` topic (API.md "Insights"): exact shapes,
staff only, clear 400s for bad ranges and funnels, and CSV for every table."""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone
from rest_framework.test import APIClient

from community.models import Role
from community.realtime import insights_live_pushes
from community.selectors.loyalty import business_today
from community.services import role_grant
from community.services.insights.events import event_build, events_store
from community.services.insights.rollups import rollup_pending
from tests.factories import UserFactory, token_for
from tests.realtime.conftest import open_socket

SHANGHAI = ZoneInfo("Asia/Shanghai")
ENDPOINTS = ["overview", "retention", "funnel", "lifecycle", "channels", "business"]


def _staff():
    person = UserFactory()
    role_grant(actor=None, user=person, role=Role.STAFF)
    return person


@pytest.fixture
def staff(db):
    return _staff()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def at(day: date, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=SHANGHAI)


@pytest.fixture
def history(db):
    """Two members over the last days: Ann signs up 3 days ago and views, orders and pays;
    Bob signs up yesterday and views a product today."""
    ann, bob = UserFactory(), UserFactory()
    d3, d1 = business_today() - timedelta(days=3), business_today() - timedelta(days=1)
    events_store(
        [
            event_build("sign_up", user=ann, at=at(d3, "09:00"), properties={"channel": "share"}),
            event_build("product_view", user=ann, at=at(d3, "09:05")),
            event_build("order_created", user=ann, at=at(d3, "09:06")),
            event_build("order_paid", user=ann, at=at(d3, "09:07")),
            event_build("sign_up", user=bob, at=at(d1, "20:00"), properties={"channel": "organic"}),
            event_build("product_view", user=bob, at=timezone.now() - timedelta(minutes=1)),
        ]
    )
    rollup_pending()
    return ann, bob


def _url(name: str, **query) -> str:
    if name == "funnel":
        query.setdefault("steps", "product_view,order_created,order_paid")
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/api/v1/insights/{name}/" + (f"?{params}" if params else "")


# --- shapes ----------------------------------------------------------------------------------


def test_overview_answers_the_contract_shape_with_todays_events(staff, history):
    today = business_today()
    response = client_for(staff).get(
        _url("overview", **{"from": today - timedelta(days=3), "to": today})
    )

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "new_users",
        "dau",
        "wau",
        "mau",
        "stickiness",
        "avg_session_seconds",
        "visits_per_user",
        "series",
    }
    assert (body["new_users"], body["dau"], body["wau"], body["mau"]) == (2, 1, 2, 2)
    assert body["stickiness"] == 0.5
    assert body["series"][-1] == {
        "date": today.isoformat(),
        "dau": 1,
        "new_users": 0,
        "sessions": 1,
    }
    assert [row["dau"] for row in body["series"]] == [1, 0, 1, 1]


def test_retention_funnel_lifecycle_channels_and_business_shapes(staff, history):
    client = client_for(staff)
    today = business_today()
    span = {"from": today - timedelta(days=20), "to": today}

    cohorts = client.get(_url("retention", **span)).json()["cohorts"]
    steps = client.get(_url("funnel", window_hours=1, **span)).json()["steps"]
    periods = client.get(_url("lifecycle", interval="week", **span)).json()["periods"]
    channels = client.get(_url("channels", **span)).json()["channels"]
    business = client.get(_url("business", **span)).json()

    assert set(cohorts[-1]) == {"week", "size", "d1", "d7", "d30", "on_or_after"}
    assert cohorts[-1]["d30"] is None  # this week's cohort is not 30 days old
    # Bob's product view is minutes old: his 1-hour window is open, so only Ann counts.
    assert steps == [
        {"name": "product_view", "users": 1, "conversion": 1.0},
        {"name": "order_created", "users": 1, "conversion": 1.0},
        {"name": "order_paid", "users": 1, "conversion": 1.0},
    ]
    assert set(periods[-1]) == {"period", "new", "returning", "resurrecting", "dormant"}
    assert sorted((c["channel"], c["users"]) for c in channels) == [("organic", 1), ("share", 1)]
    assert business["repurchase"] == {"payers": 1, "repeat_payers": 0, "rate": 0.0}


# --- CSV -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ENDPOINTS)
def test_every_table_answers_csv_by_query_and_by_accept_header(staff, history, name):
    client = client_for(staff)

    by_query = client.get(_url(name, format="csv"))
    by_header = client.get(_url(name), HTTP_ACCEPT="text/csv")

    for response in (by_query, by_header):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert f'filename="{name}.csv"' in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(rows) >= 2  # a header and at least one line


def test_overview_csv_has_one_line_per_day(staff, history):
    today = business_today()
    response = client_for(staff).get(
        _url("overview", format="csv", **{"from": today - timedelta(days=1), "to": today})
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["date", "dau", "new_users", "sessions"],
        [(today - timedelta(days=1)).isoformat(), "1", "1", "1"],  # Bob's sign-up
        [today.isoformat(), "1", "0", "1"],
    ]


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"from": "yesterday"},
        {"to": "2026-02-30"},
        {"from": "2026-03-02", "to": "2026-03-01"},
        {"from": "2024-01-01", "to": "2026-01-01"},
        {"from": "1999-01-01", "to": "1999-01-02"},
    ],
)
def test_a_bad_date_range_is_refused_with_bad_range(staff, query):
    response = client_for(staff).get(_url("overview", **query))

    assert response.status_code == 400
    assert response.json()["code"] == "bad_range"


def test_a_bad_range_asked_as_csv_is_still_a_400_with_its_code(staff):
    response = client_for(staff).get(_url("overview", format="csv", to="nope"))

    assert response.status_code == 400
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "code" and rows[1][0] == "bad_range"


@pytest.mark.parametrize(
    "query",
    [
        {"steps": "product_view"},
        {"steps": ""},
        {"steps": "product_view,DROP TABLE"},
        {"steps": ",".join(["a"] * 9)},
        {"steps": "product_view,order_paid", "window_hours": "0"},
        {"steps": "product_view,order_paid", "window_hours": "-3"},
        {"steps": "product_view,order_paid", "window_hours": "99999"},
    ],
)
def test_a_bad_funnel_is_refused_with_bad_funnel(staff, query):
    response = client_for(staff).get(_url("funnel", **query))

    assert response.status_code == 400
    assert response.json()["code"] == "bad_funnel"


def test_an_unknown_lifecycle_interval_is_refused(staff):
    response = client_for(staff).get(_url("lifecycle", interval="year"))

    assert (response.status_code, response.json()["code"]) == (400, "bad_interval")


# --- who may read ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ENDPOINTS)
def test_members_and_moderators_get_forbidden_and_anonymous_callers_must_sign_in(
    db, moderator, name
):
    member = UserFactory()

    for user in (member, moderator):
        response = client_for(user).get(_url(name))
        assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    anonymous = APIClient().get(_url(name))
    assert anonymous.status_code in (401, 403)
    assert anonymous.json()["code"] == "not_authenticated"


# --- the live topic --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
async def test_staff_get_live_counters_on_the_socket_and_members_are_forbidden():
    staff_user = await sync_to_async(_staff)()
    member = await sync_to_async(UserFactory)()
    await sync_to_async(events_store)(
        [
            event_build("page_view", user=member, at=timezone.now()),
            event_build("order_paid", user=member, at=timezone.now()),
        ]
    )

    member_socket = await open_socket(await sync_to_async(token_for)(member))
    await member_socket.send_json_to({"action": "subscribe", "topic": "insights.live"})
    refused = await member_socket.receive_json_from(timeout=5)
    assert (refused["type"], refused["code"]) == ("realtime.error", "forbidden")
    await member_socket.disconnect()

    panel = await open_socket(await sync_to_async(token_for)(staff_user))
    await panel.send_json_to({"action": "subscribe", "topic": "insights.live"})
    assert (await panel.receive_json_from(timeout=5))["type"] == "realtime.subscribed"
    await insights_live_pushes.flush_now(0)  # the flusher's round, without waiting for it
    frame = await panel.receive_json_from(timeout=5)

    assert frame["type"] == "insights.live.updated"
    assert frame["topic"] == "insights.live"
    assert frame["data"] == {"online_users": 1, "orders_per_minute": 1}
    await panel.disconnect()
