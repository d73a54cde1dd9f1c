"""Staff tooling for group buying: campaigns (created through the team service) and teams."""

from django.contrib import admin

from groupbuy.admin.catalog import CreatedThroughServiceAdmin, ReadOnlyAdmin
from groupbuy.models import Campaign, Team, TeamMember
from groupbuy.services.teams import campaign_create


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
