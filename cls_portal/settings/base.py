"""Settings shared by every environment, driven by environment variables (django-environ)."""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "cls_portal.accounts.admin_config.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "dsfr",
    "crispy_forms",
    "django_filters",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "cls_portal.core",
    "cls_portal.accounts",
    "cls_portal.territories",
    "cls_portal.notifications",
    # Domain apps in layer order (docs/architecture.md): each imports only the apps listed before it.
    "resources",
    "contracts",
    "diagnostics",
    "actions",
    "funding",
    "reports",
    # Cross-app pages (top layer).
    "regional",
    "directory",
    "imports",
    "people",
    "network",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cls_portal.core.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "cls_portal.core.middleware.WriteConflictMiddleware",
    # Last: turns a lockout flagged during authenticate() into the throttled login page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cls_portal.urls"
WSGI_APPLICATION = "cls_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cls_portal.accounts.context_processors.portal",
            ],
            "builtins": ["cls_portal.core.templatetags.portal_tags"],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout so a Celery worker in-process and the dev server do not lock each other out.
    # IMMEDIATE: a transaction takes the write lock when it starts, so two saves at once wait for each other
    # (busy timeout) instead of failing with "database is locked" when a reader tries to become a writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
         "transaction_mode": "IMMEDIATE"}
    )
else:
    # Keep PostgreSQL connections between requests (a new one costs a few milliseconds per page);
    # checked before reuse, so a restarted server is not an error.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Server-side parameter binding (psycopg 3): a statement's SQL text is the same whatever its values, so
    # psycopg prepares it after its 5th run on a connection and PostgreSQL plans it once per connection, not
    # once per request (issue 19: planning was half of the SQL time of the menu's work count; pages 2 to 9 ms
    # faster at 1 255 contracts, bench/RESULTS.md). Behind a transaction-mode pooler that cannot keep
    # prepared statements (PgBouncer before 1.21), set DB_PREPARE_THRESHOLD to an empty value: never prepare.
    # After a migration that changes a table's columns, restart the application servers (a prepared
    # statement of the old shape fails once: « cached plan must not change result type »).
    _threshold = env.str("DB_PREPARE_THRESHOLD", default="5")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": env.bool("DB_SERVER_SIDE_BINDING", default=True),
         "prepare_threshold": int(_threshold) if _threshold.strip() else None}
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "cls_portal.accounts.backends.ThrottledBackend",  # django-axes: refuses a locked account or client first
    "cls_portal.accounts.backends.UsernameOrEmailBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes, see cls_portal/accounts/throttling.py): after this many failures for one
# account (username or e-mail alike) or one client address within the window, further attempts are
# refused until the window has passed. Also on the Django admin's login.
LOGIN_MAX_FAILURES = env.int("LOGIN_MAX_FAILURES", default=5)
LOGIN_FAILURE_WINDOW_SECONDS = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=900)
# Number of reverse proxies in front of the portal (the production TLS proxy: 1). 0: the connection's
# address is the client's, X-Forwarded-For is ignored (it could be forged).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = LOGIN_FAILURE_WINDOW_SECONDS / 3600  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: per account, per client
AXES_USERNAME_CALLABLE = "cls_portal.accounts.throttling.canonical_username"
AXES_LOCKOUT_CALLABLE = "cls_portal.accounts.throttling.lockout_response"
AXES_RESET_ON_SUCCESS = False  # it would reset the client's address counter too: see throttling.py
AXES_CLIENT_IP_CALLABLE = "cls_portal.accounts.throttling.client_ip"
AXES_VERBOSE = False
# Password reset: requests per client address, e-mails per address, per hour.
PASSWORD_RESET_PER_CLIENT = env.int("PASSWORD_RESET_PER_CLIENT", default=5)
PASSWORD_RESET_PER_EMAIL = env.int("PASSWORD_RESET_PER_EMAIL", default=3)
# Django admin: a second factor (django-otp, TOTP device) for every admin login; on in production.
ADMIN_REQUIRE_OTP = env.bool("ADMIN_REQUIRE_OTP", default=False)
OTP_TOTP_ISSUER = "Portail CLS"

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# Off on purpose: years, ids, codes, CSS values and form values are never localised. Quantities are
# formatted explicitly by cls_portal.core.formatting (filters euros, nombre, pourcent): one rule, one module.
USE_THOUSAND_SEPARATOR = False
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
# Private files are never served from a public URL: there is deliberately no MEDIA_URL route;
# downloads go through permission-checked views.
MEDIA_URL = "/media-non-public/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# `Cache-Control: private, no-store` on responses to signed-in users (on in production).
PRIVATE_NO_STORE = env.bool("PRIVATE_NO_STORE", default=False)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Portail CLS <ne-pas-repondre@cls.sante.gouv.fr>")

CRISPY_ALLOWED_TEMPLATE_PACKS = ("dsfr_crispy",)
CRISPY_TEMPLATE_PACK = "dsfr_crispy"
CRISPY_FAIL_SILENTLY = False
# Same HTML as Django's widget templates, built in Python for selects and inputs (list filters).
FORM_RENDERER = "cls_portal.core.renderers.FastRenderer"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cls_cache"}}

# --- Celery -------------------------------------------------------------------------------
# Without a broker URL, tasks run in-process (eager) so `make run` needs no Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULE: dict = {
    # Annual reports: resend jobs left waiting while the broker was down, release those of dead workers.
    "reports-requeue": {"task": "reports.requeue_reports", "schedule": 300.0},
    # Reminders (issue 8): one daily pass, each reminder kind is idempotent per object and period.
    "reminders-daily": {"task": "notifications.send_reminders", "schedule": 86400.0},
}

# --- Security headers (hardened further in production) -----------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # A fresh nonce per response (django-csp's NONCE sentinel, not the literal 'nonce'): inline scripts
        # carry nonce="{{ request.csp_nonce }}".
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

SITE_NAME = "Portail des contrats locaux de santé"
# Reminders (see funding / notifications): day-month after which a missing dialogue de gestion is flagged.
DIALOGUE_GESTION_DEADLINE = env("DIALOGUE_GESTION_DEADLINE", default="10-31")
REVIEW_WAITING_DAYS = env.int("REVIEW_WAITING_DAYS", default=15)

# --- Links in e-mails -------------------------------------------------------------------------
# The portal's public address: every link in an e-mail (notifications, invitations) is built from it.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Legal pages (configurable: who publishes the portal, who hosts it) ----------------------
LEGAL_PUBLISHER = env("LEGAL_PUBLISHER", default="Agence régionale de santé Normandie, 2 place Jean Nouzille, "
                                                   "CS 55035, 14050 Caen Cedex 4")
LEGAL_PUBLICATION_DIRECTOR = env("LEGAL_PUBLICATION_DIRECTOR", default="Le directeur général de l'ARS Normandie")
LEGAL_HOST = env("LEGAL_HOST", default="À compléter par l'exploitant : nom, adresse et téléphone de l'hébergeur")
LEGAL_CONTACT_EMAIL = env("LEGAL_CONTACT_EMAIL", default="ars-normandie-cls@ars.sante.fr")
LEGAL_DPO_EMAIL = env("LEGAL_DPO_EMAIL", default="ars-normandie-dpd@ars.sante.fr")

# --- ProConnect (OpenID Connect, mozilla-django-oidc) -----------------------------------------
# Off unless the provider is configured. The provider's URLs come from its discovery document
# (…/.well-known/openid-configuration); see README « ProConnect ».
PROCONNECT_ENABLED = bool(env("OIDC_RP_CLIENT_ID", default=""))
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_OP_LOGOUT_ENDPOINT = env("OIDC_OP_LOGOUT_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", default="openid email given_name usual_name")
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # the logout asks the provider to end its session with it (id_token_hint)
OIDC_CREATE_USER = True  # only for a pending invitation: see cls_portal/accounts/oidc.py
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:proconnect_callback"
OIDC_USE_PKCE = env.bool("OIDC_USE_PKCE", default=True)
OIDC_TIMEOUT = 10
PROCONNECT_REQUIRE_EMAIL_VERIFIED = env.bool("PROCONNECT_REQUIRE_EMAIL_VERIFIED", default=False)
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 15 * 60
if PROCONNECT_ENABLED:
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "cls_portal.accounts.oidc.ProConnectBackend"]
    # The ProConnect button and the logout are forms whose answer redirects to the provider: CSP form-action
    # applies to those redirections too.
    _op = urlsplit(OIDC_OP_AUTHORIZATION_ENDPOINT)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_op.scheme}://{_op.netloc}")
