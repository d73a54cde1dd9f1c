"""Staff tooling for coupons; members' wallets are read-only (they change through the services)."""

from django.contrib import admin

from groupbuy.models import Coupon, UserCoupon


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "value",
        "threshold",
        "cap",
        "claimed_count",
        "total_quantity",
        "per_user_limit",
        "valid_until",
        "claimable",
        "code",
        "points_price",
        "pack_code",
        "auto_issue",
        "is_active",
    ]
    list_filter = ["kind", "claimable", "auto_issue", "is_active"]
    search_fields = ["title", "code", "pack_code"]
    filter_horizontal = ["products", "categories"]
    readonly_fields = ["claimed_count"]


@admin.register(UserCoupon)
class UserCouponAdmin(admin.ModelAdmin):
    list_display = ["user", "coupon", "source", "claimed_at", "expires_at", "used_at", "order_id"]
    list_filter = ["source"]
    search_fields = ["user__username", "coupon__title"]
    list_select_related = ["user", "coupon"]

    def has_add_permission(self, request) -> bool:
        return False  # wallets change through the coupon services (quotas)

    def has_change_permission(self, request, obj=None) -> bool:
        return False
