"""Chat's product numbers (PRODUCT.md §10): settings override every default here."""

from django.conf import settings

GROUP_MAX_MEMBERS = 500


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def group_max_members() -> int:
    return _setting("CHAT_GROUP_MAX_MEMBERS", GROUP_MAX_MEMBERS)


def read_receipts_max_members() -> int:
    return _setting("CHAT_READ_RECEIPTS_MAX_MEMBERS", 20)


def typing_max_members() -> int:
    return _setting("CHAT_TYPING_MAX_MEMBERS", 100)


def edit_window_seconds() -> int:
    return _setting("CHAT_EDIT_WINDOW_SECONDS", 15 * 60)


def flood_window_seconds() -> int:
    return _setting("CHAT_FLOOD_WINDOW_SECONDS", 5)


def flood_max_messages() -> int:
    return _setting("CHAT_FLOOD_MAX_MESSAGES", 5)


def flood_max_messages_new_account() -> int:
    """Accounts younger than ``new_account_hours`` get this lower limit."""
    return _setting("CHAT_FLOOD_MAX_MESSAGES_NEW_ACCOUNT", 2)


def new_account_hours() -> int:
    return _setting("CHAT_NEW_ACCOUNT_HOURS", 24)


def typing_interval_seconds() -> int:
    return _setting("CHAT_TYPING_INTERVAL_SECONDS", 3)
