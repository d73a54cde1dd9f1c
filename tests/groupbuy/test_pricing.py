"""Pricing rules, by example and by property (hypothesis): totals are never negative, no discount
exceeds its cap, points never pay more than half, and the parts always add up."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from groupbuy.exceptions import PricingError
from groupbuy.selectors.orders import CouponTerms, Line, best_coupon, points_limit, price

D = Decimal


def test_threshold_coupon_creator_code_and_points_in_order():
    lines = [Line(1, D("99.00"), 2), Line(2, D("19.90"), 1)]  # 217.90
    coupon = CouponTerms(kind="amount", value=D("20"), threshold=D("199"))

    result = price(lines, coupon=coupon, creator_percent=D("5"), points=1000, points_balance=5000)

    assert result.subtotal == D("217.90")
    assert result.coupon_discount == D("20.00")
    assert result.creator_discount == D("9.90")  # 5 % of 197.90 = 9.895, half up
    assert (result.points_used, result.points_discount) == (1000, D("10.00"))
    assert result.total == D("178.00")


def test_threshold_not_met_is_refused():
    with pytest.raises(PricingError) as refused:
        price(
            [Line(1, D("150.00"), 1)],
            coupon=CouponTerms(kind="amount", value=D("20"), threshold=D("199")),
        )

    assert refused.value.code == "coupon_invalid"


def test_percentage_coupon_is_capped():
    coupon = CouponTerms(kind="percent", value=D("10"), cap=D("50"))

    assert price([Line(1, D("300.00"), 1)], coupon=coupon).coupon_discount == D("30.00")
    assert price([Line(1, D("900.00"), 1)], coupon=coupon).coupon_discount == D("50.00")


def test_scoped_coupon_only_counts_covered_items():
    coupon = CouponTerms(kind="percent", value=D("10"), category_ids=frozenset({7}))
    lines = [Line(1, D("100.00"), 1, category_id=7), Line(2, D("500.00"), 1, category_id=8)]

    result = price(lines, coupon=coupon)

    assert (result.eligible_subtotal, result.coupon_discount) == (D("100.00"), D("10.00"))


def test_coupon_for_items_not_in_the_cart_is_refused():
    with pytest.raises(PricingError):
        price(
            [Line(1, D("10.00"), 1)],
            coupon=CouponTerms(kind="amount", value=D("5"), product_ids=frozenset({2})),
        )


def test_points_are_limited_to_half_and_to_the_balance():
    assert points_limit(D("100.00"), 10_000) == 5000
    assert points_limit(D("100.00"), 1200) == 1200
    assert points_limit(D("0.01"), 10) == 0
    with pytest.raises(PricingError) as refused:
        price([Line(1, D("100.00"), 1)], points=5001, points_balance=10_000)
    assert refused.value.extra == {"max_points": 5000}


def test_best_coupon_picks_the_biggest_saving_that_applies():
    lines = [Line(1, D("250.00"), 1)]
    candidates = {
        1: CouponTerms(kind="amount", value=D("20"), threshold=D("199")),
        2: CouponTerms(kind="percent", value=D("10"), cap=D("50")),  # 25
        3: CouponTerms(kind="amount", value=D("100"), threshold=D("500")),  # not reached
    }

    assert best_coupon(lines, candidates) == (2, D("25.00"))
    assert best_coupon(lines, {}) == (None, D("0.00"))


def test_empty_cart_and_negative_points_are_refused():
    with pytest.raises(PricingError):
        price([])
    with pytest.raises(PricingError):
        price([Line(1, D("1.00"), 1)], points=-1)


money = st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2)
lines_strategy = st.lists(
    st.builds(
        Line, st.integers(1, 5), money, st.integers(1, 5), st.one_of(st.none(), st.integers(1, 3))
    ),
    min_size=1,
    max_size=6,
)
coupons = st.one_of(
    st.none(),
    st.builds(
        CouponTerms, kind=st.just("amount"), value=money, threshold=st.decimals(0, 500, places=2)
    ),
    st.builds(
        CouponTerms,
        kind=st.just("percent"),
        value=st.decimals(1, 90, places=0),
        cap=st.one_of(st.none(), money),
        category_ids=st.frozensets(st.integers(1, 3), max_size=2),
    ),
)


@given(
    lines=lines_strategy,
    coupon=coupons,
    creator=st.one_of(st.none(), st.decimals(1, 30, places=0)),
    balance=st.integers(0, 1_000_000),
    share=st.floats(0, 1),
)
def test_price_invariants(lines, coupon, creator, balance, share):
    try:
        limit_probe = price(
            lines, coupon=coupon, creator_percent=creator, points=0, points_balance=balance
        )
    except PricingError:
        return  # a coupon that does not apply is refused, never mis-priced
    points = int(points_limit(limit_probe.total, balance) * share)

    result = price(
        lines, coupon=coupon, creator_percent=creator, points=points, points_balance=balance
    )

    assert result.total >= 0
    assert result.subtotal == sum((line.amount for line in lines), D("0"))
    assert result.coupon_discount <= result.eligible_subtotal
    if coupon is not None and coupon.cap is not None:
        assert result.coupon_discount <= coupon.cap.quantize(D("0.01"))
    if coupon is not None and coupon.kind == "amount":
        assert result.coupon_discount <= coupon.value
    if creator is not None:
        assert result.creator_discount <= (
            result.subtotal - result.coupon_discount
        ) * creator / 100 + D("0.005")
    assert result.points_used <= balance
    assert (
        result.points_discount * 2
        <= result.subtotal - result.coupon_discount - result.creator_discount
    )
    assert result.subtotal - result.discount == result.total
