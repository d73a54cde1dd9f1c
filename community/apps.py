from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from community import realtime
        from community.api import authentication_schema  # noqa: F401  (registers the schemes)
        from community.demo.experiments import seed_experiments
        from community.demo.loyalty import seed_loyalty
        from community.demo.moderation import seed_moderation
        from community.demo.registry import register_seeder
        from community.demo.social import seed_social
        from community.services.moderation.profiles import (
            register_appeals_moderatable,
            register_profiles_moderatable,
        )

        realtime.register()
        register_profiles_moderatable()
        register_appeals_moderatable()
        register_seeder("community.social", seed_social, order=10)
        register_seeder("community.loyalty", seed_loyalty, order=20)
        register_seeder("community.experiments", seed_experiments, order=60)
        # Last: other apps' content exists by then.
        register_seeder("community.moderation", seed_moderation, order=900)
