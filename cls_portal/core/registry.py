"""Registries that let a lower app ask a higher one for a fact without importing it.

Apps only import downwards (see docs/architecture.md). When a lower app needs something that a
higher app knows (which sheets count as validated, what a renewal copies, which reminders exist),
the lower app declares a `Registry` (many contributions) or a `Slot` (one implementation) and the
higher app fills it in its `AppConfig.ready()`. The lower app then calls what it was given.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.core.exceptions import ImproperlyConfigured


class Registry:
    """Contributions from higher apps, in the order their apps are ready (INSTALLED_APPS order)."""

    def __init__(self, name: str):
        self.name = name
        self._items: list = []

    def register(self, item):
        """Add `item` once (a second `ready()` in the same process adds nothing)."""
        if item not in self._items:
            self._items.append(item)
        return item

    def __iter__(self) -> Iterator:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)


class Slot:
    """One implementation provided by a higher app; calling an empty slot is a configuration error."""

    def __init__(self, name: str):
        self.name = name
        self._value = None

    def provide(self, value):
        self._value = value
        return value

    def get(self):
        if self._value is None:
            raise ImproperlyConfigured(f"{self.name} : aucune application ne le fournit (INSTALLED_APPS ?).")
        return self._value

    def __call__(self, *args, **kwargs):
        return self.get()(*args, **kwargs)
