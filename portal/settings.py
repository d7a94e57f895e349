"""Settings of the portal: every environment-specific value is read here, and only here.

DEBUG=1 alone gives the embedded mode (SQLite file, tasks run in-process, local memory
cache, e-mail printed to the console); with DEBUG off SECRET_KEY is required. Production sets
DATABASE_URL, CELERY_BROKER_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, EMAIL_URL and HTTPS=1
(`check --deploy` says what is missing); the code paths are the same.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from scoring.engine.constants import DEFAULT_BOOTSTRAP_SAMPLES

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Signs sessions, password-reset links and jury invitations. The built-in key is public (it
# is in this file): only the embedded mode (DEBUG=1) may use it; anything else refuses to
# start, gunicorn, the Celery worker and every management command alike.
EMBEDDED_SECRET_KEY = "embedded-mode-only-not-secret-set-SECRET_KEY-in-production-0123456789"
SECRET_KEY = env.str("SECRET_KEY", default="") or (EMBEDDED_SECRET_KEY if DEBUG else "")
if not DEBUG and SECRET_KEY in ("", EMBEDDED_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY is missing (or is the public embedded-mode key) and DEBUG is off: anyone "
        "could forge sessions, password-reset links and jury invitations. Set SECRET_KEY to "
        "a long random value (python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
        "or DEBUG=1 for the local demo.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "portal.admin_site.PortalAdminConfig",  # django.contrib.admin, its sign-in throttled
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_filters",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "django_ratelimit",  # for its system checks (see CACHES below)
    "csp",
    # two-factor sign-in (accounts.second_factor): authenticator apps and recovery codes
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # ours, in dependency order: each imports only those above it
    "competitions",
    "accounts",
    "practices",
    "scoring",
    "uptake",
    "deliberation",

    "giveback",
    "portal",
]

MIDDLEWARE = [
    # first: forwarded headers (scheme, host, address) count only from TRUSTED_PROXIES
    "portal.client.ForwardedHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # two-factor sign-in: django-otp tells whether the session passed its second factor,
    # then ours sends a session that owes one to the code before any page (the admin too)
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorRequired",
    "django.contrib.messages.middleware.MessageMiddleware",
    # a NUL in the URL is a 400 page, before any view or query reads it
    "portal.middleware.RefuseNullCharactersInURL",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # turns a throttled form (django-ratelimit's Ratelimited) into RATELIMIT_VIEW's 429 page
    "django_ratelimit.middleware.RatelimitMiddleware",
    # last, as django-axes asks: it turns a locked-out login into the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# --- data stores -------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once; WAL lets readers go on while one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL, "KEY_PREFIX": "portal"}}
    # django-ratelimit lists django-redis but not Django's own Redis backend as supported
    # (W001); Django's backend increments with Redis' atomic INCR and is shared by every
    # worker, which is all the throttles need.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "LOCATION": "portal"}}
    # django-ratelimit refuses the local-memory cache (E003, "not a shared cache"): each
    # process counts on its own. The embedded mode is one process (runserver, tests), so its
    # counts are exact there; production sets REDIS_URL, shared by all gunicorn workers, and
    # the check stays on for it. With DEBUG off, `check --deploy` refuses a local-memory
    # cache (portal.E003): each worker would cache pages and count throttles on its own.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# --- Celery: no broker means tasks run in-process, in the caller's thread ------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies is delivered again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=900)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=840)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# Every periodic task, in one place (`make beat` runs them; each is safe to run often).
CELERY_BEAT_SCHEDULE = {
    "practices-deadline-reminders": {
        "task": "practices.tasks.send_deadline_reminders", "schedule": 3600.0},
    "scoring-requeue-stale-ranking-runs": {
        "task": "scoring.tasks.requeue_stale_ranking_runs", "schedule": 600.0},
    "competitions-advance-editions-by-date": {
        "task": "competitions.tasks.advance_editions_by_date", "schedule": 300.0},
    # the jury's assignment digest and reminders, the organisers' daily digest (issue 17)
    "scoring-jury-assignment-notices": {
        "task": "scoring.tasks.send_jury_assignment_notices", "schedule": 300.0},
    "scoring-jury-reminders": {"task": "scoring.tasks.send_jury_reminders", "schedule": 3600.0},
    "practices-organiser-digest": {"task": "practices.tasks.send_organiser_digest",
                                   "schedule": crontab(hour=7, minute=0)},
    # privacy retention (see PRIVACY_* below)
    "portal-privacy-retention": {
        "task": "portal.tasks.privacy_retention_apply", "schedule": 86400.0},
    # follow-up reports after the award (uptake, issue 16)
    "uptake-ask-for-follow-ups": {"task": "uptake.tasks.ask_for_follow_ups", "schedule": 3600.0},
}

# Without a broker, `make run` (manage.py runserver_embedded) runs that schedule in a thread
# of the server's process (portal.embedded_beat); never where a broker is set.
EMBEDDED_BEAT = env.bool("EMBEDDED_BEAT", default=True)

# --- ranking runs ------------------------------------------------------------------------
# Resamples of the jury per run, for rank confidence (each run stores its own number).
RANKING_BOOTSTRAP_SAMPLES = env.int("RANKING_BOOTSTRAP_SAMPLES",
                                    default=DEFAULT_BOOTSTRAP_SAMPLES)
# --- e-mail ------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL",
                             default="Best Practices Programme <noreply@localhost>")

# --- accessibility statement (issue 17) -----------------------------------------------
# Where visitors report an accessibility problem; named on /accessibility/.
ACCESSIBILITY_CONTACT_EMAIL = env.str("ACCESSIBILITY_CONTACT_EMAIL",
                                      default="accessibility@localhost")

# --- accounts ----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # first: refuses to authenticate a locked-out username or address at all
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's model backend, finding the account by its user name or e-mail address
    "accounts.backends.EmailOrUserNameBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
JURY_INVITATION_DAYS = env.int("JURY_INVITATION_DAYS", default=14)

# Login throttling: after AXES_FAILURE_LIMIT failed sign-ins for a user name from one
# address, that pair is locked for AXES_COOLOFF_HOURS; a clear page says so.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The client's address, for the lockouts above and the throttles below: the same function,
# which reads X-Forwarded-For back through at most PROXY_COUNT proxies, and only through
# those whose address is in TRUSTED_PROXIES (see portal/client.py). AXES_PROXY_COUNT is
# PROXY_COUNT's former name, still read. The default networks are the loopback and private
# ones, where a reverse proxy in front of gunicorn (on the host, in the compose network)
# connects from.
PROXY_COUNT = env.int("PROXY_COUNT", default=env.int("AXES_PROXY_COUNT", default=0))
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[
    "127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"])
AXES_CLIENT_IP_CALLABLE = "portal.client.client_address"

# Throttles of the other forms anyone can send (django-ratelimit, counting in the cache):
# "N/period" with period s, m, h or d, optionally with a multiplier ("20/10m"). Over a limit
# the sender gets RATELIMIT_VIEW, a 429 page saying when to try again.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "portal.client.client_address"
RATELIMIT_VIEW = "accounts.views.throttled"
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
# A cache that cannot count lets the form through rather than refusing everyone (sign-in
# keeps django-axes, which counts in the database; /healthz reports the cache).
RATELIMIT_FAIL_OPEN = True
# An IPv6 client is counted by its network of this prefix length (/64: one subscriber's usual
# allocation), by django-ratelimit and by the portal's own throttles (portal.client).
RATELIMIT_IPV6_MASK = env.int("RATELIMIT_IPV6_MASK", default=64)
# asking for a new password: per address, and per e-mail address asked for (whoever asks),
# so nobody floods a mailbox
THROTTLE_PASSWORD_RESET_PER_ADDRESS = env.str("THROTTLE_PASSWORD_RESET_PER_ADDRESS",
                                              default="10/h")
THROTTLE_PASSWORD_RESET_PER_EMAIL = env.str("THROTTLE_PASSWORD_RESET_PER_EMAIL", default="3/h")
# setting the new password from the e-mailed link
THROTTLE_PASSWORD_SET_PER_ADDRESS = env.str("THROTTLE_PASSWORD_SET_PER_ADDRESS", default="10/h")
THROTTLE_REGISTER_PER_ADDRESS = env.str("THROTTLE_REGISTER_PER_ADDRESS", default="10/h")
THROTTLE_JURY_INVITATION_PER_ADDRESS = env.str("THROTTLE_JURY_INVITATION_PER_ADDRESS",
                                               default="10/h")
# sign-in attempts from one address whatever the user name (axes locks one name at a time:
# this stops one address trying a few passwords on every account)
THROTTLE_LOGIN_PER_ADDRESS = env.str("THROTTLE_LOGIN_PER_ADDRESS", default="30/10m")

# --- two-factor sign-in (accounts.second_factor, accounts.middleware) ---
# codes (authenticator or recovery) tried per person and per address; on top, each device
# waits 2^(n-1) seconds after its n-th wrong code in a row (django-otp's back-off)
THROTTLE_SECOND_FACTOR_PER_USER = env.str("THROTTLE_SECOND_FACTOR_PER_USER", default="10/10m")
THROTTLE_SECOND_FACTOR_PER_ADDRESS = env.str("THROTTLE_SECOND_FACTOR_PER_ADDRESS",
                                             default="30/10m")
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Municipal best practices")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# --- i18n: English and Bulgarian, chosen by the language switcher or the browser ----------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("bg", _("Bulgarian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in each language's own formats (portal/formats/<language>/formats.py); templates
# name a format (`|date:"SHORT_DATE_FORMAT"`), never a literal pattern.
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Europe/Sofia"
USE_I18N = True
USE_TZ = True

# --- static and uploaded files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": env.str(
        "STATICFILES_STORAGE", default="django.contrib.staticfiles.storage.StaticFilesStorage")},
}
# WhiteNoise serves static files with DEBUG off too; finders let it do so without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Practices' images (photos, image attachments): at most this many pixels, checked on the
# file's header before anything is decoded (24 MP: a 6000 x 4000 camera picture, more than
# a showcase shows; decoding costs about 3 bytes and 75 ns of CPU per pixel). Uploads per
# officer, in the throttles' notation: each is decoded and re-encoded.
PRACTICE_PHOTO_MAX_PIXELS = env.int("PRACTICE_PHOTO_MAX_PIXELS", default=24_000_000)
# Bytes per photo, per attachment, and for all the files of one practice together.
PRACTICE_PHOTO_MAX_BYTES = env.int("PRACTICE_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
PRACTICE_ATTACHMENT_MAX_BYTES = env.int("PRACTICE_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
PRACTICE_FILES_MAX_BYTES = env.int("PRACTICE_FILES_MAX_BYTES", default=40 * 1024 * 1024)
THROTTLE_UPLOADS_PER_OFFICER = env.str("THROTTLE_UPLOADS_PER_OFFICER", default="60/h")

# --- security: HTTPS=1 in production behind TLS ------------------------------------------
HTTPS = env.bool("HTTPS", default=False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# The scheme a client used, as our TLS proxy says: read only when there is a proxy
# (PROXY_COUNT), and portal.client.ForwardedHeadersMiddleware drops the header from anyone
# else, so a client cannot switch the scheme of cached absolute URLs.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PROXY_COUNT > 0 else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Everything the pages load comes from our own origin (assets are vendored, never a CDN);
# inline style attributes are allowed for progress bars and chart boxes, inline scripts never.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- forms, API --------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["portal.api.throttling.OpenDataThrottle"],
}
# Calls to the open-data API per client address, in the same notation ("120/m").
THROTTLE_API_PER_ADDRESS = env.str("THROTTLE_API_PER_ADDRESS", default="120/m")
SPECTACULAR_SETTINGS = {
    "TITLE": "Best Practices Programme: open data API",
    "DESCRIPTION": "Read-only access to published editions, practices and results. The data "
                   "are licensed under CC BY 4.0 (every answer names the licence in a Link "
                   "header; editions carry it in `license`).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.schema.document_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Absolute links in e-mails (invitations, password reset sent by tasks).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Officers are reminded of a call's deadline this many days before it closes.
PRACTICE_REMINDER_DAYS = env.int("PRACTICE_REMINDER_DAYS", default=3)
# Public pages (showcase, results) are cached this many seconds at most; 0 turns it off.
SHOWCASE_CACHE_SECONDS = env.int("SHOWCASE_CACHE_SECONDS", default=3600)

# --- Being told (issue 17): the jury's assignment digest and reminders, the organisers'
# daily digest. A juror is told of new assignments once none came for this many minutes;
# reminders go this many days before the review closes, while sheets are missing.
JURY_ASSIGNMENT_NOTICE_QUIET_MINUTES = env.int("JURY_ASSIGNMENT_NOTICE_QUIET_MINUTES", default=10)
JURY_REMINDER_DAYS = tuple(env.list("JURY_REMINDER_DAYS", cast=int, default=[7, 3, 1]))
# The jurors' declaration of confidentiality and conduct: its version, recorded on acceptance.
JURY_DECLARATION_VERSION = "2026-11-29"

# Privacy (GDPR) retention: an officer's registration never approved (pending, or rejected)
# and a jury invitation never accepted are removed this many days after the registration (the
# rejection) or the invitation, by the beat task portal-privacy-retention (above); each
# removal is in the audit log.
PRIVACY_UNAPPROVED_REGISTRATION_DAYS = env.int("PRIVACY_UNAPPROVED_REGISTRATION_DAYS",
                                               default=180)
PRIVACY_UNUSED_INVITATION_DAYS = env.int("PRIVACY_UNUSED_INVITATION_DAYS", default=90)

# --- follow-up and adoption of practices (uptake, issue 16) --------------------------------
# Questions an officer may send to other municipalities, in the throttles' notation.
THROTTLE_QUESTIONS_PER_OFFICER = env.str("THROTTLE_QUESTIONS_PER_OFFICER", default="10/h")

# --- HTTP caching for a reverse proxy, and the deadline measured by arrival (h-edge) ---
# Anonymous public pages (no session, no pending message) say `Cache-Control: public,
# max-age=0, s-maxage=PUBLIC_PROXY_SECONDS` with an ETag of the showcase version: a shared
# cache (nginx, deploy/nginx.conf) serves them for that many seconds and then revalidates
# (a 304 costs one cache read); browsers revalidate every time. So an unpublished result
# leaves the proxy within PUBLIC_PROXY_SECONDS. 0 makes the pages uncacheable by proxies.
PUBLIC_PROXY_SECONDS = env.int("PUBLIC_PROXY_SECONDS", default=5)
# X-Request-Start from a trusted proxy decides deadlines (portal.client.request_arrival),
# never more than this many seconds before the worker took the request: nginx's
# proxy_read_timeout (60 s in deploy/nginx.conf), beyond which the client got a 504 anyway.
REQUEST_ARRIVAL_MAX_AGE = env.int("REQUEST_ARRIVAL_MAX_AGE", default=60)
# The sign-in page and the officer's dashboard ask officers to sign in and submit early when
# a deadline is this many days away or less (competitions.selectors.editions_closing_soon).
SIGN_IN_EARLY_DAYS = env.int("SIGN_IN_EARLY_DAYS", default=3)

# --- library (issue 16): the regions map and open data ---------------------------------
# The regions drawn on /showcase/map/: one row per region (its name as municipalities
# record it in `region_bg`, English name, approximate centre); another country names its
# own file of the same columns.
SHOWCASE_REGIONS_FILE = Path(env.str(
    "SHOWCASE_REGIONS_FILE", default=str(BASE_DIR / "portal" / "data" / "regions" / "bg.csv")))
# The licence of the published data: pages, exports, API, schema and DCAT-AP metadata.
OPEN_DATA_LICENSE = {
    "id": "CC-BY-4.0",
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}
# Where the open-data exports of published runs are written (portal/showcase/export_files.py):
# a private folder, never served as such; default MEDIA_ROOT/open-data. Shared by every web
# instance and worker, like MEDIA_ROOT.
OPEN_DATA_DIR = env.str("OPEN_DATA_DIR", default="")
# Who publishes the open data (DCAT-AP dct:publisher and dcat:contactPoint).
OPEN_DATA_PUBLISHER = env.str("OPEN_DATA_PUBLISHER", default="Best Practices Programme")
OPEN_DATA_CONTACT_EMAIL = env.str("OPEN_DATA_CONTACT_EMAIL", default="opendata@localhost")
SPECTACULAR_SETTINGS["LICENSE"] = {"name": OPEN_DATA_LICENSE["name"],
                                   "url": OPEN_DATA_LICENSE["url"]}
# Where the published data are about (DCAT-AP dct:spatial: the EU country authority).
OPEN_DATA_SPATIAL = env.str("OPEN_DATA_SPATIAL",
                            default="http://publications.europa.eu/resource/authority/country/BGR")
