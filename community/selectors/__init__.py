from community.selectors.accounts import (
    can_moderate_content,
    tier_progress,
    user_get_public,
    user_roles,
)

__all__ = ["can_moderate_content", "tier_progress", "user_get_public", "user_roles"]
