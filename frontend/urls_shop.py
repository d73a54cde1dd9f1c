from django.urls import path

from frontend import views_shop as views

# /s/ is reserved for share links: storefronts live under /store/.
urlpatterns = [
    path("products/", views.products_page, name="products"),
    path("products/<int:product_id>/", views.product_page, name="product"),
    path("store/manage/", views.store_manage_page, name="store-manage"),
    path("store/<slug:slug>/", views.storefront_page, name="storefront"),
]
