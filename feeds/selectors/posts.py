"""Reads of posts, aware of who is looking, and the HTML a post body becomes.

Every list is built with a fixed number of queries (select_related / prefetch / Exists
annotations), whatever the page or the size of the graph. The stored ``body_html`` is the only
body a template marks safe (escaped, linkified text or HTML cleaned by nh3), so script in a post can
never reach a page unescaped.
"""

import nh3
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.html import linebreaks, urlize

from community.selectors.accounts import can_moderate_content
from community.selectors.social import blocked_user_ids
from feeds.exceptions import PostNotFoundError
from feeds.models.interactions import Like, Save
from feeds.models.posts import Post, PostImage, PostStatus
from feeds.models.topics import Topic
from groupbuy import selectors as shop

# Where moderation keeps a post out of sight: waiting for approval, hidden, removed by staff.
MODERATION_STATES = (PostStatus.PENDING_REVIEW, PostStatus.HIDDEN, PostStatus.REMOVED)


def _signed_in(viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


def can_manage(post: Post, viewer) -> bool:
    return _signed_in(viewer) and (post.author_id == viewer.pk or shop.is_staff(viewer))


def post_visible_to(post: Post, viewer) -> bool:
    """Published posts for everyone but members blocked either way; a draft for its author and
    staff; a post moderation holds back for its author and moderators."""
    if post.status == PostStatus.PUBLISHED or can_manage(post, viewer):
        visible = True
    else:
        visible = post.status in MODERATION_STATES and can_moderate_content(viewer)
    return visible and post.author_id not in blocked_user_ids(viewer)


def with_card_data(posts: QuerySet[Post], viewer) -> QuerySet[Post]:
    """Everything a post card shows, in a fixed number of queries per page."""
    posts = posts.select_related("author", "community").prefetch_related(
        Prefetch("images", queryset=PostImage.objects.order_by("sort", "id")),
        Prefetch("topics", queryset=Topic.objects.order_by("name")),
        Prefetch("products", queryset=shop.product_list(viewer=viewer).order_by("id")),
    )
    if _signed_in(viewer):
        posts = posts.annotate(
            liked=Exists(Like.objects.filter(post=OuterRef("pk"), user_id=viewer.pk)),
            saved=Exists(Save.objects.filter(post=OuterRef("pk"), user_id=viewer.pk)),
        )
    return posts


def posts_published(viewer) -> QuerySet[Post]:
    """Published posts the viewer may see (not from members blocked either way)."""
    posts = Post.objects.filter(status=PostStatus.PUBLISHED)
    blocked = blocked_user_ids(viewer)
    if blocked:
        posts = posts.exclude(author_id__in=blocked)
    return posts


def post_get_visible(*, post_id: int, viewer) -> Post:
    """A post for its page: published ones for everyone, others for the author and staff (and
    moderators, for a post moderation holds back); 404 otherwise."""
    post = with_card_data(Post.objects.filter(pk=post_id), viewer).first()
    if post is None or not post_visible_to(post, viewer):
        raise PostNotFoundError()
    return post


def post_get_for_write(*, post_id: int, viewer) -> Post:
    """A post the viewer may at least see (404 otherwise); services check authorship."""
    post = Post.objects.filter(pk=post_id).first()
    if post is None or (post.status != PostStatus.PUBLISHED and not can_manage(post, viewer)):
        raise PostNotFoundError()
    return post


def posts_of_author(*, author_id: int, viewer) -> QuerySet[Post]:
    if _signed_in(viewer) and viewer.pk == author_id:
        return Post.objects.filter(author_id=author_id).exclude(status=PostStatus.REMOVED)
    return posts_published(viewer).filter(author_id=author_id)


# --- bodies -------------------------------------------------------------------------------------

ALLOWED_TAGS = {
    "p", "br", "b", "strong", "i", "em", "u", "s", "blockquote", "ul", "ol", "li", "a", "h3",
    "h4", "code", "pre",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_body(body: str, body_format: str) -> str:
    """The HTML a page may show for ``body`` (``text``: escaped + links; ``html``: cleaned)."""
    if body_format == "html":
        return nh3.clean(
            body,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="nofollow noopener ugc",
        )
    return linebreaks(urlize(body, nofollow=True, autoescape=True), autoescape=False)
