"""Reads of the catalog, aware of who is looking (staff see drafts), and the role checks every
groupbuy topic shares."""

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from community.models import Role
from community.selectors import user_roles
from groupbuy.models import Category, Product, ProductImage, ProductStatus


def has_role(user, role: str) -> bool:
    """Whether a signed-in ``user`` holds ``role`` (superusers hold staff)."""
    if user is None or not user.is_authenticated:
        return False
    roles = getattr(user, "_groupbuy_roles", None)
    if roles is None:
        # Cached on the instance: one request asks several times and should query once.
        roles = user_roles(user)
        user._groupbuy_roles = roles
    return role in roles


def is_staff(user) -> bool:
    return has_role(user, Role.STAFF)


def is_creator(user) -> bool:
    return has_role(user, Role.CREATOR)


def _images() -> Prefetch:
    return Prefetch("images", queryset=ProductImage.objects.order_by("sort", "id"))


def category_list() -> QuerySet[Category]:
    return Category.objects.all()


def can_review(user) -> bool:
    """Staff and moderators, who still see what moderation hides: community's
    ``can_moderate_content``, answered from the roles cached on the user."""
    return is_staff(user) or has_role(user, Role.MODERATOR)


def product_list(
    *, viewer, category_slug: str | None = None, query: str | None = None
) -> QuerySet[Product]:
    """Products on sale (staff: every product), by category (and its subcategories) or title.
    Products hidden by moderation are left out for everybody but staff and moderators."""
    products = Product.objects.select_related("category").prefetch_related(_images())
    if not is_staff(viewer):
        products = products.filter(status=ProductStatus.ACTIVE)
        if not can_review(viewer):
            products = products.filter(hidden_at__isnull=True)
    if category_slug:
        products = products.filter(
            Q(category__slug=category_slug) | Q(category__parent__slug=category_slug)
        )
    if query:
        products = products.filter(title__icontains=query.strip())
    return products


def product_visible_to(product: Product, viewer) -> bool:
    """What ``product_get`` answers for one loaded product, without a query."""
    if is_staff(viewer):
        return True
    if product.status != ProductStatus.ACTIVE:
        return False
    return product.hidden_at is None or can_review(viewer)


def product_get(*, product_id: int, viewer) -> Product:
    """One product; drafts and archived products are 404 for everybody but staff, hidden ones
    for everybody but staff and moderators."""
    return get_object_or_404(product_list(viewer=viewer), pk=product_id)


def first_image_url(product: Product) -> str | None:
    """The cover image of a product whose images were prefetched."""
    images = list(product.images.all())
    return images[0].image.url if images else None
