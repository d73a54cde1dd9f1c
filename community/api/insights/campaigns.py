"""Campaigns to a segment over REST, staff only: create a draft, send it, read its uplift."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.api.insights.experiments import IsInsightsStaff
from community.exceptions import CampaignNotFoundError
from community.models import Campaign, CampaignSegment
from community.selectors.insights import campaigns as selectors
from community.services.insights import campaigns as services
from config.pagination import page_schema, paginate


class CampaignInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    segment = serializers.ChoiceField(choices=CampaignSegment.choices)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    body = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    reward_kind = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    reward_ref = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, required=False, allow_null=True, default=None
    )
    holdout_percent = serializers.IntegerField(min_value=1, max_value=50, default=10)
    goal_event = serializers.CharField(max_length=64)
    window_hours = serializers.IntegerField(min_value=1, max_value=30 * 24, default=168)


class CampaignOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "segment",
            "title",
            "body",
            "reward_kind",
            "reward_ref",
            "holdout_percent",
            "goal_event",
            "window_hours",
            "status",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields


def _campaign(campaign_id: int) -> Campaign:
    campaign = selectors.campaign_get(campaign_id=campaign_id)
    if campaign is None:
        raise CampaignNotFoundError()
    return campaign


class CampaignsView(APIView):
    permission_classes = [IsInsightsStaff]

    @extend_schema(
        operation_id="v1_insights_campaigns_list",
        responses=page_schema("CampaignPage", CampaignOutSerializer(many=True)),
    )
    def get(self, request: Request) -> Response:
        page, respond = paginate(self, request, selectors.campaign_list())
        return respond(CampaignOutSerializer(page, many=True).data)

    @extend_schema(request=CampaignInSerializer, responses={201: CampaignOutSerializer})
    def post(self, request: Request) -> Response:
        data = CampaignInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = services.campaign_create(actor=request.user, **data.validated_data)
        return Response(CampaignOutSerializer(campaign).data, status=status.HTTP_201_CREATED)


class CampaignView(APIView):
    permission_classes = [IsInsightsStaff]

    @extend_schema(responses=CampaignOutSerializer)
    def get(self, request: Request, campaign_id: int) -> Response:
        return Response(CampaignOutSerializer(_campaign(campaign_id)).data)


class CampaignSendView(APIView):
    permission_classes = [IsInsightsStaff]

    @extend_schema(request=None, responses={202: CampaignOutSerializer})
    def post(self, request: Request, campaign_id: int) -> Response:
        campaign = services.campaign_send(actor=request.user, campaign_id=campaign_id)
        return Response(CampaignOutSerializer(campaign).data, status=status.HTTP_202_ACCEPTED)


class CampaignResultsView(APIView):
    permission_classes = [IsInsightsStaff]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, campaign_id: int) -> Response:
        return Response(selectors.campaign_results(_campaign(campaign_id)))


class CampaignRewardsView(APIView):
    """What a campaign may grant (registered by higher apps), for the create form."""

    permission_classes = [IsInsightsStaff]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        rewards = services.campaign_rewards()
        return Response(
            {
                "results": [
                    {
                        "kind": kind,
                        "label": reward.label,
                        "choices": [
                            {"ref": ref, "label": label} for ref, label in reward.choices()
                        ],
                    }
                    for kind, reward in sorted(rewards.items())
                ]
            }
        )
