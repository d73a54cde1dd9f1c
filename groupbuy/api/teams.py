"""Group buying: campaigns (staff or community leaders create), teams (open, join, watch)."""

from decimal import Decimal
from typing import cast

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import User
from config.pagination import page_schema, paginate
from groupbuy.api.orders import OrderSerializer
from groupbuy.events import team_envelope
from groupbuy.exceptions import ShopNotFoundError
from groupbuy.models import Product, ProductStatus
from groupbuy.selectors.teams import (
    campaign_snapshot,
    campaign_snapshots_of,
    campaigns_live_with_details,
    team_events_after,
    team_exists,
    team_snapshot,
    teams_of_member,
)
from groupbuy.services.teams import campaign_create, team_join, team_open
from realtime.envelopes import server_time


def _me(request: Request) -> User:
    return cast(User, request.user)


class CampaignCreateSerializer(serializers.Serializer):
    product = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=120, required=False, allow_blank=True)
    group_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    leader_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"), required=False, allow_null=True
    )
    team_size = serializers.IntegerField(min_value=2, max_value=10)
    # A callable, so the default follows the setting rather than its value at import.
    team_window_minutes = serializers.IntegerField(
        min_value=1,
        max_value=7 * 24 * 60,
        default=lambda: settings.GROUPBUY_TEAM_WINDOW_MINUTES,
    )
    stock = serializers.IntegerField(min_value=1, max_value=1_000_000)
    per_user_limit = serializers.IntegerField(min_value=1, max_value=100, default=1)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    platform_fill = serializers.BooleanField(default=False)
    community = serializers.IntegerField(min_value=1, required=False, allow_null=True)

    def validate_product(self, value: int) -> int:
        on_sale = Product.objects.filter(
            pk=value, status=ProductStatus.ACTIVE, hidden_at__isnull=True
        )
        if not on_sale.exists():
            raise serializers.ValidationError("No such product on sale.")
        return value

    def validate(self, attrs):
        if attrs["ends_at"] <= attrs["starts_at"]:
            raise serializers.ValidationError({"ends_at": ["A campaign ends after it starts."]})
        leader_price = attrs.get("leader_price")
        if leader_price is not None and leader_price > attrs["group_price"]:
            raise serializers.ValidationError(
                {"leader_price": ["The leader's price is at most the group price."]}
            )
        return attrs


# The snapshots are plain dicts shared with the realtime pushes; these describe them for the schema.
MembersSchema = inline_serializer(
    "TeamMember",
    {
        "user_id": serializers.IntegerField(),
        "username": serializers.CharField(),
        "display_name": serializers.CharField(),
        "avatar_url": serializers.CharField(allow_null=True),
        "is_leader": serializers.BooleanField(),
        "paid": serializers.BooleanField(),
    },
    many=True,
)
TeamSchema = inline_serializer(
    "Team",
    {
        "id": serializers.IntegerField(),
        "campaign": serializers.IntegerField(),
        "status": serializers.ChoiceField(choices=["forming", "succeeded", "failed"]),
        "team_size": serializers.IntegerField(),
        "seats_taken": serializers.IntegerField(),
        "seats_paid": serializers.IntegerField(),
        "seats_left": serializers.IntegerField(),
        "platform_filled": serializers.BooleanField(),
        "members": MembersSchema,
        "expires_at": serializers.DateTimeField(),
        "server_time": serializers.DateTimeField(),
        "share_url": serializers.CharField(),
        "last_seq": serializers.IntegerField(),
    },
)
CampaignSchema = inline_serializer(
    "Campaign",
    {
        "id": serializers.IntegerField(),
        "group_price": serializers.DecimalField(max_digits=12, decimal_places=2),
        "team_size": serializers.IntegerField(),
        "stock_remaining": serializers.IntegerField(),
        "status": serializers.ChoiceField(choices=["scheduled", "live", "sold_out", "ended"]),
        "open_teams": serializers.ListField(child=serializers.DictField()),
        "server_time": serializers.DateTimeField(),
    },
)
# Not "CampaignPage": the insights campaigns list owns that component name.
CampaignPageSchema = page_schema(
    "GroupBuyCampaignPage", serializers.ListField(child=CampaignSchema)
)
SeatSchema = inline_serializer("TeamSeat", {"team": TeamSchema, "order": OrderSerializer()})


def _team(team_id: int) -> dict:
    return {**team_snapshot(team_id), "server_time": server_time()}


def _seat_response(request: Request, seat) -> Response:
    return Response(
        {"team": _team(seat.team.pk), "order": OrderSerializer(seat.order).data},
        status=status.HTTP_201_CREATED,
    )


class CampaignListCreateView(APIView):
    def get_permissions(self):
        if self.request.method == "GET":
            return [permissions.AllowAny()]
        return super().get_permissions()

    @extend_schema(
        operation_id="v1_campaigns_list",
        parameters=[OpenApiParameter("cursor", str, description="from next/previous")],
        responses={200: CampaignPageSchema},
    )
    def get(self, request: Request) -> Response:
        page, respond = paginate(
            self, request, campaigns_live_with_details(viewer=request.user), page_size=20
        )
        now = server_time()
        return respond(
            [{**snapshot, "server_time": now} for snapshot in campaign_snapshots_of(page)]
        )

    @extend_schema(request=CampaignCreateSerializer, responses={201: CampaignSchema})
    def post(self, request: Request) -> Response:
        data = CampaignCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        campaign = campaign_create(
            actor=_me(request),
            product_id=fields.pop("product"),
            stock=fields.pop("stock"),
            community_id=fields.pop("community", None),
            **fields,
        )
        return Response(
            {**campaign_snapshot(campaign.pk, viewer=request.user), "server_time": server_time()},
            status=status.HTTP_201_CREATED,
        )


class CampaignDetailView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=CampaignSchema)
    def get(self, request: Request, campaign_id: int) -> Response:
        snapshot = campaign_snapshot(campaign_id, viewer=request.user)
        return Response({**snapshot, "server_time": server_time()})


class TeamOpenView(APIView):
    @extend_schema(request=None, responses={201: SeatSchema})
    def post(self, request: Request, campaign_id: int) -> Response:
        return _seat_response(request, team_open(actor=_me(request), campaign_id=campaign_id))


class TeamDetailView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=TeamSchema)
    def get(self, request: Request, team_id: int) -> Response:
        return Response(_team(team_id))


class TeamJoinView(APIView):
    @extend_schema(request=None, responses={201: SeatSchema})
    def post(self, request: Request, team_id: int) -> Response:
        return _seat_response(request, team_join(actor=_me(request), team_id=team_id))


class TeamEventsView(APIView):
    """The team's event stream after a seq: the REST side of the realtime gap-fill."""

    @extend_schema(
        parameters=[OpenApiParameter("after_seq", int, required=False)],
        responses=inline_serializer(
            "TeamEvents", {"results": serializers.ListField(child=serializers.DictField())}
        ),
    )
    def get(self, request: Request, team_id: int) -> Response:
        try:
            after_seq = max(0, int(request.query_params.get("after_seq", 0)))
        except ValueError as exc:
            raise serializers.ValidationError({"after_seq": ["Must be a number."]}) from exc
        if not team_exists(team_id):
            raise ShopNotFoundError()
        events = team_events_after(team_id=team_id, after_seq=after_seq)
        return Response({"results": [team_envelope(e) for e in events]})


class MyTeamsView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("cursor", str, description="from next/previous")],
        responses=page_schema(
            "MyTeamSeatPage",
            inline_serializer(
                "MyTeamSeat",
                {
                    "team": serializers.IntegerField(),
                    "campaign": serializers.CharField(),
                    "team_status": serializers.CharField(),
                    "seat": serializers.CharField(),
                    "order": serializers.IntegerField(),
                    "order_status": serializers.CharField(),
                },
                many=True,
            ),
        ),
    )
    def get(self, request: Request) -> Response:
        seats, respond = paginate(self, request, teams_of_member(user=_me(request)))
        return respond(
            [
                {
                    "team": seat.team_id,
                    "campaign": seat.team.campaign.title,
                    "team_status": seat.team.status,
                    "seat": seat.status,
                    "order": seat.order_id,
                    "order_status": seat.order.status,
                }
                for seat in seats
            ]
        )
