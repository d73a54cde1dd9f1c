"""Social graph, own profile and interest communities: input serializer -> service -> output."""

from typing import cast

from django.contrib.auth import logout
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.api import social_serializers as s
from community.api.serializers import MeSerializer
from community.exceptions_social import CommunityPermissionDeniedError
from community.models import Community, User
from community.selectors import communities as community_selectors
from community.selectors import social as social_selectors
from community.services import communities as community_services
from community.services import social as social_services


def _viewer(request: Request) -> User | None:
    return cast(User, request.user) if request.user.is_authenticated else None


class MembersPagination(CursorPagination):
    """Members in the order they joined (the owner first)."""

    ordering = "id"
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


# --- follow / block ---------------------------------------------------------------------------


class FollowView(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, username: str) -> Response:
        followee = social_selectors.user_get_active(username=username)
        social_services.follow_create(actor=cast(User, request.user), followee=followee)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, username: str) -> Response:
        followee = social_selectors.user_get_active(username=username)
        social_services.follow_delete(actor=cast(User, request.user), followee=followee)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BlockView(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, username: str) -> Response:
        target = social_selectors.user_get_active(username=username)
        social_services.block_create(actor=cast(User, request.user), blocked=target)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, username: str) -> Response:
        target = social_selectors.user_get_active(username=username)
        social_services.block_delete(actor=cast(User, request.user), blocked=target)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProfileView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=s.ProfileSerializer)
    def get(self, request: Request, username: str) -> Response:
        user = social_selectors.user_get_active(username=username)
        stats = social_selectors.profile_stats(user=user, viewer=_viewer(request))
        for key, value in stats.items():
            setattr(user, key, value)
        user.interests = social_selectors.interest_names(user)  # type: ignore[attr-defined]
        return Response(s.ProfileSerializer(user, context={"request": request}).data)


class FollowersView(GenericAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = s.FollowerEdgeSerializer

    def get_queryset(self):
        user = social_selectors.user_get_active(username=self.kwargs["username"])
        return social_selectors.followers_list(user=user, viewer=_viewer(self.request))

    def get(self, request: Request, username: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class FollowingView(FollowersView):
    serializer_class = s.FollowingEdgeSerializer  # type: ignore[assignment]

    def get_queryset(self):
        user = social_selectors.user_get_active(username=self.kwargs["username"])
        return social_selectors.following_list(user=user, viewer=_viewer(self.request))


class MyBlocksView(GenericAPIView):
    serializer_class = s.BlockSerializer

    def get_queryset(self):
        return social_selectors.blocks_list(user=cast(User, self.request.user))

    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# --- own profile -----------------------------------------------------------------------------


class AvatarView(APIView):
    @extend_schema(
        request={"multipart/form-data": s.AvatarInputSerializer}, responses={200: MeSerializer}
    )
    def post(self, request: Request) -> Response:
        data = s.AvatarInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = social_services.user_avatar_set(
            actor=cast(User, request.user), upload=data.validated_data["avatar"]
        )
        return Response(MeSerializer(user, context={"request": request}).data)


class InterestsView(APIView):
    @extend_schema(responses=s.InterestsSerializer)
    def get(self, request: Request) -> Response:
        return Response({"tags": social_selectors.interest_names(cast(User, request.user))})

    @extend_schema(request=s.InterestsSerializer, responses=s.InterestsSerializer)
    def put(self, request: Request) -> Response:
        data = s.InterestsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        names = social_services.user_interests_set(
            actor=cast(User, request.user), names=data.validated_data["tags"]
        )
        return Response({"tags": names})


class SuggestionsView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("limit", int, description="at most 50 (default 20)")],
        responses=s.SuggestionListSerializer,
    )
    def get(self, request: Request) -> Response:
        try:
            limit = min(max(int(request.query_params.get("limit", 20)), 1), 50)
        except ValueError:
            limit = 20
        users = social_selectors.friend_suggestions(user=cast(User, request.user), limit=limit)
        results = s.SuggestionSerializer(users, many=True, context={"request": request}).data
        return Response({"results": results})


class ExportView(APIView):
    # JSON only: a browser following the download link must not get the browsable API page.
    renderer_classes = [JSONRenderer]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        user = cast(User, request.user)
        response = Response(social_selectors.user_export(user=user))
        response["Content-Disposition"] = (
            f'attachment; filename="tuanju-export-{user.username}.json"'
        )
        return response


class AccountDeleteView(APIView):
    @extend_schema(request=s.AccountDeleteSerializer, responses={204: None})
    def delete(self, request: Request) -> Response:
        return account_delete(request)

    @extend_schema(request=s.AccountDeleteSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        return account_delete(request)


def account_delete(request: Request) -> Response:
    """Check the password, delete the account and end this session (also for ``DELETE /me/``)."""
    data = s.AccountDeleteSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    social_services.user_delete(
        actor=cast(User, request.user), password=data.validated_data["password"]
    )
    logout(request._request)
    return Response(status=status.HTTP_204_NO_CONTENT)


# --- communities -----------------------------------------------------------------------------


def _community(request: Request, community_id: int) -> Community:
    return community_selectors.community_get(community_id=community_id, viewer=_viewer(request))


class CommunityListView(GenericAPIView):
    serializer_class = s.CommunitySerializer

    def get_permissions(self):
        if self.request.method == "GET":
            return [permissions.AllowAny()]
        return super().get_permissions()

    def get_queryset(self):
        params = self.request.query_params
        mine = params.get("mine") in ("1", "true")
        if mine and not self.request.user.is_authenticated:
            raise NotAuthenticated()
        return community_selectors.community_list(
            viewer=_viewer(self.request),
            tag=params.get("tag") or None,
            mine=mine,
            query=params.get("q") or None,
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("tag", str, description="interest tag name (any case)"),
            OpenApiParameter("mine", bool, description="only communities I belong to or asked to"),
            OpenApiParameter("q", str, description="text in the name"),
        ],
        responses=s.CommunitySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=s.CommunityCreateSerializer, responses={201: s.CommunitySerializer})
    def post(self, request: Request) -> Response:
        data = s.CommunityCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = community_services.community_create(
            actor=cast(User, request.user), **data.validated_data
        )
        community = _community(request, created.pk)
        body = s.CommunitySerializer(community, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class CommunityDetailView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=s.CommunitySerializer)
    def get(self, request: Request, community_id: int) -> Response:
        community = _community(request, community_id)
        return Response(s.CommunitySerializer(community, context={"request": request}).data)


class CommunityJoinView(APIView):
    @extend_schema(
        request=None, responses={201: s.JoinResultSerializer, 202: s.JoinResultSerializer}
    )
    def post(self, request: Request, community_id: int) -> Response:
        community = _community(request, community_id)
        membership = community_services.community_join(
            actor=cast(User, request.user), community=community
        )
        community = _community(request, community_id)
        body = {
            "community": s.CommunitySerializer(community, context={"request": request}).data,
            "membership": {"role": membership.role, "status": membership.status},
        }
        code = (
            status.HTTP_201_CREATED if membership.status == "active" else status.HTTP_202_ACCEPTED
        )
        return Response(body, status=code)


class CommunityLeaveView(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, community_id: int) -> Response:
        community = _community(request, community_id)
        community_services.community_leave(actor=cast(User, request.user), community=community)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommunityMembersView(GenericAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = s.MembershipSerializer
    pagination_class = MembersPagination

    def get_queryset(self):
        community = _community(self.request, self.kwargs["community_id"])
        if not community_selectors.can_see_members(community=community, user=self.request.user):
            if not self.request.user.is_authenticated:
                raise NotAuthenticated()
            raise CommunityPermissionDeniedError("Only members see who is in this community.")
        return community_selectors.members_list(community=community)

    def get(self, request: Request, community_id: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class CommunityRequestsView(GenericAPIView):
    serializer_class = s.MembershipSerializer
    pagination_class = MembersPagination

    def get_queryset(self):
        community = _community(self.request, self.kwargs["community_id"])
        if not community_selectors.is_manager(community_id=community.pk, user=self.request.user):
            raise CommunityPermissionDeniedError(
                "Only the community's owner and leaders see join requests."
            )
        return community_selectors.join_requests_list(community=community)

    def get(self, request: Request, community_id: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class CommunityRequestApproveView(APIView):
    @extend_schema(request=None, responses={200: s.MembershipSerializer})
    def post(self, request: Request, community_id: int, user_id: int) -> Response:
        community = _community(request, community_id)
        membership = community_services.community_request_approve(
            actor=cast(User, request.user), community=community, user_id=user_id
        )
        return Response(s.MembershipSerializer(membership, context={"request": request}).data)


class CommunityRequestRejectView(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, community_id: int, user_id: int) -> Response:
        community = _community(request, community_id)
        community_services.community_request_reject(
            actor=cast(User, request.user), community=community, user_id=user_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommunityMemberRoleView(APIView):
    @extend_schema(request=s.RoleInputSerializer, responses={200: s.MembershipSerializer})
    def post(self, request: Request, community_id: int, user_id: int) -> Response:
        community = _community(request, community_id)
        data = s.RoleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = community_services.community_member_role_set(
            actor=cast(User, request.user),
            community=community,
            user_id=user_id,
            role=data.validated_data["role"],
        )
        return Response(s.MembershipSerializer(membership, context={"request": request}).data)


class CommunityMemberRemoveView(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, community_id: int, user_id: int) -> Response:
        community = _community(request, community_id)
        community_services.community_member_remove(
            actor=cast(User, request.user), community=community, user_id=user_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
