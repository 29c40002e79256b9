"""Login throttling: count failures per username and per client address in the cache."""

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, ip: str) -> list[str]:
    return [f"login-fail:user:{(username or '').strip().lower()}", f"login-fail:ip:{ip or '-'}"]


def is_locked(username: str, ip: str) -> bool:
    limit = settings.LOGIN_MAX_FAILURES
    return any((cache.get(k) or 0) >= limit for k in _keys(username, ip))


def register_failure(username: str, ip: str) -> None:
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    for key in _keys(username, ip):
        if cache.add(key, 1, timeout=window):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window)


def reset(username: str, ip: str) -> None:
    cache.delete_many(_keys(username, ip))


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
