"""The shared local health diagnostic of a CLS (fiche pratique n°5, phase 2).

A contract has one or more diagnostics, numbered 1, 2, 3…: the coordinator drafts one, the délégation
référent validates it and it is frozen; a later change starts a new numbered version that copies the
validated one (`previous`), which stays readable. Every section (retroplanning, indicators,
consultations, policies, resources, portrait, actor grid, priorities) is a child table of one
diagnostic version; the diagnostic row's `version` (optimistic concurrency) guards every section.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cls_portal.core.collation import FRENCH
from cls_portal.core.concurrency import VersionedModel
from contracts.models import Contract

from .enums import (
    EDITABLE_STATUSES,
    AppuiExterne,
    AxeType,
    Nature,
    Politique,
    Statut,
    Theme,
    TypeConsultation,
)


class DiagnosticQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(contract__in=Contract.objects.visible_to(user))


class Diagnostic(VersionedModel):
    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="diagnostics",
                                 verbose_name="contrat")
    numero = models.PositiveSmallIntegerField("version du diagnostic", default=1)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="next_version", verbose_name="version précédente")
    statut = models.CharField("statut", max_length=16, choices=Statut.choices, default=Statut.BROUILLON,
                              db_index=True)

    # 1. Préparation
    perimetre_hypothese = models.TextField("hypothèse de périmètre géographique", blank=True)
    gouvernance_hypothese = models.TextField("hypothèses de gouvernance (COPIL, COTECH)", blank=True)
    coordination_hypothese = models.TextField("hypothèses de coordination", blank=True)
    actions_existantes = models.TextField("actions de santé publique déjà menées par la collectivité", blank=True)
    acteurs_a_associer = models.TextField("acteurs et institutions à associer", blank=True)
    outils = models.JSONField("outils du diagnostic", default=list, blank=True)
    outils_precisions = models.CharField("autres outils ou précisions", max_length=255, blank=True)
    appui_externe = models.CharField("appui extérieur", max_length=16, choices=AppuiExterne.choices,
                                     default=AppuiExterne.AUCUN)
    appui_externe_precisions = models.CharField("organisme d'appui (nom, modalités)", max_length=255, blank=True)

    # Reference data, refreshed from the contract's perimeter while the diagnostic is a draft.
    population = models.PositiveIntegerField("population du périmètre", default=0)
    nb_communes = models.PositiveIntegerField("nombre de communes", default=0)

    # Review
    commentaire_revue = models.TextField("commentaire de la délégation", blank=True)
    soumis_le = models.DateTimeField("soumis le", null=True, blank=True)
    valide_le = models.DateTimeField("validé le", null=True, blank=True)
    valide_par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="validé par")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DiagnosticQuerySet.as_manager()

    class Meta:
        verbose_name = "diagnostic local de santé"
        verbose_name_plural = "diagnostics locaux de santé"
        ordering = ["contract", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "numero"], name="diagnostic_unique_numero"),
            # At most one version being worked on per contract.
            models.UniqueConstraint(fields=["contract"], condition=~Q(statut="valide"),
                                    name="diagnostic_one_open_version"),
        ]

    def __str__(self):
        return f"Diagnostic v{self.numero} — {self.contract}"

    @property
    def is_editable(self) -> bool:
        return self.statut in EDITABLE_STATUSES

    @property
    def is_frozen(self) -> bool:
        return self.statut == Statut.VALIDE

    @property
    def is_latest(self) -> bool:
        """No later version (select_related("next_version") to read it without a query)."""
        try:
            self.next_version  # noqa: B018
        except Diagnostic.DoesNotExist:
            return True
        return False


class DiagnosticChild(models.Model):
    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    @property
    def contract_id(self):  # history.record() files the row under the contract
        return self.diagnostic.contract_id


class EtapeRetroplanning(DiagnosticChild):
    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="etapes")
    libelle = models.CharField("étape", max_length=200)
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin", null=True, blank=True)

    class Meta:
        verbose_name = "étape du rétroplanning"
        ordering = ["date_debut", "id"]

    def __str__(self):
        return self.libelle


class Indicateur(DiagnosticChild):
    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="indicateurs")
    theme = models.CharField("thème", max_length=24, choices=Theme.choices)
    libelle = models.CharField("libellé", max_length=255)
    valeur = models.DecimalField("valeur du territoire", max_digits=14, decimal_places=3)
    valeur_departement = models.DecimalField("département", max_digits=14, decimal_places=3, null=True, blank=True)
    valeur_region = models.DecimalField("région", max_digits=14, decimal_places=3, null=True, blank=True)
    valeur_france = models.DecimalField("France", max_digits=14, decimal_places=3, null=True, blank=True)
    unite = models.CharField("unité", max_length=40, blank=True)
    source = models.CharField("source", max_length=200, blank=True)
    annee = models.PositiveSmallIntegerField("année", null=True, blank=True)

    class Meta:
        verbose_name = "indicateur quantitatif"
        ordering = ["theme", "libelle", "id"]

    def __str__(self):
        return self.libelle


class Consultation(DiagnosticChild):
    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="consultations")
    type = models.CharField("type", max_length=20, choices=TypeConsultation.choices)
    date = models.DateField("date")
    publics = models.JSONField("personnes entendues", default=list, blank=True)
    nb_participants = models.PositiveIntegerField("nombre de participants", null=True, blank=True)
    synthese = models.TextField("synthèse")

    class Meta:
        verbose_name = "consultation"
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.get_type_display()} du {self.date:%d/%m/%Y}"

    def publics_display(self) -> str:
        from .enums import Public

        labels = dict(Public.choices)
        return ", ".join(labels.get(p, p) for p in self.publics)


class PolitiqueCroisee(DiagnosticChild):
    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="politiques")
    politique = models.CharField("politique", max_length=16, choices=Politique.choices)
    intitule = models.CharField("intitulé", max_length=200, blank=True,
                                help_text="Par exemple « PRS Normandie 2023-2028 ».")
    implications = models.TextField("ce qu'elle implique localement")

    class Meta:
        verbose_name = "croisement avec une politique"
        ordering = ["politique", "id"]

    def __str__(self):
        return self.intitule or self.get_politique_display()


class RessourceLocale(DiagnosticChild):
    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="ressources")
    nom = models.CharField("ressource (acteur, structure, dispositif)", max_length=200, db_collation=FRENCH)
    description = models.TextField("description", blank=True)
    organisation = models.ForeignKey("territories.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="organisation")

    class Meta:
        verbose_name = "ressource locale"
        ordering = ["nom", "id"]

    def __str__(self):
        return self.nom


class ElementPortrait(DiagnosticChild):
    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="portrait")
    theme = models.CharField("thème", max_length=24, choices=Theme.choices)
    nature = models.CharField("force ou faiblesse", max_length=10, choices=Nature.choices)
    texte = models.TextField("constat")

    class Meta:
        verbose_name = "élément du portrait de territoire"
        ordering = ["theme", "nature", "id"]

    def __str__(self):
        return f"{self.get_nature_display()} — {self.texte[:60]}"


class ActeurCartographie(DiagnosticChild):
    """One row of the actor-mapping grid, columns as in fiche pratique n°5."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="acteurs")
    organisation = models.ForeignKey("territories.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="organisation")
    acteur = models.CharField("Acteur/Partenaire", max_length=200, blank=True,
                              help_text="À remplir si l'acteur n'est pas dans la liste des organisations.")
    role_potentiel = models.TextField("Rôle potentiel dans le projet", blank=True)
    apports = models.TextField("Apports au projet (points forts, capacités)", blank=True)
    interet_partenaire = models.TextField("Intérêt pour le projet (ce qu'il apporte au partenaire)", blank=True)
    risque = models.TextField("Risque pour le projet", blank=True)

    class Meta:
        verbose_name = "acteur de la cartographie"
        ordering = ["id"]

    def __str__(self):
        return self.nom

    @property
    def nom(self) -> str:
        return self.organisation.nom if self.organisation_id else self.acteur


class Priorite(DiagnosticChild):
    """A health issue retained; it becomes an axe of the action plan with one first action."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="priorites")
    ordre = models.PositiveSmallIntegerField("ordre", default=1)
    intitule = models.CharField("priorité de santé retenue", max_length=255)
    justification = models.TextField("constats qui la justifient", blank=True)
    type_axe = models.CharField("type d'axe", max_length=16, choices=AxeType.choices, default=AxeType.THEMATIQUE)
    action_titre = models.CharField("première action envisagée", max_length=255)
    axe = models.OneToOneField("actions.Axe", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="priorite_diagnostic", verbose_name="axe du plan d'action")

    class Meta:
        verbose_name = "priorité"
        ordering = ["ordre", "id"]

    def __str__(self):
        return self.intitule
