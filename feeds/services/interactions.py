"""Likes, saves and comments. The unique row decides whether anything changed; the counter moves
with ``F()`` in the same transaction, so 50 simultaneous likes count 50.

A comment is screened like every member text (sanctions, watched words); one held back by
moderation is ``hidden``: out of the thread and of the note's comment count until restored."""

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q

from community.exceptions import BlockedError
from community.models import User
from community.selectors import can_moderate_content
from community.selectors.social import users_blocked_between
from community.services import notification_send, task_record
from community.services.insights.events import track
from community.services.moderation.trust import trust_counters_add
from feeds.exceptions import (
    CommentNotFoundError,
    FeedsPermissionDeniedError,
    PostNotPublishedError,
)
from feeds.models.interactions import Comment, CommentStatus, Like, Save
from feeds.models.posts import Post, PostStatus
from feeds.services.screening import queue_screened, screen


def _require_published(post: Post) -> None:
    if post.status != PostStatus.PUBLISHED:
        raise PostNotPublishedError()


def _add(model, counter: str, *, actor: User, post: Post, event: str) -> bool:
    _require_published(post)
    try:
        with transaction.atomic():
            model.objects.create(post=post, user=actor)
            Post.objects.filter(pk=post.pk).update(**{counter: F(counter) + 1})
            track(event, actor, {"post_id": post.pk, "author_id": post.author_id})
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
    """Like a published post once; the author is told (once per liker) and it builds their
    trust (a like taken back no longer counts)."""
    added = _add(Like, "like_count", actor=actor, post=post, event="like")
    if added and post.author_id != actor.pk:
        trust_counters_add(post.author_id, likes_received=1)
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
    removed = _remove(Like, "like_count", actor=actor, post=post)
    if removed and post.author_id != actor.pk:
        trust_counters_add(post.author_id, likes_received=-1)
    return removed


def post_save(*, actor: User, post: Post) -> bool:
    """Save a published post to the member's collection (idempotent)."""
    return _add(Save, "save_count", actor=actor, post=post, event="save")


def post_unsave(*, actor: User, post: Post) -> bool:
    """Remove a post from the member's collection (idempotent)."""
    return _remove(Save, "save_count", actor=actor, post=post)


def comment_create(*, actor: User, post: Post, body: str, parent_id: int | None = None) -> Comment:
    """Comment on a published post or reply to a comment (one level; blocked members refused).
    A watched word asking for approval keeps it hidden until a moderator approves it."""
    screened = screen(actor, body)
    body = screened.texts[0]
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
            post=post,
            author=actor,
            parent=parent,
            reply_to_id=reply_to_id,
            body=body.strip(),
            status=CommentStatus.HIDDEN if screened.held else CommentStatus.VISIBLE,
        )
        queue_screened(
            target_type="comment",
            target_id=comment.pk,
            author_id=actor.pk,
            screened=screened,
            premoderate=False,
        )
        track(
            "comment",
            actor,
            {"post_id": post.pk, "comment_id": comment.pk, "reply": parent is not None},
        )
        if screened.held:
            return comment  # nobody reads it (or is told of it) before a moderator approves it
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
    """The comment's author, the post's author or staff and moderators remove a comment (its
    thread goes with a top comment; counted once)."""
    allowed = actor.pk in (comment.author_id, comment.post.author_id) or can_moderate_content(actor)
    if not allowed:
        raise FeedsPermissionDeniedError("You cannot delete this comment.")
    with transaction.atomic(durable=True):
        _lock_post(comment.post_id)
        shown = (CommentStatus.VISIBLE, CommentStatus.HIDDEN)
        changed = Comment.objects.filter(pk=comment.pk, status__in=shown).update(
            status=CommentStatus.REMOVED
        )
        if changed and comment.parent_id is None:
            # A thread goes with its top comment: its replies are no longer shown, so they are
            # no longer counted either.
            Comment.objects.filter(parent_id=comment.pk, status__in=shown).update(
                status=CommentStatus.REMOVED
            )
        if changed:
            _recount_comments(comment.post_id)


def _lock_post(post_id: int) -> None:
    # FOR NO KEY UPDATE: new comments (which only share-lock the key) are not held up; their
    # count update waits for this transaction, so the recount below cannot lose them.
    list(
        Post.objects.select_for_update(no_key=True).filter(pk=post_id).values_list("pk", flat=True)
    )


def _recount_comments(post_id: int) -> None:
    """Set the note's comment count from what readers see: visible comments whose thread is
    visible (call with the post locked, so that concurrent comments are counted)."""
    hidden_parent = Exists(
        Comment.objects.filter(pk=OuterRef("parent_id")).exclude(status=CommentStatus.VISIBLE)
    )
    shown = (
        Comment.objects.filter(post_id=post_id, status=CommentStatus.VISIBLE)
        .filter(Q(parent__isnull=True) | ~hidden_parent)
        .count()
    )
    Post.objects.filter(pk=post_id).update(comment_count=shown)


def comment_hide(*, comment: Comment) -> bool:
    """Moderation takes a comment down (reports past the threshold, a moderator's removal): out
    of its thread (a top comment takes its replies along) and of the count; its author still sees
    it. Soft: ``comment_restore`` puts it back; a comment deleted meanwhile stays deleted."""
    with transaction.atomic():
        _lock_post(comment.post_id)
        changed = Comment.objects.filter(pk=comment.pk, status=CommentStatus.VISIBLE).update(
            status=CommentStatus.HIDDEN
        )
        if changed:
            _recount_comments(comment.post_id)
    comment.refresh_from_db(fields=["status"])
    return bool(changed)


def comment_restore(*, comment: Comment) -> bool:
    """A moderator approves a held comment or reverses its removal; never one its author (or the
    note's author, or staff) deleted."""
    with transaction.atomic():
        _lock_post(comment.post_id)
        changed = Comment.objects.filter(pk=comment.pk, status=CommentStatus.HIDDEN).update(
            status=CommentStatus.VISIBLE
        )
        if changed:
            _recount_comments(comment.post_id)
    comment.refresh_from_db(fields=["status"])
    return bool(changed)
