"""Writes of the library. Each service is atomic and writes a history line; the caller checked the
permission predicate (`permissions.can_manage_*`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cls_portal.core import history, uploads
from cls_portal.core.concurrency import bump, lock_for_update, snapshot
from cls_portal.core.errors import DomainError

from .enums import ResourceCategory, ResourceEvent
from .models import Resource, ResourceVersion

RESOURCE_FIELDS = ["titre", "description", "categorie"]


def _check(data: dict) -> None:
    if not (data.get("titre") or "").strip():
        raise DomainError("Donnez un titre à la ressource.", field="titre")
    if data.get("categorie") not in ResourceCategory.values:
        raise DomainError("Choisissez une catégorie de la liste.", field="categorie")


def _add_version(*, actor, resource: Resource, libelle: str, date_version: dt.date, fichier=None,
                 lien: str = "") -> ResourceVersion:
    if not (libelle or "").strip():
        raise DomainError("Nommez la version (par exemple « 2025 » ou « v2 »).", field="libelle")
    if fichier is None and not (lien or "").strip():
        raise DomainError("Joignez un fichier ou indiquez un lien (ou les deux).", field="fichier")
    last = resource.versions.order_by("-numero").values_list("numero", flat=True).first() or 0
    version = ResourceVersion(resource=resource, numero=last + 1, libelle=libelle.strip(),
                              date_version=date_version, lien=(lien or "").strip(), uploaded_by=actor)
    if fichier is not None:
        checked = uploads.check_upload(fichier)
        version.nom_original, version.extension = checked.name, checked.extension
        version.content_type, version.taille, version.sha256 = checked.content_type, checked.size, checked.sha256
        version.fichier.save(checked.name, fichier, save=False)
    try:  # the row cannot be saved: remove the file just written (nothing stored on failure)
        version.save()
    except Exception:
        if version.fichier:
            version.fichier.delete(save=False)
        raise
    resource.current_version = version
    resource.save(update_fields=["current_version", "updated_at"])
    return version


def _version_changes(version: ResourceVersion, changes: dict) -> dict:
    """What the history line of a version says: its date, and its file and link when it has them."""
    changes = {**changes, "date_version": [None, version.date_version]}
    if version.nom_original:
        changes["fichier"] = [None, version.nom_original]
    if version.lien:
        changes["lien"] = [None, version.lien]
    return changes


@transaction.atomic
def resource_create(*, actor, region, titre: str, description: str, categorie: str, libelle: str,
                    date_version: dt.date, fichier=None, lien: str = "") -> Resource:
    """A new resource of `region` with its first version. Preconditions: the caller may manage the
    library of `region`; a title, a category of the list, a version label, a file (checked: type, size)
    or a link."""
    data = {"titre": titre, "description": description, "categorie": categorie}
    _check(data)
    resource = Resource.objects.create(region=region, created_by=actor, titre=titre.strip(),
                                       description=description or "", categorie=categorie)
    version = _add_version(actor=actor, resource=resource, libelle=libelle, date_version=date_version,
                           fichier=fichier, lien=lien)
    history.record(actor=actor, obj=resource, event=ResourceEvent.CREEE, changes=_version_changes(version, {
        "categorie": [None, categorie], "libelle_version": [None, version.libelle]}))
    return resource


@transaction.atomic
def resource_update(*, actor, resource_id: int, expected_version, data: dict) -> Resource:
    """Title, description, category. Refused (ConcurrentEditError) if someone saved it since
    `expected_version`; an archived resource is restored before it is edited."""
    _check(data)
    resource = lock_for_update(Resource, resource_id, expected_version=expected_version,
                               submitted={f: data.get(f) for f in RESOURCE_FIELDS})
    if resource.archived_at:
        raise DomainError("Cette ressource est archivée : remettez-la en service avant de la modifier.")
    before = snapshot(resource, RESOURCE_FIELDS)
    for f in RESOURCE_FIELDS:
        setattr(resource, f, (data.get(f) or "").strip() if f != "categorie" else data[f])
    changes = history.diff(before, snapshot(resource, RESOURCE_FIELDS))
    if changes:
        bump(resource)
        resource.save()
    history.record(actor=actor, obj=resource, event=ResourceEvent.MODIFIEE, changes=changes)
    return resource


@transaction.atomic
def resource_add_version(*, actor, resource: Resource, libelle: str, date_version: dt.date, fichier=None,
                         lien: str = "") -> ResourceVersion:
    """A new version, which becomes the current one; the older ones stay listed and downloadable.
    Preconditions: a resource in service; a label; a file (checked) or a link."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if resource.archived_at:
        raise DomainError("Cette ressource est archivée : remettez-la en service avant d'en déposer une version.")
    version = _add_version(actor=actor, resource=resource, libelle=libelle, date_version=date_version,
                           fichier=fichier, lien=lien)
    bump(resource)
    resource.save(update_fields=["version"])
    history.record(actor=actor, obj=resource, event=ResourceEvent.VERSION_AJOUTEE,
                   changes=_version_changes(version, {}), context={"version": version.libelle})
    return version


@transaction.atomic
def resource_set_archived(*, actor, resource: Resource, archived: bool) -> Resource:
    """Archive (no longer offered to sheets and reports, still readable) or restore a resource."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if bool(resource.archived_at) == archived:
        raise DomainError("Cette ressource est déjà archivée." if archived else "Cette ressource est déjà en service.")
    resource.archived_at = timezone.now() if archived else None
    bump(resource)
    resource.save(update_fields=["archived_at", "version", "updated_at"])
    history.record(actor=actor, obj=resource, event=ResourceEvent.ARCHIVEE if archived else ResourceEvent.RESTAUREE)
    return resource
