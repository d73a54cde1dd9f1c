"""Reads of comments: a thread shows visible comments; a comment moderation holds back is shown
to its author (marked ``hidden``) and to moderators, and every comment of a note nobody else may
see is out of reach with it."""

from django.db.models import Prefetch, Q, QuerySet

from community.selectors.accounts import can_moderate_content
from feeds.models.interactions import Comment, CommentStatus
from feeds.models.posts import Post
from feeds.selectors.posts import post_visible_to


def _shown_to(viewer) -> Q:
    shown = Q(status=CommentStatus.VISIBLE)
    if viewer is not None and viewer.is_authenticated:
        if can_moderate_content(viewer):
            return shown | Q(status=CommentStatus.HIDDEN)
        shown |= Q(status=CommentStatus.HIDDEN, author_id=viewer.pk)
    return shown


def comments_for_post(*, post: Post, viewer=None) -> QuerySet[Comment]:
    """Top-level comments with their replies (oldest first), as ``viewer`` may see them: visible
    ones, and the viewer's own held back by moderation (moderators see all of those)."""
    shown = _shown_to(viewer)
    replies = Comment.objects.filter(shown).select_related("author", "reply_to").order_by("id")
    return (
        Comment.objects.filter(shown, post=post, parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
    )


def comment_get(*, comment_id: int) -> Comment | None:
    return Comment.objects.select_related("post").filter(pk=comment_id).first()


def comment_visible_to(comment: Comment, viewer) -> bool:
    """Whether ``viewer`` can read this comment now: on a note they can see, in a thread that is
    shown, and itself visible (or theirs, or the viewer moderates)."""
    if comment.status == CommentStatus.REMOVED or not post_visible_to(comment.post, viewer):
        return False
    moderator = can_moderate_content(viewer)
    own = viewer is not None and viewer.is_authenticated and comment.author_id == viewer.pk
    if comment.status == CommentStatus.HIDDEN and not (own or moderator):
        return False
    parent = comment.parent
    return parent is None or parent.status == CommentStatus.VISIBLE or moderator
