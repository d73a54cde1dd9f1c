"""Posts: an author's list, create, read, edit, delete, photos and pinning; and what every feeds
endpoint shares (the request's viewer, multipart lists, cursors, the author and post shapes)."""

from typing import Any, cast

from django.conf import settings
from django.http import QueryDict
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
from rest_framework import permissions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import User
from community.selectors import social as social_selectors
from community.services.insights.events import track_app_request
from config.parsers import JSONParser
from feeds.models.posts import BodyFormat, Post, PostImage
from feeds.selectors.posts import (
    post_get_for_write,
    post_get_visible,
    posts_of_author,
    with_card_data,
)
from feeds.services import posts

LIST_FIELDS = ("images", "topics", "products")


def request_viewer(request: Request) -> User | None:
    return cast(User, request.user) if request.user.is_authenticated else None


def form_data(request: Request) -> Any:
    """Multipart forms send lists as repeated ``images`` or ``images[]`` keys: accept both."""
    if not isinstance(request.data, QueryDict):
        return request.data
    data: dict[str, Any] = {}
    for key in request.data:
        name = key[:-2] if key.endswith("[]") else key
        if name in LIST_FIELDS:
            data.setdefault(name, []).extend(request.data.getlist(key))
        else:
            data[name] = request.data.get(key)
    return data


def absolute_url(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class PublishedCursor(CursorPagination):
    ordering = "-published_at"
    page_size = settings.FEEDS_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 50


class OldestFirstCursor(CursorPagination):
    ordering = "id"
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class NewestFirstCursor(OldestFirstCursor):
    ordering = "-id"


class AuthorSerializer(serializers.ModelSerializer):
    avatar_url = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "avatar_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_avatar_url(self, user: User) -> str | None:
        return absolute_url(self.context.get("request"), user.avatar.url) if user.avatar else None


class PostImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnails = serializers.SerializerMethodField()

    class Meta:
        model = PostImage
        fields = ["id", "url", "width", "height", "thumbnails"]
        read_only_fields = fields

    def get_url(self, image: PostImage) -> str:
        return absolute_url(self.context.get("request"), image.image.url)

    @extend_schema_field(serializers.DictField(child=serializers.URLField()))
    def get_thumbnails(self, image: PostImage) -> dict[str, str]:
        storage = image.image.storage
        request = self.context.get("request")
        return {
            side: absolute_url(request, storage.url(name))
            for side, name in image.thumbnails.items()
        }


class LinkedProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    image_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_image_url(self, product) -> str | None:
        images = list(product.images.all())
        return absolute_url(self.context.get("request"), images[0].image.url) if images else None


class CommunityBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PostSerializer(serializers.ModelSerializer):
    author = AuthorSerializer(read_only=True)
    images = PostImageSerializer(many=True, read_only=True)
    topics = serializers.SerializerMethodField()
    products = LinkedProductSerializer(many=True, read_only=True)
    community = CommunityBriefSerializer(read_only=True, allow_null=True)
    liked = serializers.SerializerMethodField()
    saved = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "author",
            "title",
            "body",
            "body_format",
            "body_html",
            "status",
            "images",
            "topics",
            "products",
            "community",
            "like_count",
            "save_count",
            "comment_count",
            "share_count",
            "liked",
            "saved",
            "is_featured",
            "is_pinned",
            "created_at",
            "published_at",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_topics(self, post: Post) -> list[str]:
        return [t.name for t in post.topics.all()]

    def get_liked(self, post: Post) -> bool:
        return bool(getattr(post, "liked", False))

    def get_saved(self, post: Post) -> bool:
        return bool(getattr(post, "saved", False))

    def get_url(self, post: Post) -> str:
        return f"/posts/{post.pk}/"


class PostInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100, trim_whitespace=True)
    body = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    body_format = serializers.ChoiceField(choices=BodyFormat.choices, default=BodyFormat.TEXT)
    images = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), required=False, default=list
    )
    topics = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, default=list
    )
    products = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list
    )
    community = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    publish = serializers.BooleanField(required=False, default=True)


class PostUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100, required=False)
    body = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    body_format = serializers.ChoiceField(choices=BodyFormat.choices, required=False)
    topics = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    products = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    publish = serializers.BooleanField(required=False, default=False)


class PostImageUploadSerializer(serializers.Serializer):
    image = serializers.FileField()


class PostListCreateView(GenericAPIView):
    queryset = Post.objects.none()
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    serializer_class = PostSerializer
    pagination_class = PublishedCursor

    def get_permissions(self):
        if self.request.method == "GET":
            return [permissions.AllowAny()]
        return super().get_permissions()

    @extend_schema(
        parameters=[OpenApiParameter("author", str, required=True)],
        responses=PostSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        user = social_selectors.user_get_active(username=request.query_params.get("author", ""))
        queryset = with_card_data(
            posts_of_author(author_id=user.pk, viewer=request_viewer(request)),
            request_viewer(request),
        )
        page = self.paginate_queryset(queryset.order_by("-created_at"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=PostInputSerializer, responses={201: PostSerializer})
    def post(self, request: Request) -> Response:
        data = PostInputSerializer(data=form_data(request))
        data.is_valid(raise_exception=True)
        v = data.validated_data
        post = posts.post_create(
            actor=cast(User, request.user),
            data=posts.PostInput(
                title=v["title"],
                body=v["body"],
                body_format=v["body_format"],
                topics=v["topics"],
                product_ids=v["products"],
                community_id=v.get("community"),
                publish=v["publish"],
            ),
            uploads=v["images"],
        )
        fresh = post_get_visible(post_id=post.pk, viewer=request.user)
        return Response(
            PostSerializer(fresh, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class PostDetailView(APIView):
    def get_permissions(self):
        if self.request.method == "GET":
            return [permissions.AllowAny()]
        return super().get_permissions()

    @extend_schema(responses=PostSerializer)
    def get(self, request: Request, post_id: int) -> Response:
        post = post_get_visible(post_id=post_id, viewer=request_viewer(request))
        track_app_request("post_view", request, {"post_id": post.pk, "author_id": post.author_id})
        return Response(PostSerializer(post, context={"request": request}).data)

    @extend_schema(request=PostUpdateSerializer, responses=PostSerializer)
    def patch(self, request: Request, post_id: int) -> Response:
        post = post_get_for_write(post_id=post_id, viewer=request.user)
        data = PostUpdateSerializer(data=form_data(request))
        data.is_valid(raise_exception=True)
        v = data.validated_data
        posts.post_update(
            actor=cast(User, request.user),
            post=post,
            title=v.get("title"),
            body=v.get("body"),
            body_format=v.get("body_format"),
            topics=v.get("topics"),
            product_ids=v.get("products"),
            publish=v["publish"],
        )
        fresh = post_get_visible(post_id=post.pk, viewer=request.user)
        return Response(PostSerializer(fresh, context={"request": request}).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, post_id: int) -> Response:
        post = post_get_for_write(post_id=post_id, viewer=request.user)
        posts.post_delete(actor=cast(User, request.user), post=post)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PostImagesView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": PostImageUploadSerializer},
        responses={201: PostSerializer},
    )
    def post(self, request: Request, post_id: int) -> Response:
        """The author adds a photo (at most 9 in all; 400 too_many_images)."""
        post = post_get_for_write(post_id=post_id, viewer=request.user)
        data = PostImageUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        posts.post_image_add(
            actor=cast(User, request.user), post=post, upload=data.validated_data["image"]
        )
        fresh = post_get_visible(post_id=post.pk, viewer=request.user)
        return Response(
            PostSerializer(fresh, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class PostImageDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, post_id: int, image_id: int) -> Response:
        """The author takes a photo off the post."""
        post = post_get_for_write(post_id=post_id, viewer=request.user)
        posts.post_image_remove(actor=cast(User, request.user), post=post, image_id=image_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PostPinView(APIView):
    @extend_schema(request=None, responses=PostSerializer)
    def post(self, request: Request, post_id: int) -> Response:
        return self._set(request, post_id, True)

    @extend_schema(request=None, responses=PostSerializer)
    def delete(self, request: Request, post_id: int) -> Response:
        return self._set(request, post_id, False)

    def _set(self, request: Request, post_id: int, pinned: bool) -> Response:
        post = post_get_visible(post_id=post_id, viewer=request.user)
        posts.post_pin(actor=cast(User, request.user), post=post, pinned=pinned)
        fresh = post_get_visible(post_id=post_id, viewer=request.user)
        return Response(PostSerializer(fresh, context={"request": request}).data)
