"""Cards in messages: a message names an object (``kind`` + id); the card is rendered from the live
object every time it is read, so a price or stock change shows in old messages too.

Kinds register here (``register_card``) in ``AppConfig.ready()``: product, order, storefront,
coupon and team are chat's own renderers over groupbuy's selectors.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404

from community.models import Role
from community.selectors import user_roles
from groupbuy import selectors as shop
from groupbuy.exceptions import ShopNotFoundError
from groupbuy.models import Storefront
from groupbuy.selectors_teams import team_snapshot

Render = Callable[[int, Any], dict | None]
"""(object id, viewer or None) -> the card's fields, or None when it is gone or hidden."""

CanShare = Callable[[int, Any], bool]
"""(object id, sender) -> may the sender put this object in a message?"""


@dataclass(frozen=True)
class CardType:
    kind: str
    render: Render
    can_share: CanShare


_cards: dict[str, CardType] = {}


def register_card(kind: str, *, render: Render, can_share: CanShare) -> None:
    _cards[kind] = CardType(kind, render, can_share)


def unregister_card(kind: str) -> None:
    _cards.pop(kind, None)


def card_kinds() -> list[str]:
    return sorted(_cards)


def card_type(kind: str) -> CardType | None:
    return _cards.get(kind)


def card_render(kind: str, ref: int, viewer) -> dict:
    """The card as ``viewer`` sees it now; ``available: false`` when the object is gone."""
    card = _cards.get(kind)
    data = card.render(ref, viewer) if card is not None else None
    if data is None:
        return {"kind": kind, "id": ref, "available": False}
    return {"kind": kind, "id": ref, "available": True, **data}


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def _privileged(user) -> bool:
    """Staff and support agents see orders in full (an agent handles the member's order)."""
    if not _signed_in(user):
        return False
    cached = getattr(user, "_chat_card_privileged", None)
    if cached is None:
        # Cached on the instance: a page of order cards asks once, not once per card.
        roles = set(user_roles(user))
        cached = user.is_superuser or bool(roles & {Role.STAFF, Role.SUPPORT_AGENT})
        user._chat_card_privileged = cached
    return cached


# --- product --------------------------------------------------------------------------------------


def _product(ref: int, viewer) -> dict | None:
    try:
        product = shop.product_get(product_id=ref, viewer=viewer)
    except Http404:
        return None
    return {
        "title": product.title,
        "price": str(product.price),
        "stock": product.stock,
        "in_stock": product.stock > 0,
        "image_url": shop.first_image_url(product),
        "url": f"/products/{product.pk}/",
    }


def _product_shareable(ref: int, sender) -> bool:
    return _product(ref, sender) is not None


# --- order ----------------------------------------------------------------------------------------


def _order(ref: int, viewer) -> dict | None:
    order = shop.order_get_summary(order_id=ref)
    if order is None:
        return None
    if not (_signed_in(viewer) and (order.buyer_id == viewer.pk or _privileged(viewer))):
        # Others in the room learn that an order was shared, not what is in it.
        return {"title": f"Order #{order.pk}", "limited": True}
    items = list(order.items.all())
    return {
        "title": f"Order #{order.pk}",
        "limited": False,
        "status": order.status,
        "total": str(order.total),
        "items": [{"title": item.title, "quantity": item.quantity} for item in items],
        "created_at": order.created_at.isoformat(),
        "url": f"/api/v1/orders/{order.pk}/",
    }


def _order_shareable(ref: int, sender) -> bool:
    order = shop.order_get_summary(order_id=ref)
    return order is not None and (order.buyer_id == sender.pk or _privileged(sender))


# --- storefront -----------------------------------------------------------------------------------


def _storefront(ref: int, viewer) -> dict | None:
    # groupbuy has no storefront-by-id selector; a read of the row, then its visibility rule.
    storefront = Storefront.objects.select_related("owner").filter(pk=ref).first()
    if storefront is None or not shop.can_see_storefront(storefront, viewer):
        return None
    return {
        "title": storefront.title,
        "owner": storefront.owner.username,
        "bio": storefront.bio[:140],
        "url": f"/store/{storefront.slug}/",
    }


# --- coupon ---------------------------------------------------------------------------------------


def _coupon(ref: int, viewer) -> dict | None:
    for row in shop.coupons_available(user=viewer if _signed_in(viewer) else None):
        coupon = row["coupon"]
        if coupon.pk == ref:
            return {
                "title": coupon.title,
                "coupon_kind": coupon.kind,
                "value": str(coupon.value),
                "threshold": str(coupon.threshold),
                "remaining": row["remaining"],
                "can_claim": row["can_claim"] if _signed_in(viewer) else None,
                "claim_url": f"/api/v1/coupons/{coupon.pk}/claim/",
            }
    return None


# --- team -------------------------------------------------------------------------------------------


def _team(ref: int, viewer) -> dict | None:
    # Team pages are public (they are shared to recruit), so is their card.
    try:
        team = team_snapshot(ref)
    except ShopNotFoundError:
        return None
    return {
        "title": team["product"]["title"],
        "price": team["group_price"],
        "status": team["status"],
        "team_size": team["team_size"],
        "seats_left": team["seats_left"],
        "expires_at": team["expires_at"],
        "image_url": team["product"]["image"],
        "url": team["share_url"],
    }


def register_builtin_cards() -> None:
    register_card(
        "team", render=_team, can_share=lambda ref, sender: _team(ref, sender) is not None
    )
    register_card("product", render=_product, can_share=_product_shareable)
    register_card("order", render=_order, can_share=_order_shareable)
    register_card(
        "storefront",
        render=_storefront,
        can_share=lambda ref, sender: _storefront(ref, sender) is not None,
    )
    register_card(
        "coupon", render=_coupon, can_share=lambda ref, sender: _coupon(ref, sender) is not None
    )
