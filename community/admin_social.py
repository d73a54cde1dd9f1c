"""Admin for the social graph and interest communities."""
