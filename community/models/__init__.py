from community.models.accounts import Role, RoleGrant, Tier, User

__all__ = ["Role", "RoleGrant", "Tier", "User"]
