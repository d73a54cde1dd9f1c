"""Share links with their rewards, and the fraud flags staff release or void."""

from django.contrib import admin, messages

from feeds.admin.posts import ReadOnlyAdmin
from feeds.models.shares import ShareFraudFlag, ShareLink, ShareReward
from feeds.services import shares


class ShareRewardInline(admin.TabularInline):
    model = ShareReward
    fields = ["kind", "status", "hold_reason", "points", "visitor", "order_id", "created_at"]
    readonly_fields = [
        "kind",
        "status",
        "hold_reason",
        "points",
        "visitor",
        "order_id",
        "created_at",
    ]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ShareLink)
class ShareLinkAdmin(ReadOnlyAdmin):
    list_display = ["code", "sharer", "target_type", "target_id", "earns_rewards", "created_at"]
    list_filter = ["target_type", "earns_rewards"]
    search_fields = ["code", "sharer__username"]
    raw_id_fields = ["sharer"]
    inlines = [ShareRewardInline]


@admin.register(ShareFraudFlag)
class ShareFraudFlagAdmin(ReadOnlyAdmin):
    list_display = ["sharer", "signal", "accounts", "created_at", "resolution", "resolved_by"]
    list_filter = ["signal", "resolution"]
    raw_id_fields = ["sharer", "link"]
    actions = ["release", "void"]

    @admin.action(description="Release held rewards (not fraud)")
    def release(self, request, queryset) -> None:
        paid = sum(
            shares.share_fraud_resolve(actor=request.user, flag=f, release=True) for f in queryset
        )
        messages.success(request, f"{paid} rewards released.")

    @admin.action(description="Void held rewards (fraud)")
    def void(self, request, queryset) -> None:
        voided = sum(
            shares.share_fraud_resolve(actor=request.user, flag=f, release=False) for f in queryset
        )
        messages.success(request, f"{voided} rewards voided.")
