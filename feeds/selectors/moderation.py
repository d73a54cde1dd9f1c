"""What moderation reads of feeds' content: each type loaded many at a time (hidden ones too), who
may see it, whether it is held back, and what a moderator reads in the queue (``preview``) and on
the item page (``context``). The writes (hide, restore) are in ``feeds.services.moderation``."""

from collections.abc import Iterable

from feeds.models.interactions import Comment, CommentStatus
from feeds.models.posts import Post
from feeds.models.reviews import Review, ReviewStatus
from feeds.models.shares import HoldReason, RewardStatus, ShareFraudFlag, ShareLink, ShareReward
from feeds.selectors.posts import MODERATION_STATES

PREVIEW_CHARS = 300
CONTEXT_COMMENTS = 5


def _ids(ids: Iterable[int]) -> list[int]:
    return [int(i) for i in ids]


def _clip(text: str, size: int = PREVIEW_CHARS) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


# --- posts ------------------------------------------------------------------------------------


def posts_load_many(ids: Iterable[int]) -> dict[int, Post]:
    posts = Post.objects.filter(pk__in=_ids(ids)).select_related("author")
    return {post.pk: post for post in posts}


def post_is_hidden(post: Post) -> bool:
    return post.status in MODERATION_STATES


def post_preview(post: Post) -> dict:
    return {
        "text": _clip(f"{post.title}\n{post.body}".strip()),
        "author": post.author.username,
        "url": f"/posts/{post.pk}/",
        "title": post.title,
        "status": post.status,
    }


def post_context(post: Post) -> list[dict]:
    """The note's photos, topics and linked products."""
    items: list[dict] = [
        {"kind": "image", "url": image.image.url} for image in post.images.order_by("sort", "id")
    ]
    items += [
        {"kind": "topic", "name": name} for name in post.topics.values_list("name", flat=True)
    ]
    items += [
        {"kind": "product", "id": pk, "title": title, "url": f"/products/{pk}/"}
        for pk, title in post.products.values_list("pk", "title")
    ]
    return items


# --- comments ---------------------------------------------------------------------------------


def comments_load_many(ids: Iterable[int]) -> dict[int, Comment]:
    comments = Comment.objects.filter(pk__in=_ids(ids)).select_related(
        "author", "post", "post__author", "parent"
    )
    return {comment.pk: comment for comment in comments}


def comment_is_hidden(comment: Comment) -> bool:
    return comment.status != CommentStatus.VISIBLE


def comment_preview(comment: Comment) -> dict:
    return {
        "text": _clip(comment.body),
        "author": comment.author.username,
        "url": f"/posts/{comment.post_id}/#comment-{comment.pk}",
        "post_id": comment.post_id,
        "status": comment.status,
    }


def comment_context(comment: Comment) -> list[dict]:
    """The note under the comment, the comment it answers, and the comments around it in its
    thread (a few before and after, whatever their status, marked)."""
    post = comment.post
    items: list[dict] = [
        {
            "kind": "post",
            "id": post.pk,
            "title": post.title,
            "text": _clip(post.body),
            "author": post.author.username,
            "status": post.status,
            "url": f"/posts/{post.pk}/",
        }
    ]
    thread = Comment.objects.filter(post_id=post.pk, parent_id=comment.parent_id).select_related(
        "author"
    )
    before = list(thread.filter(pk__lt=comment.pk).order_by("-pk")[:CONTEXT_COMMENTS])[::-1]
    after = list(thread.filter(pk__gt=comment.pk).order_by("pk")[:CONTEXT_COMMENTS])
    parent = [comment.parent] if comment.parent is not None else []
    for other in [*parent, *before, *after]:
        items.append(
            {
                "kind": "comment",
                "id": other.pk,
                "text": _clip(other.body),
                "author": other.author.username,
                "status": other.status,
                "is_parent": other.pk == comment.parent_id,
                "at": other.created_at.isoformat(),
            }
        )
    return items


# --- reviews ----------------------------------------------------------------------------------


def reviews_load_many(ids: Iterable[int]) -> dict[int, Review]:
    reviews = Review.objects.filter(pk__in=_ids(ids)).select_related("author", "product")
    return {review.pk: review for review in reviews}


def review_is_hidden(review: Review) -> bool:
    return review.status == ReviewStatus.HIDDEN


def review_preview(review: Review) -> dict:
    return {
        "text": _clip(f"{'★' * review.rating} {review.body}".strip()),
        "author": review.author.username,
        "url": f"/products/{review.product_id}/#review-{review.pk}",
        "rating": review.rating,
        "status": review.status,
    }


def review_context(review: Review) -> list[dict]:
    """The product reviewed and the review's photos."""
    items: list[dict] = [
        {
            "kind": "product",
            "id": review.product_id,
            "title": review.product.title,
            "url": f"/products/{review.product_id}/",
        }
    ]
    items += [{"kind": "image", "url": image.image.url} for image in review.images.all()]
    return items


# --- share links ------------------------------------------------------------------------------


def share_links_load_many(ids: Iterable[int]) -> dict[int, ShareLink]:
    links = ShareLink.objects.filter(pk__in=_ids(ids)).select_related("sharer")
    return {link.pk: link for link in links}


def share_link_visible_to(link: ShareLink, viewer) -> bool:
    """Anyone can open an active link; a link taken down only its sharer still lists."""
    own = viewer is not None and viewer.is_authenticated and link.sharer_id == viewer.pk
    return link.is_active or own


def share_link_preview(link: ShareLink) -> dict:
    return {
        "text": _clip(link.title or link.target_url),
        "author": link.sharer.username,
        "url": f"/s/{link.code}",
        "target_type": link.target_type,
        "target_url": link.target_url,
        "active": link.is_active,
    }


def share_link_context(link: ShareLink) -> list[dict]:
    return [
        {
            "kind": link.target_type,
            "id": link.target_id,
            "title": link.title,
            "url": link.target_url,
        }
    ]


# --- referral-fraud flags (a system type: nobody reports them) --------------------------------


def share_fraud_load_many(ids: Iterable[int]) -> dict[int, ShareFraudFlag]:
    """Flags with what they hold (``held_rewards``, ``held_points``): two queries for any number."""
    flags = list(ShareFraudFlag.objects.filter(pk__in=_ids(ids)).select_related("sharer", "link"))
    held: dict[tuple[int, str, str], list[int]] = {}
    rows = ShareReward.objects.filter(
        sharer_id__in={flag.sharer_id for flag in flags},
        status=RewardStatus.HELD,
        hold_reason=HoldReason.FRAUD,
    ).values_list("sharer_id", "click__ip_hash", "click__device_hash", "points")
    for sharer_id, ip_hash, device_hash, reward_points in rows:
        held.setdefault((sharer_id, "ip", ip_hash or ""), []).append(reward_points)
        held.setdefault((sharer_id, "device", device_hash or ""), []).append(reward_points)
    for flag in flags:
        each = held.get((flag.sharer_id, flag.signal, flag.signal_hash), [])
        flag.held_rewards, flag.held_points = len(each), sum(each)  # type: ignore[attr-defined]
    return {flag.pk: flag for flag in flags}


def share_fraud_is_hidden(flag: ShareFraudFlag) -> bool:
    """Its rewards are held (open) or were voided."""
    return flag.resolved_at is None or flag.resolution == "voided"


def _flag_rewards(flag: ShareFraudFlag):
    field = "click__ip_hash" if flag.signal == "ip" else "click__device_hash"
    return ShareReward.objects.filter(
        sharer_id=flag.sharer_id, hold_reason=HoldReason.FRAUD, **{field: flag.signal_hash}
    )


def share_fraud_preview(flag: ShareFraudFlag) -> dict:
    signal = "IP address" if flag.signal == "ip" else "device"
    return {
        "text": f"{flag.accounts} accounts from one {signal} claimed share rewards of "
        f"{flag.sharer.username}",
        "author": flag.sharer.username,
        "url": f"/s/{flag.link.code}" if flag.link else "",
        "signal": flag.signal,
        "accounts": flag.accounts,
        "held_rewards": getattr(flag, "held_rewards", 0),
        "held_points": getattr(flag, "held_points", 0),
        "resolution": flag.resolution,
    }


def share_fraud_context(flag: ShareFraudFlag) -> list[dict]:
    """The rewards the flag concerns (most recent first), with the accounts that earned them."""
    rewards = _flag_rewards(flag).select_related("visitor", "link").order_by("-created_at")[:50]
    return [
        {
            "kind": "reward",
            "id": reward.pk,
            "reward": reward.kind,
            "status": reward.status,
            "points": reward.points,
            "visitor": reward.visitor.username if reward.visitor else None,
            "link": reward.link.code,
            "at": reward.created_at.isoformat(),
        }
        for reward in rewards
    ]
