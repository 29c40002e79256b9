"""Reference territories (Etalab's découpage administratif) and the organisations that act on them.

Codes are primary keys: INSEE codes for régions, départements and communes, SIREN for EPCI. This
keeps imports idempotent (upsert on the code) and fixtures readable.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum

from cls_portal.core.collation import FRENCH, folded_column


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField("nom", max_length=120, db_collation=FRENCH)

    class Meta:
        verbose_name = "région"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Departement(models.Model):
    code = models.CharField("code", max_length=3, primary_key=True)
    nom = models.CharField("nom", max_length=120, db_collation=FRENCH)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.nom} ({self.code})"


class EPCI(models.Model):
    TYPES = [
        ("CC", "Communauté de communes"),
        ("CA", "Communauté d'agglomération"),
        ("CU", "Communauté urbaine"),
        ("METRO", "Métropole"),
        ("MET69", "Métropole de Lyon"),
    ]
    code = models.CharField("SIREN", max_length=9, primary_key=True)
    nom = models.CharField("nom", max_length=200, db_collation=FRENCH)
    type = models.CharField("type", max_length=8, choices=TYPES)

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    def population(self) -> int:
        return self.communes.aggregate(p=Sum("population"))["p"] or 0


class Commune(models.Model):
    """A current commune (commune-actuelle). Delegated/associated communes and municipal
    arrondissements are not imported: their population is already in their parent commune."""

    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    nom = models.CharField("nom", max_length=200, db_index=True, db_collation=FRENCH)
    # The name as searched (« evreux » finds « Évreux »): made by the database from `nom`.
    nom_recherche = folded_column("nom", 200, "nom sans accents")
    population = models.PositiveIntegerField("population municipale", default=0)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(EPCI, null=True, blank=True, on_delete=models.SET_NULL, related_name="communes")

    class Meta:
        verbose_name = "commune"
        ordering = ["nom"]

    def __str__(self):
        return f"{self.nom} ({self.code})"


class ARS(models.Model):
    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="ars")
    nom = models.CharField("nom", max_length=120, db_collation=FRENCH)
    email = models.EmailField("adresse de contact CLS", blank=True)

    class Meta:
        verbose_name = "ARS"
        verbose_name_plural = "ARS"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Delegation(models.Model):
    """Délégation départementale (DD) of an ARS: one per département."""

    departement = models.OneToOneField(Departement, on_delete=models.PROTECT, related_name="delegation")
    ars = models.ForeignKey(ARS, on_delete=models.PROTECT, related_name="delegations")
    nom = models.CharField("nom", max_length=160, db_collation=FRENCH)
    email = models.EmailField("adresse de contact", blank=True)

    class Meta:
        verbose_name = "délégation départementale"
        verbose_name_plural = "délégations départementales"
        ordering = ["departement_id"]

    def __str__(self):
        return self.nom


class OrganisationType(models.TextChoices):
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI"
    PETR = "petr", "PETR"
    DEPARTEMENT = "departement", "Conseil départemental"
    REGION = "region", "Conseil régional"
    ARS = "ars", "ARS"
    PREFECTURE = "prefecture", "Préfecture"
    CPAM = "cpam", "CPAM"
    CAF = "caf", "CAF"
    ETABLISSEMENT = "etablissement", "Établissement de santé"
    ASSOCIATION = "association", "Association"
    CPTS = "cpts", "CPTS"
    DAC = "dac", "DAC"
    CCAS = "ccas", "CCAS / CIAS"
    SERVICE_JEUNESSE = "service_jeunesse", "Service jeunesse de la collectivité"
    SERVICE_PETITE_ENFANCE = "service_petite_enfance", "Service petite enfance de la collectivité"
    SERVICE_CULTURE = "service_culture", "Service culture de la collectivité"
    SERVICE_COLLECTIVITE = "service_collectivite", "Autre service de la collectivité"
    MSP = "msp", "Maison de santé pluriprofessionnelle"
    EDUCATION = "education", "Éducation nationale"
    AUTRE = "autre", "Autre"


COLLECTIVITE_TYPES = [
    OrganisationType.COMMUNE,
    OrganisationType.EPCI,
    OrganisationType.PETR,
    OrganisationType.DEPARTEMENT,
    OrganisationType.REGION,
]


def validate_siret(value: str) -> None:
    """14 digits with a valid Luhn key (La Poste's establishments, SIREN 356000000, use a digit sum
    divisible by 5 instead, as INSEE documents)."""
    if not value:
        return
    if len(value) != 14 or not value.isdigit():
        raise ValidationError("Un SIRET compte 14 chiffres (sans espace ni lettre).", code="siret")
    if value.startswith("356000000"):
        ok = sum(int(c) for c in value) % 5 == 0
    else:
        total = 0
        for i, c in enumerate(reversed(value)):
            d = int(c) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        ok = total % 10 == 0
    if not ok:
        raise ValidationError("Ce SIRET n'est pas valide (sa clé de contrôle ne correspond pas) : vérifiez-le.",
                              code="siret")


class OrganisationQuerySet(models.QuerySet):
    def in_region(self, code: str):
        """Organisations of région `code`: their own région, or (when none is recorded, older rows) the
        région of their département, commune or EPCI. Every organisation list of a form goes through it."""
        epcis = Commune.objects.filter(region_id=code, epci__isnull=False).values("epci_id")
        return self.filter(
            Q(region_id=code)
            | Q(region__isnull=True) & (Q(departement__region_id=code) | Q(commune__region_id=code)
                                        | Q(epci_id__in=epcis)))

    def offered(self, code: str, keep=None):
        """What a form offers for a contract of région `code`: its organisations, plus `keep` (the one
        already chosen, an organisation tied to no territory saved before the lists were limited) so that
        saving an existing record never fails on a choice the user did not touch."""
        q = Q(pk__in=self.in_region(code).values("pk"))
        if keep:
            q |= Q(pk=keep.pk if hasattr(keep, "pk") else keep)
        return self.filter(q).order_by("nom")


class Organisation(models.Model):
    nom = models.CharField("nom", max_length=200, db_collation=FRENCH)
    nom_recherche = folded_column("nom", 200, "nom sans accents")  # searched
    type = models.CharField("type", max_length=24, choices=OrganisationType.choices)
    email = models.EmailField("e-mail", blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[validate_siret],
                             help_text="Facultatif : 14 chiffres.")
    # Optional ties to a territory
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    departement = models.ForeignKey(Departement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    epci = models.ForeignKey(EPCI, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        ordering = ["nom"]
        constraints = [models.UniqueConstraint(fields=["nom", "type"], name="organisation_unique_nom_type")]

    def __str__(self):
        return self.nom

    @property
    def is_collectivite(self) -> bool:
        return self.type in COLLECTIVITE_TYPES
