"""Flash-sale pages: read through groupbuy's flash selectors; buying and reminders go through the
REST API from flash.js, and the page keeps itself live from ``groupbuy.flash_sale:<id>``."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import ensure_csrf_cookie

from groupbuy.exceptions import FlashSaleNotFoundError
from groupbuy.selectors import flash_sales as selectors_flash
from groupbuy.selectors.catalog import first_image_url

LIST_SIZE = 30


def _card(sale, now) -> dict:
    sold = sale.stock_total - sale.stock_remaining
    return {
        "sale": sale,
        "status": selectors_flash.sale_status(sale, now),
        "image_url": first_image_url(sale.product),
        "sold_percent": round(100 * sold / sale.stock_total) if sale.stock_total else 100,
    }


@ensure_csrf_cookie
def flash_sales_page(request):
    now = timezone.now()
    context = {
        "live": [
            _card(s, now)
            for s in selectors_flash.flash_sale_list(state="live", now=now, viewer=request.user)
        ],
        "upcoming": [
            _card(s, now)
            for s in selectors_flash.flash_sale_list(
                state="upcoming", now=now, viewer=request.user
            )[:LIST_SIZE]
        ],
        "server_time": now,
    }
    return render(request, "frontend/flash/list.html", context)


@ensure_csrf_cookie
def flash_sale_page(request, sale_id: int):
    now = timezone.now()
    try:
        sale = selectors_flash.flash_sale_get(sale_id=sale_id, viewer=request.user)
    except FlashSaleNotFoundError as missing:
        raise Http404("No such flash sale.") from missing
    viewer = selectors_flash.viewer_state(sale, request.user)
    context = {
        **_card(sale, now),
        "viewer": viewer,
        "opens_at": viewer.opens_at if viewer else sale.starts_at,
        "server_time": now,
        "product": sale.product,
    }
    return render(request, "frontend/flash/detail.html", context)
