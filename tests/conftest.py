"""Suite-wide fixtures.

- Undefined variables in the project's own templates fail the test (third-party templates are
  left alone). Note: `{{ x|default:"…" }}` on an undefined `x` fails too; pass the variable.
- Warnings are errors (pyproject `filterwarnings`).
- `world`: two tenants (Normandie/Calvados and Grand Est/Haute-Marne) with one user per role.
"""

import os
import sys

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# alongside it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PROJECT_DIR = str(settings.BASE_DIR)


class UndefinedTemplateVariable(str):
    """`string_if_invalid` that raises for templates of this project only."""

    def __contains__(self, key):
        return key == "%s"

    def __mod__(self, var):
        frame = sys._getframe(1)
        while frame is not None:
            node = frame.f_locals.get("self")
            origin = getattr(node, "origin", None)
            if origin is not None and hasattr(node, "token"):
                name = str(getattr(origin, "name", ""))
                if name.startswith(PROJECT_DIR) and "site-packages" not in name:
                    raise AssertionError(f"Variable de gabarit non définie « {var} » dans {name}")
                return ""
            frame = frame.f_back
        return ""


@pytest.fixture(autouse=True)
def _strict_templates(settings):
    for tpl in settings.TEMPLATES:
        tpl.setdefault("OPTIONS", {})["string_if_invalid"] = UndefinedTemplateVariable("")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _broker_backoff_reset():
    """A broker failure in one test must not hold back the report sends of the next ones."""
    from reports.services import broker_backoff_reset

    broker_backoff_reset()
    yield
    broker_backoff_reset()


@pytest.fixture
def world(db):
    from tests.world import build_world

    return build_world()


@pytest.fixture
def demo(transactional_db):
    """The full demo data set (Normandie and Grand Est territories only), for journeys."""
    from tests.demo import seed_demo_data

    seed_demo_data()
