"""Coupons: claiming, codes, points exchange, automatic packs.

Quotas are enforced by the database: the total by a conditional ``UPDATE … SET claimed_count =
claimed_count + 1 WHERE claimed_count < total_quantity``, the per-member limit by the same on a
per-(coupon, member) counter row, both in the issuing transaction, so no race can exceed either.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from community.models import TierBenefit, User
from community.services import points_spend
from community.services.insights.events import track
from groupbuy.exceptions import (
    CouponCodeInvalidError,
    CouponExhaustedError,
    CouponLimitReachedError,
    CouponNotEligibleError,
    CouponUnavailableError,
)
from groupbuy.models import Coupon, CouponAutoIssue, CouponIssue, CouponUserCount, UserCoupon

# What a member asks for is limited per member; automatic and reward issues are governed by their
# issue key instead (one monthly pack per month, one reward per cause).
LIMITED_SOURCES = {CouponIssue.CLAIM, CouponIssue.CODE, CouponIssue.POINTS}


def _check_eligible(coupon: Coupon, user: User, now: datetime) -> None:
    if (
        not coupon.is_active
        or (coupon.valid_from and now < coupon.valid_from)
        or (coupon.valid_until and now >= coupon.valid_until)
    ):
        raise CouponUnavailableError()
    if coupon.new_user_days is not None and user.date_joined < now - timedelta(
        days=coupon.new_user_days
    ):
        raise CouponNotEligibleError("This coupon is for new members.")
    if coupon.min_tier:
        ranks = dict(TierBenefit.objects.values_list("tier", "rank"))
        if ranks.get(user.tier, 0) < ranks.get(coupon.min_tier, 0):
            raise CouponNotEligibleError(
                f"This coupon is for {coupon.min_tier.title()} members and above."
            )


def _expiry(coupon: Coupon, now: datetime) -> datetime | None:
    candidates = [coupon.valid_until] if coupon.valid_until else []
    if coupon.valid_days_after_claim:
        candidates.append(now + timedelta(days=coupon.valid_days_after_claim))
    return min(candidates) if candidates else None


def coupon_issue(
    *,
    user: User,
    coupon: Coupon,
    source: str,
    issue_key: str | None = None,
    now: datetime | None = None,
) -> UserCoupon:
    """Put one coupon in the member's wallet within the total and per-member quotas."""
    now = now or timezone.now()
    if issue_key:
        existing = UserCoupon.objects.filter(issue_key=issue_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            _check_eligible(coupon, user, now)
            within_total = Coupon.objects.filter(pk=coupon.pk).filter(
                Q(total_quantity__isnull=True) | Q(claimed_count__lt=F("total_quantity"))
            )
            if not within_total.update(claimed_count=F("claimed_count") + 1):
                raise CouponExhaustedError()
            CouponUserCount.objects.bulk_create(
                [CouponUserCount(coupon=coupon, user=user)], ignore_conflicts=True
            )
            mine = CouponUserCount.objects.filter(coupon=coupon, user=user)
            if source in LIMITED_SOURCES:
                mine = mine.filter(count__lt=coupon.per_user_limit)
            if not mine.update(count=F("count") + 1):
                raise CouponLimitReachedError()  # rolls the total back with it
            entry = UserCoupon.objects.create(
                coupon=coupon,
                user=user,
                source=source,
                issue_key=issue_key,
                expires_at=_expiry(coupon, now),
            )
            track(
                "coupon_claim",
                user,
                {"coupon_id": coupon.pk, "user_coupon_id": entry.pk, "source": source},
            )
            return entry
    except IntegrityError:
        if issue_key is None:
            raise
        return UserCoupon.objects.get(
            issue_key=issue_key
        )  # a concurrent issue with the same key won


def coupon_claim(*, actor: User, coupon_id: int) -> UserCoupon:
    """Claim a coupon from the coupon centre."""
    coupon = Coupon.objects.filter(pk=coupon_id, claimable=True).first()
    if coupon is None:
        raise CouponUnavailableError()
    return coupon_issue(user=actor, coupon=coupon, source=CouponIssue.CLAIM)


def coupon_redeem_code(*, actor: User, code: str) -> UserCoupon:
    """Redeem a coupon code."""
    coupon = Coupon.objects.filter(code__iexact=code.strip()).first()
    if coupon is None:
        raise CouponCodeInvalidError()
    return coupon_issue(user=actor, coupon=coupon, source=CouponIssue.CODE)


def coupon_exchange_points(*, actor: User, coupon_id: int) -> UserCoupon:
    """Buy a coupon in the points mall: the coupon and the points spend commit together."""
    coupon = Coupon.objects.filter(pk=coupon_id, points_price__isnull=False).first()
    if coupon is None or not coupon.points_price:
        raise CouponUnavailableError("This coupon is not in the points mall.")
    with transaction.atomic():
        wallet_entry = coupon_issue(user=actor, coupon=coupon, source=CouponIssue.POINTS)
        points_spend(
            user_id=actor.pk,
            amount=coupon.points_price,
            reason="redeem",
            idempotency_key=f"coupon-exchange:{wallet_entry.pk}",
            source_type="user_coupon",
            source_id=str(wallet_entry.pk),
            note=coupon.title,
        )
    return wallet_entry


def _issue_each(user: User, coupons, *, source: str, key_prefix: str) -> list[UserCoupon]:
    # A coupon that ran out or does not fit this member is skipped: the others still arrive.
    issued = []
    for coupon in coupons:
        try:
            issued.append(
                coupon_issue(
                    user=user,
                    coupon=coupon,
                    source=source,
                    issue_key=f"{key_prefix}:{coupon.pk}:{user.pk}",
                )
            )
        except (
            CouponExhaustedError,
            CouponLimitReachedError,
            CouponUnavailableError,
            CouponNotEligibleError,
        ):
            continue
    return issued


def coupon_pack_issue(*, user_id: int, pack_code: str, month: str) -> list[UserCoupon]:
    """Issue a tier's monthly pack once per member and month (coupons that ran out are skipped)."""
    user = User.objects.get(pk=user_id)
    pack = Coupon.objects.filter(pack_code=pack_code, is_active=True)
    return _issue_each(user, pack, source=CouponIssue.AUTO, key_prefix=f"pack:{month}")


def coupons_welcome_issue(*, user_id: int, invited: bool) -> list[UserCoupon]:
    """A new member's welcome coupons, once: every new-user coupon, and the invitee coupons when
    they came through an invite code or a share link."""
    user = User.objects.get(pk=user_id)
    welcome = Coupon.objects.filter(auto_issue=CouponAutoIssue.NEW_USER, is_active=True)
    issued = _issue_each(user, welcome, source=CouponIssue.AUTO, key_prefix="welcome")
    if invited:
        issued += coupons_invitee_issue(user_id=user_id)
    return issued


def coupons_invitee_issue(*, user_id: int) -> list[UserCoupon]:
    """The invitee's reward (PRODUCT §14): every active invitee coupon, once per member."""
    user = User.objects.get(pk=user_id)
    invitee = Coupon.objects.filter(auto_issue=CouponAutoIssue.INVITEE, is_active=True)
    return _issue_each(user, invitee, source=CouponIssue.REWARD, key_prefix="invitee")


def coupon_grant_campaign_reward(user_id: int, coupon_id: int, issue_key: str) -> None:
    """A staff campaign's coupon for one member (community's campaign reward registry calls this);
    once per ``issue_key``, within the coupon's quotas."""
    user = User.objects.get(pk=user_id)
    coupon = Coupon.objects.get(pk=coupon_id)
    coupon_issue(user=user, coupon=coupon, source=CouponIssue.REWARD, issue_key=issue_key)


def coupon_campaign_reward_exists(coupon_id: int) -> bool:
    return Coupon.objects.filter(pk=coupon_id, is_active=True).exists()


def coupon_campaign_reward_choices() -> list[tuple[int, str]]:
    """Active coupons staff may attach to a campaign, newest first."""
    active = Coupon.objects.filter(is_active=True).order_by("-id")
    return list(active.values_list("pk", "title")[:100])
