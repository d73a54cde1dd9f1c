"""Catalog and storefront pages: read through groupbuy's selectors, write via the REST API."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from community.services.insights.events import track_request
from groupbuy import selectors, services
from groupbuy.selectors.teams import campaigns_for_product

PAGE_SIZE = 30


def _viewer(request):
    return request.user if request.user.is_authenticated else None


@ensure_csrf_cookie
def products_page(request):
    category = request.GET.get("category") or None
    query = (request.GET.get("q") or "").strip()[:100] or None
    products = selectors.product_list(
        viewer=_viewer(request), category_slug=category, query=query
    ).order_by("-id")[:PAGE_SIZE]
    context = {
        "products": products,
        "categories": selectors.category_list(),
        "category": category,
        "query": query or "",
    }
    return render(request, "frontend/shop/products.html", context)


@ensure_csrf_cookie
def product_page(request, product_id: int):
    product = selectors.product_get(product_id=product_id, viewer=_viewer(request))
    context = {
        "product": product,
        "images": list(product.images.all()),
        "storefronts": selectors.product_storefronts(product_id=product.pk)[:12],
        "campaigns": campaigns_for_product(product_id=product.pk),
    }
    track_request("product_view", request, {"product_id": product.pk, "via": "page"})
    return render(request, "frontend/shop/product.html", context)


@ensure_csrf_cookie
def storefront_page(request, slug: str):
    viewer = _viewer(request)
    storefront = selectors.storefront_get(slug=slug, viewer=viewer)
    services.storefront_visit_record(
        storefront=storefront,
        visitor=viewer,
        visitor_key=services.visitor_key(
            user=viewer,
            session_key=request.session.session_key,
            ip=request.META.get("REMOTE_ADDR"),
        ),
    )
    context = {
        "storefront": storefront,
        "collections": selectors.storefront_collections(storefront),
        "is_owner": viewer is not None and viewer.pk == storefront.owner_id,
    }
    return render(request, "frontend/shop/storefront.html", context)


@login_required
@ensure_csrf_cookie
def store_manage_page(request):
    storefront = selectors.storefront_of(user=request.user)
    if storefront is not None:
        storefront = selectors.storefront_get(slug=storefront.slug, viewer=request.user)
    context = {
        "is_creator": selectors.is_creator(request.user),
        "storefront": storefront,
        "collections": selectors.storefront_collections(storefront) if storefront else [],
        "codes": selectors.creator_codes_list(user=request.user),
    }
    return render(request, "frontend/shop/manage.html", context)
