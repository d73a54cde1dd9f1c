from django.urls import path

from frontend import views_orders
from frontend import views_shop as views

# /s/ is reserved for share links: storefronts live under /store/.
urlpatterns = [
    path("products/", views.products_page, name="products"),
    path("products/<int:product_id>/", views.product_page, name="product"),
    path("store/manage/", views.store_manage_page, name="store-manage"),
    path("cart/", views_orders.cart_page, name="cart"),
    path("orders/", views_orders.orders_page, name="orders"),
    path("orders/<int:order_id>/", views_orders.order_page, name="order"),
    path("coupons/", views_orders.coupons_page, name="coupons"),
    path("creator/dashboard/", views_orders.creator_dashboard_page, name="creator-dashboard"),
    path("store/<slug:slug>/", views.storefront_page, name="storefront"),
]
