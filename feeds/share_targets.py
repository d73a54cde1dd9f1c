"""What feeds lets members share: posts (its own), products and storefronts (read via groupbuy)."""

from django.http import Http404

from community.share_targets import ShareTarget, register_share_target
from feeds.models import Post, PostStatus
from groupbuy import selectors as shop
from groupbuy.models import Storefront


def _post(post_id: int) -> ShareTarget | None:
    post = Post.objects.filter(pk=post_id, status=PostStatus.PUBLISHED).first()
    if post is None:
        return None
    return ShareTarget(url=f"/posts/{post.pk}/", title=post.title, owner_id=post.author_id)


def _product(product_id: int) -> ShareTarget | None:
    try:
        product = shop.product_get(product_id=product_id, viewer=None)
    except Http404:
        return None
    return ShareTarget(
        url=f"/products/{product.pk}/", title=product.title, owner_id=product.created_by_id
    )


def _storefront(storefront_id: int) -> ShareTarget | None:
    storefront = Storefront.objects.filter(pk=storefront_id, is_published=True).first()
    if storefront is None:
        return None
    return ShareTarget(
        url=f"/store/{storefront.slug}/", title=storefront.title, owner_id=storefront.owner_id
    )


def register() -> None:
    register_share_target("post", _post)
    register_share_target("product", _product)
    register_share_target("storefront", _storefront)
