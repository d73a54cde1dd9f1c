from django.urls import path

from frontend import views_flash as views

urlpatterns = [
    path("flash-sales/", views.flash_sales_page, name="flash-sales"),
    path("flash-sales/<int:sale_id>/", views.flash_sale_page, name="flash-sale"),
]
