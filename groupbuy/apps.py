from django.apps import AppConfig


class GroupbuyConfig(AppConfig):
    name = "groupbuy"
    verbose_name = "Group buying"

    def ready(self) -> None:
        from community.demo_registry import register_seeder
        from groupbuy import flash_sales, receivers, teams
        from groupbuy.demo import seed_catalog, seed_coupons
        from groupbuy.demo_orders import seed_orders

        receivers.connect()
        flash_sales.setup()
        teams.setup()
        register_seeder("groupbuy.catalog", seed_catalog, order=30)
        register_seeder("groupbuy.coupons", seed_coupons, order=35)
        register_seeder("groupbuy.orders", seed_orders, order=38)
