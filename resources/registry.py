"""What the apps above resources tell it. Filled in their `AppConfig.ready()`; resources imports none of them.

- `member_regions`: `(role, fn)` pairs; `fn(user)` returns the région codes (an iterable or a values_list
  queryset) a user of that role belongs to through the contracts he works on (contracts: the coordinators of
  a contract; actions: the pilots of a sheet). Regional staff and délégations are known from their roles.
"""

from cls_portal.core.registry import Registry

member_regions = Registry("resources.registry.member_regions")
