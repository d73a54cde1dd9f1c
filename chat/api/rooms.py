"""Rooms API: my rooms, direct and group rooms, their members.

Rooms one cannot see: an unknown id is 404 ``not_found``; an existing room of which the caller is
not a member is 403 ``not_a_member`` (for every endpoint, and nothing changes).
"""

from typing import cast

from django.db.models.functions import Lower
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chat.api.messages.serializers import ChatUserSerializer, MessageSerializer, render_cards
from chat.exceptions import UnknownUsersError
from chat.models import ROOM_TITLE_MAX_LENGTH, RoomKind, RoomMember
from chat.selectors.rooms import (
    GROUP_MAX_MEMBERS,
    my_rooms,
    room_display_title,
    room_get_for_member,
    room_members,
    rooms_decorate,
)
from chat.services.rooms import (
    room_direct_get_or_create,
    room_group_create,
    room_members_add,
    room_members_remove,
)
from community.models import User
from community.selectors.social import active_users, user_get_active

# --- serializers ----------------------------------------------------------------------------------


class RoomListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        memberships = list(data.all() if hasattr(data, "all") else data)
        last = [getattr(m.room, "last_message", None) for m in memberships]
        render_cards(self.context, last)
        return super().to_representation(memberships)


class RoomSerializer(serializers.Serializer):
    """A room as one member sees it: their read state and role included; pass
    ``context={"viewer": user}`` so the last message's card is theirs."""

    class Meta:
        list_serializer_class = RoomListSerializer

    id = serializers.IntegerField(source="room.id")
    kind = serializers.CharField(source="room.kind", help_text="direct, group or community")
    title = serializers.SerializerMethodField()
    community = serializers.IntegerField(source="room.community_id", allow_null=True)
    peer = serializers.SerializerMethodField()
    last_seq = serializers.IntegerField(source="room.last_seq")
    last_read_seq = serializers.IntegerField()
    unread_count = serializers.SerializerMethodField()
    role = serializers.CharField()
    muted = serializers.BooleanField()
    last_message = serializers.SerializerMethodField()
    last_activity_at = serializers.DateTimeField(source="room.last_activity_at")
    created_at = serializers.DateTimeField(source="room.created_at")

    def get_title(self, membership: RoomMember) -> str:
        return room_display_title(membership.room, getattr(membership.room, "peer", None))

    @extend_schema_field(ChatUserSerializer(allow_null=True))
    def get_peer(self, membership: RoomMember) -> dict | None:
        peer = getattr(membership.room, "peer", None)
        return dict(ChatUserSerializer(peer).data) if peer is not None else None

    def get_unread_count(self, membership: RoomMember) -> int:
        return max(0, membership.room.last_seq - membership.last_read_seq)

    @extend_schema_field(MessageSerializer(allow_null=True))
    def get_last_message(self, membership: RoomMember) -> dict | None:
        message = getattr(membership.room, "last_message", None)
        if message is None:
            return None
        return dict(MessageSerializer(message, context=self.context).data)


class RoomMemberSerializer(serializers.Serializer):
    user = ChatUserSerializer()
    role = serializers.CharField()
    last_read_seq = serializers.IntegerField()
    joined_at = serializers.DateTimeField()


class RoomDetailSerializer(RoomSerializer):
    member_count = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()

    def get_member_count(self, membership: RoomMember) -> int:
        return len(self.context["members"])

    @extend_schema_field(RoomMemberSerializer(many=True))
    def get_members(self, membership: RoomMember) -> list:
        return list(RoomMemberSerializer(self.context["members"], many=True).data)


class RoomCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[RoomKind.DIRECT, RoomKind.GROUP])
    user = serializers.CharField(max_length=150, required=False)
    title = serializers.CharField(max_length=ROOM_TITLE_MAX_LENGTH, required=False)
    members = serializers.ListField(
        child=serializers.CharField(max_length=150),
        required=False,
        max_length=GROUP_MAX_MEMBERS,
    )

    def validate(self, attrs: dict) -> dict:
        if attrs["kind"] == RoomKind.DIRECT and not attrs.get("user"):
            raise serializers.ValidationError({"user": ["Name the person to message."]})
        if attrs["kind"] == RoomKind.GROUP and not (attrs.get("title") or "").strip():
            raise serializers.ValidationError({"title": ["A group room needs a title."]})
        return attrs


class MembersAddSerializer(serializers.Serializer):
    members = serializers.ListField(
        child=serializers.CharField(max_length=150), min_length=1, max_length=GROUP_MAX_MEMBERS
    )


# --- views ----------------------------------------------------------------------------------------


class RoomsPagination(CursorPagination):
    """My rooms, the most recently active first."""

    ordering = ("-activity_at", "-id")
    page_size = 30
    page_size_query_param = "page_size"
    max_page_size = 100


def _me(request: Request) -> User:
    return cast(User, request.user)


def _room_data(membership: RoomMember, *, user: User, detail: bool = False) -> dict:
    rooms_decorate([membership], user=user)
    if detail:
        members = list(room_members(room=membership.room))
        return dict(
            RoomDetailSerializer(membership, context={"members": members, "viewer": user}).data
        )
    return dict(RoomSerializer(membership, context={"viewer": user}).data)


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
    serializer_class = RoomSerializer
    pagination_class = RoomsPagination

    def get_queryset(self):
        return my_rooms(user=_me(self.request))

    @extend_schema(responses=RoomSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        memberships = rooms_decorate(list(page or []), user=_me(request))
        return self.get_paginated_response(
            RoomSerializer(memberships, many=True, context={"viewer": _me(request)}).data
        )

    @extend_schema(
        request=RoomCreateSerializer,
        responses={
            201: RoomDetailSerializer,
            200: OpenApiResponse(RoomDetailSerializer, description="The pair's existing room"),
        },
    )
    def post(self, request: Request) -> Response:
        data = RoomCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        me = _me(request)
        if data.validated_data["kind"] == RoomKind.DIRECT:
            other = user_get_active(username=data.validated_data["user"])
            room, created = room_direct_get_or_create(actor=me, other=other)
        else:
            members = _users_named(data.validated_data.get("members", []), "members")
            room = room_group_create(actor=me, title=data.validated_data["title"], members=members)
            created = True
        _, membership = room_get_for_member(room_id=room.pk, user=me)
        return Response(
            _room_data(membership, user=me, detail=True),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class RoomDetailView(APIView):
    @extend_schema(responses=RoomDetailSerializer)
    def get(self, request: Request, room_id: int) -> Response:
        _, membership = room_get_for_member(room_id=room_id, user=_me(request))
        return Response(_room_data(membership, user=_me(request), detail=True))


class MembersView(APIView):
    @extend_schema(request=MembersAddSerializer, responses=RoomDetailSerializer)
    def post(self, request: Request, room_id: int) -> Response:
        me = _me(request)
        room, membership = room_get_for_member(room_id=room_id, user=me)
        data = MembersAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        users = _users_named(data.validated_data["members"], "members")
        room_members_add(actor=me, room=room, users=users)
        return Response(_room_data(membership, user=me, detail=True))


class MemberDetailView(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, room_id: int, username: str) -> Response:
        me = _me(request)
        room, _ = room_get_for_member(room_id=room_id, user=me)
        user = user_get_active(username=username)
        room_members_remove(actor=me, room=room, user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)
