"""Staff tooling for the catalog, storefronts, visits, creator codes, orders and after-sales.

Product status, storefront publication, creator codes, refunds, completion and after-sales
decisions change through the services (admin actions); orders, payments, visits and the
commission ledger are read-only records here.
"""

from collections.abc import Callable

from django.contrib import admin, messages

from config.exceptions import DomainError
from groupbuy.models import (
    AfterSalesPhoto,
    AfterSalesRequest,
    Campaign,
    Category,
    Collection,
    CollectionItem,
    CommissionEntry,
    Coupon,
    CreatorCode,
    Order,
    OrderEvent,
    OrderItem,
    Payment,
    Product,
    ProductImage,
    Refund,
    Shipment,
    Storefront,
    StorefrontVisit,
    Team,
    TeamMember,
    TrackingEvent,
    UserCoupon,
)
from groupbuy.services import (
    after_sales_decide,
    campaign_create,
    creator_code_set_active,
    order_complete,
    order_refund_request,
    product_archive,
    product_create,
    product_update,
    storefront_update,
)
from groupbuy.services.catalog import PRODUCT_EDITABLE


def _apply(modeladmin: admin.ModelAdmin, request, queryset, change: Callable) -> int:
    """Run a service on each selected row; a refusal (not staff) is a message, not a 500."""
    done = 0
    for obj in queryset:
        try:
            change(obj)
        except DomainError as exc:
            modeladmin.message_user(request, exc.detail, messages.ERROR)
            return done
        done += 1
    return done


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "sort"]
    list_editable = ["sort"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0
    max_num = 9
    fields = ["image", "sort", "width", "height"]
    readonly_fields = ["width", "height"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "category",
        "price",
        "stock",
        "status",
        "commission_rate",
        "created_at",
    ]
    list_filter = ["status", "category"]
    search_fields = ["title"]
    list_select_related = ["category"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [ProductImageInline]
    actions = ["archive"]

    def save_model(self, request, obj, form, change) -> None:
        """The change form writes through the catalog services (staff check, price rounding,
        the row lock that serialises with stock reservations)."""
        fields = {
            name: form.cleaned_data[name] for name in PRODUCT_EDITABLE if name in form.cleaned_data
        }
        if change:
            changed = {name: value for name, value in fields.items() if name in form.changed_data}
            saved = product_update(actor=request.user, product=obj, **changed)
        else:
            saved = product_create(actor=request.user, **fields)
        # The admin goes on to save the inlines (images) against this instance.
        obj.pk = saved.pk
        obj._state.adding = False
        obj.refresh_from_db()

    @admin.action(description="Archive (take off sale)")
    def archive(self, request, queryset) -> None:
        done = _apply(
            self, request, queryset, lambda p: product_archive(actor=request.user, product=p)
        )
        self.message_user(request, f"Archived {done} product(s).", messages.SUCCESS)


class CollectionInline(admin.TabularInline):
    model = Collection
    extra = 0
    fields = ["title", "note", "sort"]
    show_change_link = True


@admin.register(Storefront)
class StorefrontAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "owner", "is_published", "created_at"]
    list_filter = ["is_published"]
    search_fields = ["slug", "title", "owner__username"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    inlines = [CollectionInline]
    actions = ["unpublish", "publish"]

    def _set_published(self, request, queryset, value: bool) -> None:
        _apply(
            self,
            request,
            queryset,
            lambda sf: storefront_update(actor=request.user, storefront=sf, is_published=value),
        )

    @admin.action(description="Unpublish")
    def unpublish(self, request, queryset) -> None:
        self._set_published(request, queryset, False)

    @admin.action(description="Publish")
    def publish(self, request, queryset) -> None:
        self._set_published(request, queryset, True)


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    extra = 0
    raw_id_fields = ["product"]
    fields = ["product", "note", "sort"]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["title", "storefront", "sort"]
    search_fields = ["title", "storefront__slug"]
    list_select_related = ["storefront"]
    raw_id_fields = ["storefront"]
    inlines = [CollectionItemInline]


@admin.register(StorefrontVisit)
class StorefrontVisitAdmin(admin.ModelAdmin):
    list_display = ["storefront", "visitor", "visitor_key", "hour_bucket", "created_at"]
    list_select_related = ["storefront", "visitor"]
    search_fields = ["storefront__slug", "visitor__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CreatorCode)
class CreatorCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "creator", "discount_percent", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["code", "creator__username"]
    list_select_related = ["creator"]
    raw_id_fields = ["creator"]
    readonly_fields = ["is_active", "created_at"]
    actions = ["activate", "deactivate"]

    def _set_active(self, request, queryset, value: bool) -> None:
        done = _apply(
            self,
            request,
            queryset,
            lambda c: creator_code_set_active(actor=request.user, creator_code=c, is_active=value),
        )
        state = "active" if value else "inactive"
        self.message_user(request, f"{done} code(s) now {state}.", messages.SUCCESS)

    @admin.action(description="Activate")
    def activate(self, request, queryset) -> None:
        self._set_active(request, queryset, True)

    @admin.action(description="Deactivate")
    def deactivate(self, request, queryset) -> None:
        self._set_active(request, queryset, False)


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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Ledgers and money records: staff read them; services write them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CreatedThroughServiceAdmin(admin.ModelAdmin):
    """Staff add rows here through the same service as the API (validation, stock, audit in one
    place); afterwards the row belongs to the purchase path, so the change form is read-only."""

    def create(self, request, obj):  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change: bool) -> None:
        if not change:
            obj.pk = self.create(request, obj).pk


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
        done = _apply(
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
        done = _apply(
            self, request, queryset, lambda o: order_complete(order_id=o.pk, note="staff")
        )
        self.message_user(request, f"Completed {done} order(s).", messages.SUCCESS)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["id", "order", "provider", "amount", "status", "needs_refund", "confirmed_at"]
    list_filter = ["status", "needs_refund", "provider"]


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["id", "order", "amount", "status", "restores_order", "created_at"]
    list_filter = ["status", "restores_order"]


class TrackingEventInline(admin.TabularInline):
    model = TrackingEvent
    extra = 0
    readonly_fields = ["status", "description", "location", "occurred_at"]


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdmin):
    list_display = ["order", "carrier", "tracking_number", "created_at"]
    search_fields = ["tracking_number"]
    inlines = [TrackingEventInline]


@admin.register(CommissionEntry)
class CommissionEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "creator", "order", "amount", "status", "confirm_after"]
    list_filter = ["status", "attribution_source"]
    search_fields = ["creator__username"]
    list_select_related = ["creator"]


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
        done = _apply(
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


# --- flash sales (秒杀) ---------------------------------------------------------------------------

from django.db.models import Count, QuerySet  # noqa: E402

from groupbuy.models import FlashSale  # noqa: E402
from groupbuy.services.flash_sales import flash_sale_create  # noqa: E402


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


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    can_delete = False
    readonly_fields = ["user", "order", "status", "joined_at", "paid_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Campaign)
class CampaignAdmin(CreatedThroughServiceAdmin):
    """Staff start a campaign here through the same service as the API; afterwards its stock
    belongs to the seats, so the change form is read-only."""

    list_display = [
        "id",
        "title",
        "group_price",
        "team_size",
        "stock_remaining",
        "starts_at",
        "ends_at",
        "platform_fill",
    ]
    list_filter = ["platform_fill"]
    search_fields = ["title"]
    fields = [
        "product",
        "title",
        "group_price",
        "leader_price",
        "team_size",
        "team_window_minutes",
        "stock_total",
        "per_user_limit",
        "starts_at",
        "ends_at",
        "platform_fill",
        "community",
    ]
    raw_id_fields = ["product", "community"]

    def create(self, request, obj: Campaign) -> Campaign:
        return campaign_create(
            actor=request.user,
            product_id=obj.product_id,
            title=obj.title,
            group_price=obj.group_price,
            leader_price=obj.leader_price,
            team_size=obj.team_size,
            team_window_minutes=obj.team_window_minutes,
            stock=obj.stock_total,
            per_user_limit=obj.per_user_limit,
            starts_at=obj.starts_at,
            ends_at=obj.ends_at,
            platform_fill=obj.platform_fill,
            community_id=obj.community_id,
        )


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "campaign",
        "leader",
        "status",
        "seats_taken",
        "seats_paid",
        "platform_filled",
        "expires_at",
    ]
    list_filter = ["status", "platform_filled"]
    inlines = [TeamMemberInline]
