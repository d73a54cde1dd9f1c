"""Staff tooling of feeds, one module per topic (imported here so the admin registers them)."""

from feeds.admin import posts, reviews, shares, topics

__all__ = ["posts", "reviews", "shares", "topics"]
