from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class UsernameOrEmailBackend(ModelBackend):
    """Log in with the username or the e-mail address (case-insensitive)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        candidates = list(User.objects.filter(Q(username__iexact=username) | Q(email__iexact=username))[:2])
        # An e-mail shared by two accounts is ambiguous: only the exact username then logs in.
        if len(candidates) != 1:
            candidates = [u for u in candidates if u.username.lower() == username.lower()]
        if len(candidates) != 1:
            User().set_password(password)  # same cost as a real check (timing)
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class ThrottledBackend(AxesStandaloneBackend):
    """django-axes' check, first in AUTHENTICATION_BACKENDS. Every login through the web (portal form, admin)
    passes the request and is throttled; `authenticate()` without a request (a shell, the test client's
    `login()`) has nothing to key on and is left to the next backend."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
