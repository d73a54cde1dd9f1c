"""Admin for tiers, benefits, tasks and the points ledger (with audited adjustments)."""

import uuid

from django import forms
from django.contrib import admin

from community.models import (
    CheckIn,
    GrowthEntry,
    PointsEntry,
    TaskDefinition,
    TierBenefit,
    TierChange,
    User,
)
from community.services.loyalty import points_adjust


@admin.register(TierBenefit)
class TierBenefitAdmin(admin.ModelAdmin):
    list_display = [
        "tier",
        "rank",
        "threshold",
        "points_multiplier",
        "monthly_coupon_pack",
        "early_access_minutes",
        "support_priority",
    ]
    list_editable = [
        "threshold",
        "points_multiplier",
        "monthly_coupon_pack",
        "early_access_minutes",
        "support_priority",
    ]
    ordering = ["rank"]


@admin.register(TaskDefinition)
class TaskDefinitionAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "title",
        "kind",
        "action",
        "target_count",
        "points",
        "starts_at",
        "ends_at",
        "is_active",
    ]
    list_filter = ["kind", "is_active", "action"]
    list_editable = ["is_active"]
    search_fields = ["code", "title"]


class PointsAdjustmentForm(forms.ModelForm):
    user = forms.ModelChoiceField(queryset=User.objects.filter(is_active=True))
    delta = forms.IntegerField(help_text="positive credits, negative debits (never below zero)")
    note = forms.CharField(
        max_length=200, help_text="why; shown in the member's ledger and kept for audit"
    )

    class Meta:
        model = PointsEntry
        fields = ["user", "delta", "note"]

    def clean_delta(self):
        delta = self.cleaned_data["delta"]
        if delta == 0:
            raise forms.ValidationError("Must not be zero.")
        return delta

    def clean(self):
        # A friendly refusal; the service re-checks under the member's row lock.
        cleaned = super().clean() or {}
        user, delta = cleaned.get("user"), cleaned.get("delta")
        if user is not None and delta is not None and user.points_balance + delta < 0:
            raise forms.ValidationError(f"{user.username} has only {user.points_balance} points.")
        return cleaned


@admin.register(PointsEntry)
class PointsEntryAdmin(admin.ModelAdmin):
    """The ledger is append-only: entries are never edited or deleted; adding one is an audited
    adjustment that goes through the points service."""

    list_display = ["id", "user", "delta", "reason", "balance_after", "note", "actor", "created_at"]
    list_filter = ["reason"]
    search_fields = ["user__username", "idempotency_key", "note"]
    list_select_related = ["user", "actor"]
    form = PointsAdjustmentForm

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        entry = points_adjust(
            actor=request.user,
            user_id=form.cleaned_data["user"].pk,
            delta=form.cleaned_data["delta"],
            note=form.cleaned_data["note"],
            idempotency_key=f"admin:{uuid.uuid4().hex}",
        )
        obj.pk = entry.pk


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(GrowthEntry)
class GrowthEntryAdmin(ReadOnlyAdmin):
    list_display = ["user", "amount", "source", "source_type", "source_id", "created_at"]
    list_filter = ["source"]
    search_fields = ["user__username"]


@admin.register(TierChange)
class TierChangeAdmin(ReadOnlyAdmin):
    list_display = ["user", "from_tier", "to_tier", "growth_365d", "created_at"]
    search_fields = ["user__username"]


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ["user", "day", "streak", "points_awarded"]
    search_fields = ["user__username"]
