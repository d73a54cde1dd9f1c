"""Staff tooling for flash sales (秒杀): created through the flash-sale service."""

from django.contrib import admin
from django.db.models import Count, QuerySet

from groupbuy.admin.catalog import CreatedThroughServiceAdmin
from groupbuy.models import FlashSale
from groupbuy.services.flash_sales import flash_sale_create


@admin.register(FlashSale)
class FlashSaleAdmin(CreatedThroughServiceAdmin):
    """A sale is created through the service (as the API does); afterwards its stock is the
    purchase path's alone, so the change form is read-only."""

    list_display = [
        "id",
        "title",
        "product",
        "price",
        "stock",
        "starts_at",
        "ends_at",
        "per_user_limit",
        "order_count",
        "reminder_count",
    ]
    list_select_related = ["product"]
    search_fields = ["title", "product__title"]
    date_hierarchy = "starts_at"
    fields = [
        "product",
        "title",
        "price",
        "stock_total",
        "starts_at",
        "ends_at",
        "per_user_limit",
        "tier_early_access",
    ]
    raw_id_fields = ["product"]

    def get_queryset(self, request) -> QuerySet[FlashSale]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                order_total=Count("orders", distinct=True),
                reminder_total=Count("reminders", distinct=True),
            )
        )

    @admin.display(description="remaining / total")
    def stock(self, sale: FlashSale) -> str:
        return f"{sale.stock_remaining} / {sale.stock_total}"

    @admin.display(description="orders", ordering="order_total")
    def order_count(self, sale: FlashSale) -> int:
        return getattr(sale, "order_total", 0)

    @admin.display(description="reminders", ordering="reminder_total")
    def reminder_count(self, sale: FlashSale) -> int:
        return getattr(sale, "reminder_total", 0)

    def create(self, request, obj: FlashSale) -> FlashSale:
        return flash_sale_create(
            actor=request.user,
            product_id=obj.product_id,
            price=obj.price,
            stock=obj.stock_total,
            starts_at=obj.starts_at,
            ends_at=obj.ends_at,
            per_user_limit=obj.per_user_limit,
            tier_early_access=obj.tier_early_access,
            title=obj.title,
        )
