"""Posts: create (images through the one pipeline), edit, publish, delete, moderate, feature, pin.

Every image is validated and re-encoded before anything is written, so a refused upload leaves no
row and no file behind; thumbnails are made by a task queued on commit.

Moderation (PRODUCT.md §15) acts through the statuses: ``pending_review`` waits for a moderator
(a trust-level-0 author, a watched word asking for approval, or the site-wide review setting),
``hidden`` was taken down by reports or a moderator, ``removed`` by staff. Only ``published``
posts reach feeds, search, topics and other members' profile lists; ``post_hide`` and
``post_restore`` are the one way in and out of them, for the queue and the admin alike.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from community.models import GrowthSource, ItemSource, MembershipStatus, PointsReason, User
from community.selectors import can_moderate_content
from community.selectors import communities as community_selectors
from community.selectors.accounts import ProcessedImage, process_image, webp_thumbnail
from community.services import growth_add, points_award, task_record
from community.services.moderation.sanctions import ensure_can_publish
from community.services.moderation.trust import trust_counters_add
from feeds.exceptions import (
    InvalidTopicError,
    NotCommunityMemberError,
    NotPostAuthorError,
    PostImageNotFoundError,
    PostNotEditableError,
    ProductUnavailableError,
    StaffOnlyError,
    TooManyImagesError,
    TooManyTopicsError,
)
from feeds.models.posts import (
    BodyFormat,
    Post,
    PostImage,
    PostProduct,
    PostStatus,
    PostTopic,
)
from feeds.selectors.posts import MODERATION_STATES, render_body
from feeds.selectors.topics import TOPIC_NAME, hashtags, normalise_topics
from feeds.services.screening import Screened, premoderated, queue_for_review, screen
from feeds.services.topics import topics_get_or_create, topics_recount
from feeds.signals import post_published
from groupbuy import selectors as shop
from realtime.publish import enqueue_on_commit


@dataclass(frozen=True)
class PostInput:
    title: str
    body: str = ""
    body_format: str = BodyFormat.TEXT
    topics: Sequence[str] = ()
    product_ids: Sequence[int] = ()
    community_id: int | None = None
    publish: bool = True


# --- validation (no writes) ---------------------------------------------------------------------


def _topic_names(data: PostInput) -> list[str]:
    names = normalise_topics([*data.topics, *hashtags(data.title), *hashtags(data.body)])
    for name in names:
        if not TOPIC_NAME.match(name):
            raise InvalidTopicError(fields={"topics": [f"“{name[:50]}” is not a valid topic."]})
    if len(names) > settings.FEEDS_MAX_TOPICS:
        raise TooManyTopicsError(f"A post may have at most {settings.FEEDS_MAX_TOPICS} topics.")
    return names


def _product_ids(actor: User, ids: Sequence[int]) -> list[int]:
    wanted = list(dict.fromkeys(int(i) for i in ids))
    if len(wanted) > settings.FEEDS_MAX_PRODUCTS:
        raise ProductUnavailableError(
            f"Link at most {settings.FEEDS_MAX_PRODUCTS} products.", fields={"products": wanted}
        )
    found = set(shop.product_list(viewer=actor).filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [i for i in wanted if i not in found]
    if missing:
        raise ProductUnavailableError(fields={"products": missing})
    return wanted


def _check_community(actor: User, community_id: int | None) -> None:
    if community_id is None:
        return
    membership = community_selectors.membership_of(community_id=community_id, user_id=actor.pk)
    if membership is None or membership.status != MembershipStatus.ACTIVE:
        raise NotCommunityMemberError()


def process_uploads(uploads: Sequence) -> list[ProcessedImage]:
    """Run every upload through the image pipeline; the first bad one refuses them all."""
    if len(uploads) > settings.FEEDS_MAX_IMAGES:
        raise TooManyImagesError(f"A post may have at most {settings.FEEDS_MAX_IMAGES} images.")
    return [process_image(upload, max_side=settings.FEEDS_IMAGE_MAX_SIDE) for upload in uploads]


# --- writes -------------------------------------------------------------------------------------


def _set_topics(post: Post, names: list[str]) -> set[int]:
    topics = topics_get_or_create(names)
    before = set(PostTopic.objects.filter(post=post).values_list("topic_id", flat=True))
    after = {t.pk for t in topics}
    PostTopic.objects.filter(post=post).exclude(topic_id__in=after).delete()
    PostTopic.objects.bulk_create(
        [PostTopic(post=post, topic_id=t) for t in after - before], ignore_conflicts=True
    )
    return before | after


def _set_products(post: Post, product_ids: list[int]) -> None:
    PostProduct.objects.filter(post=post).delete()
    PostProduct.objects.bulk_create(
        [PostProduct(post=post, product_id=pid, sort=i) for i, pid in enumerate(product_ids)]
    )


def _screen(actor: User, data: PostInput) -> tuple[PostInput, Screened]:
    """The post as it may be stored: sanctions and watched words checked on its title, body and
    topics (a censored topic is dropped: a masked name is no topic)."""
    topics = [str(t) for t in data.topics]
    screened = screen(
        actor,
        data.title,
        data.body,
        *topics,
        html=data.body if data.body_format == BodyFormat.HTML else "",
    )
    title, body, *masked = screened.texts
    kept = [topic for topic, shown in zip(topics, masked, strict=True) if topic == shown]
    return replace(data, title=title, body=body, topics=kept), screened


def _queue(post: Post, screened: Screened, *, premoderate: bool) -> None:
    if premoderate:
        note = "Waiting for approval before publication"
        if screened.needs_review:
            note += f" (watched word: {screened.needs_review})"
        source = ItemSource.PRE_MODERATION
    elif screened.needs_review:
        note, source = f"Watched word: {screened.needs_review}", ItemSource.WATCHED_WORD
    else:
        return
    queue_for_review(
        target_type="post",
        target_id=post.pk,
        author_id=post.author_id,
        source=source,
        hidden=premoderate or screened.held,
        note=note,
    )


def _premoderate(actor: User) -> bool:
    return settings.FEEDS_POSTS_REQUIRE_REVIEW or premoderated(actor)


def _submit(post: Post, actor: User, screened: Screened) -> None:
    """Publish a submitted post, or hold it for a moderator (pre-moderation, a watched word that
    asks for approval) and queue it; a flagged post is published and queued."""
    premoderate = _premoderate(actor)
    held = premoderate or screened.held
    _publish(post, PostStatus.PENDING_REVIEW if held else PostStatus.PUBLISHED)
    _queue(post, screened, premoderate=premoderate)


def _on_published(post: Post) -> None:
    """Rewards and announcements of a first publication (each keyed: paid once per post)."""
    key = f"post:{post.pk}"
    growth = growth_add(
        user_id=post.author_id,
        amount=settings.FEEDS_POST_GROWTH,
        source=GrowthSource.POST,
        idempotency_key=key,
        source_type="post",
        source_id=str(post.pk),
    )
    if growth is not None and settings.FEEDS_POST_POINTS:
        # Points follow the growth cap (3 posts a day), so posting sprees earn nothing extra.
        points_award(
            user_id=post.author_id,
            amount=settings.FEEDS_POST_POINTS,
            reason=PointsReason.POST,
            idempotency_key=key,
            source_type="post",
            source_id=str(post.pk),
        )
    task_record(user_id=post.author_id, action="post")
    # A note that reached readers (published directly or approved) builds its author's trust.
    trust_counters_add(post.author_id, approved_posts=1)
    author_id, post_id = post.author_id, post.pk
    transaction.on_commit(
        lambda: post_published.send(sender=Post, post_id=post_id, author_id=author_id)
    )


def _publish(post: Post, status: str) -> None:
    now = timezone.now()
    updates: dict = {"status": status}
    first_time = status == PostStatus.PUBLISHED and post.published_at is None
    if status == PostStatus.PUBLISHED and post.published_at is None:
        updates["published_at"] = now
    Post.objects.filter(pk=post.pk).update(**updates)
    for field, value in updates.items():
        setattr(post, field, value)
    if first_time:
        _on_published(post)


def post_create(*, actor: User, data: PostInput, uploads: Sequence = (), now=None) -> Post:
    """Create a post (draft or submitted) with up to 9 images, topics and linked products."""
    data, screened = _screen(actor, data)
    topic_names = _topic_names(data)
    product_ids = _product_ids(actor, data.product_ids)
    _check_community(actor, data.community_id)
    images = process_uploads(uploads)
    saved: list[PostImage] = []
    try:
        with transaction.atomic(durable=True):
            post = Post.objects.create(
                author=actor,
                title=data.title.strip(),
                body=data.body,
                body_format=data.body_format,
                body_html=render_body(data.body, data.body_format),
                status=PostStatus.DRAFT,
                community_id=data.community_id,
            )
            for sort, image in enumerate(images):
                row = PostImage(post=post, width=image.width, height=image.height, sort=sort)
                row.image.save(f"{post.pk}-{sort}.{image.extension}", image.content, save=False)
                saved.append(row)
            PostImage.objects.bulk_create(saved)
            topic_ids = _set_topics(post, topic_names)
            _set_products(post, product_ids)
            if data.publish:
                _submit(post, actor, screened)
            topics_recount(list(topic_ids))
            if images:
                enqueue_on_commit("feeds.tasks.make_post_thumbnails", post.pk)
    except BaseException:
        # The rows rolled back; the files written meanwhile must go too.
        for row in saved:
            row.image.storage.delete(row.image.name)
        raise
    return post


def _require_author(actor: User, post: Post) -> None:
    if post.author_id != actor.pk:
        raise NotPostAuthorError()
    if post.status in (PostStatus.HIDDEN, PostStatus.REMOVED):
        raise PostNotEditableError()


def post_update(
    *,
    actor: User,
    post: Post,
    title: str | None = None,
    body: str | None = None,
    body_format: str | None = None,
    topics: Sequence[str] | None = None,
    product_ids: Sequence[int] | None = None,
    publish: bool = False,
) -> Post:
    """Edit the author's own post; ``publish`` submits a draft."""
    _require_author(actor, post)
    if topics is None:
        # Keep the topics picked by hand; hashtags follow the new text.
        from_text = {t.casefold() for t in hashtags(post.title) + hashtags(post.body)}
        current = post.topics.values_list("name", flat=True)
        topics = [name for name in current if name.casefold() not in from_text]
    merged, screened = _screen(
        actor,
        PostInput(
            title=title if title is not None else post.title,
            body=body if body is not None else post.body,
            body_format=body_format or post.body_format,
            topics=list(topics),
            product_ids=list(product_ids) if product_ids is not None else [],
        ),
    )
    topic_names = _topic_names(merged)
    products = _product_ids(actor, product_ids) if product_ids is not None else None
    with transaction.atomic(durable=True):
        locked = Post.objects.select_for_update().get(pk=post.pk)
        _require_author(actor, locked)
        text_changed = merged.title.strip() != locked.title or merged.body != locked.body
        Post.objects.filter(pk=post.pk).update(
            title=merged.title.strip(),
            body=merged.body,
            body_format=merged.body_format,
            body_html=render_body(merged.body, merged.body_format),
        )
        topic_ids = _set_topics(locked, topic_names)
        if products is not None:
            _set_products(locked, products)
        if publish and locked.status == PostStatus.DRAFT:
            _submit(locked, actor, screened)
        elif locked.status == PostStatus.PUBLISHED:
            # An edit is screened like a new note: a new member's changed text waits again.
            premoderate = text_changed and premoderated(actor)
            if premoderate or screened.held:
                Post.objects.filter(pk=post.pk).update(status=PostStatus.PENDING_REVIEW)
            _queue(locked, screened, premoderate=premoderate)
        elif locked.status == PostStatus.PENDING_REVIEW and screened.needs_review:
            _queue(locked, screened, premoderate=False)
        topics_recount(list(topic_ids))
    post.refresh_from_db()
    return post


def post_image_add(*, actor: User, post: Post, upload) -> PostImage:
    """The author adds a photo to their post, in the first free of its nine slots."""
    _require_author(actor, post)
    ensure_can_publish(actor)
    image = process_uploads([upload])[0]
    row: PostImage | None = None
    try:
        with transaction.atomic(durable=True):
            locked = Post.objects.select_for_update().get(pk=post.pk)
            _require_author(actor, locked)
            taken = set(PostImage.objects.filter(post=locked).values_list("sort", flat=True))
            free = [slot for slot in range(settings.FEEDS_MAX_IMAGES) if slot not in taken]
            if not free:
                raise TooManyImagesError()
            row = PostImage(post=locked, width=image.width, height=image.height, sort=free[0])
            row.image.save(f"{post.pk}-{free[0]}.{image.extension}", image.content, save=False)
            row.save()
            enqueue_on_commit("feeds.tasks.make_post_thumbnails", post.pk)
    except BaseException:
        if row is not None and row.image.name:
            row.image.storage.delete(row.image.name)
        raise
    return row


def post_image_remove(*, actor: User, post: Post, image_id: int) -> None:
    """The author takes a photo off their post; its files go once that is committed."""
    _require_author(actor, post)
    with transaction.atomic(durable=True):
        Post.objects.select_for_update().filter(pk=post.pk).values_list("pk").get()
        image = PostImage.objects.filter(pk=image_id, post=post).first()
        if image is None:
            raise PostImageNotFoundError()
        names = [image.image.name, *image.thumbnails.values()]
        storage = image.image.storage
        image.delete()
        for name in names:
            transaction.on_commit(partial(storage.delete, name))


def post_delete(*, actor: User, post: Post) -> None:
    """The author deletes their post (files removed after commit); staff remove it instead."""
    if post.author_id != actor.pk:
        if not can_moderate_content(actor):
            raise NotPostAuthorError("Only the author can delete this post.")
        post_moderate(actor=actor, post=post, status=PostStatus.REMOVED)
        return
    with transaction.atomic(durable=True):
        topic_ids = list(PostTopic.objects.filter(post=post).values_list("topic_id", flat=True))
        files: list[tuple] = []
        for image in PostImage.objects.filter(post=post):
            files.append((image.image.storage, image.image.name))
            files.extend((image.image.storage, name) for name in image.thumbnails.values())
        Post.objects.filter(pk=post.pk).delete()
        topics_recount(topic_ids)
        for storage, name in files:
            transaction.on_commit(partial(storage.delete, name))


def _set_status(post: Post, status: str, *, allowed_from: Sequence[str] | None) -> bool:
    """Move a post to ``status`` (from one of ``allowed_from``), keeping its topics' counts; a
    first publication pays and counts as it would have on submit. ``post`` follows the row."""
    with transaction.atomic():
        locked = Post.objects.select_for_update().filter(pk=post.pk).first()
        moved = (
            locked is not None
            and locked.status != status
            and (allowed_from is None or locked.status in allowed_from)
        )
        if locked is not None and moved:
            if status == PostStatus.PUBLISHED:
                _publish(locked, status)
            else:
                Post.objects.filter(pk=post.pk).update(status=status)
                locked.status = status
            topic_ids = PostTopic.objects.filter(post_id=post.pk).values_list("topic_id", flat=True)
            topics_recount(list(topic_ids))
    if locked is not None:
        post.status, post.published_at = locked.status, locked.published_at
    return moved


def post_hide(*, post: Post) -> bool:
    """Moderation takes a note down (reports past the threshold, or a moderator's removal): it
    leaves every feed, search, topic page and other members' lists, and its comments go with it;
    its author still sees it, marked ``hidden``. Soft: ``post_restore`` puts it back. Drafts are
    left alone; a post staff removed stays ``removed``."""
    return _set_status(
        post, PostStatus.HIDDEN, allowed_from=(PostStatus.PUBLISHED, PostStatus.PENDING_REVIEW)
    )


def post_restore(*, post: Post) -> bool:
    """A moderator approves a note (a pending one is published for the first time, and counts for
    its author's trust then) or reverses its removal. Drafts and the author's own deletions are
    never brought back (a deleted note no longer exists)."""
    return _set_status(post, PostStatus.PUBLISHED, allowed_from=MODERATION_STATES)


def post_moderate(*, actor: User | None, post: Post, status: str) -> Post:
    """Staff and moderators (the admin's actions, a staff delete) publish, hide or remove a
    post: the same moves as the moderation queue's ``post_restore`` and ``post_hide``."""
    if actor is not None and not can_moderate_content(actor):
        raise StaffOnlyError("Only staff and moderators can do that.")
    if status not in PostStatus.values:
        raise ValueError(status)
    _set_status(post, status, allowed_from=None)
    post.refresh_from_db()
    return post


def post_feature(*, actor: User, post: Post, featured: bool) -> Post:
    """Staff feature a post on the featured feed (or take it off)."""
    if not shop.is_staff(actor):
        raise StaffOnlyError()
    Post.objects.filter(pk=post.pk).update(
        is_featured=featured, featured_at=timezone.now() if featured else None
    )
    post.refresh_from_db()
    return post


def post_pin(*, actor: User, post: Post, pinned: bool) -> Post:
    """A leader of the post's community (or staff) pins it on top of the community feed."""
    allowed = shop.is_staff(actor) or (
        post.community_id is not None
        and community_selectors.is_manager(community_id=post.community_id, user=actor)
    )
    if not allowed:
        raise StaffOnlyError("Only the community's leaders can pin posts.")
    Post.objects.filter(pk=post.pk).update(is_pinned=pinned)
    post.refresh_from_db()
    return post


def post_thumbnails_make(*, post_id: int) -> int:
    """Make the missing WebP thumbnails of a post's images; safe to run twice."""
    made = 0
    for image in PostImage.objects.filter(post_id=post_id):
        thumbs = dict(image.thumbnails)
        for side in settings.FEEDS_THUMBNAIL_SIDES:
            if str(side) in thumbs:
                continue
            try:
                content = webp_thumbnail(image.image, side=side)
            except (OSError, ValueError):
                continue  # the file is gone (post deleted meanwhile): nothing to make
            base = image.image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            thumbs[str(side)] = image.image.storage.save(
                f"posts/thumbs/{base}-{side}.webp", content
            )
            made += 1
        try:
            with transaction.atomic():
                PostImage.objects.filter(pk=image.pk).update(thumbnails=thumbs)
        except IntegrityError:  # pragma: no cover - the row vanished with its post
            pass
    return made
