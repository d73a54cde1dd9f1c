"""Chat REST API: input serializer -> service/selector -> output serializer.

Rooms one cannot see: an unknown id is 404 ``not_found``; an existing room of which the caller is
not a member is 403 ``not_a_member`` (for every endpoint, and nothing changes).
"""

from typing import cast

from django.db.models.functions import Lower
from django.http import QueryDict
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import Throttled
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chat import selectors, services
from chat.api import serializers as s
from chat.exceptions import ChatThrottledError, InvalidEmojiError, UnknownUsersError
from chat.models import Message, RoomKind, RoomMember
from chat.presence import presence_of_contacts
from community.models import User
from community.selectors.social import active_users, user_get_active


class RoomsPagination(CursorPagination):
    """My rooms, the most recently active first."""

    ordering = ("-activity_at", "-id")
    page_size = 30
    page_size_query_param = "page_size"
    max_page_size = 100


def _me(request: Request) -> User:
    return cast(User, request.user)


def _room_data(membership: RoomMember, *, user: User, detail: bool = False) -> dict:
    selectors.rooms_decorate([membership], user=user)
    if detail:
        members = list(selectors.room_members(room=membership.room))
        return dict(
            s.RoomDetailSerializer(membership, context={"members": members, "viewer": user}).data
        )
    return dict(s.RoomSerializer(membership, context={"viewer": user}).data)


def _users_named(usernames: list[str], field: str) -> list[User]:
    """Active members by username (any case); 400 ``unknown_users`` naming the missing ones."""
    wanted = {name.lower(): name for name in usernames}
    users: list[User] = list(
        active_users().annotate(lower_name=Lower("username")).filter(lower_name__in=list(wanted))
    )
    missing = set(wanted) - {user.username.lower() for user in users}
    if missing:
        raise UnknownUsersError(fields={field: sorted(wanted[name] for name in missing)})
    return users


class RoomsView(GenericAPIView):
    serializer_class = s.RoomSerializer
    pagination_class = RoomsPagination

    def get_queryset(self):
        return selectors.my_rooms(user=_me(self.request))

    @extend_schema(responses=s.RoomSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        memberships = selectors.rooms_decorate(list(page or []), user=_me(request))
        return self.get_paginated_response(
            s.RoomSerializer(memberships, many=True, context={"viewer": _me(request)}).data
        )

    @extend_schema(
        request=s.RoomCreateSerializer,
        responses={
            201: s.RoomDetailSerializer,
            200: OpenApiResponse(s.RoomDetailSerializer, description="The pair's existing room"),
        },
    )
    def post(self, request: Request) -> Response:
        data = s.RoomCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        me = _me(request)
        if data.validated_data["kind"] == RoomKind.DIRECT:
            other = user_get_active(username=data.validated_data["user"])
            room, created = services.room_direct_get_or_create(actor=me, other=other)
        else:
            members = _users_named(data.validated_data.get("members", []), "members")
            room = services.room_group_create(
                actor=me, title=data.validated_data["title"], members=members
            )
            created = True
        _, membership = selectors.room_get_for_member(room_id=room.pk, user=me)
        return Response(
            _room_data(membership, user=me, detail=True),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class RoomDetailView(APIView):
    @extend_schema(responses=s.RoomDetailSerializer)
    def get(self, request: Request, room_id: int) -> Response:
        _, membership = selectors.room_get_for_member(room_id=room_id, user=_me(request))
        return Response(_room_data(membership, user=_me(request), detail=True))


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
        room, _ = selectors.room_get_for_member(room_id=room_id, user=_me(request))
        query = s.MessageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        limit = params.get("limit", selectors.MESSAGE_PAGE_DEFAULT)
        messages = selectors.messages_window(
            room=room,
            after_seq=params.get("after_seq"),
            before_seq=params.get("before_seq"),
            q=params.get("q"),
            limit=limit,
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
        room, _ = selectors.room_get_for_member(room_id=room_id, user=me)
        data = s.MessageCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        card = data.validated_data.get("card")
        try:
            message, created = services.message_send(
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
        room, _ = selectors.room_get_for_member(room_id=room_id, user=me)
        data = s.ImageMessageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            message, created = services.message_send_image(
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
        room, _ = selectors.room_get_for_member(room_id=room_id, user=_me(request))
        return selectors.message_get_in_room(room=room, message_id=message_id)

    @extend_schema(request=s.MessageEditSerializer, responses=s.MessageSerializer)
    def patch(self, request: Request, room_id: int, message_id: int) -> Response:
        message = self._message(request, room_id, message_id)
        data = s.MessageEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.message_edit(
            actor=_me(request), message=message, body=data.validated_data["body"]
        )
        return Response(s.MessageSerializer(message, context={"viewer": _me(request)}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, room_id: int, message_id: int) -> Response:
        message = self._message(request, room_id, message_id)
        services.message_delete(actor=_me(request), message=message)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReadView(APIView):
    @extend_schema(request=s.ReadSerializer, responses={204: None})
    def post(self, request: Request, room_id: int) -> Response:
        room, _ = selectors.room_get_for_member(room_id=room_id, user=_me(request))
        data = s.ReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.room_mark_read(actor=_me(request), room=room, seq=data.validated_data["seq"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class MembersView(APIView):
    @extend_schema(request=s.MembersAddSerializer, responses=s.RoomDetailSerializer)
    def post(self, request: Request, room_id: int) -> Response:
        me = _me(request)
        room, membership = selectors.room_get_for_member(room_id=room_id, user=me)
        data = s.MembersAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        users = _users_named(data.validated_data["members"], "members")
        services.room_members_add(actor=me, room=room, users=users)
        return Response(_room_data(membership, user=me, detail=True))


class MemberDetailView(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, room_id: int, username: str) -> Response:
        me = _me(request)
        room, _ = selectors.room_get_for_member(room_id=room_id, user=me)
        user = user_get_active(username=username)
        services.room_members_remove(actor=me, room=room, user=user)
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
        room, _ = selectors.room_get_for_member(room_id=room_id, user=me)
        message = selectors.message_get_in_room(room=room, message_id=message_id)
        data = s.ReactionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        emoji = _emoji(data.validated_data["emoji"])
        count, created = services.reaction_add(actor=me, message=message, emoji=emoji)
        return Response(
            {"emoji": emoji, "count": count},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ReactionDetailView(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, room_id: int, message_id: int, emoji: str) -> Response:
        me = _me(request)
        room, _ = selectors.room_get_for_member(room_id=room_id, user=me)
        message = selectors.message_get_in_room(room=room, message_id=message_id)
        services.reaction_remove(actor=me, message=message, emoji=_emoji(emoji))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PresenceView(APIView):
    @extend_schema(responses=s.PresenceListSerializer)
    def get(self, request: Request) -> Response:
        """Who of my contacts (mutual follows, direct-room peers) is online right now."""
        rows = presence_of_contacts(viewer=_me(request))
        return Response({"results": s.PresenceSerializer(rows, many=True).data})
