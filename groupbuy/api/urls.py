"""groupbuy's API routes (mounted at /api/v1/ by config/urls.py)."""

from django.urls import path

from groupbuy.api import (
    addresses,
    after_sales,
    catalog,
    commission,
    coupons,
    flash_sales,
    fulfilment,
    orders,
    payments,
    refunds,
    storefronts,
    teams,
)

urlpatterns = [
    # the member's address book
    path("me/addresses/", addresses.AddressesView.as_view(), name="my-addresses"),
    path(
        "me/addresses/<int:address_id>/",
        addresses.AddressDetailView.as_view(),
        name="my-address",
    ),
    # flash sales
    path("flash-sales/", flash_sales.FlashSaleListCreateView.as_view(), name="flash-sale-list"),
    path(
        "flash-sales/<int:sale_id>/",
        flash_sales.FlashSaleDetailView.as_view(),
        name="flash-sale-detail",
    ),
    path(
        "flash-sales/<int:sale_id>/orders/",
        flash_sales.FlashSaleOrderView.as_view(),
        name="flash-sale-orders",
    ),
    path(
        "flash-sales/<int:sale_id>/reminder/",
        flash_sales.FlashSaleReminderView.as_view(),
        name="flash-sale-reminder",
    ),
    # group buying
    path("campaigns/", teams.CampaignListCreateView.as_view(), name="campaign-list"),
    path("campaigns/<int:campaign_id>/", teams.CampaignDetailView.as_view(), name="campaign"),
    path("campaigns/<int:campaign_id>/teams/", teams.TeamOpenView.as_view(), name="campaign-teams"),
    path("teams/<int:team_id>/", teams.TeamDetailView.as_view(), name="team"),
    path("teams/<int:team_id>/join/", teams.TeamJoinView.as_view(), name="team-join"),
    path("teams/<int:team_id>/events/", teams.TeamEventsView.as_view(), name="team-events"),
    path("me/teams/", teams.MyTeamsView.as_view(), name="my-teams"),
    # orders, payments, fulfilment, after-sales, commission, coupons, catalog, storefronts
    path("orders/", orders.OrderListCreateView.as_view(), name="order-list"),
    path("orders/<int:order_id>/", orders.OrderDetailView.as_view(), name="order-detail"),
    path("orders/<int:order_id>/cancel/", orders.OrderCancelView.as_view(), name="order-cancel"),
    path("orders/<int:order_id>/pay/", payments.OrderPayView.as_view(), name="order-pay"),
    path("orders/quote/", orders.OrderQuoteView.as_view(), name="order-quote"),
    path("orders/<int:order_id>/refund/", refunds.OrderRefundView.as_view(), name="order-refund"),
    path(
        "orders/<int:order_id>/confirm-receipt/",
        fulfilment.OrderConfirmReceiptView.as_view(),
        name="order-confirm-receipt",
    ),
    path("orders/<int:order_id>/ship/", fulfilment.OrderShipView.as_view(), name="order-ship"),
    path(
        "orders/<int:order_id>/tracking/",
        fulfilment.OrderTrackingView.as_view(),
        name="order-tracking",
    ),
    path(
        "orders/<int:order_id>/after-sales/",
        after_sales.OrderAfterSalesView.as_view(),
        name="order-after-sales",
    ),
    path("after-sales/", after_sales.AfterSalesQueueView.as_view(), name="after-sales-queue"),
    path(
        "after-sales/<int:request_id>/decide/",
        after_sales.AfterSalesDecideView.as_view(),
        name="after-sales-decide",
    ),
    path(
        "after-sales/<int:request_id>/withdraw/",
        after_sales.AfterSalesWithdrawView.as_view(),
        name="after-sales-withdraw",
    ),
    path(
        "creator/commissions/", commission.CommissionListView.as_view(), name="creator-commissions"
    ),
    path("creator/dashboard/", commission.CreatorDashboardView.as_view(), name="creator-dashboard"),
    path(
        "payments/webhooks/sandbox/",
        payments.SandboxWebhookView.as_view(),
        name="payments-webhook-sandbox",
    ),
    path(
        "payments/sandbox/<int:payment_id>/complete/",
        payments.SandboxCompleteView.as_view(),
        name="payments-sandbox-complete",
    ),
    path("coupons/available/", coupons.AvailableCouponsView.as_view(), name="coupons-available"),
    path("coupons/mine/", coupons.MyCouponsView.as_view(), name="coupons-mine"),
    path("coupons/redeem/", coupons.CouponRedeemView.as_view(), name="coupons-redeem"),
    path("coupons/best/", coupons.BestCouponView.as_view(), name="coupons-best"),
    path("coupons/<int:coupon_id>/claim/", coupons.CouponClaimView.as_view(), name="coupon-claim"),
    path(
        "coupons/<int:coupon_id>/exchange/",
        coupons.CouponExchangeView.as_view(),
        name="coupon-exchange",
    ),
    path("products/", catalog.ProductListView.as_view(), name="product-list"),
    path("products/<int:product_id>/", catalog.ProductDetailView.as_view(), name="product-detail"),
    path(
        "products/<int:product_id>/images/",
        catalog.ProductImagesView.as_view(),
        name="product-images",
    ),
    path(
        "products/<int:product_id>/images/<int:image_id>/",
        catalog.ProductImageDetailView.as_view(),
        name="product-image-detail",
    ),
    path("categories/", catalog.CategoryListView.as_view(), name="category-list"),
    path("storefronts/", storefronts.StorefrontCreateView.as_view(), name="storefront-create"),
    path(
        "storefronts/<slug:slug>/",
        storefronts.StorefrontDetailView.as_view(),
        name="storefront-detail",
    ),
    path(
        "storefronts/<slug:slug>/banner/",
        storefronts.StorefrontBannerView.as_view(),
        name="storefront-banner",
    ),
    path(
        "storefronts/<slug:slug>/collections/",
        storefronts.CollectionCreateView.as_view(),
        name="storefront-collections",
    ),
    path(
        "storefronts/<slug:slug>/collections/<int:collection_id>/",
        storefronts.CollectionDetailView.as_view(),
        name="storefront-collection-detail",
    ),
    path(
        "storefronts/<slug:slug>/collections/<int:collection_id>/items/",
        storefronts.CollectionItemsView.as_view(),
        name="storefront-collection-items",
    ),
    path(
        "storefronts/<slug:slug>/collections/<int:collection_id>/items/<int:item_id>/",
        storefronts.CollectionItemDetailView.as_view(),
        name="storefront-collection-item-detail",
    ),
    path("creator-codes/", storefronts.CreatorCodeListView.as_view(), name="creator-code-list"),
]
