"""Permission predicates return `(allowed, reason)`: `OK`, or False with a French reason for the user.

Views call `require(predicate(...))`: a refusal becomes a 403 page showing the reason. (Which objects a
user reaches is the selectors' business: another tenant's object is a 404, before any predicate.)
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

Result = tuple[bool, str]
OK: Result = (True, "")


def require(result: Result) -> None:
    """Raise `PermissionDenied(reason)` (403 with the French reason) unless `result` allows."""
    allowed, reason = result
    if not allowed:
        raise PermissionDenied(reason)
