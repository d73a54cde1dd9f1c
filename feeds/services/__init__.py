"""Every write of feeds. Import the modules: ``from feeds.services import posts, shares``."""
