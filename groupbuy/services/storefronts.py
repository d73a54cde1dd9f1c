"""Creator storefronts: the storefront, its banner, collections and items, visits, creator codes.

Only creators open a storefront and only its owner edits it; staff may (un)publish any. One
storefront per creator, unique slugs, one product per collection and one visit per visitor per
hour are database constraints, not queries.
"""

import hashlib
from datetime import datetime
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from community.selectors.accounts import process_image
from groupbuy.exceptions import (
    AlreadyInCollectionError,
    CreatorCodeTakenError,
    ProductUnavailableError,
    ShopPermissionDeniedError,
    SlugTakenError,
    StorefrontExistsError,
)
from groupbuy.models import (
    Collection,
    CollectionItem,
    CreatorCode,
    Product,
    ProductStatus,
    Storefront,
    StorefrontVisit,
)
from groupbuy.selectors.catalog import is_creator, is_staff
from groupbuy.services.moderation import (
    Screening,
    storefront_hold,
    submission_queue,
    submission_screen,
)

BANNER_MAX_SIDE = 1600
# Paths under /store/ that are pages of their own, not storefronts.
RESERVED_SLUGS = {"manage", "new", "edit", "admin", "api", "static", "media", "s", "store"}
STOREFRONT_OWNER_FIELDS = {"title", "bio", "is_published"}
STOREFRONT_STAFF_FIELDS = {"is_published"}


def _require_owner(storefront: Storefront, actor) -> None:
    if storefront.owner_id != actor.pk:
        raise ShopPermissionDeniedError("Only the storefront's owner may change it.")


def _queue_storefront(storefront: Storefront, screening: Screening, what: str) -> None:
    """Inside the write's transaction: hold the storefront back when the screening says so, and
    queue it for a moderator."""
    if screening.hold:
        storefront_hold(storefront)
    submission_queue(
        screening,
        target_type="storefront",
        target_id=storefront.pk,
        author_id=storefront.owner_id,
        what=what,
    )


def storefront_create(*, actor, slug: str, title: str, bio: str = "") -> Storefront:
    """Open the creator's one storefront at ``/store/<slug>/`` (slugs are unique in any case).
    A trust-level-0 creator's storefront, or one whose text asks for approval, opens hidden and
    waits in the moderation queue."""
    if not is_creator(actor):
        raise ShopPermissionDeniedError("Only creators can open a storefront.")
    slug = slug.strip().lower()
    if slug in RESERVED_SLUGS:
        raise SlugTakenError()
    screening = submission_screen(actor, premoderate=True, title=title, bio=bio)
    with transaction.atomic(durable=True):
        try:
            with transaction.atomic():
                storefront = Storefront.objects.create(
                    owner=actor,
                    slug=slug,
                    title=screening.texts["title"],
                    bio=screening.texts["bio"],
                    hidden_at=timezone.now() if screening.hold else None,
                )
        except IntegrityError as exc:  # one storefront per owner, or the slug constraint
            if Storefront.objects.filter(owner_id=actor.pk).exists():
                raise StorefrontExistsError() from exc
            raise SlugTakenError() from exc
        _queue_storefront(storefront, screening, "New storefront")
    return storefront


def storefront_update(*, actor, storefront: Storefront, **changes) -> Storefront:
    """Edit title, bio and publication (owner); staff may only publish or unpublish. New text is
    screened: a word asking for approval hides the storefront until a moderator approves it."""
    unknown = set(changes) - STOREFRONT_OWNER_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    is_owner = storefront.owner_id == actor.pk
    if not is_owner and not (is_staff(actor) and set(changes) <= STOREFRONT_STAFF_FIELDS):
        raise ShopPermissionDeniedError("Only the storefront's owner may change it.")
    if not changes:
        return storefront
    screening = Screening(texts={})
    texts = {name: changes[name] for name in ("title", "bio") if name in changes}
    # A sanctioned owner may still take the storefront down, not put anything up.
    if is_owner and (texts or changes.get("is_published")):
        screening = submission_screen(actor, **texts)
        changes.update(screening.texts)
    with transaction.atomic(durable=True):
        for field, value in changes.items():
            setattr(storefront, field, value)
        storefront.save(update_fields=[*changes, "updated_at"])
        _queue_storefront(storefront, screening, "Storefront edit")
    return storefront


def storefront_banner_set(*, actor, storefront: Storefront, upload) -> Storefront:
    """Run the upload through the image pipeline and make it the storefront's banner (owner)."""
    _require_owner(storefront, actor)
    submission_screen(actor)  # a sanctioned creator cannot publish a banner either
    processed = process_image(upload, max_side=BANNER_MAX_SIDE)
    old_name = storefront.banner.name
    storage = storefront.banner.storage
    with transaction.atomic(durable=True):
        storefront.banner.save(
            f"{storefront.pk}.{processed.extension}", processed.content, save=False
        )
        Storefront.objects.filter(pk=storefront.pk).update(banner=storefront.banner.name)
        if old_name and old_name != storefront.banner.name:
            transaction.on_commit(partial(storage.delete, old_name))
    return storefront


def collection_create(
    *, actor, storefront: Storefront, title: str, note: str = "", sort: int = 0
) -> Collection:
    """Add a collection to the owner's storefront (its title and note screened like the
    storefront's own text)."""
    _require_owner(storefront, actor)
    screening = submission_screen(actor, title=title, note=note)
    with transaction.atomic(durable=True):
        collection = Collection.objects.create(
            storefront=storefront,
            title=screening.texts["title"],
            note=screening.texts["note"],
            sort=sort,
        )
        _queue_storefront(storefront, screening, "New collection")
    return collection


def collection_update(*, actor, collection: Collection, **changes) -> Collection:
    """Change a collection's title, note or sort (owner)."""
    _require_owner(collection.storefront, actor)
    unknown = set(changes) - {"title", "note", "sort"}
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if not changes:
        return collection
    texts = {name: changes[name] for name in ("title", "note") if name in changes}
    screening = submission_screen(actor, **texts)
    changes.update(screening.texts)
    with transaction.atomic(durable=True):
        for field, value in changes.items():
            setattr(collection, field, value)
        collection.save(update_fields=list(changes))
        _queue_storefront(collection.storefront, screening, "Collection edit")
    return collection


def collection_delete(*, actor, collection: Collection) -> None:
    """Remove a collection and its items (owner); the products stay in the catalog."""
    _require_owner(collection.storefront, actor)
    with transaction.atomic(durable=True):
        Collection.objects.filter(pk=collection.pk).delete()


def collection_item_add(
    *, actor, collection: Collection, product_id: int, note: str = "", sort: int = 0
) -> CollectionItem:
    """Put a product on sale into a collection with the creator's note (owner). A trust-level-0
    creator's listing, or one whose note asks for approval, waits for a moderator (only the owner
    sees it meanwhile)."""
    _require_owner(collection.storefront, actor)
    screening = submission_screen(actor, premoderate=True, note=note)
    with transaction.atomic(durable=True):
        # Locking the product row makes "on sale" hold until the item is in: an archive waits.
        on_sale = (
            Product.objects.select_for_update()
            .filter(pk=product_id, status=ProductStatus.ACTIVE, hidden_at__isnull=True)
            .exists()
        )
        if not on_sale:
            raise ProductUnavailableError()
        try:
            with transaction.atomic():
                item = CollectionItem.objects.create(
                    collection=collection,
                    product_id=product_id,
                    note=screening.texts["note"],
                    sort=sort,
                    pending_review=screening.hold,
                )
        except IntegrityError as exc:  # the (collection, product) unique constraint
            raise AlreadyInCollectionError() from exc
        submission_queue(
            screening,
            target_type="storefront",
            target_id=collection.storefront_id,
            author_id=collection.storefront.owner_id,
            what="New listing",
        )
    return item


def collection_item_update(*, actor, item: CollectionItem, **changes) -> CollectionItem:
    """Change the creator's note or the sort of an item (owner); a note asking for approval
    takes the listing back until a moderator approves it."""
    _require_owner(item.collection.storefront, actor)
    unknown = set(changes) - {"note", "sort"}
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if not changes:
        return item
    screening = submission_screen(actor, **({"note": changes["note"]} if "note" in changes else {}))
    changes.update(screening.texts)
    if screening.hold:
        changes["pending_review"] = True
    with transaction.atomic(durable=True):
        for field, value in changes.items():
            setattr(item, field, value)
        item.save(update_fields=list(changes))
        submission_queue(
            screening,
            target_type="storefront",
            target_id=item.collection.storefront_id,
            author_id=item.collection.storefront.owner_id,
            what="Listing edit",
        )
    return item


def collection_item_remove(*, actor, item: CollectionItem) -> None:
    """Take a product out of a collection (owner)."""
    _require_owner(item.collection.storefront, actor)
    with transaction.atomic(durable=True):
        CollectionItem.objects.filter(pk=item.pk).delete()


def visitor_key(*, user, session_key: str | None, ip: str | None) -> str:
    """Who a visit counts for: the member, else the browser session, else a hash of the IP
    (salted with the secret key, so the table never holds an address)."""
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    if session_key:
        return f"s:{session_key}"
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{ip or ''}".encode()).hexdigest()
    return f"ip:{digest[:40]}"


def storefront_visit_record(
    *, storefront: Storefront, visitor, visitor_key: str, now: datetime | None = None
) -> None:
    """Count a view of the storefront, at most once per visitor per hour; owners are not counted."""
    viewer = visitor if visitor is not None and visitor.is_authenticated else None
    if viewer is not None and viewer.pk == storefront.owner_id:
        return
    now = now or timezone.now()
    bucket = now.replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        # The unique constraint decides: a second view in the same hour is silently dropped.
        StorefrontVisit.objects.bulk_create(
            [
                StorefrontVisit(
                    storefront_id=storefront.pk,
                    visitor=viewer,
                    visitor_key=visitor_key,
                    hour_bucket=bucket,
                    created_at=now,
                )
            ],
            ignore_conflicts=True,
        )


def creator_code_create(*, actor, code: str, discount_percent: int) -> CreatorCode:
    """Give a creator a discount code that also attributes orders to them (unique in any case)."""
    if not is_creator(actor):
        raise ShopPermissionDeniedError("Only creators may own a creator code.")
    with transaction.atomic(durable=True):
        try:
            with transaction.atomic():
                return CreatorCode.objects.create(
                    creator=actor, code=code.strip().upper(), discount_percent=discount_percent
                )
        except IntegrityError as exc:  # the case-insensitive unique constraint on code
            raise CreatorCodeTakenError() from exc


def creator_code_set_active(*, actor, creator_code: CreatorCode, is_active: bool) -> CreatorCode:
    """Activate or deactivate a creator code (staff)."""
    if not is_staff(actor):
        raise ShopPermissionDeniedError("Only staff may (de)activate creator codes.")
    with transaction.atomic(durable=True):
        CreatorCode.objects.filter(pk=creator_code.pk).update(is_active=is_active)
    creator_code.is_active = is_active
    return creator_code
