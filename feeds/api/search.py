"""Search over posts, products, members and topics."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework import permissions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response

from community.services.insights.events import track_app_request
from feeds.api.posts import (
    AuthorSerializer,
    LinkedProductSerializer,
    PostSerializer,
    request_viewer,
)
from feeds.api.topics import TopicSerializer
from feeds.exceptions import SearchQueryInvalidError
from feeds.models.posts import Post
from feeds.selectors.posts import with_card_data
from feeds.selectors.search import search_posts, search_products, search_topics, search_users


class SearchPagination(LimitOffsetPagination):
    default_limit = 20
    max_limit = 50


class SearchUserSerializer(AuthorSerializer):
    class Meta(AuthorSerializer.Meta):
        fields = ["id", "username", "display_name", "avatar_url"]
        read_only_fields = fields


def _search_posts(q: str, viewer):
    return with_card_data(search_posts(q=q, viewer=viewer), viewer)


SEARCHES: dict[str, tuple[Any, type[serializers.BaseSerializer]]] = {
    "post": (_search_posts, PostSerializer),
    "product": (
        lambda q, viewer: search_products(q=q, viewer=viewer),
        LinkedProductSerializer,
    ),
    "user": (lambda q, viewer: search_users(q=q), SearchUserSerializer),
    "topic": (lambda q, viewer: search_topics(q=q), TopicSerializer),
}


class SearchView(GenericAPIView):
    queryset = Post.objects.none()
    permission_classes = [permissions.AllowAny]
    pagination_class = SearchPagination
    serializer_class = PostSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True),
            OpenApiParameter("type", str, enum=list(SEARCHES), default="post"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        q = (request.query_params.get("q") or "").strip()
        kind = request.query_params.get("type") or "post"
        if kind not in SEARCHES:
            raise serializers.ValidationError({"type": [f"Choose one of {', '.join(SEARCHES)}."]})
        if not q or len(q) > 100:
            raise SearchQueryInvalidError()
        finder, serializer = SEARCHES[kind]
        if request.query_params.get("offset") in (None, "", "0"):  # a next page is no new search
            track_app_request("search", request, {"q": q, "type": kind, "via": "api"})
        page = self.paginate_queryset(finder(q, request_viewer(request)))
        data = serializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)
