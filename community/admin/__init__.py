# Django's admin autodiscovery imports this package: each topic module registers its admins.
from community.admin import accounts, communities, loyalty, notifications, social

__all__ = ["accounts", "communities", "loyalty", "notifications", "social"]
