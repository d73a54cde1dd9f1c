"""The feeds: following, for-you, trending, featured, a topic's and a community's posts."""

from typing import cast

from django.conf import settings
from drf_spectacular.utils import (
    extend_schema,
    inline_serializer,
)
from rest_framework import permissions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import User
from community.selectors import communities as community_selectors
from feeds.api.posts import PostSerializer, PublishedCursor, request_viewer
from feeds.models.posts import Post
from feeds.selectors.feeds import (
    feed_community,
    feed_featured,
    feed_following,
    feed_topic,
    feed_trending,
    for_you_page,
)
from feeds.selectors.posts import with_card_data
from feeds.services.feeds import posts_mark_seen


class HotCursor(PublishedCursor):
    ordering = ("-hot_score", "-id")  # type: ignore[assignment]


class FeaturedCursor(PublishedCursor):
    ordering = "-featured_at"


class _FeedView(GenericAPIView):
    queryset = Post.objects.none()
    serializer_class = PostSerializer
    pagination_class = PublishedCursor
    permission_classes = [permissions.AllowAny]

    def feed(self, request: Request):  # pragma: no cover - every feed overrides it
        raise NotImplementedError

    @extend_schema(responses=PostSerializer(many=True))
    def get(self, request: Request, **kwargs) -> Response:
        queryset = with_card_data(self.feed(request), request_viewer(request))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class FollowingFeedView(_FeedView):
    permission_classes = [permissions.IsAuthenticated]

    def feed(self, request: Request):
        return feed_following(viewer=cast(User, request.user))


class TrendingFeedView(_FeedView):
    pagination_class = HotCursor

    def feed(self, request: Request):
        return feed_trending(viewer=request_viewer(request))


class FeaturedFeedView(_FeedView):
    pagination_class = FeaturedCursor

    def feed(self, request: Request):
        return feed_featured(viewer=request_viewer(request))


class TopicFeedView(_FeedView):
    def feed(self, request: Request):
        return feed_topic(name=self.kwargs["name"], viewer=request_viewer(request))


class CommunityFeedView(_FeedView):
    def feed(self, request: Request):
        community = community_selectors.community_get(
            community_id=self.kwargs["community_id"], viewer=request_viewer(request)
        )
        return feed_community(community_id=community.pk, viewer=request_viewer(request))


class ForYouFeedView(APIView):
    @extend_schema(
        responses=inline_serializer(
            "ForYouPage",
            {
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": PostSerializer(many=True),
            },
        )
    )
    def get(self, request: Request) -> Response:
        viewer = cast(User, request.user)
        size = settings.FEEDS_PAGE_SIZE
        page = for_you_page(viewer=viewer, size=size)
        # Served means seen: the next request continues with what is left, never repeats.
        posts_mark_seen(user=viewer, post_ids=[p.pk for p in page])
        next_url = None
        if len(page) == size:
            current = request.query_params.get("page", "1")
            step = int(current) if current.isdigit() else 1
            next_url = request.build_absolute_uri(f"{request.path}?page={step + 1}")
        data = PostSerializer(page, many=True, context={"request": request}).data
        return Response({"next": next_url, "previous": None, "results": data})
