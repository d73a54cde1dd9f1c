"""Order attribution (PRODUCT.md §5): creator code > creator's share link (7 d) > storefront (24 h)."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from groupbuy.selectors.commission import (
    Attribution,
    attribute_order,
    share_click_window,
    storefront_visit_window,
)

# PRODUCT.md §5's defaults (ATTRIBUTION_SHARE_DAYS, ATTRIBUTION_STOREFRONT_HOURS).
SHARE_CLICK_WINDOW = timedelta(days=7)
STOREFRONT_VISIT_WINDOW = timedelta(hours=24)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
BUYER = 1
LILY = 2
MIA = 3


def attribute(**kwargs) -> Attribution:
    args = {
        "buyer_id": BUYER,
        "creator_code_owner_id": None,
        "share_clicks": [],
        "storefront_visits": [],
        "now": NOW,
    }
    return attribute_order(**{**args, **kwargs})


# --- examples --------------------------------------------------------------------------------


def test_nothing_attributes_to_nobody():
    assert attribute() == Attribution(creator_id=None, source=None)


def test_creator_code_beats_everything():
    result = attribute(
        creator_code_owner_id=LILY,
        share_clicks=[(MIA, NOW - timedelta(minutes=1), True)],
        storefront_visits=[(MIA, NOW)],
    )

    assert result == Attribution(creator_id=LILY, source="creator_code")


def test_share_link_beats_storefront_visit():
    result = attribute(
        share_clicks=[(MIA, NOW - timedelta(days=3), True)],
        storefront_visits=[(LILY, NOW - timedelta(minutes=5))],
    )

    assert result == Attribution(creator_id=MIA, source="share_link")


def test_last_creator_click_wins_in_any_input_order():
    clicks = [
        (LILY, NOW - timedelta(days=1), True),
        (MIA, NOW - timedelta(hours=2), True),
        (LILY, NOW - timedelta(days=6), True),
    ]

    assert attribute(share_clicks=clicks).creator_id == MIA
    assert attribute(share_clicks=list(reversed(clicks))).creator_id == MIA


def test_clicks_by_non_creators_do_not_attribute():
    result = attribute(
        share_clicks=[(MIA, NOW - timedelta(hours=1), False)],
        storefront_visits=[(LILY, NOW - timedelta(hours=2))],
    )

    assert result == Attribution(creator_id=LILY, source="storefront")


def test_a_later_non_creator_click_does_not_hide_an_earlier_creator_click():
    result = attribute(
        share_clicks=[(LILY, NOW - timedelta(days=2), True), (MIA, NOW, False)],
    )

    assert result == Attribution(creator_id=LILY, source="share_link")


def test_latest_storefront_visit_wins():
    visits = [(LILY, NOW - timedelta(hours=5)), (MIA, NOW - timedelta(hours=1))]

    assert attribute(storefront_visits=visits) == Attribution(MIA, "storefront")


def test_self_attribution_never_counts_and_falls_through():
    assert attribute(creator_code_owner_id=BUYER) == Attribution(None, None)
    assert attribute(creator_code_owner_id=BUYER, share_clicks=[(LILY, NOW, True)]) == Attribution(
        LILY, "share_link"
    )
    assert attribute(
        share_clicks=[(BUYER, NOW, True)], storefront_visits=[(LILY, NOW)]
    ) == Attribution(LILY, "storefront")
    assert attribute(storefront_visits=[(BUYER, NOW)]) == Attribution(None, None)


def test_self_click_after_another_creators_click_is_skipped():
    clicks = [(LILY, NOW - timedelta(days=1), True), (BUYER, NOW - timedelta(hours=1), True)]

    assert attribute(share_clicks=clicks) == Attribution(LILY, "share_link")


def test_share_window_includes_exactly_seven_days_and_not_a_microsecond_more():
    edge = NOW - SHARE_CLICK_WINDOW

    assert attribute(share_clicks=[(LILY, edge, True)]) == Attribution(LILY, "share_link")
    assert attribute(share_clicks=[(LILY, edge - timedelta(microseconds=1), True)]) == (
        Attribution(None, None)
    )


def test_storefront_window_includes_exactly_24_hours_and_not_a_microsecond_more():
    edge = NOW - STOREFRONT_VISIT_WINDOW

    assert attribute(storefront_visits=[(LILY, edge)]) == Attribution(LILY, "storefront")
    assert attribute(storefront_visits=[(LILY, edge - timedelta(microseconds=1))]) == (
        Attribution(None, None)
    )


def test_events_after_now_are_ignored():
    future = NOW + timedelta(seconds=1)

    assert attribute(
        share_clicks=[(LILY, future, True)], storefront_visits=[(MIA, future)]
    ) == Attribution(None, None)


def test_equal_click_times_pick_the_later_listed():
    at = NOW - timedelta(hours=1)

    assert attribute(share_clicks=[(LILY, at, True), (MIA, at, True)]).creator_id == MIA


# --- properties ------------------------------------------------------------------------------

users = st.integers(min_value=1, max_value=5)
# Offsets around both windows, including their exact boundaries and just past them.
offsets = st.one_of(
    st.timedeltas(min_value=timedelta(seconds=-10), max_value=timedelta(days=9)),
    st.sampled_from(
        [
            timedelta(0),
            STOREFRONT_VISIT_WINDOW,
            STOREFRONT_VISIT_WINDOW + timedelta(microseconds=1),
            SHARE_CLICK_WINDOW,
            SHARE_CLICK_WINDOW + timedelta(microseconds=1),
        ]
    ),
)
clicks_strategy = st.lists(st.tuples(users, offsets, st.booleans()), max_size=8)
visits_strategy = st.lists(st.tuples(users, offsets), max_size=8)


def _oracle(buyer, code_owner, clicks, visits):
    """The rules written the other way round: filter everything, then take the best by rank."""
    if code_owner is not None and code_owner != buyer:
        return Attribution(code_owner, "creator_code")
    eligible_clicks = [
        (at, index, sharer)
        for index, (sharer, at, is_creator) in enumerate(clicks)
        if is_creator and sharer != buyer and NOW - SHARE_CLICK_WINDOW <= at <= NOW
    ]
    if eligible_clicks:
        return Attribution(max(eligible_clicks)[2], "share_link")
    eligible_visits = [
        (at, index, owner)
        for index, (owner, at) in enumerate(visits)
        if owner != buyer and NOW - STOREFRONT_VISIT_WINDOW <= at <= NOW
    ]
    if eligible_visits:
        return Attribution(max(eligible_visits)[2], "storefront")
    return Attribution(None, None)


@given(
    buyer=users,
    code_owner=st.one_of(st.none(), users),
    raw_clicks=clicks_strategy,
    raw_visits=visits_strategy,
)
def test_precedence_and_windows_hold_for_any_input(buyer, code_owner, raw_clicks, raw_visits):
    clicks = [(sharer, NOW - offset, is_creator) for sharer, offset, is_creator in raw_clicks]
    visits = [(owner, NOW - offset) for owner, offset in raw_visits]

    result = attribute_order(
        buyer_id=buyer,
        creator_code_owner_id=code_owner,
        share_clicks=clicks,
        storefront_visits=visits,
        now=NOW,
    )

    assert result == _oracle(buyer, code_owner, clicks, visits)
    assert result.creator_id != buyer
    assert (result.creator_id is None) == (result.source is None)


@given(buyer=users, code_owner=users, raw_clicks=clicks_strategy, raw_visits=visits_strategy)
def test_someone_elses_creator_code_always_wins(buyer, code_owner, raw_clicks, raw_visits):
    clicks = [(s, NOW - o, c) for s, o, c in raw_clicks]
    visits = [(v, NOW - o) for v, o in raw_visits]

    result = attribute_order(
        buyer_id=buyer,
        creator_code_owner_id=code_owner,
        share_clicks=clicks,
        storefront_visits=visits,
        now=NOW,
    )

    if code_owner != buyer:
        assert result == Attribution(code_owner, "creator_code")
    else:
        assert result.source != "creator_code"


@given(buyer=users, raw_clicks=clicks_strategy, raw_visits=visits_strategy)
def test_an_eligible_creator_click_always_beats_storefront_visits(buyer, raw_clicks, raw_visits):
    clicks = [(s, NOW - o, c) for s, o, c in raw_clicks]
    visits = [(v, NOW - o) for v, o in raw_visits]
    has_click = any(
        c and s != buyer and NOW - SHARE_CLICK_WINDOW <= at <= NOW for s, at, c in clicks
    )

    result = attribute_order(
        buyer_id=buyer,
        creator_code_owner_id=None,
        share_clicks=clicks,
        storefront_visits=visits,
        now=NOW,
    )

    assert (result.source == "share_link") == has_click
    if not has_click:
        assert result.source in ("storefront", None)


@given(creator=st.integers(min_value=2, max_value=5), offset=offsets)
def test_window_boundaries_for_a_single_event(creator, offset):
    at = NOW - offset

    click = attribute_order(
        buyer_id=BUYER,
        creator_code_owner_id=None,
        share_clicks=[(creator, at, True)],
        storefront_visits=[],
        now=NOW,
    )
    visit = attribute_order(
        buyer_id=BUYER,
        creator_code_owner_id=None,
        share_clicks=[],
        storefront_visits=[(creator, at)],
        now=NOW,
    )

    assert (click.source == "share_link") == (timedelta(0) <= offset <= SHARE_CLICK_WINDOW)
    assert (visit.source == "storefront") == (timedelta(0) <= offset <= STOREFRONT_VISIT_WINDOW)


def test_the_windows_default_to_the_product_numbers():
    assert (share_click_window(), storefront_visit_window()) == (
        SHARE_CLICK_WINDOW,
        STOREFRONT_VISIT_WINDOW,
    )
