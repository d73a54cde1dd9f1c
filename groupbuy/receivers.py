"""groupbuy's listeners to community's domain signals."""

from community.signals import tier_monthly_pack_due
from groupbuy.services import coupon_pack_issue


def _issue_monthly_pack(sender, *, user_id: int, pack_code: str, month: str, **_) -> None:
    coupon_pack_issue(user_id=user_id, pack_code=pack_code, month=month)


def connect() -> None:
    tier_monthly_pack_due.connect(_issue_monthly_pack, dispatch_uid="groupbuy.monthly_tier_pack")
