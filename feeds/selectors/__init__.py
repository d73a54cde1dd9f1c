"""Reads of feeds, one module per topic: ``from feeds.selectors.posts import post_get_visible``."""
