from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = "Chat"

    def ready(self) -> None:
        from chat import realtime, receivers
        from chat.demo.rooms import seed_chat
        from chat.models import RoomKind
        from chat.selectors.live import livestream_share_target
        from chat.selectors.messages import register_builtin_cards
        from chat.services.messages import register_after_send
        from chat.services.moderation import register_chat_moderatables
        from chat.services.support import support_bot_follow_up
        from community.demo.registry import register_seeder
        from community.selectors.social import register_share_target

        realtime.register()
        receivers.connect()
        register_builtin_cards()
        register_chat_moderatables()
        register_share_target("livestream", livestream_share_target)
        register_after_send(RoomKind.SUPPORT, support_bot_follow_up)
        register_seeder("chat.rooms", seed_chat, order=40)
