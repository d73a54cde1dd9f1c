"""Reads of comments."""

from django.db.models import Prefetch, QuerySet

from feeds.models.interactions import Comment, CommentStatus
from feeds.models.posts import Post


def comments_for_post(*, post: Post) -> QuerySet[Comment]:
    """Top-level comments with their visible replies (oldest first)."""
    replies = (
        Comment.objects.filter(status=CommentStatus.VISIBLE)
        .select_related("author", "reply_to")
        .order_by("id")
    )
    return (
        Comment.objects.filter(post=post, parent__isnull=True, status=CommentStatus.VISIBLE)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
    )


def comment_get(*, comment_id: int) -> Comment | None:
    return Comment.objects.select_related("post").filter(pk=comment_id).first()
