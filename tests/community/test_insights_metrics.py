"""Staff metrics on small hand-computed event fixtures (PRODUCT.md §17, docs/insights.md).

Times are written in Shanghai time (the business time zone); days are relative to the business
"today", so every fixture lands on closed days unless a test says otherwise."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from community.models import ActorDay, EventDay, RolledDay
from community.selectors.insights import metrics
from community.selectors.loyalty import business_today
from community.services.insights.events import event_build, events_store
from community.services.insights.rollups import (
    OpenDayError,
    days_pending,
    rollup_day,
    rollup_pending,
)
from community.tasks import insights_rollup
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=SHANGHAI)


def ago(days: int) -> date:
    return business_today() - timedelta(days=days)


def write(*events) -> None:
    """``(name, user, when[, properties])`` tuples into the stream."""
    events_store(
        [
            event_build(e[0], user=e[1], at=e[2], properties=(e[3] if len(e) > 3 else None))
            for e in events
        ]
    )


@pytest.fixture
def people():
    return [UserFactory() for _ in range(4)]


def actor_day(user, day) -> ActorDay:
    return ActorDay.objects.get(actor=f"u:{user.pk}", day=day)


# --- rollups -------------------------------------------------------------------------------


def test_events_at_23_59_and_00_01_shanghai_land_on_different_days(people):
    ann = people[0]
    day = ago(5)
    write(("page_view", ann, at(day, "23:59")), ("page_view", ann, at(day + timedelta(1), "00:01")))

    rollup_pending()

    assert actor_day(ann, day).events == 1
    assert actor_day(ann, day + timedelta(1)).events == 1
    # Two minutes apart, but a session never crosses the business midnight.
    assert actor_day(ann, day).sessions == actor_day(ann, day + timedelta(1)).sessions == 1


def test_a_gap_of_29_minutes_continues_a_session_and_31_minutes_starts_a_new_one(people):
    ann, bob = people[:2]
    day = ago(3)
    write(
        ("page_view", ann, at(day, "10:00")),
        ("page_view", ann, at(day, "10:29")),
        ("page_view", bob, at(day, "10:00")),
        ("page_view", bob, at(day, "10:31")),
    )

    rollup_day(day)

    assert (actor_day(ann, day).sessions, actor_day(ann, day).session_seconds) == (1, 29 * 60)
    assert (actor_day(bob, day).sessions, actor_day(bob, day).session_seconds) == (2, 0)


def test_rolling_a_day_twice_changes_nothing(people):
    ann, bob = people[:2]
    day = ago(2)
    write(
        ("page_view", ann, at(day, "09:00")),
        ("like", ann, at(day, "09:05")),
        ("page_view", bob, at(day, "20:00")),
    )
    rollup_day(day)
    first = sorted(ActorDay.objects.values_list("actor", "events", "sessions", "session_seconds"))
    first_names = sorted(EventDay.objects.values_list("name", "count", "actors"))

    rollup_day(day)

    assert (
        sorted(ActorDay.objects.values_list("actor", "events", "sessions", "session_seconds"))
        == first
    )
    assert sorted(EventDay.objects.values_list("name", "count", "actors")) == first_names
    assert first_names == [("like", 1, 1), ("page_view", 2, 2)]
    assert day not in days_pending()


def test_a_late_event_re_rolls_only_its_own_day(people):
    ann, bob = people[:2]
    early, late = ago(4), ago(3)
    write(("page_view", ann, at(early, "08:00")), ("page_view", ann, at(late, "08:00")))
    rollup_pending()
    untouched = RolledDay.objects.get(day=late).rolled_at

    write(("page_view", bob, at(early, "12:00")))  # arrives after its day was rolled
    assert days_pending() == [early]
    rolled = rollup_pending()

    assert rolled == [early]
    assert EventDay.objects.get(day=early, name="page_view").actors == 2
    assert RolledDay.objects.get(day=late).rolled_at == untouched


def test_today_is_never_rolled_but_still_counted(people):
    ann = people[0]
    write(("page_view", ann, timezone.now() - timedelta(minutes=1)))

    rollup_pending()

    assert not RolledDay.objects.filter(day=business_today()).exists()
    with pytest.raises(OpenDayError):
        rollup_day(business_today())
    assert metrics.overview(business_today(), business_today())["dau"] == 1


def test_the_rollup_task_rolls_pending_days(people):
    write(("page_view", people[0], at(ago(1), "12:00")))

    assert insights_rollup() == 1
    assert insights_rollup() == 0


# --- overview ------------------------------------------------------------------------------


def test_dau_wau_mau_and_stickiness_as_of_the_last_day(people):
    ann, bob, cat, dan = people
    end = ago(1)
    write(
        ("page_view", ann, at(end, "10:00")),  # DAU, WAU, MAU
        ("page_view", bob, at(end - timedelta(6), "10:00")),  # WAU, MAU
        ("page_view", cat, at(end - timedelta(29), "10:00")),  # MAU
        ("page_view", dan, at(end - timedelta(30), "10:00")),  # none: 31 days before
    )
    rollup_pending()

    result = metrics.overview(end - timedelta(2), end)

    assert (result["dau"], result["wau"], result["mau"]) == (1, 2, 3)
    assert result["stickiness"] == pytest.approx(1 / 3, abs=1e-4)
    assert [row["dau"] for row in result["series"]] == [0, 0, 1]


def test_overview_counts_sessions_new_users_and_visits_on_rolled_and_live_days(people):
    ann, bob = people[:2]
    yesterday, today = ago(1), business_today()
    write(
        ("sign_up", ann, at(yesterday, "09:00"), {"channel": "share"}),
        ("page_view", ann, at(yesterday, "09:10")),  # one session of 600 s
        ("page_view", ann, at(yesterday, "21:00")),  # a second session, 0 s
        ("sign_up", bob, at(yesterday, "23:59"), {"channel": "organic"}),
    )
    rollup_pending()
    write(("page_view", bob, timezone.now() - timedelta(minutes=1)))  # today, raw stream

    result = metrics.overview(yesterday, today)

    assert result["new_users"] == 2
    assert result["series"] == [
        {"date": yesterday, "dau": 2, "new_users": 2, "sessions": 3},
        {"date": today, "dau": 1, "new_users": 0, "sessions": 1},
    ]
    assert result["avg_session_seconds"] == 150.0  # 600 s over 4 sessions
    assert result["visits_per_user"] == 2.0  # 4 sessions, 2 members
    assert metrics.new_users_by_channel(yesterday, today) == [
        {"channel": "share", "users": 1},
        {"channel": "organic", "users": 1},
    ] or metrics.new_users_by_channel(yesterday, today) == [
        {"channel": "organic", "users": 1},
        {"channel": "share", "users": 1},
    ]


def test_anonymous_visitors_are_not_counted_as_active_members(people):
    day = ago(1)
    events_store([event_build("page_view", visitor_id="v-123", at=at(day, "10:00"))])
    write(("page_view", people[0], at(day, "10:00")))

    assert metrics.overview(day, day)["dau"] == 1


def test_unrolled_closed_days_are_read_from_the_stream(people):
    day = ago(2)
    write(("page_view", people[0], at(day, "10:00")), ("page_view", people[1], at(day, "11:00")))

    assert metrics.overview(day, day)["dau"] == 2  # no rollup yet
    rollup_pending()
    assert metrics.overview(day, day)["dau"] == 2


def test_a_member_seen_on_rolled_unrolled_and_todays_days_counts_once(people):
    ann, bob = people[:2]
    write(
        ("page_view", ann, at(ago(5), "10:00")),
        ("page_view", ann, at(ago(1), "10:00")),
        ("page_view", ann, timezone.now() - timedelta(minutes=1)),
        ("page_view", bob, at(ago(1), "10:00")),
    )
    rollup_day(ago(5))  # yesterday stays unrolled: read from the stream with today

    result = metrics.overview(ago(6), business_today())

    assert (result["dau"], result["wau"], result["mau"]) == (1, 2, 2)
    assert result["visits_per_user"] == 2.0  # 4 sessions, 2 members


# --- lifecycle -----------------------------------------------------------------------------


def test_lifecycle_first_activity_is_new_even_days_after_signup_and_then_the_rest(people):
    ann, bob = people[:2]
    d = ago(10)
    write(
        # Ann: signs up on d, returns d+1, away d+2, back on d+3.
        ("sign_up", ann, at(d, "23:59")),
        ("page_view", ann, at(d + timedelta(1), "00:01")),
        ("page_view", ann, at(d + timedelta(3), "12:00")),
        # Bob: no sign-up event seen (signed up before tracking); first seen on d+2.
        ("page_view", bob, at(d + timedelta(2), "12:00")),
    )
    rollup_pending()

    rows = {row["period"]: row for row in metrics.lifecycle(d, d + timedelta(3))}

    def cell(offset):
        row = rows[d + timedelta(offset)]
        return (row["new"], row["returning"], row["resurrecting"], row["dormant"])

    assert cell(0) == (1, 0, 0, 0)
    assert cell(1) == (0, 1, 0, 0)
    assert cell(2) == (1, 0, 0, 1)  # Bob's first day is new, never resurrecting; Ann dormant
    assert cell(3) == (0, 0, 1, 1)  # Ann resurrects; Bob goes dormant


def test_lifecycle_knows_history_before_the_range(people):
    ann = people[0]
    d = ago(20)
    write(("page_view", ann, at(d, "10:00")), ("page_view", ann, at(d + timedelta(5), "10:00")))
    rollup_pending()

    (row,) = metrics.lifecycle(d + timedelta(5), d + timedelta(5))

    assert (row["new"], row["resurrecting"]) == (0, 1)


def test_weekly_lifecycle(people):
    ann = people[0]
    monday = ago(30) - timedelta(days=ago(30).weekday())
    write(
        ("page_view", ann, at(monday, "10:00")),
        ("page_view", ann, at(monday + timedelta(8), "10:00")),
    )
    rollup_pending()

    rows = metrics.lifecycle(monday, monday + timedelta(14), "week")

    assert [(r["new"], r["returning"], r["dormant"]) for r in rows] == [
        (1, 0, 0),
        (0, 1, 0),
        (0, 0, 1),
    ]


# --- retention -----------------------------------------------------------------------------


def test_retention_cells_by_signup_week_with_null_for_young_cohorts(people):
    ann, bob, cat, dan = people
    monday = ago(60) - timedelta(days=ago(60).weekday())
    sunday = monday + timedelta(days=6)
    write(
        ("sign_up", ann, at(monday, "23:59")),
        ("page_view", ann, at(monday + timedelta(1), "00:01")),  # D1 (UTC: the same day)
        ("page_view", ann, at(monday + timedelta(7), "12:00")),  # D7
        ("sign_up", bob, at(sunday, "12:00")),
        ("page_view", bob, at(sunday + timedelta(30), "12:00")),  # D30, and on or after D1/D7
        # A cohort this week: too young for any cell.
        ("sign_up", cat, timezone.now() - timedelta(minutes=5)),
    )
    rollup_pending()

    cohorts = {row["week"]: row for row in metrics.retention(monday, business_today())}
    old = cohorts[monday]
    young = cohorts[business_today() - timedelta(days=business_today().weekday())]

    assert (old["size"], old["d1"], old["d7"], old["d30"]) == (2, 0.5, 0.5, 0.5)
    assert old["on_or_after"] == {"d1": 1.0, "d7": 1.0, "d30": 0.5}
    assert young["size"] == 1
    assert (young["d1"], young["d7"], young["d30"]) == (None, None, None)
    assert dan is not None


def test_a_signup_at_23_30_shanghai_belongs_to_that_shanghai_day(people):
    ann = people[0]
    monday = ago(40) - timedelta(days=ago(40).weekday())
    # 23:30 on Sunday in Shanghai is 15:30 UTC Sunday; 00:30 Monday Shanghai is still Sunday UTC.
    write(("sign_up", ann, at(monday + timedelta(7), "00:30")))
    rollup_pending()

    cohorts = {row["week"]: row["size"] for row in metrics.retention(monday, monday + timedelta(7))}

    assert cohorts == {monday: 0, monday + timedelta(7): 1}


# --- churn ---------------------------------------------------------------------------------


def test_churn_counts_members_active_in_the_prior_30_days_but_not_the_last_30(people):
    ann, bob, cat = people[:3]
    end = ago(1)
    write(
        ("page_view", ann, at(end - timedelta(45), "10:00")),  # prior only: churned
        ("page_view", bob, at(end - timedelta(45), "10:00")),
        ("page_view", bob, at(end - timedelta(29), "10:00")),  # also recent: stays
        ("page_view", cat, at(end - timedelta(5), "10:00")),  # recent only: not in the base
    )
    rollup_pending()

    assert metrics.churn(end) == {"base": 2, "churned": 1, "rate": 0.5}


# --- funnels -------------------------------------------------------------------------------


def test_funnel_counts_ordered_steps_within_the_window_and_leaves_out_open_windows(people):
    ann, bob, cat, dan = people
    d = ago(20)
    write(
        # Ann converts in order within the window.
        ("product_view", ann, at(d, "10:00")),
        ("order_created", ann, at(d, "10:05")),
        ("order_paid", ann, at(d, "10:06")),
        # Bob pays before ordering again (paid first does not count), then orders only.
        ("order_paid", bob, at(d, "09:00")),
        ("product_view", bob, at(d, "10:00")),
        ("order_created", bob, at(d, "11:00")),
        # Cat orders after the 24 h window.
        ("product_view", cat, at(d, "10:00")),
        ("order_created", cat, at(d + timedelta(2), "10:00")),
        # Dan views today: his window is still open, so he is left out.
        ("product_view", dan, timezone.now() - timedelta(minutes=10)),
    )

    result = metrics.funnel(
        ["product_view", "order_created", "order_paid"], d, business_today(), window_hours=24
    )

    assert [(s["users"], s["conversion"]) for s in result["steps"]] == [
        (3, 1.0),
        (2, 0.6667),
        (1, 0.3333),
    ]
    assert result["open_windows"] == 1


# --- business metrics ----------------------------------------------------------------------


def test_business_metrics_from_hand_computed_events(people):
    ann, bob, cat, dan = people
    d = ago(3)
    write(
        ("order_paid", ann, at(d, "10:00"), {"order_id": 1, "amount": "10.00"}),
        ("order_paid", ann, at(d, "11:00"), {"order_id": 2, "amount": "10.00"}),
        ("order_paid", bob, at(d, "10:00"), {"order_id": 3, "amount": "10.00"}),
        ("team_open", ann, at(d, "10:00"), {"team_id": 1}),
        ("team_open", bob, at(d, "10:00"), {"team_id": 2}),
        ("team_succeed", ann, at(d, "12:00"), {"team_id": 1}),
        ("share", ann, at(d, "10:00")),
        ("sign_up", cat, at(d, "10:00"), {"channel": "share"}),
        ("sign_up", dan, at(d, "10:00"), {"channel": "invite"}),
        ("points_spend", ann, at(d, "10:00")),
        ("coupon_claim", ann, at(d, "10:00")),
        ("coupon_claim", bob, at(d, "10:00")),
        ("coupon_claim", cat, at(d, "10:00")),
        ("coupon_redeem", ann, at(d, "10:00")),
        ("support_rating", ann, at(d, "10:00"), {"rating": 5}),
        ("support_rating", bob, at(d, "10:00"), {"rating": 2}),
        ("support_rating", cat, at(d, "10:00"), {"rating": "oops"}),
    )
    rollup_pending()

    result = metrics.business(d, d)

    assert result["repurchase"] == {"payers": 2, "repeat_payers": 1, "rate": 0.5}
    assert result["group_buy"] == {"opened": 2, "succeeded": 1, "rate": 0.5}
    assert result["share"] == {"sharers": 1, "referred": 2, "k_factor": 2.0}
    assert result["points"] == {"spenders": 1, "active": 4, "rate": 0.25}
    assert result["coupons"] == {"claimed": 3, "redeemed": 1, "rate": 0.3333}
    assert result["support"] == {"ratings": 2, "average": 3.5}


# --- live counters -------------------------------------------------------------------------


def test_live_counters_count_recent_actors_and_orders_of_the_last_minute(people):
    ann, bob = people[:2]
    now = timezone.now()
    write(
        ("page_view", ann, now - timedelta(minutes=4)),
        ("order_paid", bob, now - timedelta(seconds=30)),
        ("order_paid", bob, now - timedelta(seconds=90)),
        ("page_view", people[2], now - timedelta(minutes=6)),  # not online any more
    )

    assert metrics.live_counters(now) == {"online_users": 2, "orders_per_minute": 1}
