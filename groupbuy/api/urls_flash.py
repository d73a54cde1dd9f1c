from django.urls import path

from groupbuy.api import flash_views as v

urlpatterns = [
    path("flash-sales/", v.FlashSaleListCreateView.as_view(), name="flash-sale-list"),
    path("flash-sales/<int:sale_id>/", v.FlashSaleDetailView.as_view(), name="flash-sale-detail"),
    path(
        "flash-sales/<int:sale_id>/orders/",
        v.FlashSaleOrderView.as_view(),
        name="flash-sale-orders",
    ),
    path(
        "flash-sales/<int:sale_id>/reminder/",
        v.FlashSaleReminderView.as_view(),
        name="flash-sale-reminder",
    ),
]
