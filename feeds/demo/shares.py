"""Demo share links (alice and bob share a note) with a few anonymous clicks."""

from community.models import User
from feeds.models.posts import Post
from feeds.services import shares


def seed_share_links(users: dict[str, User], made: list[Post]) -> None:
    for username, post in (
        ("alice", made[0] if made else None),
        ("bob", made[-1] if made else None),
    ):
        sharer = users.get(username)
        if sharer is None or post is None:
            continue
        link, _ = shares.share_link_create(actor=sharer, target_type="post", target_id=post.pk)
        if not link.clicks.exists():
            for n in range(3):
                shares.share_click_record(
                    code=link.code,
                    visitor=shares.Visitor(user=None, ip=f"203.0.113.{n}", user_agent="demo"),
                )
