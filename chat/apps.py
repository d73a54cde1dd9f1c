from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = "Chat"

    def ready(self) -> None:
        from chat import realtime_topics, receivers
        from chat.demo import seed_chat
        from community.demo_registry import register_seeder

        realtime_topics.register()
        receivers.connect()
        register_seeder("chat.rooms", seed_chat, order=40)
