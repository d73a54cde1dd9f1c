"""Admin for interest communities.

Memberships are read-only here: they change through the services, which keep ``member_count``
and the domain signals in step.
"""

from django.contrib import admin

from community.models import Community, CommunityMembership


class CommunityMembershipInline(admin.TabularInline):
    model = CommunityMembership
    fk_name = "community"
    extra = 0
    fields = ["user", "role", "status", "decided_by", "created_at"]
    readonly_fields = ["user", "role", "status", "decided_by", "created_at"]
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # joins go through the services, which keep member_count exact


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "join_policy", "member_count", "created_at"]
    list_filter = ["join_policy"]
    search_fields = ["name", "owner__username"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    filter_horizontal = ["tags"]
    readonly_fields = ["owner", "member_count", "created_at"]
    fields = [
        "name",
        "description",
        "cover",
        "tags",
        "join_policy",
        "owner",
        "member_count",
        "created_at",
    ]
    inlines = [CommunityMembershipInline]

    def has_add_permission(self, request) -> bool:
        return False  # a community is created with its owner's membership by the service
