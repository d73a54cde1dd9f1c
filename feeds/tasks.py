"""Celery tasks of feeds: load by id, call a service, safe to run twice."""

from celery import shared_task

from feeds.services.feeds import recommendations_rebuild
from feeds.services.posts import post_thumbnails_make


@shared_task(name="feeds.tasks.make_post_thumbnails")
def make_post_thumbnails(post_id: int) -> int:
    return post_thumbnails_make(post_id=post_id)


@shared_task(name="feeds.tasks.rebuild_recommendations")
def rebuild_recommendations() -> int:
    return recommendations_rebuild().pairs
