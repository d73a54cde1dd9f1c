"""Topics: the trending ones (approved by staff)."""

from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.pagination import one_page, one_page_schema
from feeds.models.topics import Topic
from feeds.selectors.topics import topics_trending


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "name", "post_count", "trending_approved"]
        read_only_fields = fields


class TrendingTopicsView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=one_page_schema("TrendingTopicPage", TopicSerializer(many=True)))
    def get(self, request: Request) -> Response:
        return Response(one_page(TopicSerializer(topics_trending(), many=True).data))
