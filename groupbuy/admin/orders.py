"""Staff tooling for orders: read-only records; refunds and completion go through the services."""

from django.contrib import admin, messages

from groupbuy.admin.catalog import ReadOnlyAdmin, apply_service
from groupbuy.models import Order, OrderEvent, OrderItem
from groupbuy.services.fulfilment import order_complete
from groupbuy.services.refunds import order_refund_request


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    can_delete = False
    readonly_fields = ["product", "title", "unit_price", "quantity", "amount"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "note", "created_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["id", "buyer", "status", "total", "attributed_creator", "created_at", "paid_at"]
    list_filter = ["status", "attribution_source"]
    search_fields = ["id", "buyer__username"]
    list_select_related = ["buyer", "attributed_creator"]
    inlines = [OrderItemInline, OrderEventInline]
    actions = ["refund", "complete"]

    @admin.action(description="Refund in full (paid, shipped, delivered or completed orders)")
    def refund(self, request, queryset) -> None:
        done = apply_service(
            self,
            request,
            queryset,
            lambda o: order_refund_request(
                actor=request.user, order_id=o.pk, reason="refunded by staff", by_staff=True
            ),
        )
        self.message_user(request, f"Refund started for {done} order(s).", messages.SUCCESS)

    @admin.action(description="Mark completed (shipped or delivered orders)")
    def complete(self, request, queryset) -> None:
        done = apply_service(
            self, request, queryset, lambda o: order_complete(order_id=o.pk, note="staff")
        )
        self.message_user(request, f"Completed {done} order(s).", messages.SUCCESS)
