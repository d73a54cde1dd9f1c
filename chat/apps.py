from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = "Chat"

    def ready(self) -> None:
        from chat import cards, presence, realtime_topics, receivers
        from chat.demo import seed_chat
        from chat.models import RoomKind
        from chat.selectors.live import livestream_share_target
        from chat.services import register_after_send
        from chat.services.support import support_bot_follow_up
        from community.demo_registry import register_seeder
        from community.share_targets import register_share_target
        from realtime.registry import register_connection_hooks

        realtime_topics.register()
        receivers.connect()
        cards.register_builtin_cards()
        register_connection_hooks(
            "chat.presence",
            on_open=presence.on_open,
            on_close=presence.on_close,
            on_ping=presence.on_ping,
        )
        register_share_target("livestream", livestream_share_target)
        register_after_send(RoomKind.SUPPORT, support_bot_follow_up)
        register_seeder("chat.rooms", seed_chat, order=40)
