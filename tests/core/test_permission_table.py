"""Every URL of the project x every role x own/other tenant -> expected status.

A new view without a case in tests/permission_cases/ makes `test_every_url_has_a_case` fail.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cls_portal.core.models import HistoryEntry
from tests.permission_cases import all_cases
from tests.world import ROLES

IGNORED_NAMESPACES = {"admin"}  # Django's admin has its own staff checks.


def _named_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            if ns in IGNORED_NAMESPACES:
                continue
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _named_urls(p, full)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}:{p.name}" if namespace else p.name


def test_every_url_has_a_case():
    covered = {c.name for c in all_cases()}
    missing = sorted(set(_named_urls()) - covered)
    assert not missing, f"URL sans entrée dans la table des permissions : {missing}"


def test_no_case_for_unknown_url():
    known = set(_named_urls())
    unknown = sorted({c.name for c in all_cases()} - known)
    assert not unknown, f"Entrées de la table sans URL : {unknown}"


def _params():
    for case in all_cases():
        for role in ROLES:
            yield pytest.param(case, role, "own", id=f"{case.name}-{role}-own")
            if case.kwargs is not None and case.other is not None and role not in ("anonymous", "admin"):
                yield pytest.param(case, role, "other", id=f"{case.name}-{role}-other")


@pytest.mark.parametrize("case,role,side", list(_params()))
def test_permission(client, world, case, role, side):
    tenant = world.own if side == "own" else world.other
    url = reverse(case.name, kwargs=case.kwargs(tenant) if case.kwargs else None) + case.query
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    if case.setup:
        case.setup(tenant)
    last = HistoryEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    if case.method == "post":
        response = client.post(url, case.data(tenant) if case.data else {})
    else:
        response = client.get(url)
    expected = case.status_for(role) if side == "own" else case.other
    assert response.status_code == expected, (
        f"{case.method.upper()} {url} as {role} ({side}): {response.status_code} != {expected}")
    if role == "anonymous" and expected == 302:
        assert case.anonymous_to in response["Location"]
    if case.method == "post":
        allowed = case.writes_for(role) and role != "anonymous" and expected not in (403, 404)
        new = HistoryEntry.objects.filter(pk__gt=last)
        written, mine = new.count(), new.filter(actor=user).exists() if user is not None else False
        if allowed:
            assert written and mine, f"POST {url} as {role} ({side}): allowed ({expected}) but nothing written"
        else:
            assert written == 0, f"POST {url} as {role} ({side}): refused ({expected}) but {written} line(s) written"
