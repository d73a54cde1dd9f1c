"""Admin for the social graph: interest tags, follows and blocks.

Edges are read-only here: they change through the services (which keep the domain signals in
step); staff may delete a follow or a block.
"""

from django.contrib import admin

from community.models import Block, Follow, InterestTag


@admin.register(InterestTag)
class InterestTagAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


class _ReadOnlyEdgeAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Follow)
class FollowAdmin(_ReadOnlyEdgeAdmin):
    list_display = ["follower", "followee", "created_at"]
    search_fields = ["follower__username", "followee__username"]
    list_select_related = ["follower", "followee"]
    raw_id_fields = ["follower", "followee"]
    date_hierarchy = "created_at"


@admin.register(Block)
class BlockAdmin(_ReadOnlyEdgeAdmin):
    list_display = ["blocker", "blocked", "created_at"]
    search_fields = ["blocker__username", "blocked__username"]
    list_select_related = ["blocker", "blocked"]
    raw_id_fields = ["blocker", "blocked"]
