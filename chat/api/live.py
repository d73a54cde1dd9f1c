"""Livestream API: schedule and list, go live / end, comments, likes, moderation."""

from decimal import Decimal
from typing import cast

from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chat import events
from chat.api.messages.serializers import ChatUserSerializer
from chat.exceptions import NotACreatorError, NotTheHostError, SlowModeError
from chat.models import LiveStream
from chat.selectors import live as sel
from chat.selectors.live import viewers_count
from chat.selectors.live_video import playback_url
from chat.services import live as svc
from community.models import User
from community.selectors.social import user_get_active
from config.pagination import SelectorOrderedCursorPagination, one_page, one_page_schema
from config.parsers import JSONParser
from groupbuy.selectors.catalog import product_get
from realtime.envelopes import server_time

# --- serializers ----------------------------------------------------------------------------------


class LiveStreamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    host = ChatUserSerializer()
    title = serializers.CharField()
    cover_url = serializers.SerializerMethodField()
    starts_at = serializers.DateTimeField()
    stream_url = serializers.CharField()
    playback_url = serializers.SerializerMethodField(
        help_text="What the player loads now: the live HLS playlist, the replay once an ended "
        "stream's recording is ready, the outside stream_url, or empty"
    )
    status = serializers.CharField(help_text="scheduled, live or ended")
    went_live_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    likes = serializers.SerializerMethodField()
    viewers = serializers.SerializerMethodField()
    slow_mode_seconds = serializers.IntegerField()
    pinned_product = serializers.SerializerMethodField()
    last_comment_seq = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_cover_url(self, stream: LiveStream) -> str | None:
        return stream.cover.url if stream.cover else None

    def get_playback_url(self, stream: LiveStream) -> str:
        request = self.context.get("request")
        return playback_url(stream, request.get_host() if request is not None else "")

    def get_likes(self, stream: LiveStream) -> int:
        return svc.live_likes_total(stream)

    def get_viewers(self, stream: LiveStream) -> int:
        return viewers_count(stream.pk) if stream.status == "live" else 0

    @extend_schema_field(serializers.DictField(allow_null=True, help_text="a product card"))
    def get_pinned_product(self, stream: LiveStream) -> dict | None:
        return events.pinned_payload(stream)["product"]

    def get_url(self, stream: LiveStream) -> str:
        return f"/live/{stream.pk}/"


class LiveStreamCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    starts_at = serializers.DateTimeField()
    # Empty: the host streams to our ingest (a stream key from .../ingest/).
    stream_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    cover = serializers.FileField(required=False)

    def validate_stream_url(self, value: str) -> str:
        if value and not value.lower().startswith(("https://", "http://")):
            raise serializers.ValidationError("The stream URL must be http(s).")
        return value

    def validate_title(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Give the stream a title.")
        return value.strip()


class LiveStreamUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120, required=False)
    slow_mode_seconds = serializers.IntegerField(required=False, min_value=0)
    pinned_product = serializers.IntegerField(required=False, allow_null=True, min_value=1)

    def validate_slow_mode_seconds(self, value: int) -> int:
        if value > sel.live_slow_mode_max_seconds():
            raise serializers.ValidationError(
                f"At most {sel.live_slow_mode_max_seconds()} seconds."
            )
        return value


class LiveCommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    seq = serializers.IntegerField()
    user = ChatUserSerializer()
    body = serializers.CharField()
    offset_seconds = serializers.IntegerField(help_text="seconds since the stream went live")
    created_at = serializers.DateTimeField()
    hidden = serializers.SerializerMethodField(
        help_text="hidden by moderation: only its author sees it, until a moderator restores it"
    )

    def get_hidden(self, comment) -> bool:
        return comment.hidden_at is not None


class LiveCommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=500)
    client_msg_id = serializers.RegexField(r"^[A-Za-z0-9_.:-]{1,64}$", max_length=64)

    def validate_body(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Say something.")
        return value.strip()


class LikeSerializer(serializers.Serializer):
    count = serializers.IntegerField(required=False, min_value=1, default=1)

    def validate_count(self, value: int) -> int:
        if value > sel.live_likes_per_request_max():
            raise serializers.ValidationError(
                f"At most {sel.live_likes_per_request_max()} taps at once."
            )
        return value


class MuteSerializer(serializers.Serializer):
    user = serializers.CharField(max_length=150)


# --- views ----------------------------------------------------------------------------------------


def _me(request: Request) -> User:
    return cast(User, request.user)


def _viewer(request: Request) -> User | None:
    return _me(request) if request.user.is_authenticated else None


class _PublicRead(APIView):
    def get_permissions(self):
        if self.request.method == "GET":
            return [AllowAny()]
        return [IsAuthenticated()]


class LiveStreamsPagination(SelectorOrderedCursorPagination):
    # The selector picks the order (replays run newest first); the cursor follows it.
    page_size = 30


class LiveStreamsView(_PublicRead, GenericAPIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    pagination_class = LiveStreamsPagination
    serializer_class = LiveStreamSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status",
                str,
                enum=["scheduled", "live", "ended"],
                description="Without it: live and upcoming streams by start time. "
                "ended: the replays, newest first.",
            )
        ],
        responses=LiveStreamSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            LiveStreamSerializer(page, many=True, context={"request": request}).data
        )

    def get_queryset(self):
        wanted = self.request.query_params.get("status")
        if wanted not in (None, "", "scheduled", "live", "ended"):
            raise serializers.ValidationError({"status": ["scheduled, live or ended"]})
        return sel.livestream_list_paged(status=wanted or None)

    @extend_schema(request=LiveStreamCreateSerializer, responses={201: LiveStreamSerializer})
    def post(self, request: Request) -> Response:
        """Creators schedule a stream (multipart when it has a cover)."""
        if not sel.is_creator(_me(request)):
            raise NotACreatorError()
        data = LiveStreamCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        stream = svc.livestream_create(actor=_me(request), **data.validated_data)
        return Response(
            LiveStreamSerializer(stream, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class LiveStreamDetailView(_PublicRead):
    @extend_schema(responses=LiveStreamSerializer)
    def get(self, request: Request, stream_id: int) -> Response:
        stream = sel.livestream_get(stream_id=stream_id)
        data = dict(LiveStreamSerializer(stream, context={"request": request}).data)
        data["server_time"] = server_time()
        data["muted"] = sel.is_muted(stream=stream, user=_viewer(request))
        data["subscribed"] = sel.is_subscribed(stream=stream, user=_viewer(request))
        return Response(data)

    @extend_schema(request=LiveStreamUpdateSerializer, responses=LiveStreamSerializer)
    def patch(self, request: Request, stream_id: int) -> Response:
        """The host: slow mode, pinned product (null unpins), title."""
        stream = sel.livestream_get(stream_id=stream_id)
        if stream.host_id != _me(request).pk:
            raise NotTheHostError()
        data = LiveStreamUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        pinned = values.get("pinned_product")
        if pinned is not None:
            try:
                product_get(product_id=pinned, viewer=_me(request))
            except Http404 as exc:
                raise serializers.ValidationError({"pinned_product": ["No such product."]}) from exc
        stream = svc.livestream_update(
            actor=_me(request),
            stream=stream,
            slow_mode_seconds=values.get("slow_mode_seconds"),
            pinned_product_id=pinned,
            unpin="pinned_product" in values and pinned is None,
            title=values.get("title"),
        )
        return Response(LiveStreamSerializer(stream, context={"request": request}).data)


def _state_view(start: bool):
    class StateView(APIView):
        @extend_schema(request=None, responses=LiveStreamSerializer)
        def post(self, request: Request, stream_id: int) -> Response:
            stream = sel.livestream_get(stream_id=stream_id)
            action = svc.livestream_start if start else svc.livestream_end
            stream = action(actor=_me(request), stream=stream)
            return Response(LiveStreamSerializer(stream, context={"request": request}).data)

    StateView.__name__ = "LiveStartView" if start else "LiveEndView"
    StateView.__doc__ = (
        "Go live (host); followers are notified." if start else "End the stream (host)."
    )
    return StateView


LiveStartView = _state_view(True)
LiveEndView = _state_view(False)


class LiveCommentsView(_PublicRead):
    @extend_schema(
        parameters=[
            OpenApiParameter("after_seq", int, description="comments after this seq"),
            OpenApiParameter("limit", int, description="at most 500 (default 200)"),
        ],
        # API.md's list shape; the next page is asked for with after_seq, not a cursor.
        responses=one_page_schema("LiveCommentPage", LiveCommentSerializer(many=True)),
    )
    def get(self, request: Request, stream_id: int) -> Response:
        """Comments in seq order with their offsets: gap fill while live, the replay after."""
        stream = sel.livestream_get(stream_id=stream_id)
        try:
            after_seq = int(request.query_params.get("after_seq", 0))
            limit = int(request.query_params.get("limit", 200))
        except ValueError as exc:
            raise serializers.ValidationError({"after_seq": ["An integer."]}) from exc
        if after_seq < 0 or limit < 1:
            raise serializers.ValidationError({"after_seq": ["Not negative."]})
        comments = sel.live_comments(
            stream=stream, after_seq=after_seq, limit=limit, viewer_id=request.user.pk
        )
        return Response(one_page(LiveCommentSerializer(comments, many=True).data))

    @extend_schema(
        request=LiveCommentCreateSerializer,
        parameters=[
            OpenApiParameter(
                "Retry-After",
                int,
                OpenApiParameter.HEADER,
                response=[429],
                description="seconds to wait",
            )
        ],
        responses={
            201: LiveCommentSerializer,
            200: OpenApiResponse(LiveCommentSerializer, description="A retry: the same comment"),
            429: OpenApiResponse(
                inline_serializer(
                    "LiveCommentThrottled",
                    {
                        "code": serializers.CharField(help_text="throttled"),
                        "detail": serializers.CharField(),
                        "reason": serializers.CharField(help_text="slow_mode"),
                        "retry_after": serializers.IntegerField(help_text="seconds"),
                    },
                ),
                description="Slow mode: wait Retry-After seconds before the next comment",
            ),
        },
    )
    def post(self, request: Request, stream_id: int) -> Response:
        """Comment (persisted at once; viewers get it in the next live.comments.batch)."""
        stream = sel.livestream_get(stream_id=stream_id)
        data = LiveCommentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            comment, created = svc.live_comment_post(
                actor=_me(request), stream=stream, **data.validated_data
            )
        except SlowModeError as exc:
            # Built here rather than by the project's handler, which sets no Retry-After header
            # for domain errors; the body keeps the error's reason and retry_after.
            return Response(
                {"code": exc.code, "detail": exc.detail, **exc.extra},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(exc.retry_after)},
            )
        return Response(
            LiveCommentSerializer(comment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class LiveCommentDetailView(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, stream_id: int, seq: int) -> Response:
        """The host or a moderator removes a comment."""
        stream = sel.livestream_get(stream_id=stream_id)
        svc.live_comment_delete(actor=_me(request), stream=stream, seq=seq)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LiveLikesView(APIView):
    @extend_schema(
        request=LikeSerializer,
        responses={
            202: inline_serializer(
                "LiveLikes",
                {"likes": serializers.IntegerField(help_text="the stream's total so far")},
            )
        },
    )
    def post(self, request: Request, stream_id: int) -> Response:
        """Tap like; counted at once, pushed to viewers at most once a second."""
        stream = sel.livestream_get(stream_id=stream_id)
        data = LikeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        total = svc.live_like(actor=_me(request), stream=stream, count=data.validated_data["count"])
        return Response({"likes": total}, status=status.HTTP_202_ACCEPTED)


class LiveMutesView(APIView):
    @extend_schema(request=MuteSerializer, responses={201: None, 200: None})
    def post(self, request: Request, stream_id: int) -> Response:
        """The host or a moderator mutes a viewer in this stream."""
        stream = sel.livestream_get(stream_id=stream_id)
        if not sel.can_moderate(_me(request), stream):
            raise NotTheHostError()
        data = MuteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_get_active(username=data.validated_data["user"])
        created = svc.live_mute(actor=_me(request), stream=stream, user=user)
        return Response(
            {"user": user.username, "muted": True},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class LiveSubscriptionView(APIView):
    """Tell me when this scheduled stream goes live (followers of the host are told anyway)."""

    @extend_schema(
        request=None,
        responses={
            201: inline_serializer("LiveSubscribed", {"subscribed": serializers.BooleanField()}),
            200: OpenApiResponse(description="Already subscribed: the same answer"),
        },
    )
    def post(self, request: Request, stream_id: int) -> Response:
        stream = sel.livestream_get(stream_id=stream_id)
        created = svc.live_subscribe(actor=_me(request), stream=stream)
        return Response(
            {"subscribed": True}, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, stream_id: int) -> Response:
        stream = sel.livestream_get(stream_id=stream_id)
        svc.live_unsubscribe(actor=_me(request), stream=stream)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LiveMuteDetailView(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, stream_id: int, username: str) -> Response:
        stream = sel.livestream_get(stream_id=stream_id)
        if not sel.can_moderate(_me(request), stream):
            raise NotTheHostError()
        user = user_get_active(username=username)
        svc.live_unmute(actor=_me(request), stream=stream, user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LiveDealSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["flash_sale", "group_buy"])
    product = serializers.IntegerField(min_value=1)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    stock = serializers.IntegerField(min_value=1, max_value=100_000)
    minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
    per_user_limit = serializers.IntegerField(min_value=1, max_value=100, default=1)
    team_size = serializers.IntegerField(min_value=2, max_value=10, default=2)


class LiveDealsView(APIView):
    @extend_schema(
        request=LiveDealSerializer,
        responses={
            201: inline_serializer(
                "LiveDeal",
                {
                    "kind": serializers.CharField(),
                    "id": serializers.IntegerField(),
                    "url": serializers.CharField(),
                    "stream": serializers.IntegerField(),
                    "product": serializers.IntegerField(),
                    "price": serializers.DecimalField(max_digits=12, decimal_places=2),
                    "ends_at": serializers.DateTimeField(),
                },
            )
        },
    )
    def post(self, request: Request, stream_id: int) -> Response:
        """The host launches a flash sale or group buy that opens now (products of their
        storefront, at a bounded price)."""
        stream = sel.livestream_get(stream_id=stream_id)
        data = LiveDealSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        deal = svc.live_deal_launch(
            actor=_me(request), stream=stream, product_id=values.pop("product"), **values
        )
        return Response(deal, status=status.HTTP_201_CREATED)
