from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "feeds"
    verbose_name = "Feeds"

    def ready(self) -> None:
        from community.demo_registry import register_seeder
        from feeds import receivers, share_targets
        from feeds.demo import seed_feeds
        from feeds.selectors import share_clicks_per_day_for_sharer
        from feeds.services.shares import share_clicks_for_buyer
        from groupbuy.share_sources import (
            register_share_click_counter,
            register_share_click_source,
        )

        receivers.connect()
        share_targets.register()
        register_share_click_source(share_clicks_for_buyer)
        register_share_click_counter(share_clicks_per_day_for_sharer)
        register_seeder("feeds.posts", seed_feeds, order=50)
