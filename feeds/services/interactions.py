"""Likes, saves and comments. The unique row decides whether anything changed; the counter moves
with ``F()`` in the same transaction, so 50 simultaneous likes count 50."""

from django.db import IntegrityError, transaction
from django.db.models import F

from community.exceptions import BlockedError
from community.models import User
from community.selectors.social import users_blocked_between
from community.services import notification_send, task_record
from feeds.exceptions import (
    CommentNotFoundError,
    FeedsPermissionDeniedError,
    PostNotPublishedError,
)
from feeds.models.interactions import Comment, CommentStatus, Like, Save
from feeds.models.posts import Post, PostStatus
from groupbuy import selectors as shop


def _require_published(post: Post) -> None:
    if post.status != PostStatus.PUBLISHED:
        raise PostNotPublishedError()


def _add(model, counter: str, *, actor: User, post: Post) -> bool:
    _require_published(post)
    try:
        with transaction.atomic():
            model.objects.create(post=post, user=actor)
            Post.objects.filter(pk=post.pk).update(**{counter: F(counter) + 1})
    except IntegrityError:  # already liked/saved: the unique constraint answered
        return False
    return True


def _remove(model, counter: str, *, actor: User, post: Post) -> bool:
    with transaction.atomic():
        deleted, _ = model.objects.filter(post=post, user=actor).delete()
        if deleted:
            Post.objects.filter(pk=post.pk).update(**{counter: F(counter) - 1})
    return bool(deleted)


def post_like(*, actor: User, post: Post) -> bool:
    """Like a published post once; the author is told (once per liker)."""
    added = _add(Like, "like_count", actor=actor, post=post)
    if added and post.author_id != actor.pk:
        notification_send(
            user_id=post.author_id,
            type="post_liked",
            title=f"{actor.public_name} liked your note",
            body=post.title[:80],
            data={"post_id": post.pk, "user_id": actor.pk},
            dedupe_key=f"post_liked:{post.pk}:{actor.pk}",
        )
    return added


def post_unlike(*, actor: User, post: Post) -> bool:
    """Take a like back (idempotent)."""
    return _remove(Like, "like_count", actor=actor, post=post)


def post_save(*, actor: User, post: Post) -> bool:
    """Save a published post to the member's collection (idempotent)."""
    return _add(Save, "save_count", actor=actor, post=post)


def post_unsave(*, actor: User, post: Post) -> bool:
    """Remove a post from the member's collection (idempotent)."""
    return _remove(Save, "save_count", actor=actor, post=post)


def comment_create(*, actor: User, post: Post, body: str, parent_id: int | None = None) -> Comment:
    """Comment on a published post or reply to a comment (one level; blocked members refused)."""
    _require_published(post)
    if users_blocked_between(actor.pk, post.author_id):
        raise BlockedError("The author has blocked you, or you blocked them.")
    parent = None
    reply_to_id = None
    if parent_id is not None:
        parent = (
            Comment.objects.filter(pk=parent_id, post=post, status=CommentStatus.VISIBLE)
            .select_related("parent")
            .first()
        )
        if parent is None:
            raise CommentNotFoundError("The comment you reply to is gone.")
        reply_to_id = parent.author_id
        if users_blocked_between(actor.pk, parent.author_id):
            raise BlockedError("You cannot reply to this member.")
        if parent.parent_id is not None:  # a reply to a reply joins its thread
            parent = parent.parent
    with transaction.atomic(durable=True):
        comment = Comment.objects.create(
            post=post, author=actor, parent=parent, reply_to_id=reply_to_id, body=body.strip()
        )
        Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
        task_record(user_id=actor.pk, action="comment")
        data = {"post_id": post.pk, "comment_id": comment.pk}
        if reply_to_id is not None and reply_to_id != actor.pk:
            notification_send(
                user_id=reply_to_id,
                type="reply",
                title=f"{actor.public_name} replied to you",
                body=comment.body[:120],
                data=data,
                dedupe_key=f"comment_reply:{comment.pk}",
            )
        if post.author_id not in (actor.pk, reply_to_id):
            notification_send(
                user_id=post.author_id,
                type="post_commented",
                title=f"{actor.public_name} commented on your note",
                body=comment.body[:120],
                data=data,
                dedupe_key=f"post_commented:{comment.pk}",
            )
    return comment


def comment_delete(*, actor: User, comment: Comment) -> None:
    """The comment's author, the post's author or staff remove a comment (counted once)."""
    allowed = actor.pk in (comment.author_id, comment.post.author_id) or shop.is_staff(actor)
    if not allowed:
        raise FeedsPermissionDeniedError("You cannot delete this comment.")
    with transaction.atomic(durable=True):
        changed = Comment.objects.filter(pk=comment.pk, status=CommentStatus.VISIBLE).update(
            status=CommentStatus.REMOVED
        )
        if changed and comment.parent_id is None:
            # A thread goes with its top comment: its replies are no longer shown, so they are
            # no longer counted either.
            changed += Comment.objects.filter(
                parent_id=comment.pk, status=CommentStatus.VISIBLE
            ).update(status=CommentStatus.REMOVED)
        if changed:
            Post.objects.filter(pk=comment.post_id).update(
                comment_count=F("comment_count") - changed
            )
