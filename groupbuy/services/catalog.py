"""Catalog writes (staff only): products, their images, categories, and stock reservations.

Stock changes only through a conditional UPDATE (``stock >= quantity``), so concurrent buyers can
never take it below zero; the CheckConstraint is the last line of defence.
"""

from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import F

from community.selectors.accounts import process_image
from groupbuy.exceptions import ShopPermissionDeniedError, TooManyImagesError
from groupbuy.models import (
    MAX_PRODUCT_IMAGES,
    Category,
    Product,
    ProductImage,
    ProductStatus,
)
from groupbuy.selectors.catalog import is_staff
from groupbuy.selectors.orders import quantize
from groupbuy.services.moderation import product_hold, submission_queue, submission_screen

PRODUCT_IMAGE_MAX_SIDE = 1600
PRODUCT_EDITABLE = {
    "title",
    "description",
    "category",
    "price",
    "stock",
    "status",
    "commission_rate",
}


def _require_staff(actor) -> None:
    if not is_staff(actor):
        raise ShopPermissionDeniedError("Only staff manage the catalog.")


def category_create(
    *, actor, name: str, slug: str, parent: Category | None = None, sort: int = 0
) -> Category:
    """Add a catalog category (staff)."""
    _require_staff(actor)
    with transaction.atomic(durable=True):
        return Category.objects.create(name=name, slug=slug, parent=parent, sort=sort)


def product_create(
    *,
    actor,
    title: str,
    price: Decimal,
    stock: int,
    commission_rate: Decimal = Decimal("0"),
    description: str = "",
    category: Category | None = None,
    status: str = ProductStatus.ACTIVE,
) -> Product:
    """Add a product to the catalog (staff). Its title and description are screened like any
    member's text: a word asking for approval keeps it hidden until a moderator approves it."""
    _require_staff(actor)
    screening = submission_screen(actor, title=title, description=description)
    with transaction.atomic():  # not durable: the admin's change form runs it in its transaction
        product = Product.objects.create(
            title=screening.texts["title"],
            description=screening.texts["description"],
            category=category,
            price=quantize(price),
            stock=stock,
            status=status,
            commission_rate=commission_rate,
            created_by=actor,
        )
        if screening.hold:
            product_hold(product)
        submission_queue(
            screening,
            target_type="product",
            target_id=product.pk,
            author_id=actor.pk,
            what="New product",
        )
    return product


def product_update(*, actor, product: Product, **changes) -> Product:
    """Change a product's editable fields (staff); archiving is ``status="archived"``."""
    _require_staff(actor)
    unknown = set(changes) - PRODUCT_EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "price" in changes:
        changes["price"] = quantize(changes["price"])
    if not changes:
        return product
    texts = {name: changes[name] for name in ("title", "description") if name in changes}
    screening = submission_screen(actor, **texts) if texts else None
    if screening is not None:
        changes.update(screening.texts)
    with transaction.atomic():
        # Stock is set as an absolute value by staff; reservations in flight use F() updates on
        # the same row, which the row lock here serialises with.
        locked = Product.objects.select_for_update().get(pk=product.pk)
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save(update_fields=[*changes, "updated_at"])
        if screening is not None:
            if screening.hold:
                product_hold(locked)
            submission_queue(
                screening,
                target_type="product",
                target_id=locked.pk,
                author_id=locked.created_by_id or actor.pk,
                what="Product edit",
            )
    return locked


def product_archive(*, actor, product: Product) -> Product:
    """Take a product off sale for good (staff); it stays on past orders."""
    return product_update(actor=actor, product=product, status=ProductStatus.ARCHIVED)


def product_image_add(*, actor, product: Product, upload, sort: int | None = None) -> ProductImage:
    """Run an upload through the image pipeline and attach it to the product (at most 9)."""
    _require_staff(actor)
    processed = process_image(upload, max_side=PRODUCT_IMAGE_MAX_SIDE)
    with transaction.atomic(durable=True):
        # The product row lock serialises concurrent uploads, so the cap cannot be overshot.
        Product.objects.select_for_update().filter(pk=product.pk).values_list("pk").get()
        existing = ProductImage.objects.filter(product_id=product.pk).count()
        if existing >= MAX_PRODUCT_IMAGES:
            raise TooManyImagesError(f"A product has at most {MAX_PRODUCT_IMAGES} images.")
        image = ProductImage(
            product_id=product.pk,
            sort=existing if sort is None else sort,
            width=processed.width,
            height=processed.height,
        )
        image.image.save(f"{product.pk}.{processed.extension}", processed.content, save=False)
        stored = image.image.name
        # The file is written before the row: a failed insert must not leave it behind.
        try:
            image.save()
        except Exception:
            image.image.storage.delete(stored)
            raise
    return image


def product_image_remove(*, actor, image: ProductImage) -> None:
    """Detach an image from its product and delete the file once that is committed (staff)."""
    _require_staff(actor)
    name = image.image.name
    storage = image.image.storage
    with transaction.atomic(durable=True):
        ProductImage.objects.filter(pk=image.pk).delete()
        if name:
            transaction.on_commit(partial(storage.delete, name))


def product_stock_reserve(*, product_id: int, quantity: int) -> bool:
    """Take ``quantity`` off the stock if that much is left; False (and nothing changed) if not."""
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    with transaction.atomic():
        updated = Product.objects.filter(pk=product_id, stock__gte=quantity).update(
            stock=F("stock") - quantity
        )
    return updated == 1


def product_stock_release(*, product_id: int, quantity: int) -> None:
    """Put ``quantity`` back on the stock (a cancelled or refunded order)."""
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    with transaction.atomic():
        Product.objects.filter(pk=product_id).update(stock=F("stock") + quantity)
