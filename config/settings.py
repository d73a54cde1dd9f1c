"""Every setting of Tuanju, read from the environment in this one place.

Empty DATABASE_URL / REDIS_URL select the embedded mode (SQLite in WAL mode, in-memory channel
layer, LocMem cache, Celery on kombu's filesystem transport); setting them selects PostgreSQL
(through psycopg's pool) and Redis. docs/configuration.md lists every variable.
"""

import ipaddress
import os
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from config.secrets import local_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

TESTING = env.bool("TUANJU_TESTING", default="pytest" in sys.modules)
DEBUG = env.bool("DEBUG", default=False)
VAR_DIR = Path(env("TUANJU_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
# The embedded mode (docs/configuration.md "Modes"): neither a database server nor Redis.
EMBEDDED = not env("DATABASE_URL", default="") and not env("REDIS_URL", default="")


def _secret_key() -> str:
    """SECRET_KEY from the environment; only the embedded mode and tests may go without one."""
    configured = env("SECRET_KEY", default="")
    if configured:
        return configured
    if not (EMBEDDED or TESTING):
        # A default key is public (it is in this repository): anyone could sign sessions and
        # relay pushes with it. Refuse to start instead.
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Outside the embedded mode (DATABASE_URL or REDIS_URL set) "
            "the service refuses to start without one; see docs/configuration.md."
        )
    # Not a constant: a key made on this machine and kept in var/, so that the embedded
    # service's processes (daphne, the worker) agree on it and nobody else knows it.
    return local_secret_key(VAR_DIR / "secret_key")


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (IPs or CIDR networks; none by
# default). config.middleware.ClientAddressMiddleware derives the client address from them;
# without one, REMOTE_ADDR is the client and forwarded headers are the client's own words.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is no IP or network") from _error
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Production: a server-backed mode that is neither a debug run nor a test run. It serves over
# HTTPS (behind the proxy of `make prod`), so cookies are Secure, plain HTTP is redirected and
# HSTS is sent; each can be turned off through the environment (e.g. a loopback benchmark).
PRODUCTION = not (DEBUG or EMBEDDED or TESTING)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
# Health checks come from the load balancer over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=PRODUCTION)
# Content-Security-Policy and Permissions-Policy on every response (config/security.py).
CONTENT_SECURITY_POLICY_ENABLED = env.bool("CONTENT_SECURITY_POLICY_ENABLED", default=True)

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "realtime",
    "community",
    "groupbuy",
    "chat",
    "feeds",
    "frontend",
]

MIDDLEWARE = [
    "config.middleware.RequestContextMiddleware",
    "config.limits.BodySizeLimitMiddleware",
    "config.middleware.ClientAddressMiddleware",
    "config.middleware.RefuseNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.BindUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
AUTH_USER_MODEL = "community.User"
# Admin permissions come from roles (community.admin.accounts), beside Django's own rows.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "community.admin.accounts.RoleAdminBackend",
]
LOGIN_URL = "/login/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frontend.context_processors.realtime",
                "config.security.csp_nonce",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", default="")
if DATABASE_URL:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # psycopg's pool instead of persistent connections: CONN_MAX_AGE leaks under ASGI.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["application_name"] = env(
            "DB_APPLICATION_NAME", default="tuanju"
        )
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": env.int("DB_POOL_MIN_SIZE", default=1),
            # Tests run 20 threads held at one barrier, each on its own connection, beside
            # whatever the test process itself still holds: they get headroom.
            "max_size": env.int("DB_POOL_MAX_SIZE", default=30 if TESTING else 20),
            "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),
        }
        # With the pool, Django turns this into psycopg's check on checkout: a PostgreSQL
        # restart or a killed session would otherwise surface as a 500 on the next request.
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", default=str(VAR_DIR / "tuanju.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

if TESTING and DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not :memory:, so daphne and Celery subprocesses of browser tests share it.
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{_worker}.sqlite3")}

# --- Redis: cache, channel layer, Celery ------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
REDIS_KEY_PREFIX = env("TUANJU_REDIS_PREFIX", default="tuanju")
REDIS_CACHE_DB = env.int("REDIS_CACHE_DB", default=3)
REDIS_CHANNEL_DB = env.int("REDIS_CHANNEL_DB", default=2)
if TESTING:
    # Tests never touch the dev run's Redis databases, and each xdist worker gets its own pair,
    # because cache.clear() flushes a whole database.
    # TEST_REDIS_CACHE_DB / TEST_REDIS_CHANNEL_DB move the first worker's pair, so that a second
    # checkout's run (up to three workers) stays out of this one's databases.
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0) % 3
    REDIS_KEY_PREFIX = env("TEST_REDIS_PREFIX", default="tuanju-test") + f"-{worker}"
    REDIS_CACHE_DB = env.int("TEST_REDIS_CACHE_DB", default=8) + worker
    REDIS_CHANNEL_DB = env.int("TEST_REDIS_CHANNEL_DB", default=12) + worker


def _redis_db(url: str, db: int) -> str:
    base = url.rstrip("/")
    scheme, _, rest = base.partition("://")
    host = rest.split("/", 1)[0]
    return f"{scheme}://{host}/{db}"


if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_db(REDIS_URL, REDIS_CACHE_DB),
            "KEY_PREFIX": REDIS_KEY_PREFIX,
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": _redis_db(REDIS_URL, REDIS_CHANNEL_DB),
                        # redis-py 8 defaults to a 5 s socket timeout, which tears down idle
                        # channel readers (their blocking pop waits 5 s too).
                        "socket_timeout": env.float("CHANNEL_SOCKET_TIMEOUT", default=30.0),
                        "socket_connect_timeout": 5,
                    }
                ],
                "prefix": f"{REDIS_KEY_PREFIX}:asgi",
                "capacity": env.int("CHANNEL_CAPACITY", default=200),
                "expiry": 60,
                "group_expiry": 86400,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Celery ----------------------------------------------------------------------------------
CELERY_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=_redis_db(REDIS_URL, 0))
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
    (CELERY_DIR / "queue").mkdir(parents=True, exist_ok=True)
    (CELERY_DIR / "control").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DIR / "queue"),
        "data_folder_out": str(CELERY_DIR / "queue"),
        # Broadcast (control) messages would otherwise land in ./control of the current directory.
        "control_folder": str(CELERY_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=TESTING)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default=f"{REDIS_KEY_PREFIX}")
CELERY_BEAT_SCHEDULE_FILE = str(VAR_DIR / "celerybeat-schedule")

# --- Auth ------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Per-account lockout (community.services.accounts.user_login): this many failed sign-ins within
# the window lock the account for the window (429 login_locked), whatever the address.
LOGIN_LOCKOUT_FAILURES = env.int("LOGIN_LOCKOUT_FAILURES", default=10)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)

# --- REST API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "community.api.authentication.TokenAuthentication",
        "community.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.NewestFirstCursorPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # config.parsers.JSONParser: deeply nested JSON is a 400 parse_error, not a 500.
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", default="120/min"),
        "user": env("THROTTLE_USER", default="600/min"),
        "auth": env("THROTTLE_AUTH", default="20/min"),
        # A page sends one batch per load and per hide; an app flushes every few seconds.
        "events": env("THROTTLE_EVENTS", default="120/min"),
    },
    "EXCEPTION_HANDLER": "config.exceptions.api_exception_handler",
    # Throttles key on REMOTE_ADDR, which ClientAddressMiddleware has already resolved; DRF's
    # own default would read X-Forwarded-For, a header any client writes.
    "NUM_PROXIES": 0,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Tuanju API",
    "DESCRIPTION": "REST contract of Tuanju (团聚). WebSocket protocol: see docs/realtime.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per shared choice set, so that fields named "status" or "kind" don't collide.
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "groupbuy.models.OrderStatus",
        "PaymentStatusEnum": "groupbuy.models.PaymentStatus",
        "RefundStatusEnum": "groupbuy.models.RefundStatus",
        "TrackingStatusEnum": "groupbuy.models.TrackingStatus",
        "CommissionStatusEnum": "groupbuy.models.CommissionStatus",
        "AfterSalesStatusEnum": "groupbuy.models.AfterSalesStatus",
        "AfterSalesKindEnum": "groupbuy.models.AfterSalesKind",
        "AfterSalesReasonEnum": "groupbuy.models.AfterSalesReason",
        "ProductStatusEnum": "groupbuy.models.ProductStatus",
        "CouponKindEnum": "groupbuy.models.CouponKind",
        "OrderKindEnum": "groupbuy.models.OrderKindChoice",
        "CommentStatusEnum": "feeds.models.interactions.CommentStatus",
        "ReviewStatusEnum": "feeds.models.reviews.ReviewStatus",
        "PostStatusEnum": "feeds.models.posts.PostStatus",
    },
}

# --- Realtime --------------------------------------------------------------------------------
REALTIME_MAX_FRAME_BYTES = 64 * 1024
# Topics one socket may watch at once (its own user topic included).
REALTIME_MAX_SUBSCRIPTIONS = env.int("REALTIME_MAX_SUBSCRIPTIONS", default=50)
# Token bucket per connection: sustained frames per second and burst size. A client that keeps
# flooding past REALTIME_FLOOD_CLOSE_AFTER refused frames is disconnected.
REALTIME_FRAME_RATE = env.float("REALTIME_FRAME_RATE", default=10.0)
REALTIME_FRAME_BURST = env.int("REALTIME_FRAME_BURST", default=30)
REALTIME_FLOOD_CLOSE_AFTER = env.int("REALTIME_FLOOD_CLOSE_AFTER", default=50)
# Embedded mode only: the in-memory channel layer lives inside daphne, so the Celery worker hands
# its pushes to daphne over this loopback URL (signed with SECRET_KEY). Set by `python -m config.serve`.
REALTIME_RELAY_URL = env("REALTIME_RELAY_URL", default="")
# The receiving end (/internal/realtime/relay) is mounted only where it is needed: with the
# in-memory channel layer. With Redis every process reaches the layer itself.
REALTIME_RELAY_ENABLED = (
    CHANNEL_LAYERS["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"
)

# --- i18n, static, media ---------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING or DEBUG
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
# Request-body caps (config/limits.py): larger bodies are refused with 413 too_large before
# anything reads them, anonymous ones included. Uploads (multipart) get room for a post's nine
# photos at IMAGE_MAX_UPLOAD_BYTES each; everything else (JSON, forms) far less.
REQUEST_MAX_BODY_BYTES = env.int("REQUEST_MAX_BODY_BYTES", default=2 * 1024 * 1024)
UPLOAD_MAX_BODY_BYTES = env.int("UPLOAD_MAX_BODY_BYTES", default=48 * 1024 * 1024)
# Django's own check on the non-file part of a body, for bodies that arrive without a length.
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BODY_BYTES

# --- Logging ---------------------------------------------------------------------------------
LOG_FORMAT = env("LOG_FORMAT", default="console" if DEBUG or not DATABASE_URL else "json")
LOG_LEVEL = env("LOG_LEVEL", default="WARNING" if TESTING else "INFO")
LOGGING_CONFIG = None
if not os.environ.get("TUANJU_SKIP_LOGGING"):
    from config.logging import configure_logging

    configure_logging(fmt=LOG_FORMAT, level=LOG_LEVEL)

# --- Product numbers (PRODUCT.md) -------------------------------------------------------------
DEMO_PASSWORD = env("DEMO_PASSWORD", default="tuanju-demo-2026")
# Notification types that also leave the machine, and through which adapters (PRODUCT.md §16).
NOTIFICATION_EXTERNAL_TYPES = {
    "points_expiring": ["email"],
    "refund": ["email", "sms"],
    "flash_sale_reminder": ["push"],
    "livestream_started": ["push"],
}
NOTIFICATION_CHANNELS = {
    "email": env("NOTIFY_EMAIL_BACKEND", default="community.services.notifications.ConsoleChannel"),
    "sms": env("NOTIFY_SMS_BACKEND", default="community.services.notifications.ConsoleChannel"),
    "push": env("NOTIFY_PUSH_BACKEND", default="community.services.notifications.ConsoleChannel"),
}
# Campaign notifications a member may get in 7 days (PRODUCT.md §17: 3, editable).
MARKETING_NOTIFICATIONS_PER_WEEK = env.int("MARKETING_NOTIFICATIONS_PER_WEEK", default=3)

# Calendar days (check-in streaks, daily tasks, leaderboards, points expiry) follow the market's
# local time, not UTC.
BUSINESS_TIME_ZONE = env("BUSINESS_TIME_ZONE", default="Asia/Shanghai")
CHECKIN_BASE_POINTS = 10
CHECKIN_STREAK_STEP = 5
CHECKIN_STREAK_BONUS_CAP = 30
CHECKIN_GROWTH = 5
POINTS_EXPIRY_MONTHS = 12
POINTS_EXPIRY_REMINDER_DAYS = 7
TIER_MAINTENANCE_DAYS = 30
# Growth sources that count only so many times a day (PRODUCT.md §3: +10 per post, max 3 a day).
GROWTH_DAILY_CAPS = {"post": 3}
INVITE_REGISTRATION_POINTS = 100
INVITE_FIRST_ORDER_GROWTH = 50

# Uploaded images (community/selectors/accounts.py): size cap, decompression-bomb cap, avatar size.
IMAGE_MAX_UPLOAD_BYTES = env.int("IMAGE_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
AVATAR_MAX_SIDE = 512

# The sandbox payment provider signs its webhooks with this secret (groupbuy/services/payments.py).
PAYMENT_SANDBOX_SECRET = env("PAYMENT_SANDBOX_SECRET", default=SECRET_KEY + ":payments-sandbox")
# Unpaid orders are cancelled (stock, coupon and points released) after this (PRODUCT.md §7).
ORDER_PAYMENT_MINUTES = env.int("ORDER_PAYMENT_MINUTES", default=15)

# --- fulfilment, refunds, after-sales, commission (PRODUCT.md §5, §7) ----------------------------
ORDER_AUTO_COMPLETE_DELIVERED_DAYS = env.int("ORDER_AUTO_COMPLETE_DELIVERED_DAYS", default=7)
ORDER_AUTO_COMPLETE_SHIPPED_DAYS = env.int("ORDER_AUTO_COMPLETE_SHIPPED_DAYS", default=15)
COMMISSION_CONFIRM_DAYS = env.int("COMMISSION_CONFIRM_DAYS", default=7)
# Attribution windows (PRODUCT.md §5; groupbuy/selectors/commission.py): a creator's share-link click
# attributes the clicker's orders for this many days, a storefront visit for this many hours.
# The clicks come from feeds, which only returns those within FEEDS_SHARE_WINDOW_DAYS (the share
# reward window of §14, also 7 days): keep ATTRIBUTION_SHARE_DAYS at most that.
ATTRIBUTION_SHARE_DAYS = env.int("ATTRIBUTION_SHARE_DAYS", default=7)
ATTRIBUTION_STOREFRONT_HOURS = env.int("ATTRIBUTION_STOREFRONT_HOURS", default=24)
# Time a group-buy team has to fill when a campaign names none (PRODUCT.md §8). The Campaign
# model keeps its own equal fallback (groupbuy.models.TEAM_WINDOW_MINUTES_FALLBACK) because a
# model default read from settings would change the migration state with the environment.
GROUPBUY_TEAM_WINDOW_MINUTES = env.int("GROUPBUY_TEAM_WINDOW_MINUTES", default=24 * 60)
AFTER_SALES_WINDOW_DAYS = env.int("AFTER_SALES_WINDOW_DAYS", default=15)
AFTER_SALES_MAX_PHOTOS = env.int("AFTER_SALES_MAX_PHOTOS", default=6)
REFUND_SWEEP_GRACE_SECONDS = env.int("REFUND_SWEEP_GRACE_SECONDS", default=60)

# --- Feeds, recommendations and share links (docs/feeds.md) ---------------------------------------
FEEDS_MAX_IMAGES = 9
FEEDS_IMAGE_MAX_SIDE = env.int("FEEDS_IMAGE_MAX_SIDE", default=2048)
FEEDS_THUMBNAIL_SIDES = (360, 1080)
FEEDS_MAX_TOPICS = 10
FEEDS_MAX_PRODUCTS = 9
FEEDS_POST_GROWTH = 10
FEEDS_POST_POINTS = 5
FEEDS_REVIEW_PHOTO_GROWTH = 20
FEEDS_POSTS_REQUIRE_REVIEW = env.bool("FEEDS_POSTS_REQUIRE_REVIEW", default=False)
FEEDS_PAGE_SIZE = 20
FEEDS_MAX_PER_AUTHOR_PER_PAGE = 2
FEEDS_CANDIDATES_PER_SOURCE = 200
FEEDS_RECENT_DAYS = 30
FEEDS_HALF_LIFE_HOURS = 36.0
FEEDS_COOCCURRENCE_DAYS = 90
FEEDS_COOCCURRENCE_NEIGHBOURS = 30
FEEDS_TRENDING_DAYS = 7
FEEDS_SHARE_CLICK_POINTS = 1
FEEDS_SHARE_CLICK_DAILY_CAP = 50
FEEDS_SHARE_ORDER_RATE = "0.02"
FEEDS_SHARE_WINDOW_DAYS = 7
FEEDS_FRAUD_WINDOW_HOURS = 24
FEEDS_FRAUD_MAX_ACCOUNTS = 3
FEEDS_FRAUD_MAX_ANONYMOUS_PER_IP = 5

# --- Moderation (PRODUCT.md §15; community/services/moderation/) ------------------------------
# Content whose report score reaches the threshold is hidden until a moderator decides; the
# threshold never goes below the floor, however it is configured.
MODERATION_HIDE_THRESHOLD = env.float("MODERATION_HIDE_THRESHOLD", default=3.0)
MODERATION_HIDE_FLOOR = 1.0
# Trust level 0 members' notes, reviews and storefront listings wait for a moderator. Tests start
# with brand-new members everywhere, so they opt in (the ``premoderation`` fixture).
MODERATION_PREMODERATE_NEW_MEMBERS = env.bool(
    "MODERATION_PREMODERATE_NEW_MEMBERS", default=not TESTING
)

# --- Chat, support desk and livestreams (PRODUCT.md §10-12; defaults in chat/selectors/) --------
CHAT_PRESENCE_TTL_SECONDS = env.int("CHAT_PRESENCE_TTL_SECONDS", default=70)
LIVE_COMMENT_BATCH_MS = env.int("LIVE_COMMENT_BATCH_MS", default=500)
LIVE_LIKES_PUSH_SECONDS = env.int("LIVE_LIKES_PUSH_SECONDS", default=1)
LIVE_SLOW_MODE_MAX_SECONDS = env.int("LIVE_SLOW_MODE_MAX_SECONDS", default=300)
LIVE_NOTIFY_BATCH_SIZE = env.int("LIVE_NOTIFY_BATCH_SIZE", default=500)
LIVE_LIKES_PER_REQUEST_MAX = env.int("LIVE_LIKES_PER_REQUEST_MAX", default=20)
# Live video (docs/live-video.md): nginx with the RTMP module takes the hosts' streams on
# LIVE_RTMP_PORT and serves HLS on LIVE_MEDIA_PORT; its callbacks reach this service on
# LIVE_CALLBACK_URL with LIVE_INGEST_SECRET. LIVE_VIDEO=auto starts it when nginx and the module
# are installed.
LIVE_VIDEO = env("LIVE_VIDEO", default="auto")  # auto | on | off
LIVE_RTMP_HOST = env("LIVE_RTMP_HOST", default="127.0.0.1")
LIVE_RTMP_PORT = env.int("LIVE_RTMP_PORT", default=1935)
LIVE_MEDIA_PORT = env.int("LIVE_MEDIA_PORT", default=8088)
# Where viewers' browsers fetch HLS; empty = http://<the page's host>:LIVE_MEDIA_PORT.
LIVE_MEDIA_URL = env("LIVE_MEDIA_URL", default="")
LIVE_CALLBACK_URL = env("LIVE_CALLBACK_URL", default="")
LIVE_DIR = Path(env("LIVE_DIR", default=str(VAR_DIR / "live")))
LIVE_HLS_FRAGMENT_SECONDS = env.int("LIVE_HLS_FRAGMENT_SECONDS", default=1)
LIVE_HLS_PLAYLIST_SECONDS = env.int("LIVE_HLS_PLAYLIST_SECONDS", default=6)
SUPPORT_FEEDBACK_POINTS = env.int("SUPPORT_FEEDBACK_POINTS", default=50)
# Flood control (PRODUCT.md §10: 5 messages / 5 s, 2 for accounts younger than a day); load
# benchmarks raise these for their fresh accounts.
CHAT_FLOOD_MAX_MESSAGES = env.int("CHAT_FLOOD_MAX_MESSAGES", default=5)
CHAT_FLOOD_MAX_MESSAGES_NEW_ACCOUNT = env.int("CHAT_FLOOD_MAX_MESSAGES_NEW_ACCOUNT", default=2)

# --- Flash sales (PRODUCT.md §9; docs/commerce.md "Flash sales") -------------------------------
# At most one stock/state push per sale per this many ms (purchases in between are coalesced).
FLASH_SALE_PUSH_INTERVAL_MS = env.int("FLASH_SALE_PUSH_INTERVAL_MS", default=250)
# A campaign page hears about new teams and seats at most this often (realtime.coalesce).
CAMPAIGN_PUSH_INTERVAL_MS = env.int("CAMPAIGN_PUSH_INTERVAL_MS", default=500)
# Lifetime of the cached "sold out" hint that answers hopeless buyers without PostgreSQL; also the
# longest a stale hint (a restock racing a refusal) can turn buyers away.
FLASH_SALE_SOLD_OUT_HINT_SECONDS = env.int("FLASH_SALE_SOLD_OUT_HINT_SECONDS", default=5)
FLASH_SALE_REMINDER_LEAD_MINUTES = env.int("FLASH_SALE_REMINDER_LEAD_MINUTES", default=5)

# --- Deals launched from a livestream (PRODUCT.md §12; groupbuy/services/live_deals.py) ----------
LIVE_DEAL_MIN_PRICE_RATIO = env.float("LIVE_DEAL_MIN_PRICE_RATIO", default=0.5)
LIVE_DEAL_MAX_STOCK = env.int("LIVE_DEAL_MAX_STOCK", default=1000)
LIVE_DEAL_MAX_MINUTES = env.int("LIVE_DEAL_MAX_MINUTES", default=180)
