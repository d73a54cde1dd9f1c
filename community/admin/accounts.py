"""Accounts in Django admin: members, their roles, and the admin permissions those roles carry.

Django admin permissions follow roles (``RoleGrant``), not per-user permission rows.
``role_grant`` opens the admin (``is_staff``) to staff and moderators; this backend decides what
they may do there, so granting a role is the whole of onboarding an operator. Staff run every
model of the product's apps (each ModelAdmin still refuses what must go through a service);
moderators review content: posts, reviews, comments on streams, messages and share-link fraud
flags, and look up members. Apps are named by label, so this lower app imports none of them.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.backends import BaseBackend

from community.models import Role, RoleGrant, User
from community.selectors.accounts import user_roles
from community.services.accounts import role_grant, role_revoke


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

    def get_fieldsets(self, request, obj=None):
        # Moderators (view only) look members up by their public profile; the e-mail address,
        # name, password hash and permission rows are private and stay with staff.
        if obj is not None and not self.has_change_permission(request, obj):
            return MEMBER_LOOKUP_FIELDSETS
        return super().get_fieldsets(request, obj)


MEMBER_LOOKUP_FIELDSETS = (
    (None, {"fields": ("username", "is_active", "date_joined")}),
    ("Profile", {"fields": ("display_name", "bio", "region", "avatar")}),
    ("Loyalty", {"fields": ("tier", "growth_value", "points_balance")}),
)


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "granted_by", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username"]
    readonly_fields = ["user", "role", "granted_by", "granted_at"]

    def has_add_permission(self, request) -> bool:
        return False


# --- admin permissions from roles --------------------------------------------------------------

STAFF_APPS = ("community", "groupbuy", "chat", "feeds")
ALL_ACTIONS = ("view", "add", "change", "delete")
# Not chat.message: moderators read a private message only through the queue item that reported it.
# Nor anything else private (support conversations and their rooms, feedback, notifications,
# orders): only public content and member look-ups. tests/config/test_admin_privacy.py keeps
# this list inside its allow-list of public models.
MODERATOR_MODELS = {
    "feeds.post": ("view", "change"),
    "feeds.review": ("view", "change"),
    "feeds.sharefraudflag": ("view", "change"),
    "chat.livecomment": ("view", "change"),
    "chat.livestream": ("view",),
    "community.user": ("view",),
}


def _codenames(label: str, actions) -> set[str]:
    app_label, model_name = label.split(".")
    return {f"{app_label}.{action}_{model_name}" for action in actions}


def role_permissions(roles) -> frozenset[str]:
    """The admin permissions the given roles carry."""
    perms: set[str] = set()
    if Role.STAFF in roles:
        for app_label in STAFF_APPS:
            for model in apps.get_app_config(app_label).get_models():
                perms |= _codenames(model._meta.label_lower, ALL_ACTIONS)
    if Role.MODERATOR in roles:
        for label, actions in MODERATOR_MODELS.items():
            perms |= _codenames(label, actions)
    return frozenset(perms)


class RoleAdminBackend(BaseBackend):
    """Authenticates nobody; answers permission checks from the user's roles."""

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or not user_obj.is_staff:
            return set()
        cached = getattr(user_obj, "_role_admin_permissions", None)
        if cached is None:
            # Once per request user: the admin asks for dozens of permissions per page.
            cached = role_permissions(set(user_roles(user_obj)))
            user_obj._role_admin_permissions = cached
        return set(cached)

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label) -> bool:
        prefix = f"{app_label}."
        return any(perm.startswith(prefix) for perm in self.get_all_permissions(user_obj))
