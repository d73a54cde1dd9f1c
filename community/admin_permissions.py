"""Django admin permissions follow roles (``RoleGrant``), not per-user permission rows.

``role_grant`` opens the admin (``is_staff``) to staff and moderators; this backend decides what
they may do there, so granting a role is the whole of onboarding an operator. Staff run every
model of the product's apps (each ModelAdmin still refuses what must go through a service);
moderators review content: posts, reviews, comments on streams, messages and share-link fraud
flags, and look up members. Apps are named by label, so this lower app imports none of them.
"""

from django.apps import apps
from django.contrib.auth.backends import BaseBackend

from community.models import Role
from community.selectors import user_roles

STAFF_APPS = ("community", "groupbuy", "chat", "feeds")
ALL_ACTIONS = ("view", "add", "change", "delete")
MODERATOR_MODELS = {
    "feeds.post": ("view", "change"),
    "feeds.review": ("view", "change"),
    "feeds.sharefraudflag": ("view", "change"),
    "chat.livecomment": ("view", "change"),
    "chat.message": ("view", "change"),
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
