"""feeds' content in the moderation queue (PRODUCT.md §15): notes (``post``), comments, reviews,
share links, and referral-fraud flags (``share_fraud``, a system type nobody reports).

Registered from ``FeedsConfig.ready()``. Hiding is soft everywhere and goes through the same
services as the admin's old actions (``post_moderate``, ``review_set_status``,
``share_fraud_resolve``), so the queue and the admin never disagree about what "hidden" means:
- post: ``hidden`` (``pending_review`` while it waits for approval; ``removed`` by a staff delete),
  restored to ``published``; it leaves every feed, search, topic and list with its comments;
- comment: ``hidden``, restored to ``visible`` (a comment deleted by a person stays deleted);
- review: ``hidden``, restored to ``visible``;
- share_link: inactive (``/s/<code>`` answers 404), restored to active;
- share_fraud: approve (restore) releases the held rewards, remove (hide) voids them.
Product questions and answers are screened at submit but are not a reportable type.
"""

from community.selectors.moderatable import ModeratableType, register_moderatable
from feeds.selectors import moderation as read
from feeds.selectors.interactions import comment_visible_to
from feeds.selectors.posts import post_visible_to
from feeds.selectors.reviews import review_visible_to
from feeds.services.interactions import comment_hide, comment_restore
from feeds.services.posts import post_hide, post_restore
from feeds.services.reviews import review_hide, review_restore
from feeds.services.shares import (
    share_fraud_release,
    share_fraud_void,
    share_link_hide,
    share_link_restore,
)


def _positional(service, keyword: str):
    """The registry calls hide(obj) / restore(obj); feeds' services take keyword arguments (and
    say whether anything changed, which the registry does not need)."""
    return lambda target: service(**{keyword: target})


def register_feeds_moderatables() -> None:
    register_moderatable(
        ModeratableType(
            name="post",
            load_many=read.posts_load_many,
            author_id=lambda post: post.author_id,
            visible_to=post_visible_to,
            hide=_positional(post_hide, "post"),
            restore=_positional(post_restore, "post"),
            preview=read.post_preview,
            context=read.post_context,
            is_hidden=read.post_is_hidden,
        )
    )
    register_moderatable(
        ModeratableType(
            name="comment",
            load_many=read.comments_load_many,
            author_id=lambda comment: comment.author_id,
            visible_to=comment_visible_to,
            hide=_positional(comment_hide, "comment"),
            restore=_positional(comment_restore, "comment"),
            preview=read.comment_preview,
            context=read.comment_context,
            is_hidden=read.comment_is_hidden,
        )
    )
    register_moderatable(
        ModeratableType(
            name="review",
            load_many=read.reviews_load_many,
            author_id=lambda review: review.author_id,
            visible_to=review_visible_to,
            hide=_positional(review_hide, "review"),
            restore=_positional(review_restore, "review"),
            preview=read.review_preview,
            context=read.review_context,
            is_hidden=read.review_is_hidden,
        )
    )
    register_moderatable(
        ModeratableType(
            name="share_link",
            load_many=read.share_links_load_many,
            author_id=lambda link: link.sharer_id,
            visible_to=read.share_link_visible_to,
            hide=_positional(share_link_hide, "link"),
            restore=_positional(share_link_restore, "link"),
            preview=read.share_link_preview,
            context=read.share_link_context,
            is_hidden=lambda link: not link.is_active,
        )
    )
    register_moderatable(
        ModeratableType(
            name="share_fraud",
            load_many=read.share_fraud_load_many,
            author_id=lambda flag: flag.sharer_id,
            # Raised by the system, decided by moderators: no member reports a fraud flag.
            visible_to=lambda flag, viewer: False,
            restore=_positional(share_fraud_release, "flag"),
            hide=_positional(share_fraud_void, "flag"),
            preview=read.share_fraud_preview,
            context=read.share_fraud_context,
            is_hidden=read.share_fraud_is_hidden,
        )
    )
