"""Settings for bench/flash_sale.py's servers: the real ones plus a trivial DRF view's URL."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.flash_urls"
