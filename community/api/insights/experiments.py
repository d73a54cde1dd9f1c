"""Experiments over REST (API.md "Insights"): staff create and read results; any member (or an
anonymous visitor with ``X-Visitor-Id``) asks for their assignment."""

import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.exceptions import ExperimentNotFoundError, ForbiddenError, VisitorIdRequiredError
from community.models import Experiment
from community.selectors.insights import experiments as selectors
from community.services.insights import experiments as services
from config.pagination import page_schema, paginate

VISITOR_RE = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")


class IsInsightsStaff(permissions.BasePermission):
    """Staff only; anyone else signed in gets 403 ``forbidden``."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not selectors.can_view_insights(request.user):
            raise ForbiddenError("Insights are for staff.")
        return True


class VariantSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=32)
    weight = serializers.FloatField(min_value=0.0, max_value=1_000_000)


class ExperimentInSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=64)
    variants = VariantSerializer(many=True)
    goal_event = serializers.CharField(max_length=64)
    window_hours = serializers.IntegerField(min_value=1, max_value=30 * 24, default=72)
    planned_per_variant = serializers.IntegerField(min_value=1, max_value=10_000_000, default=1000)


class ExperimentOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Experiment
        fields = ["key", "variants", "goal_event", "window_hours", "planned_per_variant"]
        read_only_fields = fields


class ExperimentOutWithDateSerializer(ExperimentOutSerializer):
    class Meta(ExperimentOutSerializer.Meta):
        fields = [*ExperimentOutSerializer.Meta.fields, "created_at"]
        read_only_fields = fields


class ExperimentsView(APIView):
    permission_classes = [IsInsightsStaff]

    @extend_schema(
        operation_id="v1_experiments_list",
        responses=page_schema("ExperimentPage", ExperimentOutWithDateSerializer(many=True)),
    )
    def get(self, request: Request) -> Response:
        page, respond = paginate(self, request, selectors.experiment_list())
        return respond(ExperimentOutWithDateSerializer(page, many=True).data)

    @extend_schema(request=ExperimentInSerializer, responses={201: ExperimentOutSerializer})
    def post(self, request: Request) -> Response:
        data = ExperimentInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        experiment = services.experiment_create(actor=request.user, **data.validated_data)
        return Response(ExperimentOutSerializer(experiment).data, status=status.HTTP_201_CREATED)


class AssignmentView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "X-Visitor-Id",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="An anonymous visitor's id (8-64 of A-Z a-z 0-9 _ . : -)",
            )
        ],
        responses=inline_serializer(
            "Assignment", {"key": serializers.CharField(), "variant": serializers.CharField()}
        ),
    )
    def get(self, request: Request, key: str) -> Response:
        visitor_id = request.headers.get("X-Visitor-Id", "").strip()
        if visitor_id and not VISITOR_RE.match(visitor_id):
            raise VisitorIdRequiredError("X-Visitor-Id must be 8 to 64 letters, digits or _.:-")
        member = request.user if request.user.is_authenticated else None
        if member is None and not visitor_id:
            raise VisitorIdRequiredError()
        experiment, variant = services.experiment_assign(
            key=key, user=member, visitor_id=visitor_id
        )
        return Response({"key": experiment.key, "variant": variant})


class ResultsView(APIView):
    permission_classes = [IsInsightsStaff]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, key: str) -> Response:
        experiment = selectors.experiment_get(key=key)
        if experiment is None:
            raise ExperimentNotFoundError()
        return Response(selectors.experiment_results(experiment))
