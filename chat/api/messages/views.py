"""Messages API: the window of a room's messages, send (text, card, image), edit, delete, react,
read state. Input serializer -> service/selector -> output serializer.

Rooms one cannot see: an unknown id is 404 ``not_found``; an existing room of which the caller is
not a member is 403 ``not_a_member`` (for every endpoint, and nothing changes).
"""

from typing import cast

from django.http import QueryDict
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import Throttled
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chat.api.messages import serializers as s
from chat.exceptions import ChatThrottledError, InvalidEmojiError
from chat.models import Message
from chat.selectors.messages import MESSAGE_PAGE_DEFAULT, message_get_in_room, messages_window
from chat.selectors.rooms import room_get_for_member
from chat.services.messages import (
    message_delete,
    message_edit,
    message_send,
    message_send_image,
    reaction_add,
    reaction_remove,
    room_mark_read,
)
from community.models import User


def _me(request: Request) -> User:
    return cast(User, request.user)


def _window_url(request: Request, **params: int) -> str:
    query = QueryDict(mutable=True)
    for key in ("limit", "q"):
        if key in request.query_params:
            query[key] = request.query_params[key]
    for key, value in params.items():
        query[key] = str(value)
    return request.build_absolute_uri(request.path) + "?" + query.urlencode()


class MessagesView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("after_seq", int, description="messages after this seq (gap fill)"),
            OpenApiParameter("before_seq", int, description="history before this seq"),
            OpenApiParameter("limit", int, description="at most 200 (default 50)"),
            OpenApiParameter("q", str, description="search the text within this room"),
        ],
        responses=s.MessageWindowSerializer,
    )
    def get(self, request: Request, room_id: int) -> Response:
        """Messages in ascending seq: after ``after_seq``, or the newest before ``before_seq``."""
        room, _ = room_get_for_member(room_id=room_id, user=_me(request))
        query = s.MessageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        limit = params.get("limit", MESSAGE_PAGE_DEFAULT)
        messages = messages_window(
            room=room,
            after_seq=params.get("after_seq"),
            before_seq=params.get("before_seq"),
            q=params.get("q"),
            limit=limit,
            viewer_id=request.user.pk,
        )
        forward = params.get("after_seq") is not None
        full = len(messages) == limit
        next_url = _window_url(request, after_seq=messages[-1].seq) if forward and full else None
        previous_url = (
            _window_url(request, before_seq=messages[0].seq) if not forward and full else None
        )
        return Response(
            {
                "next": next_url,
                "previous": previous_url,
                "results": s.MessageSerializer(
                    messages, many=True, context={"viewer": _me(request)}
                ).data,
            }
        )

    @extend_schema(
        request=s.MessageCreateSerializer,
        responses={
            201: s.MessageSerializer,
            200: OpenApiResponse(s.MessageSerializer, description="A retry: the same message"),
        },
    )
    def post(self, request: Request, room_id: int) -> Response:
        me = _me(request)
        room, _ = room_get_for_member(room_id=room_id, user=me)
        data = s.MessageCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        card = data.validated_data.get("card")
        try:
            message, created = message_send(
                actor=me,
                room=room,
                body=data.validated_data["body"],
                client_msg_id=data.validated_data["client_msg_id"],
                reply_to=data.validated_data.get("reply_to"),
                card=(card["kind"], card["id"]) if card else None,
            )
        except ChatThrottledError as exc:
            # DRF's Throttled renders code "throttled" with the Retry-After header API.md asks for.
            raise Throttled(wait=exc.retry_after, detail=exc.detail) from exc
        return Response(
            s.MessageSerializer(message, context={"viewer": me}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ImageMessageView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": s.ImageMessageSerializer},
        responses={
            201: s.MessageSerializer,
            200: OpenApiResponse(s.MessageSerializer, description="A retry: the same message"),
        },
    )
    def post(self, request: Request, room_id: int) -> Response:
        """Send an image (JPEG, PNG or WebP): re-encoded, resized and thumbnailed."""
        me = _me(request)
        room, _ = room_get_for_member(room_id=room_id, user=me)
        data = s.ImageMessageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            message, created = message_send_image(
                actor=me,
                room=room,
                image=data.validated_data["image"],
                client_msg_id=data.validated_data["client_msg_id"],
                body=data.validated_data["body"].strip(),
            )
        except ChatThrottledError as exc:
            raise Throttled(wait=exc.retry_after, detail=exc.detail) from exc
        return Response(
            s.MessageSerializer(message, context={"viewer": me}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class MessageDetailView(APIView):
    def _message(self, request: Request, room_id: int, message_id: int) -> Message:
        room, _ = room_get_for_member(room_id=room_id, user=_me(request))
        return message_get_in_room(room=room, message_id=message_id, viewer_id=request.user.pk)

    @extend_schema(request=s.MessageEditSerializer, responses=s.MessageSerializer)
    def patch(self, request: Request, room_id: int, message_id: int) -> Response:
        message = self._message(request, room_id, message_id)
        data = s.MessageEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = message_edit(
            actor=_me(request), message=message, body=data.validated_data["body"]
        )
        return Response(s.MessageSerializer(message, context={"viewer": _me(request)}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, room_id: int, message_id: int) -> Response:
        message = self._message(request, room_id, message_id)
        message_delete(actor=_me(request), message=message)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReadView(APIView):
    @extend_schema(request=s.ReadSerializer, responses={204: None})
    def post(self, request: Request, room_id: int) -> Response:
        room, _ = room_get_for_member(room_id=room_id, user=_me(request))
        data = s.ReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        room_mark_read(actor=_me(request), room=room, seq=data.validated_data["seq"])
        return Response(status=status.HTTP_204_NO_CONTENT)


def _emoji(value: str) -> str:
    """One emoji (a short run of non-ASCII symbols, joiners and variation selectors allowed)."""
    value = value.strip()
    if not value or len(value) > 16 or any(ch.isspace() or ch.isascii() for ch in value):
        raise InvalidEmojiError()
    return value


class ReactionsView(APIView):
    @extend_schema(
        request=s.ReactionSerializer,
        responses={
            201: s.ReactionResultSerializer,
            200: OpenApiResponse(s.ReactionResultSerializer, description="Already reacted"),
        },
    )
    def post(self, request: Request, room_id: int, message_id: int) -> Response:
        me = _me(request)
        room, _ = room_get_for_member(room_id=room_id, user=me)
        message = message_get_in_room(room=room, message_id=message_id, viewer_id=me.pk)
        data = s.ReactionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        emoji = _emoji(data.validated_data["emoji"])
        count, created = reaction_add(actor=me, message=message, emoji=emoji)
        return Response(
            {"emoji": emoji, "count": count},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ReactionDetailView(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, room_id: int, message_id: int, emoji: str) -> Response:
        me = _me(request)
        room, _ = room_get_for_member(room_id=room_id, user=me)
        message = message_get_in_room(room=room, message_id=message_id, viewer_id=me.pk)
        reaction_remove(actor=me, message=message, emoji=_emoji(emoji))
        return Response(status=status.HTTP_204_NO_CONTENT)
