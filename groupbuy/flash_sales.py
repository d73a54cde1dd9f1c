"""Flash sales' wiring into the rest of the system, done once in ``GroupbuyConfig.ready()``."""

from community.demo_registry import register_seeder
from community.share_targets import ShareTarget, register_share_target
from groupbuy import flash_events, flash_fanout
from groupbuy.demo_flash import seed_flash_sales
from groupbuy.models import FlashSale
from groupbuy.order_kinds import OrderKind, register_order_kind
from groupbuy.services.flash_sales import flash_sale_order_release
from realtime.registry import register_topic


def _sale_id(argument: str) -> int | None:
    return int(argument) if argument.isdigit() and len(argument) < 19 else None


def can_subscribe(user, argument: str) -> bool:
    """Any signed-in member may watch an existing sale (the socket itself needs sign-in)."""
    sale_id = _sale_id(argument)
    return (
        sale_id is not None
        and bool(getattr(user, "is_authenticated", False))
        and FlashSale.objects.filter(pk=sale_id).exists()
    )


def share_target(sale_id: int) -> ShareTarget | None:
    sale = FlashSale.objects.filter(pk=sale_id).values("title", "created_by_id").first()
    if sale is None:
        return None
    return ShareTarget(
        url=f"/flash-sales/{sale_id}/", title=sale["title"], owner_id=sale["created_by_id"]
    )


def setup() -> None:
    """Register the flash-sale order kind, realtime topic and share target."""
    register_order_kind("flash_sale", OrderKind(release=flash_sale_order_release))
    register_topic(
        flash_events.TOPIC,
        can_subscribe=can_subscribe,
        on_join=flash_fanout.on_join,
        on_leave=flash_fanout.on_leave,
    )
    register_share_target("flash_sale", share_target)
    register_seeder("groupbuy.flash_sales", seed_flash_sales, order=45)
