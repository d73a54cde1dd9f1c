"""Staff tooling for storefronts, collections, visits (read-only) and creator codes."""

from django.contrib import admin, messages

from groupbuy.admin.catalog import ReadOnlyAdmin, apply_service
from groupbuy.models import Collection, CollectionItem, CreatorCode, Storefront, StorefrontVisit
from groupbuy.services.storefronts import creator_code_set_active, storefront_update


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
    # Moderation hides and restores through its queue, not here.
    readonly_fields = ["hidden_at"]
    inlines = [CollectionInline]
    actions = ["unpublish", "publish"]

    def _set_published(self, request, queryset, value: bool) -> None:
        apply_service(
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
    fields = ["product", "note", "sort", "pending_review"]
    readonly_fields = ["pending_review"]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["title", "storefront", "sort"]
    search_fields = ["title", "storefront__slug"]
    list_select_related = ["storefront"]
    raw_id_fields = ["storefront"]
    inlines = [CollectionItemInline]


@admin.register(StorefrontVisit)
class StorefrontVisitAdmin(ReadOnlyAdmin):
    list_display = ["storefront", "visitor", "visitor_key", "hour_bucket", "created_at"]
    list_select_related = ["storefront", "visitor"]
    search_fields = ["storefront__slug", "visitor__username"]
    date_hierarchy = "created_at"


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
        done = apply_service(
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
