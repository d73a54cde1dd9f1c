from django.urls import include, path

from groupbuy.api import coupon_views as cv
from groupbuy.api import fulfilment_views as fv
from groupbuy.api import order_views as ov
from groupbuy.api import views as v

urlpatterns = [
    path("", include("groupbuy.api.urls_flash")),
    path("", include("groupbuy.api.urls_teams")),
    path("orders/", ov.OrderListCreateView.as_view(), name="order-list"),
    path("orders/<int:order_id>/", ov.OrderDetailView.as_view(), name="order-detail"),
    path("orders/<int:order_id>/cancel/", ov.OrderCancelView.as_view(), name="order-cancel"),
    path("orders/<int:order_id>/pay/", ov.OrderPayView.as_view(), name="order-pay"),
    path("orders/quote/", fv.OrderQuoteView.as_view(), name="order-quote"),
    path("orders/<int:order_id>/refund/", fv.OrderRefundView.as_view(), name="order-refund"),
    path(
        "orders/<int:order_id>/confirm-receipt/",
        fv.OrderConfirmReceiptView.as_view(),
        name="order-confirm-receipt",
    ),
    path("orders/<int:order_id>/ship/", fv.OrderShipView.as_view(), name="order-ship"),
    path("orders/<int:order_id>/tracking/", fv.OrderTrackingView.as_view(), name="order-tracking"),
    path(
        "orders/<int:order_id>/after-sales/",
        fv.OrderAfterSalesView.as_view(),
        name="order-after-sales",
    ),
    path("after-sales/", fv.AfterSalesQueueView.as_view(), name="after-sales-queue"),
    path(
        "after-sales/<int:request_id>/decide/",
        fv.AfterSalesDecideView.as_view(),
        name="after-sales-decide",
    ),
    path(
        "after-sales/<int:request_id>/withdraw/",
        fv.AfterSalesWithdrawView.as_view(),
        name="after-sales-withdraw",
    ),
    path("creator/commissions/", fv.CommissionListView.as_view(), name="creator-commissions"),
    path("creator/dashboard/", fv.CreatorDashboardView.as_view(), name="creator-dashboard"),
    path(
        "payments/webhooks/sandbox/",
        ov.SandboxWebhookView.as_view(),
        name="payments-webhook-sandbox",
    ),
    path(
        "payments/sandbox/<int:payment_id>/complete/",
        ov.SandboxCompleteView.as_view(),
        name="payments-sandbox-complete",
    ),
    path("coupons/available/", cv.AvailableCouponsView.as_view(), name="coupons-available"),
    path("coupons/mine/", cv.MyCouponsView.as_view(), name="coupons-mine"),
    path("coupons/redeem/", cv.CouponRedeemView.as_view(), name="coupons-redeem"),
    path("coupons/best/", cv.BestCouponView.as_view(), name="coupons-best"),
    path("coupons/<int:coupon_id>/claim/", cv.CouponClaimView.as_view(), name="coupon-claim"),
    path(
        "coupons/<int:coupon_id>/exchange/", cv.CouponExchangeView.as_view(), name="coupon-exchange"
    ),
    path("products/", v.ProductListView.as_view(), name="product-list"),
    path("products/<int:product_id>/", v.ProductDetailView.as_view(), name="product-detail"),
    path(
        "products/<int:product_id>/images/",
        v.ProductImagesView.as_view(),
        name="product-images",
    ),
    path(
        "products/<int:product_id>/images/<int:image_id>/",
        v.ProductImageDetailView.as_view(),
        name="product-image-detail",
    ),
    path("categories/", v.CategoryListView.as_view(), name="category-list"),
    path("storefronts/", v.StorefrontCreateView.as_view(), name="storefront-create"),
    path("storefronts/<slug:slug>/", v.StorefrontDetailView.as_view(), name="storefront-detail"),
    path(
        "storefronts/<slug:slug>/banner/",
        v.StorefrontBannerView.as_view(),
        name="storefront-banner",
    ),
    path(
        "storefronts/<slug:slug>/collections/",
        v.CollectionCreateView.as_view(),
        name="storefront-collections",
    ),
    path(
        "storefronts/<slug:slug>/collections/<int:collection_id>/",
        v.CollectionDetailView.as_view(),
        name="storefront-collection-detail",
    ),
    path(
        "storefronts/<slug:slug>/collections/<int:collection_id>/items/",
        v.CollectionItemsView.as_view(),
        name="storefront-collection-items",
    ),
    path(
        "storefronts/<slug:slug>/collections/<int:collection_id>/items/<int:item_id>/",
        v.CollectionItemDetailView.as_view(),
        name="storefront-collection-item-detail",
    ),
    path("creator-codes/", v.CreatorCodeListView.as_view(), name="creator-code-list"),
]
