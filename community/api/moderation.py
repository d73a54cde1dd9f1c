"""Moderation over REST: reports, the moderators' queue and decisions, watched words, a member's
decisions and appeals, and the public log (API.md "Moderation")."""

from typing import cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.exceptions import ForbiddenError, ModerationItemNotFoundError
from community.models import (
    Action,
    ItemStatus,
    ModerationItem,
    ReportCategory,
    User,
    WordAction,
)
from community.selectors import moderation as selectors
from community.selectors.accounts import can_moderate_content
from community.services.moderation import decisions, reports, words
from config.pagination import page_schema, paginate

# --- permissions ------------------------------------------------------------------------------


class IsModerator(permissions.BasePermission):
    """Moderators and staff; anyone else signed in gets 403 ``forbidden``."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not can_moderate_content(request.user):
            raise ForbiddenError()
        return True


# --- serializers ------------------------------------------------------------------------------


class ReportInSerializer(serializers.Serializer):
    target_type = serializers.CharField(max_length=32)
    target_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    category = serializers.ChoiceField(choices=ReportCategory.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ReportOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class ItemSerializer(serializers.ModelSerializer):
    claimed_by = serializers.SerializerMethodField()
    preview = serializers.SerializerMethodField()

    class Meta:
        model = ModerationItem
        fields = [
            "id",
            "target_type",
            "target_id",
            "source",
            "status",
            "score",
            "reports_count",
            "categories",
            "hidden",
            "version",
            "claimed_by",
            "preview",
            "note",
            "created_at",
        ]

    def get_claimed_by(self, item: ModerationItem) -> str | None:
        return item.claimed_by.username if item.claimed_by else None

    def get_preview(self, item: ModerationItem) -> dict:
        previews = self.context.get("previews")
        if previews is None:
            previews = selectors.previews_for([item])
        return previews.get(item.pk, {})


class DecideInSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=Action.choices)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=0)
    duration_hours = serializers.IntegerField(
        min_value=1, max_value=24 * 365, required=False, allow_null=True, default=None
    )


class ActInSerializer(serializers.Serializer):
    target_type = serializers.CharField(max_length=32)
    target_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    action = serializers.CharField(max_length=16)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    duration_hours = serializers.IntegerField(
        min_value=1, max_value=24 * 365, required=False, allow_null=True, default=None
    )
    category = serializers.ChoiceField(
        choices=ReportCategory.choices, required=False, allow_blank=True, default=""
    )


class WatchedWordSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    word = serializers.CharField(max_length=100)
    action = serializers.ChoiceField(choices=WordAction.choices)
    created_at = serializers.DateTimeField(read_only=True)


class MyDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.CharField()
    reason = serializers.CharField()
    target_type = serializers.CharField()
    target_id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    reversed = serializers.SerializerMethodField()
    appealable = serializers.SerializerMethodField()
    appeal = serializers.SerializerMethodField()

    def get_reversed(self, decision) -> bool:
        return decision.reversed_at is not None

    def get_appealable(self, decision) -> bool:
        return selectors.decision_appealable(decision)

    def get_appeal(self, decision) -> dict | None:
        if not selectors.hasattr_appeal(decision):
            return None
        appeal = decision.appeal
        status_ = (
            "pending" if appeal.granted is None else ("granted" if appeal.granted else "denied")
        )
        return {"id": appeal.pk, "status": status_, "created_at": appeal.created_at}


class AppealInSerializer(serializers.Serializer):
    decision = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    body = serializers.CharField(max_length=2000, allow_blank=False)


class PublicLogSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.CharField()
    target_type = serializers.CharField()
    category = serializers.CharField()
    reason = serializers.CharField()
    at = serializers.DateTimeField(source="created_at")


# --- views ------------------------------------------------------------------------------------


class ReportCreateView(APIView):
    @extend_schema(request=ReportInSerializer, responses={201: ReportOutSerializer})
    def post(self, request: Request) -> Response:
        body = ReportInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = reports.report_create(reporter=cast(User, request.user), **body.validated_data)
        return Response({"id": report.pk, "status": report.status}, status=status.HTTP_201_CREATED)


def _item_response(item: ModerationItem, *, detail: bool = False) -> dict:
    data = ItemSerializer(item).data
    if detail:
        data.update(selectors.item_detail(item))
    return data


class QueueView(APIView):
    permission_classes = [IsModerator]

    @extend_schema(
        parameters=[
            OpenApiParameter("type", OpenApiTypes.STR),
            OpenApiParameter("category", OpenApiTypes.STR),
            OpenApiParameter("status", OpenApiTypes.STR, enum=ItemStatus.values),
        ],
        responses=page_schema("ModerationQueuePage", ItemSerializer(many=True)),
    )
    def get(self, request: Request) -> Response:
        status_ = request.query_params.get("status") or None
        if status_ is not None and status_ not in ItemStatus.values:
            status_ = "none"
        items = selectors.queue_items(
            target_type=request.query_params.get("type") or None,
            category=request.query_params.get("category") or None,
            status=status_,
        )
        page, respond = paginate(self, request, items, page_size=20)
        previews = selectors.previews_for(page)
        return respond(ItemSerializer(page, many=True, context={"previews": previews}).data)


class ItemView(APIView):
    permission_classes = [IsModerator]

    @extend_schema(responses=ItemSerializer)
    def get(self, request: Request, item_id: int) -> Response:
        item = ModerationItem.objects.select_related("claimed_by").filter(pk=item_id).first()
        if item is None:
            raise ModerationItemNotFoundError()
        return Response(_item_response(item, detail=True))


class ItemClaimView(APIView):
    permission_classes = [IsModerator]

    @extend_schema(request=None, responses=ItemSerializer)
    def post(self, request: Request, item_id: int) -> Response:
        item = decisions.item_claim(moderator=cast(User, request.user), item_id=item_id)
        return Response(_item_response(item))


class ItemDecideView(APIView):
    permission_classes = [IsModerator]

    @extend_schema(request=DecideInSerializer, responses=ItemSerializer)
    def post(self, request: Request, item_id: int) -> Response:
        body = DecideInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = decisions.item_decide(
            moderator=cast(User, request.user), item_id=item_id, **body.validated_data
        )
        return Response(_item_response(item))


class ActView(APIView):
    """A moderator acts on content where they see it (a live page): no trip to the queue."""

    permission_classes = [IsModerator]

    @extend_schema(request=ActInSerializer, responses=ItemSerializer)
    def post(self, request: Request) -> Response:
        body = ActInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = decisions.content_act(moderator=cast(User, request.user), **body.validated_data)
        return Response(_item_response(item))


class WatchedWordsView(APIView):
    permission_classes = [IsModerator]

    @extend_schema(responses=page_schema("WatchedWordPage", WatchedWordSerializer(many=True)))
    def get(self, request: Request) -> Response:
        page, respond = paginate(self, request, selectors.watched_words(), page_size=100)
        return respond(WatchedWordSerializer(page, many=True).data)

    @extend_schema(request=WatchedWordSerializer, responses={201: WatchedWordSerializer})
    def post(self, request: Request) -> Response:
        body = WatchedWordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        word = words.watched_word_add(actor=cast(User, request.user), **body.validated_data)
        return Response(WatchedWordSerializer(word).data, status=status.HTTP_201_CREATED)


class WatchedWordView(APIView):
    permission_classes = [IsModerator]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, word_id: int) -> Response:
        if not words.watched_word_remove(actor=cast(User, request.user), word_id=word_id):
            return Response(
                {"code": "not_found", "detail": "No such watched word."},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyModerationView(APIView):
    @extend_schema(responses=page_schema("MyModerationPage", MyDecisionSerializer(many=True)))
    def get(self, request: Request) -> Response:
        page, respond = paginate(self, request, selectors.decisions_about(request.user))
        return respond(MyDecisionSerializer(page, many=True).data)


class AppealCreateView(APIView):
    @extend_schema(request=AppealInSerializer, responses={201: ReportOutSerializer})
    def post(self, request: Request) -> Response:
        body = AppealInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        appeal = decisions.appeal_create(
            author=cast(User, request.user),
            decision_id=body.validated_data["decision"],
            body=body.validated_data["body"],
        )
        return Response({"id": appeal.pk, "status": "pending"}, status=status.HTTP_201_CREATED)


class PublicLogView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=page_schema("ModerationLogPage", PublicLogSerializer(many=True)))
    def get(self, request: Request) -> Response:
        page, respond = paginate(self, request, selectors.public_log())
        return respond(PublicLogSerializer(page, many=True).data)
