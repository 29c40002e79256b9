"""Production: every secret from the environment, HTTPS only, hardened headers."""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = False
IS_PRODUCTION = True
SECRET_KEY = env("SECRET_KEY")  # required: raises ImproperlyConfigured when missing
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[f"https://{h}" for h in ALLOWED_HOSTS])
# Links in e-mails: the first served host over HTTPS unless SITE_URL says otherwise.
SITE_URL = env("SITE_URL", default=f"https://{ALLOWED_HOSTS[0]}")

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://cls_cache")}
PRIVATE_NO_STORE = env.bool("PRIVATE_NO_STORE", default=True)
ADMIN_REQUIRE_OTP = env.bool("ADMIN_REQUIRE_OTP", default=True)
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)  # the TLS proxy
