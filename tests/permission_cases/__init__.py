"""The permission table: every named URL of the project x every role x own/other tenant.

Each app lists its URLs in `tests/permission_cases/<app>.py` as `CASES = [Case(...), ...]`.
`tests/core/test_permission_table.py` fails when a URL pattern has no case.

A Case:
- `name`: the URL name ("contracts:detail").
- `kwargs(tenant)`: URL kwargs for one tenant's object; None for URLs without an object.
- `expected`: role -> status for the own tenant. Roles: see tests.world.ROLES. Anonymous is
  usually 302 (to the login page); a role absent from `expected` defaults to `default`.
- `other`: status for the other tenant's object for every signed-in role except admin (404).
- `method`: "get" or "post"; `data(tenant)` for POST bodies (the default {} is an invalid form:
  a permitted user then gets 200 with errors, or a redirect).
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

    def status_for(self, role: str) -> int:
        return self.expected.get(role, self.default)


def all_cases() -> list[Case]:
    import tests.permission_cases as pkg

    cases = []
    for mod in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        cases.extend(importlib.import_module(f"tests.permission_cases.{mod.name}").CASES)
    return cases
