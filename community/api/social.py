"""The social graph and the member's own profile: follow, block, avatar, interests, export."""

from typing import cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.api.accounts import MeSerializer, UserPublicSerializer
from community.models import Follow, User
from community.selectors import social as social_selectors
from community.services import social as social_services
from community.services.social import INTEREST_MAX_LENGTH, MAX_INTERESTS

# --- serializers -------------------------------------------------------------------------------


class ProfileSerializer(UserPublicSerializer):
    """The public profile plus follow counts and the viewer's relation to the member."""

    followers_count = serializers.IntegerField(read_only=True)
    following_count = serializers.IntegerField(read_only=True)
    is_following = serializers.BooleanField(read_only=True)
    follows_me = serializers.BooleanField(read_only=True)
    blocked_by_me = serializers.BooleanField(read_only=True)
    interests = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(UserPublicSerializer.Meta):
        fields = [
            *UserPublicSerializer.Meta.fields,
            "followers_count",
            "following_count",
            "is_following",
            "follows_me",
            "blocked_by_me",
            "interests",
        ]
        read_only_fields = fields


class FollowerEdgeSerializer(serializers.Serializer):
    user = UserPublicSerializer(source="follower")
    created_at = serializers.DateTimeField()


class FollowingEdgeSerializer(serializers.Serializer):
    user = UserPublicSerializer(source="followee")
    created_at = serializers.DateTimeField()


class BlockSerializer(serializers.Serializer):
    user = UserPublicSerializer(source="blocked")
    created_at = serializers.DateTimeField()


class AvatarInputSerializer(serializers.Serializer):
    # A plain file field: the image pipeline, not DRF's ImageField, decides what is an image.
    avatar = serializers.FileField()


class InterestsSerializer(serializers.Serializer):
    tags = serializers.ListField(
        child=serializers.CharField(max_length=INTEREST_MAX_LENGTH, allow_blank=True),
        max_length=MAX_INTERESTS * 3,
    )


class SuggestionSerializer(UserPublicSerializer):
    shared_tags = serializers.IntegerField(read_only=True)
    shared_communities = serializers.IntegerField(read_only=True)
    score = serializers.IntegerField(read_only=True)

    class Meta(UserPublicSerializer.Meta):
        fields = [*UserPublicSerializer.Meta.fields, "shared_tags", "shared_communities", "score"]
        read_only_fields = fields


class SuggestionListSerializer(serializers.Serializer):
    results = SuggestionSerializer(many=True)


# --- views -------------------------------------------------------------------------------------


def _viewer(request: Request) -> User | None:
    return cast(User, request.user) if request.user.is_authenticated else None


# --- follow / block ----------------------------------------------------------------------------


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

    @extend_schema(responses=ProfileSerializer)
    def get(self, request: Request, username: str) -> Response:
        user = social_selectors.user_get_active(username=username)
        stats = social_selectors.profile_stats(user=user, viewer=_viewer(request))
        for key, value in stats.items():
            setattr(user, key, value)
        user.interests = social_selectors.interest_names(user)  # type: ignore[attr-defined]
        return Response(ProfileSerializer(user, context={"request": request}).data)


class FollowersView(GenericAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = FollowerEdgeSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema asks, with no username
            return Follow.objects.none()
        user = social_selectors.user_get_active(username=self.kwargs["username"])
        return social_selectors.followers_list(user=user, viewer=_viewer(self.request))

    # A page of edges, not one: a GenericAPIView's get is documented as one object otherwise
    # (issue #17, finding 8).
    @extend_schema(responses=FollowerEdgeSerializer(many=True))
    def get(self, request: Request, username: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class FollowingView(FollowersView):
    serializer_class = FollowingEdgeSerializer  # type: ignore[assignment]

    @extend_schema(responses=FollowingEdgeSerializer(many=True))
    def get(self, request: Request, username: str) -> Response:
        return super().get(request, username)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Follow.objects.none()
        user = social_selectors.user_get_active(username=self.kwargs["username"])
        return social_selectors.following_list(user=user, viewer=_viewer(self.request))


class MyBlocksView(GenericAPIView):
    serializer_class = BlockSerializer

    def get_queryset(self):
        return social_selectors.blocks_list(user=cast(User, self.request.user))

    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# --- own profile -------------------------------------------------------------------------------


class AvatarView(APIView):
    @extend_schema(
        request={"multipart/form-data": AvatarInputSerializer}, responses={200: MeSerializer}
    )
    def post(self, request: Request) -> Response:
        data = AvatarInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = social_services.user_avatar_set(
            actor=cast(User, request.user), upload=data.validated_data["avatar"]
        )
        return Response(MeSerializer(user, context={"request": request}).data)


class InterestsView(APIView):
    @extend_schema(responses=InterestsSerializer)
    def get(self, request: Request) -> Response:
        return Response({"tags": social_selectors.interest_names(cast(User, request.user))})

    @extend_schema(request=InterestsSerializer, responses=InterestsSerializer)
    def put(self, request: Request) -> Response:
        data = InterestsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        names = social_services.user_interests_set(
            actor=cast(User, request.user), names=data.validated_data["tags"]
        )
        return Response({"tags": names})


class SuggestionsView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("limit", int, description="at most 50 (default 20)")],
        responses=SuggestionListSerializer,
    )
    def get(self, request: Request) -> Response:
        try:
            limit = min(max(int(request.query_params.get("limit", 20)), 1), 50)
        except ValueError:
            limit = 20
        users = social_selectors.friend_suggestions(user=cast(User, request.user), limit=limit)
        results = SuggestionSerializer(users, many=True, context={"request": request}).data
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
