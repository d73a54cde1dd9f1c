"""Segments from the event stream on hand-computed fixtures: activity segments, RFM scores and
groups, the churn-risk list (JSON and CSV), and staff-only access."""

import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from community.models import Role
from community.selectors.insights.segments import (
    activity_segments,
    churn_risk_list,
    rfm_scores,
    segments_summary,
)
from community.selectors.loyalty import business_today, business_tz
from community.services import role_grant
from community.services.insights.events import event_build, events_store
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 30)


def on(user, day: date, name: str = "page_view", hour: int = 12, **properties):
    at = datetime.combine(day, time(hour), tzinfo=business_tz())
    return event_build(name, user=user, at=at, properties=properties, event_id=uuid.uuid4())


def active_on(user, days_ago: list[int], today: date = TODAY):
    events_store([on(user, today - timedelta(days=d)) for d in days_ago])


def test_members_fall_into_one_activity_segment_by_days_active_of_the_last_30():
    regular, warming, rare, gone = (UserFactory() for _ in range(4))
    active_on(regular, [0, 2, 4, 6, 8, 10, 12, 14])  # 8 days
    active_on(warming, [1, 5, 29])  # 3 days (day 29 is the window's first day)
    active_on(rare, [3, 3, 7])  # 2 days, one of them twice
    active_on(gone, [30, 45])  # outside the window
    events_store([on(warming, TODAY - timedelta(days=5), hour=h) for h in (8, 9)])  # same day

    segments = activity_segments(today=TODAY)

    assert segments == {
        "active": [regular.pk],
        "potentially_active": [warming.pk],
        "low_frequency": [rare.pk],
    }


def test_the_business_day_decides_the_window_edge():
    member = UserFactory()
    # 2026-05-31 23:59 Shanghai is outside a 30-day window ending 2026-06-30; 00:01 is inside.
    edge = datetime(2026, 6, 1, 0, 1, tzinfo=business_tz())
    before = datetime(2026, 5, 31, 23, 59, tzinfo=business_tz())
    events_store(
        [
            event_build("page_view", user=member, at=edge, event_id=uuid.uuid4()),
            event_build("page_view", user=member, at=before, event_id=uuid.uuid4()),
        ]
    )

    assert activity_segments(today=TODAY)["low_frequency"] == [member.pk]
    assert business_today(edge) == date(2026, 6, 1)


def buyers_with(spec):
    """spec: [(days_ago_of_each_order, amount_each)] -> members in order."""
    people = []
    for days_ago, amount in spec:
        person = UserFactory()
        events_store(
            [
                on(person, TODAY - timedelta(days=d), "order_paid", amount=amount, order_id=i)
                for i, d in enumerate(days_ago)
            ]
        )
        people.append(person)
    return people


def test_rfm_scores_are_quintiles_of_rank_and_name_the_group():
    # Five buyers with distinct recency, frequency and spend: each score is its rank 1..5.
    a, b, c, d, e = buyers_with(
        [
            ([1, 2, 3, 4, 5], "100.00"),  # most recent, most orders, most spend
            ([3, 10, 20, 30], "50.00"),
            ([60, 70, 80], "30.00"),
            ([200, 210], "20.00"),
            ([300], "9.90"),
        ]
    )

    scores = {s["user_id"]: s for s in rfm_scores(today=TODAY)}

    assert {pk: (s["r"], s["f"], s["m"], s["group"]) for pk, s in scores.items()} == {
        a.pk: (5, 5, 5, "champions"),
        b.pk: (4, 4, 4, "champions"),
        c.pk: (3, 3, 3, "needs_attention"),
        d.pk: (2, 2, 2, "hibernating"),
        e.pk: (1, 1, 1, "hibernating"),
    }
    assert scores[a.pk]["spend"] == Decimal("500.00")
    assert scores[b.pk]["recency_days"] == 3


def test_tied_buyers_share_a_score():
    first, second = buyers_with([([5], "10.00"), ([5], "10.00")])

    scores = {s["user_id"]: (s["r"], s["f"], s["m"]) for s in rfm_scores(today=TODAY)}

    assert scores[first.pk] == scores[second.pk]


def test_churn_risk_lists_regulars_who_went_quiet_with_their_value():
    fading, steady, newcomer = UserFactory(username="fading"), UserFactory(), UserFactory()
    active_on(fading, [31, 35, 40, 50, 20])  # 4 days in days 31-60, last seen 20 days ago
    events_store([on(fading, TODAY - timedelta(days=35), "order_paid", amount="88.50")])
    active_on(steady, [31, 35, 40, 50, 3])  # also a regular, but seen 3 days ago
    active_on(newcomer, [20])  # never a regular

    rows = churn_risk_list(today=TODAY)

    assert [(r["username"], r["days_active"], r["orders"], r["spend"]) for r in rows] == [
        ("fading", 5, 1, "88.50")
    ]
    assert rows[0]["last_seen"].astimezone(business_tz()).date() == TODAY - timedelta(days=20)


def test_the_summary_counts_each_segment():
    regular = UserFactory()
    active_on(regular, list(range(10)))
    (buyer,) = buyers_with([([1], "10.00")])

    summary = segments_summary(today=TODAY)

    assert (summary["active"], summary["potentially_active"], summary["low_frequency"]) == (1, 0, 1)
    assert sum(group["members"] for group in summary["rfm"]) == 1
    assert buyer.pk != regular.pk


# --- the endpoints ------------------------------------------------------------------------------


@pytest.fixture
def staff_client():
    person = UserFactory()
    role_grant(actor=None, user=person, role=Role.STAFF)
    client = APIClient()
    client.force_authenticate(person)
    return client


def quiet_regular(username: str):
    person = UserFactory(username=username)
    today = business_today()
    active_on(person, [31, 32, 33, 34], today=today)
    events_store([on(person, today - timedelta(days=32), "order_paid", amount="12.00")])
    return person


def test_staff_read_the_segments(staff_client):
    response = staff_client.get("/api/v1/insights/segments/")

    assert response.status_code == 200
    assert {"active", "potentially_active", "low_frequency", "rfm"} <= set(response.json())


def test_staff_download_the_churn_risk_list_as_csv(staff_client):
    quiet_regular("=cmd")  # a formula-looking name stays text in a spreadsheet
    quiet_regular("小明")

    by_query = staff_client.get("/api/v1/insights/churn-risk/?format=csv")
    by_header = staff_client.get("/api/v1/insights/churn-risk/", HTTP_ACCEPT="text/csv")
    as_json = staff_client.get("/api/v1/insights/churn-risk/")

    assert by_query.status_code == by_header.status_code == 200
    assert by_query["Content-Type"].startswith("text/csv")
    lines = by_query.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "user_id,username,last_seen,days_active,orders,spend"
    assert sorted(line.split(",")[1] for line in lines[1:]) == ["'=cmd", "小明"]
    assert by_header.content == by_query.content
    assert sorted(r["username"] for r in as_json.json()["results"]) == ["=cmd", "小明"]


@pytest.mark.parametrize(
    "path", ["/api/v1/insights/segments/", "/api/v1/insights/churn-risk/?format=csv"]
)
def test_members_may_not_read_segments(auth_client, path):
    response = auth_client.get(path)

    assert response.status_code == 403
    assert b"forbidden" in response.content


def test_staff_download_the_segments_as_csv(staff_client):
    quiet_regular("ahmed")

    response = staff_client.get("/api/v1/insights/segments/?format=csv")

    lines = response.content.decode("utf-8-sig").splitlines()
    assert response.status_code == 200
    assert lines[0] == "segment,label,members,avg_recency_days,avg_orders,spend"
    assert "churn_risk,流失风险用户,1,,," in lines
    assert any(line.startswith("rfm:") for line in lines)


def test_the_churn_risk_list_costs_the_same_queries_for_many_members(
    staff_client, django_assert_max_num_queries
):
    for n in range(20):
        quiet_regular(f"quiet{n}")

    with django_assert_max_num_queries(10):
        response = staff_client.get("/api/v1/insights/churn-risk/")

    assert len(response.json()["results"]) == 20
