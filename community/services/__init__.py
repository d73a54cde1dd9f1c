from community.services.accounts import (
    role_grant,
    role_revoke,
    user_login,
    user_logout,
    user_register,
    user_session_open,
    user_update_profile,
)

__all__ = [
    "role_grant",
    "role_revoke",
    "user_login",
    "user_logout",
    "user_register",
    "user_session_open",
    "user_update_profile",
]
