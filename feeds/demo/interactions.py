"""Demo likes and a comment on each demo note (unique rows already: idempotent)."""

from community.models import User
from feeds.models.interactions import Comment
from feeds.models.posts import Post
from feeds.services import interactions


def seed_interactions(users: dict[str, User], made: list[Post]) -> None:
    readers = list(users.values())
    for post in made:
        for reader in readers:
            if reader.pk != post.author_id:
                interactions.post_like(actor=reader, post=post)
        if not Comment.objects.filter(post=post).exists():
            commenter = next((r for r in readers if r.pk != post.author_id), None)
            if commenter is not None:
                interactions.comment_create(actor=commenter, post=post, body="看起来好棒!")
