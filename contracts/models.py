import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from cls_portal.core.concurrency import VersionedModel

from .enums import ACTIVE_PHASES, Phase


class ContractQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Contracts `user` may open. Anything else answers 404."""
        from cls_portal.accounts.models import Role

        if not user.is_authenticated:
            return self.none()
        if user.is_portal_admin:
            return self
        q = Q(pk__in=[])
        roles = user.roles()
        if Role.REGION in roles:
            q |= Q(ars__region_id__in=user.region_codes())
        if Role.DELEGATION in roles:
            q |= Q(pk__in=Contract.delegations.through.objects.filter(
                delegation__departement_id__in=user.departement_codes()).values("contract_id"))
        if Role.COORDINATEUR in roles:
            q |= Q(pk__in=Contract.coordinators.through.objects.filter(user_id=user.pk).values("contract_id"))
        if Role.ELU in roles:
            q |= Q(collectivite_id__in=user.organisation_ids(Role.ELU))
        if Role.PILOTE in roles:
            from actions.models import FicheAction

            q |= Q(pk__in=FicheAction.objects.filter(
                Q(pilote_personne=user) | Q(copilotes_personnes=user)).values("contract_id"))
        return self.filter(q)

    def active(self):
        return self.filter(phase__in=ACTIVE_PHASES)


class Contract(VersionedModel):
    nom = models.CharField("nom du contrat", max_length=255)
    collectivite = models.ForeignKey(
        "territories.Organisation", on_delete=models.PROTECT, related_name="contracts_portes",
        verbose_name="collectivité porteuse",
    )
    ars = models.ForeignKey("territories.ARS", on_delete=models.PROTECT, related_name="contracts",
                            verbose_name="ARS")
    delegations = models.ManyToManyField("territories.Delegation", related_name="contracts",
                                         verbose_name="délégation(s) départementale(s)")
    referent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="contracts_referent", verbose_name="référent ARS")
    coordinators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="contracts_coordonnes",
                                          verbose_name="coordinateur(s)")
    prs = models.CharField("PRS mis en œuvre", max_length=120, blank=True)

    epci = models.ForeignKey("territories.EPCI", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="contracts", verbose_name="EPCI de référence")
    communes = models.ManyToManyField("territories.Commune", related_name="contracts", blank=True,
                                      verbose_name="communes du périmètre")

    rural = models.BooleanField("territoire rural", default=False)
    qpv = models.BooleanField("couvre des QPV", default=False)
    nb_qpv = models.PositiveSmallIntegerField("nombre de QPV couverts", default=0)
    clsm = models.BooleanField("Conseil local de santé mentale", default=False)

    generation = models.PositiveSmallIntegerField("génération", default=1)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="next_generation", verbose_name="contrat précédent")

    phase = models.CharField("phase", max_length=24, choices=Phase.choices, default=Phase.PREALABLE, db_index=True)
    date_debut_prealable = models.DateField("début de la phase préalable", null=True, blank=True)
    date_signature = models.DateField("date de signature", null=True, blank=True)
    duree_annees = models.PositiveSmallIntegerField(
        "durée (années)", default=5, validators=[MinValueValidator(3), MaxValueValidator(5)]
    )
    plan_version = models.PositiveSmallIntegerField("version du plan d'action", default=1)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = "contrat local de santé"
        verbose_name_plural = "contrats locaux de santé"
        ordering = ["nom"]
        constraints = [
            models.CheckConstraint(condition=Q(duree_annees__gte=3, duree_annees__lte=5), name="contract_duree_3_5"),
        ]

    def __str__(self):
        return self.nom

    @property
    def date_fin(self) -> dt.date | None:
        if not self.date_signature:
            return None
        try:
            end = self.date_signature.replace(year=self.date_signature.year + self.duree_annees)
        except ValueError:  # 29 February
            end = self.date_signature.replace(year=self.date_signature.year + self.duree_annees, day=28)
        return end - dt.timedelta(days=1)

    @property
    def is_active(self) -> bool:
        return self.phase in ACTIVE_PHASES
