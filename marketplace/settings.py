"""Pasar Kampung settings: the one module that reads the environment.

With no environment at all the project runs on one laptop (the *embedded* set-up): SQLite,
local-memory cache, Celery tasks run eagerly in the web process, database search, a demo payment
method and e-mail printed to the console. Each environment variable below switches one part to the
real service; docker-compose.yml shows the production shape.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# --- Core -------------------------------------------------------------------------------------

#: The development key. Refused at start-up when DEBUG is off (see below).
INSECURE_DEFAULT_SECRET_KEY = "django-insecure-pasar-kampung-development-key-do-not-deploy"  # noqa: S105

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_DEFAULT_SECRET_KEY)
if not DEBUG and (SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is the development default or shorter than 50 characters. "
        "Set SECRET_KEY to a long random value (python -c 'import secrets; "
        "print(secrets.token_urlsafe(64))')."
    )

# The demo serves on 0.0.0.0:8000 so a phone on the village hall's Wi-Fi can open it.
_LOCAL_HOSTS = ["localhost", "127.0.0.1", "0.0.0.0", "[::1]"]  # noqa: S104
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=_LOCAL_HOSTS if DEBUG else [])
#: Where the marketplace is served: e-mails carry absolute links (order pages, password reset).
SITE_URL: str = env.str("SITE_URL", default="http://localhost:8000")
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "modeltranslation",  # before admin, as it requires
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # full-text and trigram search lookups; inert on SQLite
    "graphene_django",
    "django_celery_beat",
    "phonenumber_field",
    "djmoney",
    "axes",
    "django_countries",  # country names in the active language (its own catalogues)
    # Commerce core
    "marketplace.core",
    "marketplace.accounts",
    "marketplace.regions",
    "marketplace.audit",
    "marketplace.catalog",
    "marketplace.photos",
    "marketplace.search",
    "marketplace.taxes",
    "marketplace.markets",
    "marketplace.addresses",
    "marketplace.shipping",
    "marketplace.checkout",
    "marketplace.orders",
    "marketplace.payments",
    "marketplace.ledger",
    "marketplace.plots",
    "marketplace.documents",
    "marketplace.customs",
    "marketplace.readiness",
    # Faces of the marketplace
    "sellers",
    "storefront",
    "training",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "marketplace.accounts.middleware.ApiTokenMiddleware",
    "marketplace.accounts.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a lock-out into a translated page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"
ASGI_APPLICATION = "marketplace.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "marketplace" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "marketplace.core.context_processors.site",
                "sellers.context_processors.seller_nav",
                "marketplace.markets.context_processors.market",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery (Redis) -----------------------------------------------------------------

REDIS_URL: str | None = env.str("REDIS_URL", default=None)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="pasar"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL: str | None = env.str("CELERY_BROKER_URL", default=REDIS_URL)
#: Without a broker every task runs at once in the calling process (the embedded set-up).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND: str | None = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="pasar")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "Asia/Jakarta"
CELERY_BEAT_SCHEDULE = {
    "orders-expire-unpaid": {
        "task": "marketplace.orders.tasks.expire_unpaid_orders",
        "schedule": 300.0,
    },
    "orders-complete-delivered": {
        "task": "marketplace.orders.tasks.complete_delivered_orders",
        "schedule": 3600.0,
    },
    "documents-warn-expiring": {
        "task": "marketplace.documents.tasks.warn_expiring_documents",
        "schedule": 86400.0,
    },
}

# --- Search -----------------------------------------------------------------------------------

ELASTICSEARCH_URL: str | None = env.str("ELASTICSEARCH_URL", default=None)
SEARCH_BACKEND = "elasticsearch" if ELASTICSEARCH_URL else "database"
ELASTICSEARCH_INDEX_PREFIX = env.str("ELASTICSEARCH_INDEX_PREFIX", default="pasar")

# --- Payments ---------------------------------------------------------------------------------

STRIPE_SECRET_KEY: str | None = env.str("STRIPE_SECRET_KEY", default=None)
STRIPE_PUBLISHABLE_KEY: str | None = env.str("STRIPE_PUBLISHABLE_KEY", default=None)
STRIPE_WEBHOOK_SECRET: str | None = env.str("STRIPE_WEBHOOK_SECRET", default=None)
#: Lets tests point the official client at a local stand-in of Stripe's HTTP API.
STRIPE_API_BASE: str | None = env.str("STRIPE_API_BASE", default=None)
PAYMENT_GATEWAY = "stripe" if STRIPE_SECRET_KEY else "demo"
#: How long an unpaid order holds its stock (bank transfers: the buyer's deadline to transfer).
PAYMENT_EXPIRY_HOURS = env.int("PAYMENT_EXPIRY_HOURS", default=24)
#: The marketplace's account bank transfers go to (shown with the exact amount and deadline).
PAYMENT_BANK_ACCOUNT = {
    "bank": env.str("PAYMENT_BANK_NAME", default="Bank Rakyat Indonesia (BRI)"),
    "account_number": env.str("PAYMENT_BANK_ACCOUNT_NUMBER", default="0000-01-000000-00-0"),
    "holder": env.str("PAYMENT_BANK_ACCOUNT_HOLDER", default="Pasar Kampung"),
}
#: Largest bank-transfer receipt a buyer may upload.
PAYMENT_PROOF_MAX_BYTES = 10 * 1024 * 1024
#: An export document (certificate, lab report) as PDF or photo.
EXPORT_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
#: EU consumers' right of withdrawal, in days from delivery (Directive 2011/83/EU, Art. 9).
ORDER_WITHDRAWAL_DAYS = 14

# --- EUDR production plots (marketplace.plots; read through marketplace/plots/rules.py) -------

#: A plot of this many hectares or more needs a polygon; smaller ones may be a single point
#: (Reg. (EU) 2023/1115 Art. 2(28) and Art. 9(1)(d); issue 7 reads "4 ha and more").
PLOTS_POINT_MAX_AREA_HA = "4"
#: Decimal places each coordinate must carry (EU Information System GeoJSON guidance; see
#: shared/reference/export-eu.md section 2).
PLOTS_COORDINATE_DECIMALS = 6
#: How far a polygon's measured area may differ from the declared one, in percent. Our own
#: tolerance (issue 7), not the regulation's: it catches a wrong unit or a mistyped corner.
PLOTS_AREA_TOLERANCE_PERCENT = "10"
#: Years a plot is kept after it stops backing statements (Reg. (EU) 2023/1115 Art. 12(3)).
PLOTS_RETENTION_YEARS = 5
#: No deforestation after this day (Reg. (EU) 2023/1115 Art. 2(13)); printed on the declaration.
PLOTS_DEFORESTATION_CUTOFF = "2020-12-31"

# --- E-mail -----------------------------------------------------------------------------------

# EMAIL_URL such as smtp+tls://user:password@smtp.example.org:587 (django-environ's format).
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND: str = _email["EMAIL_BACKEND"]
EMAIL_HOST: str = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT: int = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER: str = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD: str = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS: bool = bool(_email.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL: bool = bool(_email.get("EMAIL_USE_SSL", False))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Pasar Kampung <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Files: static and media ------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "marketplace" / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))

AWS_STORAGE_BUCKET_NAME: str | None = env.str("AWS_STORAGE_BUCKET_NAME", default=None)
if AWS_STORAGE_BUCKET_NAME:
    # Any S3-compatible store (AWS, MinIO, Cloudflare R2, …) through django-storages.
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=None)
    AWS_S3_CUSTOM_DOMAIN = env.str("AWS_S3_CUSTOM_DOMAIN", default=None)
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = env.bool("AWS_QUERYSTRING_AUTH", default=False)
    MEDIA_STORAGE_BACKEND = "storages.backends.s3.S3Storage"
else:
    MEDIA_STORAGE_BACKEND = "django.core.files.storage.FileSystemStorage"

STORAGES = {
    "default": {"BACKEND": MEDIA_STORAGE_BACKEND},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Accounts and authentication --------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "marketplace.accounts.backends.EmailOrPhoneBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "storefront:home"
LOGOUT_REDIRECT_URL = "storefront:home"

PHONENUMBER_DEFAULT_REGION = "ID"
PHONENUMBER_DB_FORMAT = "E164"

# django-axes: five failures for the same login from the same address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the login field, whatever USERNAME_FIELD is
AXES_USERNAME_CALLABLE = "marketplace.accounts.backends.axes_username"
AXES_LOCKOUT_CALLABLE = "marketplace.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Failures are counted in the cache (Redis in production), not in the database: a GraphQL
# mutation that fails is rolled back whole, and the failed sign-in must still count.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
if not REDIS_URL:
    # The embedded set-up is one process, where the local-memory cache counts correctly; axes warns
    # about it because it cannot know that. Production (REDIS_URL) keeps the check.
    SILENCED_SYSTEM_CHECKS = ["axes.W001"]
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0) or None

API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)

# --- GraphQL ----------------------------------------------------------------------------------

GRAPHQL_MAX_PAGE_SIZE = 100
GRAPHENE = {
    "SCHEMA": "marketplace.graphql.api.schema",
    "RELAY_CONNECTION_MAX_LIMIT": GRAPHQL_MAX_PAGE_SIZE,
    "RELAY_CONNECTION_ENFORCE_FIRST_OR_LAST": True,
    "ATOMIC_MUTATIONS": True,
}
GRAPHQL_MAX_DEPTH = env.int("GRAPHQL_MAX_DEPTH", default=10)
GRAPHQL_MAX_COST = env.int("GRAPHQL_MAX_COST", default=50_000)

# --- Languages --------------------------------------------------------------------------------

LANGUAGE_CODE = "id"
LANGUAGES = [
    ("id", _("Indonesian")),
    ("en", _("English")),
    ("de", _("German")),
]
#: Languages a listing's text may be written in (the interface ships LANGUAGES). Indonesian is the
#: seller's language and the fallback for every other one.
MODELTRANSLATION_LANGUAGES = ("id", "en", "de", "nl", "fr")
MODELTRANSLATION_DEFAULT_LANGUAGE = "id"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("id",)}
MODELTRANSLATION_AUTO_POPULATE = False
LOCALE_PATHS = [BASE_DIR / "marketplace" / "locale"]
LANGUAGE_COOKIE_NAME = "pasar_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

CURRENCIES = ("IDR", "EUR")
DEFAULT_CURRENCY = "IDR"

# --- Security ---------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # forms read nothing from it, but GraphiQL sends it as a header
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    if env.bool("BEHIND_TLS_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "celery": {"level": "WARNING"}},
}
