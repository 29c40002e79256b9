"""Test settings: fast hashing, in-memory e-mail, static files served without the manifest."""

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-media"))
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests run Celery eagerly unless a test opts into the real worker (tests marked `celery_worker`).
CELERY_TASK_ALWAYS_EAGER = True
# The real-worker tests (marker `celery_worker`) start `celery worker` with CELERY_REAL_WORKER=1:
# the worker and the test process then talk through the broker instead of running tasks in-process.
if env.bool("CELERY_REAL_WORKER", default=False):
    CELERY_TASK_ALWAYS_EAGER = not env("CELERY_BROKER_URL", default="")
CELERY_TASK_EAGER_PROPAGATES = True
# Serve static files from the apps' folders (no collectstatic, no manifest) so the browser sees the DSFR CSS.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
