from community.selectors.accounts import tier_progress, user_get_public, user_roles

__all__ = ["tier_progress", "user_get_public", "user_roles"]
