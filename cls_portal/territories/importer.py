"""Idempotent import of the compact territory file (bulk create / bulk update of what changed)."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .models import ARS, EPCI, Commune, Delegation, Departement, Organisation, OrganisationType, Region
from .reference import ARS_EMAILS, DELEGATION_EMAILS, DELEGATION_LABEL

PACKAGE = "@etalab/decoupage-administratif@6.0.0"
DATA_FILE = Path(__file__).resolve().parent / "data" / "territoires.json.gz"

_DE = {"a", "e", "i", "o", "u", "y", "h", "é", "è", "î", "ê", "É"}


@dataclass
class ImportReport:
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)

    def add(self, name, created, updated):
        self.created[name] = created
        self.updated[name] = updated

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def lines(self):
        for name in self.created:
            yield f"{name} : {self.created[name]} créé(s), {self.updated[name]} mis à jour"


def load_compact(path: Path = DATA_FILE) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def _sync(model, rows: dict[str, dict], fields: list[str]) -> tuple[int, int]:
    """Create missing rows and update the ones whose `fields` differ. `rows`: code -> values."""
    existing = {o.pk: o for o in model.objects.filter(pk__in=list(rows))}
    to_create, to_update = [], []
    for code, values in rows.items():
        obj = existing.get(code)
        if obj is None:
            to_create.append(model(pk=code, **values))
        elif any(getattr(obj, f) != values[f] for f in fields):
            for f in fields:
                setattr(obj, f, values[f])
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=2000)
    model.objects.bulk_update(to_update, fields, batch_size=2000)
    return len(to_create), len(to_update)


# INSEE "type de liaison" (TNCC) -> the preposition before the name: du Calvados, de l'Orne...
_LIAISON = {0: "de ", 1: "d'", 2: "du ", 3: "de la ", 4: "des ", 5: "de l'", 6: "des ", 7: "de las ", 8: "de los "}


def _of(nom: str, liaison: int | None) -> str:
    if liaison is None:
        liaison = 1 if nom[:1].lower() in _DE else 0
    return _LIAISON.get(int(liaison), "de ") + nom


@transaction.atomic
def import_territories(data: dict | None = None) -> ImportReport:
    data = data or load_compact()
    report = ImportReport()
    report.add("régions", *_sync(Region, {c: {"nom": n} for c, n in data["regions"]}, ["nom"]))
    report.add("départements", *_sync(
        Departement, {row[0]: {"nom": row[1], "region_id": row[2]} for row in data["departements"]},
        ["nom", "region_id"]))
    liaisons = {row[0]: (row[3] if len(row) > 3 else None) for row in data["departements"]}
    report.add("EPCI", *_sync(EPCI, {c: {"nom": n, "type": t} for c, n, t in data["epci"]}, ["nom", "type"]))
    report.add("communes", *_sync(
        Commune,
        {c: {"nom": n, "departement_id": d, "region_id": r, "population": p, "epci_id": e}
         for c, n, d, r, p, e in data["communes"]},
        ["nom", "departement_id", "region_id", "population", "epci_id"],
    ))
    # One ARS per région, one délégation per département. Names are derived; e-mails from the
    # sources only fill blanks, so an administrator's edits survive a re-import.
    ars_created = 0
    ars_by_region = {a.region_id: a for a in ARS.objects.all()}
    for region in Region.objects.all():
        if region.code not in ars_by_region:
            ars_by_region[region.code] = ARS.objects.create(
                region=region, nom=f"ARS {region.nom}", email=ARS_EMAILS.get(region.code, ""))
            ars_created += 1
        elif not ars_by_region[region.code].email and ARS_EMAILS.get(region.code):
            ARS.objects.filter(pk=ars_by_region[region.code].pk).update(email=ARS_EMAILS[region.code])
    report.add("ARS", ars_created, 0)
    report.add("organisations des ARS", *ars_organisations(ars_by_region.values()))
    existing = set(Delegation.objects.values_list("departement_id", flat=True))
    new_delegations = []
    for dep in Departement.objects.all():
        if dep.code in existing:
            continue
        label = DELEGATION_LABEL.get(dep.region_id, "Délégation départementale")
        new_delegations.append(Delegation(
            departement=dep, ars=ars_by_region[dep.region_id], nom=f"{label} {_of(dep.nom, liaisons.get(dep.code))}",
            email=DELEGATION_EMAILS.get(dep.code, "")))
    Delegation.objects.bulk_create(new_delegations)
    report.add("délégations", len(new_delegations), 0)
    return report


def ars_organisations(agencies) -> tuple[int, int]:
    """Each ARS as an organisation of its région (type « ARS »): the one a contract's form offers as the ARS
    signatory, from an empty database on. An organisation of that name and type already there (created by hand)
    is kept, tied to the région if it was tied to nothing. Returns (created, updated)."""
    created = updated = 0
    for ars in agencies:
        org, new = Organisation.objects.get_or_create(nom=ars.nom, type=OrganisationType.ARS,
                                                      defaults={"region_id": ars.region_id})
        if new:
            created += 1
        elif org.region_id is None:
            Organisation.objects.filter(pk=org.pk).update(region_id=ars.region_id)
            updated += 1
    return created, updated
