"""groupbuy's content under moderation (PRODUCT.md §15): storefronts and products.

- Registered with community's moderation registry (``register_groupbuy_moderatable``, called from
  ``GroupbuyConfig.ready()``) as the target types ``storefront`` and ``product``. Hiding is soft:
  it sets ``hidden_at`` and leaves the owner's own ``is_published`` and staff's ``status`` alone,
  so a restore never puts back what its author took down.
- Every submit point (storefront, collection, listing, product texts) runs
  ``submission_screen`` first: a sanctioned member is refused, a blocked word refused, censored
  words masked; a word asking for approval, or a trust-level-0 creator's new storefront or listing,
  is stored held back and queued by ``submission_queue`` in the same transaction.
- A storefront's queue item covers the storefront and its held listings: approving it (or an
  appeal) publishes both.
"""

from dataclasses import dataclass

import structlog
from django.db import transaction
from django.utils import timezone

from community.models import ItemSource, WordAction
from community.selectors.moderatable import ModeratableType, register_moderatable
from community.services.moderation.reports import content_review_open
from community.services.moderation.sanctions import ensure_can_publish
from community.services.moderation.trust import trust_requires_premoderation
from community.services.moderation.words import texts_screen
from groupbuy.models import CollectionItem, Product, Storefront
from groupbuy.selectors.catalog import product_visible_to
from groupbuy.selectors.moderation import (
    product_context,
    product_preview,
    products_load_many,
    storefront_context,
    storefront_preview,
    storefronts_load_many,
)
from groupbuy.selectors.storefronts import can_see_storefront
from groupbuy.signals import product_hidden

log = structlog.get_logger(__name__)

# --- submit points ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Screening:
    """A submission after screening: its texts (censored words masked) and what it waits for."""

    texts: dict[str, str]
    need: str | None = None  # "require_approval" or "flag", from a watched word
    premoderated: bool = False  # a trust-level-0 creator's storefront or listing

    @property
    def hold(self) -> bool:
        """Stored unpublished until a moderator approves it."""
        return self.premoderated or self.need == WordAction.REQUIRE_APPROVAL

    @property
    def queue(self) -> bool:
        return self.hold or self.need is not None


def submission_screen(actor, *, premoderate: bool = False, **texts: str) -> Screening:
    """Refuse a muted, suspended or banned member (403 ``sanctioned``) and a blocked word in any
    of ``texts`` (400 ``blocked_word``); mask censored words. With ``premoderate`` (a new
    storefront or listing), a trust-level-0 creator's submission waits for a moderator."""
    ensure_can_publish(actor)
    names = list(texts)
    screened, need = texts_screen(*(texts[name] or "" for name in names))
    return Screening(
        texts=dict(zip(names, screened, strict=True)),
        need=need,
        premoderated=premoderate and trust_requires_premoderation(actor),
    )


def submission_queue(
    screening: Screening, *, target_type: str, target_id: int, author_id: int | None, what: str
) -> None:
    """Put the stored submission in the moderation queue when its screening asks for it; call
    inside the transaction that stored it."""
    if not screening.queue:
        return
    if screening.need == WordAction.REQUIRE_APPROVAL:
        source, note = ItemSource.WATCHED_WORD, f"{what}: a watched word asks for approval"
    elif screening.premoderated:
        source, note = ItemSource.PRE_MODERATION, f"{what} by a trust-level-0 creator"
    else:
        source, note = ItemSource.WATCHED_WORD, f"{what}: flagged by a watched word"
    content_review_open(
        target_type=target_type,
        target_id=target_id,
        author_id=author_id,
        source=source,
        hidden=screening.hold,
        note=note,
    )


def storefront_hold(storefront: Storefront) -> None:
    """Keep the storefront from everybody but its owner and moderators until reviewed."""
    _storefront_hide(storefront)


# --- hide and restore ---------------------------------------------------------------------------


def _storefront_hide(storefront: Storefront) -> None:
    if storefront.hidden_at is None:
        storefront.hidden_at = timezone.now()
        Storefront.objects.filter(pk=storefront.pk).update(hidden_at=storefront.hidden_at)


def _storefront_restore(storefront: Storefront) -> None:
    """Unhide the storefront and publish its listings that waited for this review; the owner's
    own unpublishing stays, and listings the owner removed meanwhile are gone for good."""
    storefront.hidden_at = None
    Storefront.objects.filter(pk=storefront.pk).update(hidden_at=None)
    CollectionItem.objects.filter(
        collection__storefront_id=storefront.pk, pending_review=True
    ).update(pending_review=False)


def _product_hide(product: Product) -> None:
    if product.hidden_at is None:
        product.hidden_at = timezone.now()
        Product.objects.filter(pk=product.pk).update(hidden_at=product.hidden_at)
        _announce_on_commit(product_hidden, product_id=product.pk)


def _announce_on_commit(signal, **kwargs) -> None:
    """Send a domain signal once the hide commits; a failing listener is logged and never undoes
    the moderation step."""

    def send() -> None:
        for receiver, result in signal.send_robust(sender=Product, **kwargs):
            if isinstance(result, Exception):
                log.error(
                    "groupbuy.moderation_signal_failed",
                    exc_info=result,
                    receiver=getattr(receiver, "__qualname__", str(receiver)),
                )

    transaction.on_commit(send)


def _product_restore(product: Product) -> None:
    """Unhide the product; an archived or draft product stays as staff left it."""
    product.hidden_at = None
    Product.objects.filter(pk=product.pk).update(hidden_at=None)


def product_hold(product: Product) -> None:
    """Keep the product off sale and out of sight until reviewed."""
    _product_hide(product)


def register_groupbuy_moderatable() -> None:
    """Register storefronts and products with the moderation registry."""
    register_moderatable(
        ModeratableType(
            name="storefront",
            load_many=storefronts_load_many,
            author_id=lambda storefront: storefront.owner_id,
            visible_to=can_see_storefront,
            hide=_storefront_hide,
            restore=_storefront_restore,
            preview=storefront_preview,
            context=storefront_context,
            is_hidden=lambda storefront: storefront.hidden_at is not None,
        )
    )
    register_moderatable(
        ModeratableType(
            name="product",
            load_many=products_load_many,
            author_id=lambda product: product.created_by_id,
            visible_to=product_visible_to,
            hide=_product_hide,
            restore=_product_restore,
            preview=product_preview,
            context=product_context,
            is_hidden=lambda product: product.hidden_at is not None,
        )
    )
