"""Interest communities: list, create, join and leave; leaders manage members and requests."""

from typing import cast

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.api.accounts import UserPublicSerializer
from community.exceptions import CommunityPermissionDeniedError
from community.models import Community, CommunityMembership, JoinPolicy, MemberRole, User
from community.selectors import communities as community_selectors
from community.selectors.communities import viewer_membership
from community.services import communities as community_services
from community.services.communities import MAX_COMMUNITY_TAGS
from community.services.social import INTEREST_MAX_LENGTH

# --- serializers -------------------------------------------------------------------------------


class MyMembershipSerializer(serializers.Serializer):
    role = serializers.CharField()
    status = serializers.CharField()


class CommunitySerializer(serializers.ModelSerializer):
    owner = UserPublicSerializer(read_only=True)
    tags = serializers.SerializerMethodField()
    my_membership = serializers.SerializerMethodField()

    class Meta:
        model = Community
        fields = [
            "id",
            "name",
            "description",
            "join_policy",
            "tags",
            "owner",
            "member_count",
            "my_membership",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, community: Community) -> list[str]:
        return sorted((tag.name for tag in community.tags.all()), key=str.casefold)

    @extend_schema_field(MyMembershipSerializer(allow_null=True))
    def get_my_membership(self, community: Community) -> dict | None:
        membership = viewer_membership(community)
        if membership is None:
            return None
        return {"role": membership.role, "status": membership.status}


class CommunityCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64, min_length=2)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    join_policy = serializers.ChoiceField(choices=JoinPolicy.choices, default=JoinPolicy.PUBLIC)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=INTEREST_MAX_LENGTH),
        max_length=MAX_COMMUNITY_TAGS,
        required=False,
    )


class MembershipSerializer(serializers.ModelSerializer):
    user = UserPublicSerializer(read_only=True)

    class Meta:
        model = CommunityMembership
        fields = ["user", "role", "status", "created_at"]
        read_only_fields = fields


class JoinResultSerializer(serializers.Serializer):
    community = CommunitySerializer()
    membership = MyMembershipSerializer()


class RoleInputSerializer(serializers.Serializer):
    # A plain string (validated below): a second choice set named "role" would collide in the
    # OpenAPI enum names with the membership's own role choices.
    role = serializers.CharField(help_text="leader or member")

    def validate_role(self, value: str) -> str:
        if value not in (MemberRole.LEADER, MemberRole.MEMBER):
            raise serializers.ValidationError("Choose leader or member.", code="invalid_choice")
        return value


# --- views -------------------------------------------------------------------------------------


def _viewer(request: Request) -> User | None:
    return cast(User, request.user) if request.user.is_authenticated else None


class MembersPagination(CursorPagination):
    """Members in the order they joined (the owner first)."""

    ordering = "id"
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def _community(request: Request, community_id: int) -> Community:
    return community_selectors.community_get(community_id=community_id, viewer=_viewer(request))


class CommunityListView(GenericAPIView):
    serializer_class = CommunitySerializer

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
        responses=CommunitySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=CommunityCreateSerializer, responses={201: CommunitySerializer})
    def post(self, request: Request) -> Response:
        data = CommunityCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = community_services.community_create(
            actor=cast(User, request.user), **data.validated_data
        )
        community = _community(request, created.pk)
        body = CommunitySerializer(community, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class CommunityDetailView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=CommunitySerializer)
    def get(self, request: Request, community_id: int) -> Response:
        community = _community(request, community_id)
        return Response(CommunitySerializer(community, context={"request": request}).data)


class CommunityJoinView(APIView):
    @extend_schema(request=None, responses={201: JoinResultSerializer, 202: JoinResultSerializer})
    def post(self, request: Request, community_id: int) -> Response:
        community = _community(request, community_id)
        membership = community_services.community_join(
            actor=cast(User, request.user), community=community
        )
        community = _community(request, community_id)
        body = {
            "community": CommunitySerializer(community, context={"request": request}).data,
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
    serializer_class = MembershipSerializer
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
    serializer_class = MembershipSerializer
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
    @extend_schema(request=None, responses={200: MembershipSerializer})
    def post(self, request: Request, community_id: int, user_id: int) -> Response:
        community = _community(request, community_id)
        membership = community_services.community_request_approve(
            actor=cast(User, request.user), community=community, user_id=user_id
        )
        return Response(MembershipSerializer(membership, context={"request": request}).data)


class CommunityRequestRejectView(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, community_id: int, user_id: int) -> Response:
        community = _community(request, community_id)
        community_services.community_request_reject(
            actor=cast(User, request.user), community=community, user_id=user_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommunityMemberRoleView(APIView):
    @extend_schema(request=RoleInputSerializer, responses={200: MembershipSerializer})
    def post(self, request: Request, community_id: int, user_id: int) -> Response:
        community = _community(request, community_id)
        data = RoleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = community_services.community_member_role_set(
            actor=cast(User, request.user),
            community=community,
            user_id=user_id,
            role=data.validated_data["role"],
        )
        return Response(MembershipSerializer(membership, context={"request": request}).data)


class CommunityMemberRemoveView(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, community_id: int, user_id: int) -> Response:
        community = _community(request, community_id)
        community_services.community_member_remove(
            actor=cast(User, request.user), community=community, user_id=user_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
