from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "feeds"
    verbose_name = "Feeds"

    def ready(self) -> None:
        from community.demo.registry import register_seeder
        from feeds import receivers
        from feeds.demo.feeds import seed_feeds
        from feeds.selectors.shares import share_clicks_per_day_for_sharer, share_targets_register
        from feeds.services.moderation import register_feeds_moderatables
        from feeds.services.shares import share_clicks_for_buyer
        from groupbuy.selectors.commission import (
            register_share_click_counter,
            register_share_click_source,
        )

        receivers.connect()
        share_targets_register()
        register_share_click_source(share_clicks_for_buyer)
        register_share_click_counter(share_clicks_per_day_for_sharer)
        register_feeds_moderatables()
        register_seeder("feeds.posts", seed_feeds, order=50)
