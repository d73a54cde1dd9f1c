"""The feeds demo: notes with generated photos, comments, likes, share links and clicks, reviews,
then the recommendations rebuilt.

Idempotent: a post is made once per (author, title); interactions are unique rows already.
"""

from community.models import User
from feeds.demo.interactions import seed_interactions
from feeds.demo.posts import NOTES, seed_posts
from feeds.demo.reviews import seed_reviews
from feeds.demo.shares import seed_share_links
from feeds.services.feeds import recommendations_rebuild


def seed_feeds(stdout) -> None:
    users = {
        u.username: u for u in User.objects.filter(username__in=[n[0] for n in NOTES] + ["admin"])
    }
    made = seed_posts(users)
    seed_interactions(users, made)
    seed_share_links(users, made)
    reviewed = seed_reviews(users)
    recommendations_rebuild()
    stdout.write(
        f"feeds.posts: {len(made)} notes with photos, likes, comments and share links; "
        f"{reviewed} reviews."
    )
