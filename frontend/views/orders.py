"""Cart, checkout, orders, the coupon centre and the creator dashboard: reads through groupbuy's
selectors, every write through the REST API from the page's script."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from groupbuy import selectors
from groupbuy.exceptions import ShopNotFoundError
from groupbuy.models import AfterSalesKind, AfterSalesReason
from groupbuy.selectors.commission import creator_commissions, creator_dashboard

ORDERS_PER_PAGE = 50


@login_required
@ensure_csrf_cookie
def cart_page(request):
    return render(request, "frontend/shop/cart.html", {"points": request.user.points_balance})


@login_required
@ensure_csrf_cookie
def orders_page(request):
    orders = selectors.orders_of_buyer(buyer=request.user).order_by("-id")[:ORDERS_PER_PAGE]
    return render(request, "frontend/shop/orders.html", {"orders": orders})


@login_required
@ensure_csrf_cookie
def order_page(request, order_id: int):
    try:
        order = selectors.order_get_for_buyer(buyer=request.user, order_id=order_id)
    except ShopNotFoundError as missing:
        raise Http404 from missing
    shipment = getattr(order, "shipment", None)
    active_after_sales = [r for r in order.after_sales.all() if r.status in ("open", "approved")]
    context = {
        "order": order,
        "shipment": shipment,
        "tracking": list(shipment.events.all()) if shipment else [],
        "after_sales": list(order.after_sales.all()),
        "can_pay": order.status == "pending_payment",
        "can_refund": order.status == "paid",
        "can_confirm": order.status in ("shipped", "delivered"),
        "can_after_sales": order.status in ("shipped", "delivered", "completed")
        and not active_after_sales,
        "after_sales_kinds": AfterSalesKind.choices,
        "after_sales_reasons": AfterSalesReason.choices,
    }
    return render(request, "frontend/shop/order.html", context)


@ensure_csrf_cookie
def coupons_page(request):
    user = request.user if request.user.is_authenticated else None
    available = selectors.coupons_available(user=user)
    context = {
        "available": available,
        "wallet": list(selectors.user_coupons(user=user).select_related("coupon")) if user else [],
        "mall": [row for row in available if row["coupon"].points_price],
    }
    return render(request, "frontend/shop/coupons.html", context)


@login_required
@ensure_csrf_cookie
def creator_dashboard_page(request):
    if not selectors.is_creator(request.user):
        raise Http404
    try:
        days = min(max(int(request.GET.get("days", 30)), 7), 90)
    except ValueError:
        days = 30
    dashboard = creator_dashboard(creator_id=request.user.pk, days=days)
    chart = {
        "labels": [row.day.isoformat() for row in dashboard.days],
        "orders": [row.orders for row in dashboard.days],
        "gmv": [str(row.gmv) for row in dashboard.days],
        "views": [row.views for row in dashboard.days],
        "clicks": [row.clicks for row in dashboard.days],
    }
    context = {
        "dashboard": dashboard,
        "days": days,
        "chart": chart,
        "ledger": creator_commissions(creator_id=request.user.pk)[:20],
    }
    return render(request, "frontend/shop/dashboard.html", context)
