"""After-sales requests: staff approve or reject them through the after-sales service."""

from django.contrib import admin, messages

from groupbuy.admin.catalog import ReadOnlyAdmin, apply_service
from groupbuy.models import AfterSalesPhoto, AfterSalesRequest
from groupbuy.services.after_sales import after_sales_decide


class AfterSalesPhotoInline(admin.TabularInline):
    model = AfterSalesPhoto
    extra = 0
    readonly_fields = ["image", "width", "height"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AfterSalesRequest)
class AfterSalesRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "order", "kind", "reason", "status", "created_at", "handled_by"]
    list_filter = ["status", "kind", "reason"]
    inlines = [AfterSalesPhotoInline]
    actions = ["approve", "reject"]

    def _decide(self, request, queryset, action: str) -> None:
        done = apply_service(
            self,
            request,
            queryset,
            lambda r: after_sales_decide(actor=request.user, request_id=r.pk, action=action),
        )
        self.message_user(request, f"{action.title()}d {done} request(s).", messages.SUCCESS)

    @admin.action(description="Approve (refund kinds refund the order)")
    def approve(self, request, queryset) -> None:
        self._decide(request, queryset, "approve")

    @admin.action(description="Reject")
    def reject(self, request, queryset) -> None:
        self._decide(request, queryset, "reject")
