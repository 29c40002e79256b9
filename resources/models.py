"""The library of resources a regional team keeps for its coordinators (regional guide, fiches pratiques,
communication kit and graphic charter, templates). Each resource has versions: a file and/or a link; the
current one is the latest, the older ones stay listed and downloadable.

This app sits just above accounts and territories (docs/architecture.md): an action sheet and an annual
report point to the resource they follow, so it must be below actions and reports."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from cls_portal.core.collation import FRENCH
from cls_portal.core.concurrency import VersionedModel

from .enums import ResourceCategory


class ResourceQuerySet(models.QuerySet):
    def in_regions(self, codes):
        return self.filter(region_id__in=list(codes))

    def offered(self, region_code, *, keep=None):
        """What a form of a contract of `region_code` offers: the région's resources in service (and the one
        already chosen, `keep`, even if archived since)."""
        return self.filter(Q(region_id=region_code, archived_at__isnull=True) | Q(pk=keep or 0)).order_by(
            "categorie", "titre")


class Resource(VersionedModel):
    region = models.ForeignKey("territories.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name="région")
    titre = models.CharField("titre", max_length=255, db_collation=FRENCH)
    description = models.TextField("description", blank=True)
    categorie = models.CharField("catégorie", max_length=32, choices=ResourceCategory.choices)
    # The latest version, kept by the services (a page shows it without a query per row).
    current_version = models.OneToOneField("ResourceVersion", null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="+", verbose_name="version courante")
    archived_at = models.DateTimeField("archivée le", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="créée par")
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = "ressource"
        ordering = ["categorie", "titre", "pk"]
        indexes = [models.Index(fields=["region", "categorie"])]

    def __str__(self):
        return self.titre


def _version_path(instance, filename):
    # Never the user's file name: a random name in a per-resource folder, outside any public URL.
    return f"ressources/{instance.resource_id}/{uuid.uuid4().hex}{instance.extension}"


class ResourceVersion(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions",
                                 verbose_name="ressource")
    numero = models.PositiveSmallIntegerField("numéro")
    libelle = models.CharField("version", max_length=60, help_text="Par exemple « 2025 » ou « v2 ».")
    date_version = models.DateField("date de la version")
    fichier = models.FileField("fichier", upload_to=_version_path, max_length=255, blank=True)
    nom_original = models.CharField("nom du fichier", max_length=255, blank=True)
    extension = models.CharField(max_length=8, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    taille = models.PositiveIntegerField("taille (octets)", null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    lien = models.URLField("lien", max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name="déposée par")
    uploaded_at = models.DateTimeField("déposée le", auto_now_add=True)

    class Meta:
        verbose_name = "version d'une ressource"
        verbose_name_plural = "versions des ressources"
        ordering = ["resource", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "numero"], name="resource_version_unique_numero"),
            models.CheckConstraint(condition=~Q(fichier="") | ~Q(lien=""), name="resource_version_file_or_link"),
        ]

    def __str__(self):
        return f"{self.resource.titre} — {self.libelle}"
