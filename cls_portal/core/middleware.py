"""Cross-cutting response rules."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError

# SQLSTATE of the PostgreSQL errors two simultaneous writes can raise: serialization failure, deadlock,
# lock not available (lock_timeout). SQLite says "database is locked" (busy timeout exceeded).
_CONFLICT_SQLSTATES = {"40001", "40P01", "55P03"}


def is_write_conflict(exc: BaseException) -> bool:
    if not isinstance(exc, DatabaseError):
        return False
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) in _CONFLICT_SQLSTATES:
        return True
    return "database is locked" in str(exc) or "database table is locked" in str(exc)


class WriteConflictMiddleware:
    """Two saves that collide in the database (not in the version check, which services do) answer a
    French conflict page (409), never a 500: nothing was written, the transaction was rolled back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_write_conflict(exception):
            from .error_views import conflict

            return conflict(request)
        return None


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in user (pages, reports, exports),
    when `PRIVATE_NO_STORE` is on (production): no proxy or browser cache keeps a copy of private data.
    A response that set its own Cache-Control keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(settings, "PRIVATE_NO_STORE", False) and "Cache-Control" not in response:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                response["Cache-Control"] = "private, no-store"
        return response
