"""Flash-sale reads: status at a moment, the lists, and what one member may do in a sale."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from community.models import TierBenefit
from community.selectors.social import ShareTarget
from groupbuy.exceptions import FlashSaleNotFoundError
from groupbuy.models import FlashSale, FlashSaleQuota, FlashSaleReminder, ProductImage
from groupbuy.selectors.catalog import can_review

SCHEDULED = "scheduled"
LIVE = "live"
SOLD_OUT = "sold_out"
ENDED = "ended"


def flash_sale_status(
    *, starts_at: datetime, ends_at: datetime, stock_remaining: int, now: datetime
) -> str:
    """One rule for REST, pushes and pages: ended beats sold out beats scheduled."""
    if now >= ends_at:
        return ENDED
    if stock_remaining <= 0:
        return SOLD_OUT
    if now < starts_at:
        return SCHEDULED
    return LIVE


def sale_status(sale: FlashSale, now: datetime | None = None) -> str:
    return flash_sale_status(
        starts_at=sale.starts_at,
        ends_at=sale.ends_at,
        stock_remaining=sale.stock_remaining,
        now=now or timezone.now(),
    )


def _with_product(viewer) -> QuerySet[FlashSale]:
    images = ProductImage.objects.order_by("sort", "id")
    sales = FlashSale.objects.select_related("product").prefetch_related(
        Prefetch("product__images", queryset=images)
    )
    # A sale of a product moderation hid is gone for everybody but staff and moderators.
    if not can_review(viewer):
        sales = sales.filter(product__hidden_at__isnull=True)
    return sales


def flash_sale_get(*, sale_id: int, viewer=None) -> FlashSale:
    """One sale with its product (404 ``not_found`` when its product is hidden from ``viewer``)."""
    sale = _with_product(viewer).filter(pk=sale_id).first()
    if sale is None:
        raise FlashSaleNotFoundError()
    return sale


def flash_sale_state(sale_id: int) -> dict[str, Any] | None:
    """The live columns of a sale (one primary-key read): stock and its window."""
    row = (
        FlashSale.objects.filter(pk=sale_id)
        .values("stock_remaining", "stock_total", "starts_at", "ends_at")
        .first()
    )
    return dict(row) if row is not None else None


def flash_sale_exists(sale_id: int) -> bool:
    return FlashSale.objects.filter(pk=sale_id).exists()


def flash_sale_list(*, state: str, now: datetime | None = None, viewer=None) -> QuerySet[FlashSale]:
    """``upcoming`` (not started), ``live`` (started, not ended; sold out included, so the page
    can say so), ``current`` (both) or ``ended``; soonest first. Sales of products hidden by
    moderation are left out for everybody but staff and moderators."""
    now = now or timezone.now()
    sales = _with_product(viewer)
    if state == "upcoming":
        sales = sales.filter(starts_at__gt=now)
    elif state == "live":
        sales = sales.filter(starts_at__lte=now, ends_at__gt=now)
    elif state == "ended":
        sales = sales.filter(ends_at__lte=now)
    else:
        sales = sales.filter(ends_at__gt=now)
    return sales


def early_access_minutes(user) -> int:
    """How many minutes before a sale's start this member's tier may buy (0 for most)."""
    if user is None or not user.is_authenticated:
        return 0
    minutes = (
        TierBenefit.objects.filter(tier=user.tier)
        .values_list("early_access_minutes", flat=True)
        .first()
    )
    return int(minutes or 0)


def buyer_opens_at(sale: FlashSale, minutes: int) -> datetime:
    if sale.tier_early_access and minutes > 0:
        return sale.starts_at - timedelta(minutes=minutes)
    return sale.starts_at


@dataclass(frozen=True)
class ViewerState:
    opens_at: datetime  # when this member may buy (earlier than starts_at with early access)
    held: int  # units held by pending and paid orders
    reminder: bool


def viewer_state(sale: FlashSale, user) -> ViewerState | None:
    if user is None or not user.is_authenticated:
        return None
    held = (
        FlashSaleQuota.objects.filter(sale=sale, user=user)
        .values_list("quantity", flat=True)
        .first()
    )
    return ViewerState(
        opens_at=buyer_opens_at(sale, early_access_minutes(user)),
        held=int(held or 0),
        reminder=FlashSaleReminder.objects.filter(sale=sale, user=user).exists(),
    )


def flash_sale_share_target(sale_id: int) -> ShareTarget | None:
    """What a share link to the sale points at (registered as the "flash_sale" share target)."""
    sale = FlashSale.objects.filter(pk=sale_id).values("title", "created_by_id").first()
    if sale is None:
        return None
    return ShareTarget(
        url=f"/flash-sales/{sale_id}/", title=sale["title"], owner_id=sale["created_by_id"]
    )
