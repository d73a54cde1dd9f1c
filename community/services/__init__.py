from community.services.accounts import (
    role_grant,
    role_revoke,
    user_login,
    user_logout,
    user_register,
    user_session_open,
    user_update_profile,
)
from community.services.notifications import (
    notification_preferences_set,
    notification_send,
    notifications_mark_read,
)

__all__ = [
    "notification_preferences_set",
    "notification_send",
    "notifications_mark_read",
    "role_grant",
    "role_revoke",
    "user_login",
    "user_logout",
    "user_register",
    "user_session_open",
    "user_update_profile",
]
