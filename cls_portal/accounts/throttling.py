"""Login throttling (django-axes) and the password-reset rate limit, keyed on the real client.

Login (the portal's form and the Django admin's alike, since both call `authenticate()`): django-axes
counts failures per account and per client address (`AXES_LOCKOUT_PARAMETERS`, each on its own). The
account key is the account's username whatever was typed (`canonical_username`: "ars50" and its
e-mail address share one counter). The client address comes from django-ipware with the number of
proxies in front of the portal (`TRUSTED_PROXY_COUNT`): behind the TLS proxy every user no longer shares
one bucket. A success resets only that account's own failures (`reset_own_failures`), never a shared
address counter (axes' `AXES_RESET_ON_SUCCESS` would reset both).

Password reset: at most `PASSWORD_RESET_PER_CLIENT` requests per client address and
`PASSWORD_RESET_PER_EMAIL` e-mails per address per hour. Written here rather than with
django-ratelimit: two counters on the cache the portal already has (its system checks refuse the
database cache production runs on).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q
from django.shortcuts import render
from ipware import get_client_ip

THROTTLED = "Trop de tentatives de connexion échouées. Réessayez dans quelques minutes."
RESET_WINDOW_SECONDS = 3600


def client_ip(request) -> str | None:
    """The client's address. Without a trusted proxy: the connection's (REMOTE_ADDR), X-Forwarded-For is
    ignored (anyone can send one). Behind `TRUSTED_PROXY_COUNT` proxies, each appending the address it
    received the request from: the entry that many places from the right of X-Forwarded-For (what a
    client wrote itself sits further left and is never taken), read by django-ipware."""
    count = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR") or None  # None: no address at all (an internal login)
    if count <= 0:
        return remote
    # python-ipware counts the proxies listed in the header: our last proxy is REMOTE_ADDR, not listed.
    ip, _routable = get_client_ip(request, proxy_count=count - 1, request_header_order=("HTTP_X_FORWARDED_FOR",),
                                  strict=False)
    return ip or remote


def canonical_username(request, credentials) -> str:
    """AXES_USERNAME_CALLABLE: the account's username for a username or an e-mail typed in any case, so
    failures by username and by e-mail count together; unknown logins keep their own (lower-cased) key."""
    typed = ((credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD) or "").strip()
    if not typed:
        return ""
    matches = list(get_user_model().objects.filter(Q(username__iexact=typed) | Q(email__iexact=typed))
                   .values_list("username", flat=True)[:2])
    if len(matches) == 2:  # an e-mail shared by two accounts only logs in by exact username (backend)
        matches = [u for u in matches if u.lower() == typed.lower()]
    return (matches[0] if len(matches) == 1 else typed).lower()


def lockout_response(request, *_args, **_kwargs):
    """AXES_LOCKOUT_CALLABLE (called with the original response and the credentials, unused): the login page
    again, with the French reason, status 429."""
    from .forms import LoginForm

    form = LoginForm(request, data=request.POST or None)
    form.errors.clear() if form.is_bound else None
    form.add_error(None, THROTTLED)
    return render(request, "accounts/login.html", {"form": form, "next": request.POST.get("next", "")},
                  status=429)


def reset_own_failures(request, user, **_kwargs):
    """On a successful login, forget that account's own failures (not the address's other accounts')."""
    from axes.models import AccessAttempt

    AccessAttempt.objects.filter(username=user.get_username().lower()).delete()


def _hit(key: str, limit: int) -> bool:
    """Count one use of `key` in the window; False once `limit` is passed."""
    if cache.add(key, 1, timeout=RESET_WINDOW_SECONDS):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RESET_WINDOW_SECONDS)
        return True


def password_reset_allowed(request) -> bool:
    """False when this client asked for too many resets this hour (the form says so)."""
    return _hit(f"pwreset:ip:{client_ip(request) or '-'}", settings.PASSWORD_RESET_PER_CLIENT)


def password_reset_email_allowed(email: str) -> bool:
    """False when this address already received enough reset e-mails this hour (nothing is sent, and the
    page says the same as when the address is unknown: no account enumeration)."""
    return _hit(f"pwreset:email:{(email or '').strip().lower()}", settings.PASSWORD_RESET_PER_EMAIL)
