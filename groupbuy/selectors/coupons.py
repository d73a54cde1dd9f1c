"""Reads of coupons: the coupon centre, members' wallets, and the coupon checkout accepts."""

from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from groupbuy.models import Coupon, CouponUserCount, Order, UserCoupon
from groupbuy.selectors.orders import CouponTerms, best_coupon, cart_lines


def coupons_available(*, user, now=None) -> list[dict]:
    """Coupons the member can see in the coupon centre, with what is left and what they hold."""
    now = now or timezone.now()
    coupons = list(
        Coupon.objects.filter(is_active=True, claimable=True)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=now))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
        .order_by("-created_at", "-id")
    )
    held: dict[int, int] = {}
    if user is not None and user.is_authenticated:
        held = dict(
            CouponUserCount.objects.filter(user=user, coupon__in=coupons).values_list(
                "coupon_id", "count"
            )
        )
    return [
        {
            "coupon": coupon,
            "remaining": None
            if coupon.total_quantity is None
            else coupon.total_quantity - coupon.claimed_count,
            "held": held.get(coupon.pk, 0),
            "can_claim": held.get(coupon.pk, 0) < coupon.per_user_limit
            and (coupon.total_quantity is None or coupon.claimed_count < coupon.total_quantity),
        }
        for coupon in coupons
    ]


def user_coupons(*, user, state: str = "usable", now=None) -> QuerySet[UserCoupon]:
    now = now or timezone.now()
    wallet = (
        UserCoupon.objects.filter(user=user).select_related("coupon").order_by("expires_at", "id")
    )
    if state == "used":
        return wallet.filter(used_at__isnull=False)
    if state == "expired":
        return wallet.filter(used_at__isnull=True, expires_at__lte=now)
    return wallet.filter(used_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def coupon_terms(coupon: Coupon) -> CouponTerms:
    return CouponTerms(
        kind=coupon.kind,
        value=coupon.value,
        threshold=coupon.threshold,
        cap=coupon.cap,
        product_ids=frozenset(p.pk for p in coupon.products.all()),
        category_ids=frozenset(c.pk for c in coupon.categories.all()),
    )


def user_coupons_checkout_accepts(*, user, now=None) -> QuerySet[UserCoupon]:
    """The member's wallet coupons checkout accepts now: unused, unexpired, and first-order ones
    only while the member has never paid for an order.

    The one eligibility rule of checkout and of the best-coupon pick, so the pick never
    recommends a coupon checkout then refuses."""
    paid_before = Order.objects.filter(buyer_id=OuterRef("user_id"), paid_at__isnull=False)
    return user_coupons(user=user, now=now).filter(
        Q(coupon__first_order_only=False) | ~Exists(paid_before)
    )


def coupon_best_for_cart(
    *, user, items: list[tuple[int, int]]
) -> tuple[UserCoupon | None, Decimal]:
    """The member's coupon, of those checkout accepts, that takes the most off this cart."""
    wallet = {
        entry.pk: entry
        for entry in user_coupons_checkout_accepts(user=user).prefetch_related(
            "coupon__products", "coupon__categories"
        )
    }
    best_id, discount = best_coupon(
        cart_lines(items), {pk: coupon_terms(e.coupon) for pk, e in wallet.items()}
    )
    return (wallet[best_id] if best_id is not None else None), discount
