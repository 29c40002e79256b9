"""Funding of the coordination post: regional rules, years, decisions, payments, statements, dialogue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from cls_portal.core.concurrency import VersionedModel
from cls_portal.core.errors import DomainError
from cls_portal.territories.models import Region
from contracts.models import Contract

from . import rules
from .enums import Statut

MONEY = {"max_digits": 12, "decimal_places": 2}


class RegleFinancementQuerySet(models.QuerySet):
    def en_vigueur(self, region_id, year: int):
        """The rule of `year`: the latest version that came into force by 31 December of that year."""
        return self.filter(region_id=region_id, valid_from__lte=dt.date(year, 12, 31)).order_by("-valid_from").first()


class RegleFinancement(models.Model):
    """One version of a région's co-funding rule. Never edited: a change is a new version (`valid_from`)."""

    region = models.ForeignKey("territories.Region", on_delete=models.PROTECT, related_name="regles_financement",
                               verbose_name="région")
    valid_from = models.DateField("en vigueur à partir du")
    taux = models.DecimalField("taux de cofinancement ARS", max_digits=5, decimal_places=4,
                               validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
                               help_text="0,5 pour 50 %")
    plafond_annuel = models.DecimalField("plafond annuel", **MONEY)
    cout_reference = models.DecimalField("coût de référence d'un poste à temps plein", **MONEY)
    etp_minimum = models.DecimalField("temps de travail minimum du coordinateur (ETP)", max_digits=4,
                                      decimal_places=2, default=Decimal("0"))
    part_egale = models.BooleanField("cofinancement à part égale par la collectivité", default=True)
    commentaire = models.TextField("motif ou référence", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="saisie par")
    created_at = models.DateTimeField("saisie le", auto_now_add=True)

    objects = RegleFinancementQuerySet.as_manager()

    class Meta:
        verbose_name = "règle de financement"
        verbose_name_plural = "règles de financement"
        ordering = ["region", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "valid_from"], name="regle_unique_par_date"),
            models.CheckConstraint(condition=Q(taux__gt=0, taux__lte=1), name="regle_taux_0_1"),
            models.CheckConstraint(condition=Q(plafond_annuel__gte=0, cout_reference__gt=0, etp_minimum__gte=0),
                                   name="regle_montants_positifs"),
        ]

    def __str__(self):
        return f"Règle {self.region} à partir du {self.valid_from:%d/%m/%Y}"

    def as_rule(self) -> rules.Regle:
        return rules.Regle(taux=self.taux, plafond_annuel=self.plafond_annuel, cout_reference=self.cout_reference,
                           etp_minimum=self.etp_minimum, part_egale=self.part_egale,
                           libelle=f"{self.region.nom} en vigueur depuis le {self.valid_from:%d/%m/%Y}",
                           region=self.region.nom, depuis=self.valid_from)


def rule_or_none(region, year: int) -> rules.Regle | None:
    """The rule in force for `year` in `region`; None before the région's first rule (never another
    région's rule)."""
    regle = RegleFinancement.objects.select_related("region").en_vigueur(getattr(region, "pk", region), year)
    return regle.as_rule() if regle else None


def first_rule_start(region) -> dt.date | None:
    """When the région's first rule starts (None: no rule yet)."""
    return (RegleFinancement.objects.filter(region_id=getattr(region, "pk", region))
            .order_by("valid_from").values_list("valid_from", flat=True).first())


def rule_for(region, year: int) -> rules.Regle:
    """The rule in force for `year` in `region`. A year before the région's first rule has none: refused
    with the reason (`DomainError` on the field `annee`)."""
    regle = rule_or_none(region, year)
    if regle is None:
        region_obj = region if isinstance(region, Region) else Region.objects.get(pk=region)
        raise DomainError(rules.sans_regle(year, region_nom=region_obj.nom, premiere_regle=first_rule_start(region_obj))
                          or f"Aucune règle de financement ne couvre {year}.", field="annee")
    return regle


def contract_start(contract) -> dt.date | None:
    """The start of the coordination post: the letter of intent, else the start of the préalable, else the
    signature (a contract imported with its signature only)."""
    return contract.date_lettre_intention or contract.date_debut_prealable or contract.date_signature


def year_refusal(contract, year: int, *, today: dt.date) -> str | None:
    """Why `year` cannot be a funding year of `contract` (its life, its région's rules); None: it can."""
    return rules.annee_refusal(int(year), debut=contract_start(contract), fin=contract.date_fin, today=today,
                               region_nom=contract.ars.region.nom,
                               premiere_regle=first_rule_start(contract.ars.region_id))


class AnneeFinancementQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(contract__in=Contract.objects.visible_to(user))


class AnneeFinancement(VersionedModel):
    """The coordination post of one contract for one year: the request and where it stands."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="annees_financement",
                                 verbose_name="contrat")
    annee = models.PositiveSmallIntegerField("année", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    statut = models.CharField("état", max_length=16, choices=Statut.choices, default=Statut.DEPOSEE, db_index=True)

    etp = models.DecimalField("temps de travail (ETP)", max_digits=4, decimal_places=2)
    mois_pourvus = models.PositiveSmallIntegerField("mois pendant lesquels le poste est pourvu",
                                                    validators=[MaxValueValidator(12)])
    cout_salaire = models.DecimalField("salaire brut", **MONEY)
    cout_charges = models.DecimalField("charges patronales", **MONEY)
    cout_fonctionnement = models.DecimalField("frais de fonctionnement", **MONEY)
    demande_ars = models.DecimalField("montant demandé à l'ARS", **MONEY)
    demande_collectivite = models.DecimalField("part de la collectivité", **MONEY)
    demande_autres = models.DecimalField("part des autres partenaires", **MONEY, default=Decimal("0"))
    autres_partenaires = models.CharField("autres partenaires", max_length=255, blank=True)
    commentaire = models.TextField("commentaire du demandeur", blank=True)

    # Maintained by the services from the decision and payment rows (which stay the truth): they make the
    # dashboards' totals one aggregate query.
    montant_accorde = models.DecimalField("montant accordé", **MONEY, null=True, blank=True, editable=False)
    total_verse = models.DecimalField("total versé", **MONEY, default=Decimal("0"), editable=False)
    montant_a_reverser = models.DecimalField("montant à reverser", **MONEY, default=Decimal("0"), editable=False)

    deposee_par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="déposée par")
    deposee_le = models.DateTimeField("déposée le", auto_now_add=True)
    instruite_par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name="instruite par")
    instruite_le = models.DateTimeField("prise en instruction le", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnneeFinancementQuerySet.as_manager()

    class Meta:
        verbose_name = "année de financement du poste de coordination"
        verbose_name_plural = "années de financement du poste de coordination"
        ordering = ["contract", "-annee"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "annee"], name="annee_financement_unique"),
            models.CheckConstraint(condition=Q(mois_pourvus__lte=12), name="annee_mois_0_12"),
            models.CheckConstraint(condition=Q(total_verse__gte=0), name="annee_verse_positif"),
            models.CheckConstraint(condition=Q(montant_accorde__isnull=True) | Q(total_verse__lte=models.F(
                "montant_accorde")), name="annee_verse_sous_accorde"),
        ]

    def __str__(self):
        return f"{self.contract} — {self.annee}"

    @property
    def cout_eligible(self) -> Decimal:
        return self.cout_salaire + self.cout_charges + self.cout_fonctionnement

    @property
    def mois_vacants(self) -> int:
        return 12 - self.mois_pourvus


    @property
    def reste_a_verser(self) -> Decimal:
        return (self.montant_accorde or Decimal("0")) - self.total_verse


def decision_upload_to(instance, filename):
    return f"financements/{instance.annee.contract_id}/{instance.annee.annee}/{filename}"


class Decision(models.Model):
    """A funding decision. Never edited: a correction is a new decision that supersedes this one."""

    annee = models.ForeignKey(AnneeFinancement, on_delete=models.CASCADE, related_name="decisions",
                              verbose_name="année")
    montant_accorde = models.DecimalField("montant accordé par l'ARS", **MONEY)
    date_decision = models.DateField("date de la décision")
    document = models.FileField("décision signée", upload_to=decision_upload_to, max_length=255)
    motif = models.TextField("motivation", blank=True)
    remplace = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="remplacee_par", verbose_name="décision remplacée")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="enregistrée par")
    created_at = models.DateTimeField("enregistrée le", auto_now_add=True)

    class Meta:
        verbose_name = "décision de financement"
        verbose_name_plural = "décisions de financement"
        ordering = ["annee", "-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(montant_accorde__gte=0), name="decision_montant_positif")]

    def __str__(self):
        return f"Décision du {self.date_decision:%d/%m/%Y} — {self.annee}"


class Versement(models.Model):
    annee = models.ForeignKey(AnneeFinancement, on_delete=models.CASCADE, related_name="versements",
                              verbose_name="année")
    date = models.DateField("date du versement")
    montant = models.DecimalField("montant versé", **MONEY)
    reference = models.CharField("référence (mandat, titre)", max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="enregistré par")
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "versement"
        ordering = ["annee", "date", "id"]
        constraints = [models.CheckConstraint(condition=Q(montant__gt=0), name="versement_montant_positif")]

    def __str__(self):
        return f"Versement du {self.date:%d/%m/%Y}"


class BilanFinancier(VersionedModel):
    """Annual financial statement: the actual cost and shares, and the balance with the ARS."""

    annee = models.OneToOneField(AnneeFinancement, on_delete=models.CASCADE, related_name="bilan",
                                 verbose_name="année")
    etp_reel = models.DecimalField("temps de travail réel (ETP)", max_digits=4, decimal_places=2)
    mois_pourvus_reels = models.PositiveSmallIntegerField("mois réellement pourvus",
                                                          validators=[MaxValueValidator(12)])
    cout_reel = models.DecimalField("coût réel du poste", **MONEY)
    part_collectivite_reelle = models.DecimalField("part réellement payée par la collectivité", **MONEY)
    part_autres_reelle = models.DecimalField("part réellement payée par les autres partenaires", **MONEY,
                                             default=Decimal("0"))
    part_ars_due = models.DecimalField("part due par l'ARS", **MONEY, editable=False)
    montant_a_reverser = models.DecimalField("montant à reverser à l'ARS", **MONEY, editable=False)
    explication = models.TextField("calcul", editable=False)
    commentaire = models.TextField("commentaire", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="enregistré par")
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "bilan financier annuel"
        verbose_name_plural = "bilans financiers annuels"

    def __str__(self):
        return f"Bilan financier {self.annee}"


class DialogueGestion(models.Model):
    """The yearly meeting between the collectivité and the délégation."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="dialogues_gestion",
                                 verbose_name="contrat")
    annee = models.PositiveSmallIntegerField("année", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    date = models.DateField("date de la rencontre")
    participants = models.TextField("participants")
    conclusions = models.TextField("conclusions")
    montant_convenu = models.DecimalField("montant ARS convenu pour l'année suivante", **MONEY, null=True,
                                          blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="saisi par")
    created_at = models.DateTimeField("saisi le", auto_now_add=True)

    class Meta:
        verbose_name = "dialogue de gestion"
        verbose_name_plural = "dialogues de gestion"
        ordering = ["contract", "-annee"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "annee"], name="dialogue_unique_par_an"),
            models.CheckConstraint(condition=Q(montant_convenu__isnull=True) | Q(montant_convenu__gte=0),
                                   name="dialogue_montant_positif"),
        ]

    def __str__(self):
        return f"Dialogue de gestion {self.annee} — {self.contract}"


class EngagementAnnuel(models.Model):
    """One year of the ARS's multi-year commitment to a contract's coordination post: the délégation records
    the planned amounts for the contract's life (« l'ARS cofinance le poste pour toute la durée du contrat »,
    ARS Grand Est), and each year's request and decision are checked against it (`services.engagement_refusal`)."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="engagements_ars",
                                 verbose_name="contrat")
    annee = models.PositiveSmallIntegerField("année", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    montant_prevu = models.DecimalField("montant ARS prévu", **MONEY)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="saisi par")
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "engagement annuel de l'ARS"
        verbose_name_plural = "engagements annuels de l'ARS"
        ordering = ["contract", "annee"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "annee"], name="engagement_unique_par_an"),
            models.CheckConstraint(condition=Q(montant_prevu__gte=0), name="engagement_montant_positif"),
        ]

    def __str__(self):
        return f"Engagement {self.annee} — {self.contract}"
