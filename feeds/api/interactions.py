"""Likes, saves and comments of a post."""

from typing import cast

from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import permissions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import User
from feeds.api.posts import AuthorSerializer, OldestFirstCursor, request_viewer
from feeds.exceptions import CommentNotFoundError
from feeds.models.interactions import Comment
from feeds.models.posts import Post
from feeds.selectors.interactions import comment_get, comments_for_post
from feeds.selectors.posts import post_get_visible
from feeds.services import interactions


class ToggleResultSerializer(serializers.Serializer):
    active = serializers.BooleanField()
    count = serializers.IntegerField()


class ReplySerializer(serializers.ModelSerializer):
    author = AuthorSerializer(read_only=True)
    reply_to = AuthorSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Comment
        # ``status``: "visible", or "hidden" for a comment moderation holds back (only its author
        # and moderators get those).
        fields = ["id", "author", "reply_to", "body", "parent", "status", "created_at"]
        read_only_fields = fields


class CommentSerializer(ReplySerializer):
    replies = ReplySerializer(many=True, read_only=True)

    class Meta(ReplySerializer.Meta):
        fields = [*ReplySerializer.Meta.fields, "replies"]
        read_only_fields = fields


class CommentInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=1000, trim_whitespace=True)
    parent = serializers.IntegerField(  # type: ignore[assignment]
        required=False, allow_null=True, min_value=1
    )


class _ToggleView(APIView):
    add = staticmethod(interactions.post_like)
    remove = staticmethod(interactions.post_unlike)
    counter = "like_count"

    def _answer(self, post: Post, active: bool) -> Response:
        count = Post.objects.values_list(self.counter, flat=True).get(pk=post.pk)
        return Response({"active": active, "count": count})

    @extend_schema(request=None, responses=ToggleResultSerializer)
    def post(self, request: Request, post_id: int) -> Response:
        post = post_get_visible(post_id=post_id, viewer=request.user)
        self.add(actor=cast(User, request.user), post=post)
        return self._answer(post, True)

    # 200 with the new count, as answered: a DELETE's schema defaults to 204 otherwise.
    @extend_schema(request=None, responses={200: ToggleResultSerializer})
    def delete(self, request: Request, post_id: int) -> Response:
        post = post_get_visible(post_id=post_id, viewer=request.user)
        self.remove(actor=cast(User, request.user), post=post)
        return self._answer(post, False)


class PostLikeView(_ToggleView):
    pass


class PostSaveView(_ToggleView):
    add = staticmethod(interactions.post_save)
    remove = staticmethod(interactions.post_unsave)
    counter = "save_count"


class PostCommentsView(GenericAPIView):
    queryset = Comment.objects.none()
    serializer_class = CommentSerializer
    pagination_class = OldestFirstCursor

    def get_permissions(self):
        if self.request.method == "GET":
            return [permissions.AllowAny()]
        return super().get_permissions()

    @extend_schema(responses=CommentSerializer(many=True))
    def get(self, request: Request, post_id: int) -> Response:
        viewer = request_viewer(request)
        post = post_get_visible(post_id=post_id, viewer=viewer)
        page = self.paginate_queryset(comments_for_post(post=post, viewer=viewer))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=CommentInputSerializer, responses={201: CommentSerializer})
    def post(self, request: Request, post_id: int) -> Response:
        post = post_get_visible(post_id=post_id, viewer=request.user)
        data = CommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = interactions.comment_create(
            actor=cast(User, request.user),
            post=post,
            body=data.validated_data["body"],
            parent_id=data.validated_data.get("parent"),
        )
        return Response(
            CommentSerializer(comment, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class CommentDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, comment_id: int) -> Response:
        comment = comment_get(comment_id=comment_id)
        if comment is None:
            raise CommentNotFoundError()
        interactions.comment_delete(actor=cast(User, request.user), comment=comment)
        return Response(status=status.HTTP_204_NO_CONTENT)
