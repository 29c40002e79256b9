"""The permission table: every named URL of the project x every role x own/other tenant.

Each app lists its URLs in `tests/permission_cases/<app>.py` as `CASES = [Case(...), ...]`.
`tests/core/test_permission_table.py` fails when a URL pattern has no case.

A Case:
- `name`: the URL name ("contracts:detail").
- `kwargs(tenant)`: URL kwargs for one tenant's object; None for URLs without an object.
- `expected`: role -> status for the own tenant. Roles: see tests.world.ROLES. Anonymous is
  usually 302 (to the login page); a role absent from `expected` defaults to `default`.
- `other`: status for the other tenant's object for every signed-in role except admin (404).
- `method`: "get" or "post"; `data(tenant)` for POST bodies: a valid body, so that "allowed" means
  the write happened. `setup(tenant)` arranges what the write needs (a second axe to move, a complete
  sheet to submit) before the request, whoever sends it.
- `writes`: whether a permitted POST changes something. It defaults to True for a POST with `data`:
  the test then checks that a permitted user's request wrote a history line in their name (every
  change of the portal is in its history) and that a refused one (403, 404, anonymous) wrote nothing.
  A POST without `data` (a refusal by design, an empty form) must write nothing, whoever sends it.
  `writes` may also name the roles whose request writes (the others get the form back with an error).
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Case:
    name: str
    expected: dict
    kwargs: Callable | None = None
    default: int = 403
    other: int | None = 404
    method: str = "get"
    data: Callable | None = None
    query: str = ""
    extra_kwargs: dict = field(default_factory=dict)
    setup: Callable | None = None
    anonymous_to: str = "/connexion/"  # where a 302 sends an anonymous visitor
    writes: bool | frozenset | None = None

    def __post_init__(self):
        if self.writes is None:
            self.writes = self.method == "post" and self.data is not None

    def writes_for(self, role: str) -> bool:
        return role in self.writes if isinstance(self.writes, frozenset) else bool(self.writes)

    def status_for(self, role: str) -> int:
        return self.expected.get(role, self.default)


def all_cases() -> list[Case]:
    import tests.permission_cases as pkg

    cases = []
    for mod in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        cases.extend(importlib.import_module(f"tests.permission_cases.{mod.name}").CASES)
    return cases


def form_body(form, **changes) -> dict:
    """The POST body a person sends when they open `form` (unbound, with its initial values) and submit it
    after typing `changes`: dates as ISO strings, objects as their id, booleans as the browser sends them."""
    import datetime as dt

    from django.db.models import Model

    body = {}
    for name, bound in ((n, form[n]) for n in form.fields):
        value = changes[name] if name in changes else bound.value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        elif isinstance(value, Model):
            value = value.pk
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, list | tuple):
            value = [v.pk if isinstance(v, Model) else v for v in value]
        body[name] = value
    return body
