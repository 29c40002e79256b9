"""Eight people save the same edit form at the same instant, for every form that edits an existing row.

    python -m tests.faults.race_driver      (env: DATABASE_URL of a migrated database, PostgreSQL or SQLite)

Runs in a process of its own so its threads (one database connection each) see committed rows and
really collide in the database. Each thread opens the page in its own session, reads the form as a
browser would (the same version for all), waits at a barrier, then posts its own value. Prints, per
form, every status, which ones showed the conflict message, the winner's value and the value in the
database afterwards, and how many history lines the race wrote.
"""

import json
import os
import re
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cls_portal.settings.test")

import django  # noqa: E402

django.setup()

PARALLEL = 8
CONFLICT = re.compile(r"modifiée? par une autre personne|Une autre personne enregistrait")


def _forms(world):
    """(name, role, url, field, value for thread i, reader of the saved value, object for the history)."""
    from django.urls import reverse

    from actions.models import Axe, FicheAction, SuiviAnnuel
    from actions.selectors import contract_years
    from contracts.models import Contract, Step
    from diagnostics.models import Diagnostic
    from funding.models import AnneeFinancement
    from tests import factories as f

    own = world.own
    contract = own.contract
    extra = [f.CommuneFactory(departement=own.departement, nom=f"Commune ajoutée {i}") for i in range(PARALLEL)]
    fiche = own.fiche_validee
    annee = contract_years(contract)[-1]
    diagnostic = own.diagnostic
    return [
        ("identité du contrat", "coordinateur", reverse("contracts:edit", args=[contract.pk]), "nom",
         lambda i: f"CLS du Bessin {i}", lambda: Contract.objects.get(pk=contract.pk).nom, contract),
        ("périmètre", "coordinateur", reverse("contracts:perimeter", args=[contract.pk]), "ajouter",
         lambda i: extra[i].code,
         lambda: ",".join(sorted(set(Contract.objects.get(pk=contract.pk).communes.values_list("code", flat=True))
                                 & {c.code for c in extra})), contract),
        ("étape", "coordinateur", reverse("contracts:step_edit", args=[contract.pk, own.step.pk]), "acteurs",
         lambda i: f"Acteurs {i}", lambda: Step.objects.get(pk=own.step.pk).acteurs, own.step),
        ("axe", "coordinateur", reverse("actions:axe_edit", args=[own.axe.pk]), "titre",
         lambda i: f"Axe renommé {i}", lambda: Axe.objects.get(pk=own.axe.pk).titre, own.axe),
        ("fiche action", "coordinateur", reverse("actions:fiche_edit", args=[own.fiche.pk]), "titre",
         lambda i: f"Fiche renommée {i}", lambda: FicheAction.objects.get(pk=own.fiche.pk).titre, own.fiche),
        ("suivi annuel", "coordinateur", reverse("actions:suivi_edit", args=[fiche.pk, annee]), "realise",
         lambda i: f"Réalisé {i}",
         lambda: SuiviAnnuel.objects.get(fiche=fiche, annee=annee).realise, fiche),
        ("demande de financement", "coordinateur", reverse("funding:year_edit", args=[own.funding_request.pk]),
         "commentaire", lambda i: f"Commentaire {i}",
         lambda: AnneeFinancement.objects.get(pk=own.funding_request.pk).commentaire, own.funding_request),
        ("bilan financier", "coordinateur", reverse("funding:year_statement", args=[own.funding_year.pk]),
         "commentaire", lambda i: f"Bilan {i}",
         lambda: own.funding_year.__class__.objects.get(pk=own.funding_year.pk).bilan.commentaire, own.funding_year),
        ("préparation du diagnostic", "coordinateur", reverse("diagnostics:preparation", args=[diagnostic.pk]),
         "actions_existantes", lambda i: f"Actions existantes {i}",
         lambda: Diagnostic.objects.get(pk=diagnostic.pk).actions_existantes, diagnostic),
    ]


def _history_count(obj):
    from django.contrib.contenttypes.models import ContentType

    from cls_portal.core.models import HistoryEntry

    fields = {f.name for f in HistoryEntry._meta.get_fields()}
    if {"content_type", "object_id"} <= fields:
        return HistoryEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj),
                                           object_id=obj.pk).count()
    return HistoryEntry.objects.count()


def _payload(browser_form, field, value):
    """What the browser submits for the page's form that has both a `version` and `field` (the perimeter page
    has two forms)."""
    form = next(f for f in browser_form.forms if {"version", field} <= {n for n, _ in f["data"]})
    data = {}
    for name, v in form["data"]:
        data.setdefault(name, []).append(v)
    data[field] = [value]
    return data


def race(world, name, role, url, field, value_for, read, obj):
    from django.db import connections
    from django.test import Client

    from tests.faults.test_concurrent_edits import BrowserForm

    user = world.users[role]
    barrier = threading.Barrier(PARALLEL)
    results = [None] * PARALLEL

    def person(i):
        try:
            client = Client(raise_request_exception=False)  # an exception is a 500 response, as for a user
            client.force_login(user)
            page = client.get(url)
            payload = _payload(BrowserForm(page.content.decode()), field, value_for(i)) \
                if page.status_code == 200 else None
            barrier.wait(timeout=120)
            if payload is None:
                results[i] = {"get": page.status_code}
                return
            response = client.post(url, payload)
            text = response.content.decode(errors="replace")
            results[i] = {"get": page.status_code, "status": response.status_code, "value": value_for(i),
                          "conflict": bool(CONFLICT.search(text)), "typed_kept": value_for(i) in text}
        except Exception as exc:  # noqa: BLE001 — reported, the test fails on it
            results[i] = {"error": f"{type(exc).__name__}: {exc}"}
        finally:
            connections.close_all()

    history_before = _history_count(obj)
    threads = [threading.Thread(target=person, args=(i,)) for i in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    winners = [r["value"] for r in results if r and r.get("status") == 302]
    try:
        saved = read()
    except Exception as exc:  # noqa: BLE001 — nothing saved at all: reported
        saved = f"{type(exc).__name__}"
    return {"form": name, "results": results, "winners": winners, "saved": saved,
            "history_lines": _history_count(obj) - history_before}


def main():
    from django.test.utils import setup_test_environment

    from tests.world import build_world

    setup_test_environment()
    world = build_world()
    return [race(world, *spec) for spec in _forms(world)]


if __name__ == "__main__":
    json.dump(main(), sys.stdout, default=str)
