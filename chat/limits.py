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


def presence_ttl_seconds() -> int:
    """How long a socket's last ping keeps its user online (the browser pings every 25 s)."""
    return _setting("CHAT_PRESENCE_TTL_SECONDS", 70)


# --- livestreams (PRODUCT.md §12) ---------------------------------------------------------------


def live_batch_interval_ms() -> int:
    """One live.comments.batch frame per stream at most this often (250 ms - 1 s)."""
    return max(250, min(1000, _setting("LIVE_COMMENT_BATCH_MS", 500)))


def live_likes_interval_seconds() -> int:
    return _setting("LIVE_LIKES_PUSH_SECONDS", 1)


def live_comment_max_length() -> int:
    return _setting("LIVE_COMMENT_MAX_LENGTH", 500)


def live_slow_mode_max_seconds() -> int:
    return _setting("LIVE_SLOW_MODE_MAX_SECONDS", 300)


def live_notify_batch_size() -> int:
    """Followers notified per task run when a stream goes live."""
    return _setting("LIVE_NOTIFY_BATCH_SIZE", 500)


def live_likes_per_request_max() -> int:
    return _setting("LIVE_LIKES_PER_REQUEST_MAX", 20)


# --- support desk (PRODUCT.md §11) --------------------------------------------------------------


def feedback_points() -> int:
    """Points for product feedback that staff accept."""
    return _setting("SUPPORT_FEEDBACK_POINTS", 50)
