from django.apps import AppConfig


class GroupbuyConfig(AppConfig):
    name = "groupbuy"
    verbose_name = "Group buying"

    def ready(self) -> None:
        from community.demo.registry import register_seeder
        from community.selectors.social import register_share_target
        from community.services.insights.campaigns import CampaignReward, register_campaign_reward
        from groupbuy import realtime, receivers
        from groupbuy.demo.catalog import seed_catalog
        from groupbuy.demo.coupons import seed_coupons
        from groupbuy.demo.flash_sales import seed_flash_sales
        from groupbuy.demo.orders import seed_orders
        from groupbuy.demo.teams import seed_teams
        from groupbuy.selectors.flash_sales import flash_sale_share_target
        from groupbuy.selectors.teams import team_share_target
        from groupbuy.services.coupons import (
            coupon_campaign_reward_choices,
            coupon_campaign_reward_exists,
            coupon_grant_campaign_reward,
        )
        from groupbuy.services.flash_sales import flash_sale_order_release
        from groupbuy.services.moderation import register_groupbuy_moderatable
        from groupbuy.services.orders import OrderKind, register_order_kind
        from groupbuy.services.teams import (
            team_order_can_ship,
            team_seat_leave,
            team_seat_paid,
            team_seat_release,
        )

        receivers.connect()
        realtime.register()
        register_groupbuy_moderatable()
        register_order_kind("flash_sale", OrderKind(release=flash_sale_order_release))
        register_order_kind(
            "group",
            OrderKind(
                release=team_seat_release,
                on_paid=team_seat_paid,
                can_ship=team_order_can_ship,
                on_refund_requested=team_seat_leave,
            ),
        )
        register_share_target("flash_sale", flash_sale_share_target)
        register_share_target("team", team_share_target)
        register_campaign_reward(
            "coupon",
            CampaignReward(
                label="优惠券",
                grant=coupon_grant_campaign_reward,
                exists=coupon_campaign_reward_exists,
                choices=coupon_campaign_reward_choices,
            ),
        )
        register_seeder("groupbuy.catalog", seed_catalog, order=30)
        register_seeder("groupbuy.coupons", seed_coupons, order=35)
        register_seeder("groupbuy.orders", seed_orders, order=38)
        register_seeder("groupbuy.teams", seed_teams, order=39)
        register_seeder("groupbuy.flash_sales", seed_flash_sales, order=45)
