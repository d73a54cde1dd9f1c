"""Staff tooling for the catalog: categories and products (changes go through the catalog
services), and what every groupbuy admin shares: the helper actions use to call a service and
the bases of read-only records and of rows created through a service."""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages

from community.exceptions import BlockedWordError
from community.services.moderation.words import text_screen
from config.exceptions import DomainError
from groupbuy.models import Category, Product, ProductImage
from groupbuy.services.catalog import (
    PRODUCT_EDITABLE,
    product_archive,
    product_create,
    product_update,
)


def apply_service(modeladmin: admin.ModelAdmin, request, queryset, change: Callable) -> int:
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


class ProductAdminForm(forms.ModelForm):
    """A blocked word is a form error here, as it is a 400 over the API (not a 500)."""

    class Meta:
        model = Product
        fields = ["title", "description", "category", "price", "stock", "status", "commission_rate"]

    def _screened(self, name: str) -> str:
        value = self.cleaned_data.get(name) or ""
        try:
            text_screen(value)
        except BlockedWordError as exc:
            raise forms.ValidationError(str(exc.detail), code="blocked_word") from exc
        return value

    def clean_title(self) -> str:
        return self._screened("title")

    def clean_description(self) -> str:
        return self._screened("description")


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    form = ProductAdminForm
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
    # Moderation hides and restores through its queue, not here.
    readonly_fields = ["created_by", "hidden_at", "created_at", "updated_at"]
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
        done = apply_service(
            self, request, queryset, lambda p: product_archive(actor=request.user, product=p)
        )
        self.message_user(request, f"Archived {done} product(s).", messages.SUCCESS)
