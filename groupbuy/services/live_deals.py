"""Deals a creator launches from their livestream: a flash sale or a group-buy campaign that
starts at once and lasts a few minutes (PRODUCT.md §12).

Creators are not staff, so their deals are bounded: only products in their own storefront, at a
price between ``LIVE_DEAL_MIN_PRICE_RATIO`` of the list price and the list price, with capped
stock and duration. chat checks that the stream is live and the caller its host; this module
checks what a creator may sell.

Orders on these deals are attributed like any other (``order_place_at_price``): the host earns
commission when the viewer came through the host's share link or visited their storefront within
the windows. Watching the stream alone attributes nothing: PRODUCT.md §5 has no such rule.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from community.models import User
from groupbuy.exceptions import LiveDealPriceError, LiveDealRefusedError
from groupbuy.models import Campaign, CollectionItem, FlashSale, Product, ProductStatus
from groupbuy.selectors.catalog import is_creator
from groupbuy.selectors.orders import quantize


def _deal_product(host: User, product_id: int, price: Decimal) -> Product:
    if not is_creator(host):
        raise LiveDealRefusedError("Only creators launch deals from a stream.")
    product = Product.objects.filter(
        pk=product_id, status=ProductStatus.ACTIVE, hidden_at__isnull=True
    ).first()
    in_storefront = CollectionItem.objects.filter(
        collection__storefront__owner=host, product_id=product_id, pending_review=False
    ).exists()
    if product is None or not in_storefront:
        raise LiveDealRefusedError()
    floor = quantize(product.price * Decimal(str(settings.LIVE_DEAL_MIN_PRICE_RATIO)))
    if not floor <= price <= product.price:
        raise LiveDealPriceError(
            f"Between ¥{floor} and ¥{product.price} for this product.",
            min_price=str(floor),
            max_price=str(product.price),
        )
    return product


@dataclass(frozen=True)
class _Terms:
    product: Product
    price: Decimal
    stock: int
    starts_at: datetime
    ends_at: datetime


def _terms(host: User, product_id: int, price: Decimal, stock: int, minutes: int) -> _Terms:
    """What a host's deal may be: their product, a bounded price, capped stock, open now."""
    product = _deal_product(host, product_id, price)
    now = timezone.now()
    minutes = max(1, min(minutes, settings.LIVE_DEAL_MAX_MINUTES))
    return _Terms(
        product=product,
        price=quantize(price),
        stock=max(1, min(stock, settings.LIVE_DEAL_MAX_STOCK)),
        starts_at=now,
        ends_at=now + timedelta(minutes=minutes),
    )


def flash_sale_launch_live(
    *,
    host: User,
    livestream_id: int,
    product_id: int,
    price: Decimal,
    stock: int,
    minutes: int,
    per_user_limit: int = 1,
) -> FlashSale:
    """A flash sale that opens now for the stream's viewers and closes after ``minutes``."""
    deal = _terms(host, product_id, price, stock, minutes)
    with transaction.atomic():
        return FlashSale.objects.create(
            product=deal.product,
            title=f"Live: {deal.product.title}",
            price=deal.price,
            stock_total=deal.stock,
            stock_remaining=deal.stock,
            starts_at=deal.starts_at,
            ends_at=deal.ends_at,
            per_user_limit=per_user_limit,
            tier_early_access=False,  # it is already open: there is nothing to be early for
            livestream_id=livestream_id,
            created_by=host,
        )


def campaign_launch_live(
    *,
    host: User,
    livestream_id: int,
    product_id: int,
    price: Decimal,
    stock: int,
    minutes: int,
    team_size: int = 2,
    per_user_limit: int = 1,
) -> Campaign:
    """A group buy that opens now for the stream's viewers; teams have until it closes."""
    deal = _terms(host, product_id, price, stock, minutes)
    with transaction.atomic():
        return Campaign.objects.create(
            product=deal.product,
            title=f"Live: {deal.product.title}",
            group_price=deal.price,
            team_size=team_size,
            team_window_minutes=int((deal.ends_at - deal.starts_at).total_seconds() // 60),
            stock_total=deal.stock,
            stock_remaining=deal.stock,
            per_user_limit=per_user_limit,
            starts_at=deal.starts_at,
            ends_at=deal.ends_at,
            livestream_id=livestream_id,
            created_by=host,
        )
