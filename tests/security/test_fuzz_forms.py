"""Every form of the portal fuzzed with Hypothesis, as every role that may open it.

Strings with control characters, huge numbers, wrong types, missing fields, path tricks in file
names and the other tenant's ids: the portal must never answer 500 (the test client re-raises
any exception a view lets through) and must never write anything on the other tenant.
"""

import datetime as dt

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cls_portal.core.models import HistoryEntry
from tests.security.crawl import get_pages, parse

SKIP_ACTIONS = ("/deconnexion/", "/connexion/", "/mot-de-passe/")
APP_LABELS = {"contracts", "actions", "diagnostics", "funding", "reports", "regional", "core", "notifications",
              "people"}
POST_BUDGET = 240  # POSTs in all (examples × forms): keeps the test around a minute on 2 cores

nasty_numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["²", "١٢٣", "1_000", "1e308", "-0", "+5", "0x1F", "1" + "0" * 22, "35,5", "25 000,50 €",
                     "NaN", "Infinity", "-1", "٢٠٢٥"]),
)
nasty_dates = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(lambda d: d.isoformat()),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y")),
    st.sampled_from(["9999-12-31", "0001-01-01", "31/12/9999", "01/01/0001", "2025-02-30", "٢٠٢٥-٠١-٠١",
                     "2025-1-1", "1989-12-31", "2101-01-01"]),
)
nasty_text = st.one_of(
    st.text(min_size=0, max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), min_size=1, max_size=10),
    st.just("x" * 5000),
    st.sampled_from(["", " ", "0", "-1", "1e308", "NaN", "99999999999999999999", "3.14159", "-0,01",
                     "31/02/2025", "2025-13-45", "<script>alert(1)</script>", "'; DROP TABLE x; --",
                     "../../etc/passwd", "\x00", "true", "[]", "{}"]),
    nasty_numbers,
    nasty_dates,
)
# Query parameters the pages read (filters, years, ids, pagination, exports), beside their GET forms' fields.
QUERY_PARAMS = ["annee", "axe", "remplace", "contrat", "page", "format", "colonnes", "region", "departement", "q",
                "statut", "export", "type", "generation", "annee_fin", "annee_signature", "annee_rapport", "tri",
                "phase", "priorite", "pilote_organisation", "revue", "rapport", "financement", "coordination"]
QUERY_BUDGET = 400  # GET requests in all


def _paths_to_contract(model, depth=3):
    """ORM lookups from `model` to its contract ("contract", "fiche__contract", …), following FKs."""
    from contracts.models import Contract

    if model is Contract:
        return ["pk"]
    if depth == 0:
        return []
    paths = []
    for field in model._meta.concrete_fields:
        if not field.many_to_one or field.related_model is None:
            continue
        if field.related_model is Contract:
            paths.append(field.name)
        elif field.related_model._meta.app_label in APP_LABELS:
            paths += [f"{field.name}__{p}" for p in _paths_to_contract(field.related_model, depth - 1) if p != "pk"]
    return paths


def _other_tenant_state(world):
    """Every row hanging off the other tenant's contract (all columns), plus its history: any write shows."""
    other = world.other.contract
    state = {"history": sorted(HistoryEntry.objects.filter(contract_id=other.pk).values_list("pk", flat=True))}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in APP_LABELS or model is HistoryEntry:
            continue
        for path in _paths_to_contract(model):
            rows = model.objects.filter(**{path: other.pk}).order_by("pk").values()
            state[f"{model._meta.label}:{path}"] = [tuple(sorted(r.items())) for r in rows]
    return state


def _other_ids(world):
    ids = {str(world.other.contract.pk)}
    for value in world.other.extra.values():
        pk = getattr(value, "pk", None)
        if pk is not None:
            ids.add(str(pk))
    return sorted(ids)


@pytest.mark.slow
@pytest.mark.django_db
def test_every_form_survives_fuzzing(world):
    targets, seen = [], set()
    for case, role, url in get_pages(world):
        if role in ("admin",):
            continue
        client = Client(raise_request_exception=True)
        client.force_login(world.users[role])
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for form in parse(response.content.decode()).forms:
            action = form["action"] or url
            if form["method"] != "post" or not form["fields"] or action.startswith(SKIP_ACTIONS):
                continue
            key = (role, action, tuple(sorted(form["fields"])))
            if key not in seen:  # the same form on several pages is fuzzed once per role
                seen.add(key)
                targets.append((client, action, form, f"{case.name} ({role})"))
    assert targets, "aucun formulaire trouvé"
    other_ids = _other_ids(world)
    before = _other_tenant_state(world)

    examples = max(3, min(12, POST_BUDGET // len(targets)))

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=st.data())
    def fuzz(data):
        for client, action, form, label in targets:
            payload, files = {}, {}
            can_omit = len(form["fields"]) > 1
            for name, spec in form["fields"].items():
                if data.draw(st.booleans(), label=f"omit {name}") and can_omit:
                    continue  # missing field
                if spec["type"] == "file":
                    content = data.draw(st.sampled_from([b"", b"MZ\x90\x00 not a pdf", b"%PDF-1.4\n%%EOF\n"]))
                    fname = data.draw(st.sampled_from(["../../etc/passwd.pdf", "a.pdf", "x.exe", "\x00.pdf"]))
                    files[name] = SimpleUploadedFile(fname.replace("\x00", "_"), content)
                    continue
                if spec["type"] == "hidden" and name in ("version",):
                    payload[name] = data.draw(st.sampled_from([spec["value"], "abc", "-5", ""]))
                    continue
                choices = [spec["value"]] if spec["value"] else []
                choices += spec["options"] + other_ids
                typed = nasty_dates if spec["type"] == "date" else nasty_numbers if spec["type"] == "number" \
                    else nasty_text
                payload[name] = data.draw(st.one_of(typed, nasty_text, st.sampled_from(choices or [""])),
                                          label=name)
            response = client.post(action, {**payload, **files})
            assert response.status_code < 500, f"{label}: POST {action} -> {response.status_code}"

    fuzz()
    assert _other_tenant_state(world) == before, "une écriture a touché l'autre territoire"


@pytest.mark.django_db
def test_the_other_tenant_snapshot_sees_an_update_a_new_row_and_a_history_entry(world):
    """The guard above is not vacuous: any write on the other tenant changes the snapshot."""
    from cls_portal.core import history
    from contracts.enums import ContractEvent

    before = _other_tenant_state(world)
    fiche = world.other.fiche
    type(fiche).objects.filter(pk=fiche.pk).update(titre="modifiée")
    assert _other_tenant_state(world) != before
    type(fiche).objects.filter(pk=fiche.pk).update(titre=fiche.titre)
    assert _other_tenant_state(world) == before
    world.other.contract.coordinators.add(world.users["coordinateur"])
    assert _other_tenant_state(world) != before
    world.other.contract.coordinators.remove(world.users["coordinateur"])
    history.record(actor=None, obj=world.other.contract, event=ContractEvent.IDENTITE_MODIFIEE,
                   changes={"nom": ["a", "b"]})
    assert _other_tenant_state(world) != before


@pytest.mark.slow
@pytest.mark.django_db
def test_every_page_survives_fuzzed_query_parameters(world):
    """Every page of the permission table, as one role that may open it, with fuzzed query parameters (its
    GET forms' fields and the parameters pages read): a page or a 404, never a 500 (the client re-raises)."""
    targets, seen = [], set()
    for case, role, url in get_pages(world):
        path = url.split("?", 1)[0]
        if role == "admin" or path in seen:
            continue
        seen.add(path)
        client = Client(raise_request_exception=True)
        client.force_login(world.users[role])
        response = client.get(url)
        names = set(QUERY_PARAMS)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            for form in parse(response.content.decode()).forms:
                if form["method"] == "get":
                    names |= set(form["fields"])
        targets.append((client, path, sorted(names), f"{case.name} ({role})"))
    assert len(targets) > 20
    examples = max(2, QUERY_BUDGET // len(targets))
    other_ids = _other_ids(world)

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=st.data())
    def fuzz(data):
        for client, path, names, label in targets:
            chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True))
            params = {n: data.draw(st.one_of(nasty_text, st.sampled_from(other_ids)), label=n) for n in chosen}
            response = client.get(path, params)
            assert response.status_code < 500, f"{label}: GET {path} {params!r} -> {response.status_code}"

    fuzz()
