from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from community.models import Role, RoleGrant, User
from community.services import role_grant, role_revoke


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = ["role", "granted_by", "granted_at"]
    readonly_fields = ["role", "granted_by", "granted_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # roles change through the actions, which keep is_staff in step


def _grant_action(role: Role):
    @admin.action(description=f"Grant role: {role.label}")
    def action(modeladmin, request, queryset):
        for user in queryset:
            role_grant(actor=request.user, user=user, role=role)
        modeladmin.message_user(request, f"Granted {role.label} to {queryset.count()} user(s).")

    action.__name__ = f"grant_{role.value}"
    return action


def _revoke_action(role: Role):
    @admin.action(description=f"Revoke role: {role.label}")
    def action(modeladmin, request, queryset):
        for user in queryset:
            role_revoke(actor=request.user, user=user, role=role)
        modeladmin.message_user(request, f"Revoked {role.label} from {queryset.count()} user(s).")

    action.__name__ = f"revoke_{role.value}"
    return action


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "tier", "points_balance", "is_staff", "date_joined"]
    list_filter = ["tier", "is_staff", "is_active", "role_grants__role"]
    search_fields = ["username", "display_name"]
    readonly_fields = ["tier", "growth_value", "points_balance", "last_login", "date_joined"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Profile", {"fields": ("display_name", "bio", "region", "avatar")}),
        ("Loyalty", {"fields": ("tier", "growth_value", "points_balance")}),
    )
    inlines = [RoleGrantInline]
    actions = [_grant_action(role) for role in Role] + [_revoke_action(role) for role in Role]


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "granted_by", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username"]
    readonly_fields = ["user", "role", "granted_by", "granted_at"]

    def has_add_permission(self, request) -> bool:
        return False


from community import admin_loyalty, admin_social  # noqa: E402, F401  (register their admins)
