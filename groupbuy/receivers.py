"""groupbuy's listeners to community's domain signals."""

from community.signals import member_registered, tier_monthly_pack_due
from groupbuy.services.coupons import coupon_pack_issue, coupons_welcome_issue


def _issue_monthly_pack(sender, *, user_id: int, pack_code: str, month: str, **_) -> None:
    coupon_pack_issue(user_id=user_id, pack_code=pack_code, month=month)


def _welcome_coupons(sender, *, user_id: int, inviter_id: int | None = None, **_) -> None:
    coupons_welcome_issue(user_id=user_id, invited=inviter_id is not None)


def connect() -> None:
    member_registered.connect(_welcome_coupons, dispatch_uid="groupbuy.welcome_coupons")
    tier_monthly_pack_due.connect(_issue_monthly_pack, dispatch_uid="groupbuy.monthly_tier_pack")
