"""Reads of messages (every one within a room the reader is in), the message rules, and cards.

Cards in messages: a message names an object (``kind`` + id); the card is rendered from the live
object every time it is read, so a price or stock change shows in old messages too.

Kinds register here (``register_card``) in ``AppConfig.ready()``: product, order, storefront,
coupon and team are chat's own renderers over groupbuy's selectors. A kind renders a batch of ids
at once (``render_many``), so a page of messages costs a fixed number of queries per kind however
many different objects it shows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from chat.models import Message, MessageKind, Room, RoomKind
from chat.selectors.rooms import is_room_member
from community.models import Role
from community.selectors import user_roles
from groupbuy import selectors as shop
from groupbuy.models import Storefront
from groupbuy.selectors.teams import team_summaries

MESSAGE_PAGE_DEFAULT = 50
MESSAGE_PAGE_MAX = 200
REPLAY_LIMIT = 500


def _setting(name: str, default: int) -> int:
    """Chat's product numbers (PRODUCT.md §10): settings override every default here."""
    return int(getattr(settings, name, default))


def edit_window_seconds() -> int:
    return _setting("CHAT_EDIT_WINDOW_SECONDS", 15 * 60)


def flood_window_seconds() -> int:
    return _setting("CHAT_FLOOD_WINDOW_SECONDS", 5)


def flood_max_messages() -> int:
    return _setting("CHAT_FLOOD_MAX_MESSAGES", 5)


def flood_max_messages_new_account() -> int:
    """Accounts younger than ``new_account_hours`` get this lower limit."""
    return _setting("CHAT_FLOOD_MAX_MESSAGES_NEW_ACCOUNT", 2)


def new_account_hours() -> int:
    return _setting("CHAT_NEW_ACCOUNT_HOURS", 24)


def _messages(room_id: int) -> QuerySet[Message]:
    return (
        Message.objects.filter(room_id=room_id)
        .select_related("sender", "reply_to__sender")
        .prefetch_related("reactions")
    )


# --- hidden by moderation ---------------------------------------------------------------------
# A hidden message leaves the room for everyone but its sender (who sees it marked ``hidden``);
# moderators read it, with the messages around it, only through the moderation item it is on.


def shown_to(viewer_id: int | None) -> Q:
    """The messages a room member sees: everything not hidden, and their own hidden ones."""
    if viewer_id is None:
        return Q(hidden_at__isnull=True)
    return Q(hidden_at__isnull=True) | Q(sender_id=viewer_id)


def withheld_from(message: Message, viewer) -> bool:
    """Is this message's content kept from ``viewer`` (None: everybody in the room, a push)?"""
    if message.hidden_at is None:
        return False
    viewer_id = getattr(viewer, "pk", None)
    return viewer_id is None or viewer_id != message.sender_id


def messages_window(
    *,
    room: Room,
    after_seq: int | None = None,
    before_seq: int | None = None,
    q: str | None = None,
    limit: int = MESSAGE_PAGE_DEFAULT,
    viewer_id: int | None = None,
) -> list[Message]:
    """A window of the room's messages in ascending seq, as ``viewer_id`` sees them (hidden
    messages only when they are the viewer's own).

    ``after_seq`` reads forward (gap fill); otherwise the newest ``limit`` before ``before_seq``
    (history, loaded upward). ``q`` narrows to live messages whose text contains it.
    """
    limit = max(1, min(limit, MESSAGE_PAGE_MAX))
    messages = _messages(room.pk).filter(shown_to(viewer_id))
    if q:
        messages = messages.filter(body__icontains=q, deleted_at__isnull=True)
    if after_seq is not None:
        return list(messages.filter(seq__gt=after_seq).order_by("seq")[:limit])
    if before_seq is not None:
        messages = messages.filter(seq__lt=before_seq)
    newest_first = list(messages.order_by("-seq")[:limit])
    return newest_first[::-1]


def messages_after(*, room_id: int, after_seq: int, limit: int = REPLAY_LIMIT) -> list[Message]:
    """Messages with seq > after_seq, ascending (the realtime replay). Hidden ones included:
    the replay keeps their seq as a tombstone, or a client would see a gap for ever."""
    return list(_messages(room_id).filter(seq__gt=after_seq).order_by("seq")[:limit])


def message_get_in_room(*, room: Room, message_id: int, viewer_id: int | None = None) -> Message:
    """One message of the room; a hidden one is 404 to everyone but its sender."""
    return get_object_or_404(_messages(room.pk).filter(shown_to(viewer_id)), pk=message_id)


def messages_load_many(ids) -> dict[int, Message]:
    """Messages by id with their room and sender, hidden and deleted ones included (moderation)."""
    rows = Message.objects.filter(pk__in=list(ids)).select_related("room", "sender")
    return {message.pk: message for message in rows}


def message_visible_to(message: Message, user) -> bool:
    """May ``user`` see this message now (and so report it)? Members of its room only (a direct
    message: its two people), never a deleted one, a hidden one only to its sender."""
    if user is None or not user.is_authenticated or message.is_deleted:
        return False
    if message.sender_id is None:  # the support bot's answers have nobody to moderate
        return False
    if message.hidden_at is not None and message.sender_id != user.pk:
        return False
    return is_room_member(room_id=message.room_id, user_id=user.pk)


MODERATION_CONTEXT_SIZE = 5


def _context_row(message: Message, target_id: int) -> dict:
    return {
        "id": message.pk,
        "seq": message.seq,
        "sender": message.sender.username if message.sender is not None else None,
        "kind": message.kind,
        "body": message.body,
        "created_at": message.created_at.isoformat(),
        "deleted": message.is_deleted,
        "hidden": message.is_hidden,
        "target": message.pk == target_id,
    }


def message_context(message: Message, size: int = MODERATION_CONTEXT_SIZE) -> list[dict]:
    """What a moderator reads around a reported message: up to ``size`` messages before it and
    after it in its room, and the message itself (``target: true``), in seq order."""
    around = Message.objects.filter(room_id=message.room_id).select_related("sender")
    before = list(around.filter(seq__lt=message.seq).order_by("-seq")[:size])[::-1]
    after = list(around.filter(seq__gt=message.seq).order_by("seq")[:size])
    return [_context_row(row, message.pk) for row in [*before, message, *after]]


def message_preview(message: Message) -> dict:
    """A message as the moderation queue shows it."""
    room = message.room
    text = message.body
    if not text and message.kind == MessageKind.CARD:
        text = f"[{message.card_kind} card #{message.card_ref}]"
    elif not text and message.image:
        text = "[image]"
    return {
        "text": text[:280],
        "author": message.sender.username if message.sender is not None else None,
        # Members' rooms are not a moderator's to open: the item page shows the context.
        "url": None,
        "room": message.room_id,
        "room_kind": room.kind,
        "private": room.kind in (RoomKind.DIRECT, RoomKind.SUPPORT),
        "image_url": message.thumbnail.url if message.thumbnail else None,
        "created_at": message.created_at.isoformat(),
    }


# --- cards ------------------------------------------------------------------------------------------

Render = Callable[[int, Any], dict | None]
"""(object id, viewer or None) -> the card's fields, or None when it is gone or hidden."""

RenderMany = Callable[[list[int], Any], dict[int, dict]]
"""(object ids, viewer or None) -> fields by id; an id left out is gone or hidden."""

CanShare = Callable[[int, Any], bool]
"""(object id, sender) -> may the sender put this object in a message?"""


@dataclass(frozen=True)
class CardType:
    kind: str
    render_many: RenderMany
    can_share: CanShare


_cards: dict[str, CardType] = {}


def _one_by_one(render: Render) -> RenderMany:
    def render_many(refs: list[int], viewer) -> dict[int, dict]:
        rendered = {ref: render(ref, viewer) for ref in refs}
        return {ref: data for ref, data in rendered.items() if data is not None}

    return render_many


def register_card(
    kind: str,
    *,
    can_share: CanShare,
    render: Render | None = None,
    render_many: RenderMany | None = None,
) -> None:
    """Add a card kind: ``render_many`` for a batch, or ``render`` for one object at a time."""
    if render_many is None:
        if render is None:
            raise TypeError("a card kind needs render or render_many")
        render_many = _one_by_one(render)
    _cards[kind] = CardType(kind, render_many, can_share)


def unregister_card(kind: str) -> None:
    _cards.pop(kind, None)


def card_kinds() -> list[str]:
    return sorted(_cards)


def card_type(kind: str) -> CardType | None:
    return _cards.get(kind)


def cards_render(keys, viewer) -> dict[tuple[str, int], dict]:
    """Cards as ``viewer`` sees them now, by ``(kind, id)``: one batch per kind;
    ``available: false`` for an object that is gone or hidden."""
    by_kind: dict[str, list[int]] = {}
    for kind, ref in keys:
        refs = by_kind.setdefault(kind, [])
        if ref not in refs:
            refs.append(ref)
    out: dict[tuple[str, int], dict] = {}
    for kind, refs in by_kind.items():
        card = _cards.get(kind)
        rendered = card.render_many(refs, viewer) if card is not None else {}
        for ref in refs:
            data = rendered.get(ref)
            out[(kind, ref)] = (
                {"kind": kind, "id": ref, "available": True, **data}
                if data is not None
                else {"kind": kind, "id": ref, "available": False}
            )
    return out


def card_render(kind: str, ref: int, viewer) -> dict:
    """One card as ``viewer`` sees it now."""
    return cards_render([(kind, ref)], viewer)[(kind, ref)]


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


def _products(refs: list[int], viewer) -> dict[int, dict]:
    products = shop.product_list(viewer=viewer).filter(pk__in=refs)
    return {
        product.pk: {
            "title": product.title,
            "price": str(product.price),
            "stock": product.stock,
            "in_stock": product.stock > 0,
            "image_url": shop.first_image_url(product),
            "url": f"/products/{product.pk}/",
        }
        for product in products
    }


def _product_shareable(ref: int, sender) -> bool:
    return shop.product_list(viewer=sender).filter(pk=ref).exists()


# --- order ----------------------------------------------------------------------------------------


def _orders(refs: list[int], viewer) -> dict[int, dict]:
    out = {}
    for order in shop.order_summaries(order_ids=refs):
        if not (_signed_in(viewer) and (order.buyer_id == viewer.pk or _privileged(viewer))):
            # Others in the room learn that an order was shared, not what is in it.
            out[order.pk] = {"title": f"Order #{order.pk}", "limited": True}
            continue
        out[order.pk] = {
            "title": f"Order #{order.pk}",
            "limited": False,
            "status": order.status,
            "total": str(order.total),
            "items": [{"title": i.title, "quantity": i.quantity} for i in order.items.all()],
            "created_at": order.created_at.isoformat(),
            "url": f"/api/v1/orders/{order.pk}/",
        }
    return out


def _order_shareable(ref: int, sender) -> bool:
    order = shop.order_get_summary(order_id=ref)
    return order is not None and (order.buyer_id == sender.pk or _privileged(sender))


# --- storefront -----------------------------------------------------------------------------------


def _storefronts(refs: list[int], viewer) -> dict[int, dict]:
    # groupbuy has no storefront-by-id selector; a read of the rows, then their visibility rule.
    storefronts = Storefront.objects.select_related("owner").filter(pk__in=refs)
    return {
        storefront.pk: {
            "title": storefront.title,
            "owner": storefront.owner.username,
            "bio": storefront.bio[:140],
            "url": f"/store/{storefront.slug}/",
        }
        for storefront in storefronts
        if shop.can_see_storefront(storefront, viewer)
    }


# --- coupon ---------------------------------------------------------------------------------------


def _coupons(refs: list[int], viewer) -> dict[int, dict]:
    wanted = set(refs)
    signed_in = _signed_in(viewer)
    return {
        row["coupon"].pk: {
            "title": row["coupon"].title,
            "coupon_kind": row["coupon"].kind,
            "value": str(row["coupon"].value),
            "threshold": str(row["coupon"].threshold),
            "remaining": row["remaining"],
            "can_claim": row["can_claim"] if signed_in else None,
            "claim_url": f"/api/v1/coupons/{row['coupon'].pk}/claim/",
        }
        for row in shop.coupons_available(user=viewer if signed_in else None)
        if row["coupon"].pk in wanted
    }


# --- team -------------------------------------------------------------------------------------------


def _teams(refs: list[int], viewer) -> dict[int, dict]:
    # Team pages are public (they are shared to recruit), so are their cards.
    return {
        team["id"]: {
            "title": team["product_title"],
            "price": team["group_price"],
            "status": team["status"],
            "team_size": team["team_size"],
            "seats_left": team["seats_left"],
            "expires_at": team["expires_at"],
            "image_url": team["product_image"],
            "url": team["share_url"],
        }
        for team in team_summaries(refs)
    }


def _shown_to_sender(render_many: RenderMany) -> CanShare:
    return lambda ref, sender: ref in render_many([ref], sender)


def register_builtin_cards() -> None:
    register_card("team", render_many=_teams, can_share=_shown_to_sender(_teams))
    register_card("product", render_many=_products, can_share=_product_shareable)
    register_card("order", render_many=_orders, can_share=_order_shareable)
    register_card("storefront", render_many=_storefronts, can_share=_shown_to_sender(_storefronts))
    register_card("coupon", render_many=_coupons, can_share=_shown_to_sender(_coupons))
