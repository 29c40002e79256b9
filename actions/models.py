from django.conf import settings
from django.db import models

from cls_portal.core.collation import FRENCH, folded_column
from cls_portal.core.concurrency import VersionedModel

from .enums import (
    Agregation,
    Avancement,
    AxeType,
    FichePriorite,
    FicheStatut,
    Financeur,
    Frequence,
    IndicateurType,
    LigneBudgetType,
    PartenaireRole,
    Section,
)

MONEY = {"max_digits": 12, "decimal_places": 2}


class ChampAction(models.Model):
    """A field of action (accès aux soins, santé mentale…): the reference list that the regional teams keep
    (`/region/champs/`), set on axes and sheets, by which the regional lists filter and count."""

    libelle = models.CharField("libellé", max_length=120, unique=True, db_collation=FRENCH)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    actif = models.BooleanField("proposé dans les formulaires", default=True)

    class Meta:
        verbose_name = "champ d'action"
        verbose_name_plural = "champs d'action"
        ordering = ["ordre", "libelle"]

    def __str__(self):
        return self.libelle


class Axe(VersionedModel):
    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="axes")
    numero = models.PositiveSmallIntegerField("numéro")
    titre = models.CharField("titre", max_length=255)
    type = models.CharField("type", max_length=16, choices=AxeType.choices, default=AxeType.THEMATIQUE)
    description = models.TextField("description", blank=True)
    champs = models.ManyToManyField(ChampAction, blank=True, related_name="axes", verbose_name="champs d'action")

    class Meta:
        verbose_name = "axe stratégique"
        ordering = ["contract", "numero"]
        constraints = [models.UniqueConstraint(fields=["contract", "numero"], name="axe_unique_numero")]

    def __str__(self):
        return f"Axe {self.numero} — {self.titre}"


def sheet_code(axe_numero: int, numero: int) -> str:
    """A sheet's code, '2.3': its axe's number, then its number within the axe (`FicheAction.code`)."""
    return f"{axe_numero}.{numero}"


class FicheAction(VersionedModel):
    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="fiches")
    axe = models.ForeignKey(Axe, on_delete=models.PROTECT, related_name="fiches")
    numero = models.PositiveSmallIntegerField("numéro dans l'axe")
    titre = models.CharField("titre", max_length=255)
    # The title as searched (« prevention » finds « Prévention »): made by the database from `titre`.
    titre_recherche = folded_column("titre", 255, "titre sans accents")
    statut = models.CharField("statut", max_length=16, choices=FicheStatut.choices, default=FicheStatut.BROUILLON,
                              db_index=True)
    champs = models.ManyToManyField(ChampAction, blank=True, related_name="fiches", verbose_name="champs d'action")
    # The working group that designed the sheet, and the meetings (of any of the contract's working groups) that
    # worked on it: a meeting lists its sheets on the contract page (contracts.registry.meeting_sheets).
    groupe_travail = models.ForeignKey("contracts.Instance", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="fiches_concues", verbose_name="groupe de travail qui l'a conçue")
    reunions = models.ManyToManyField("contracts.Meeting", blank=True, related_name="fiches_travaillees",
                                      verbose_name="réunions où elle a été travaillée")
    # The regional resource the sheet follows (a fiche pratique, a template…), among its contract's région's.
    ressource = models.ForeignKey("resources.Resource", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="fiches", verbose_name="ressource régionale suivie")
    pilote_organisation = models.ForeignKey("territories.Organisation", null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="fiches_pilotees",
                                            verbose_name="organisation pilote")
    pilote_personne = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="fiches_pilotees", verbose_name="pilote")
    copilotes_personnes = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="fiches_copilotees",
                                                 verbose_name="co-pilotes")
    # A pilot who has no account (yet): free text kept on the sheet, enough for the "personne pilote" guard.
    pilote_nom = models.CharField("pilote sans compte : nom", max_length=200, blank=True)
    pilote_email = models.EmailField("pilote sans compte : adresse électronique", blank=True)

    contexte = models.TextField("contexte et lien avec le diagnostic", blank=True)
    objectif_general = models.TextField("objectif général", blank=True)
    objectifs_specifiques = models.TextField("objectifs spécifiques", blank=True)
    objectifs_operationnels = models.TextField("objectifs opérationnels", blank=True)
    description = models.TextField("description de l'action", blank=True)
    public_cible = models.TextField("public cible", blank=True)
    tout_le_perimetre = models.BooleanField("sur tout le périmètre du contrat", default=True)
    communes = models.ManyToManyField("territories.Commune", blank=True, related_name="fiches",
                                      verbose_name="communes concernées",
                                      help_text="Seulement si l'action ne couvre qu'une partie du périmètre.")
    objectif_prs = models.CharField("objectif du PRS", max_length=255, blank=True)
    priorite = models.CharField("priorité", max_length=8, choices=FichePriorite.choices,
                                default=FichePriorite.MOYENNE)
    preexistante = models.BooleanField("action préexistante au CLS", default=False)
    date_debut = models.DateField("date de début", null=True, blank=True)
    date_fin = models.DateField("date de fin", null=True, blank=True)
    # Review rounds: incremented at each submission, stamps the comments of the round.
    nb_soumissions = models.PositiveSmallIntegerField("nombre de soumissions", default=0, editable=False)
    # Set when a validated sheet (validated, under way, postponed) is abandoned: it was part of the plan the
    # elected officials read, so the reports keep it as abandoned (`permissions.reported_plan_scope`). A sheet
    # abandoned while still in preparation was never published and stays out of every report.
    abandonnee_apres_validation = models.BooleanField("abandonnée après sa validation", default=False,
                                                      editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)


    class Meta:
        verbose_name = "fiche action"
        verbose_name_plural = "fiches actions"
        ordering = ["contract", "axe__numero", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["axe", "numero"], name="fiche_unique_numero"),
            models.CheckConstraint(condition=models.Q(date_fin__isnull=True) | models.Q(date_debut__isnull=True)
                                   | models.Q(date_fin__gte=models.F("date_debut")), name="fiche_dates_ordre"),
        ]

    def __str__(self):
        return f"{self.code} {self.titre}"

    @property
    def code(self) -> str:
        """'2.3': axe number then the sheet's number within it (reads axe: select_related it)."""
        return sheet_code(self.axe.numero, self.numero)


class PartenaireFiche(models.Model):
    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="partenaires")
    organisation = models.ForeignKey("territories.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name="organisation")
    role = models.CharField("rôle", max_length=12, choices=PartenaireRole.choices, default=PartenaireRole.OPERATEUR)
    precision = models.CharField("précision sur le rôle", max_length=255, blank=True)
    # What the partner commits to the action (fiche pratique: as the contract's signatories do).
    moyens_droit_commun = models.TextField("moyens de droit commun mobilisés", blank=True)
    financement = models.DecimalField("financement apporté (€)", max_digits=12, decimal_places=2, null=True,
                                      blank=True)
    ingenierie = models.TextField("ingénierie apportée", blank=True)

    class Meta:
        verbose_name = "partenaire"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["fiche", "organisation", "role"], name="partenaire_unique"),
            models.CheckConstraint(condition=models.Q(financement__isnull=True) | models.Q(financement__gte=0),
                                   name="partenaire_financement_positif"),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"

    @property
    def has_commitments(self) -> bool:
        return bool(self.moyens_droit_commun or self.financement is not None or self.ingenierie)


class Jalon(models.Model):
    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="jalons")
    libelle = models.CharField("jalon", max_length=255)
    date_prevue = models.DateField("date prévue")
    date_realisee = models.DateField("date de réalisation", null=True, blank=True)

    class Meta:
        verbose_name = "jalon"
        ordering = ["date_prevue", "id"]

    def __str__(self):
        return self.libelle


class LigneBudget(models.Model):
    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="lignes_budget")
    annee = models.PositiveSmallIntegerField("année")
    type = models.CharField("type de dépense", max_length=16, choices=LigneBudgetType.choices)
    libelle = models.CharField("libellé", max_length=255, blank=True)
    montant_prevu = models.DecimalField("montant prévu", **MONEY, default=0)
    montant_realise = models.DecimalField("montant réalisé", **MONEY, null=True, blank=True)

    class Meta:
        verbose_name = "ligne de budget"
        ordering = ["annee", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(montant_prevu__gte=0), name="budget_prevu_positif")]

    def __str__(self):
        return f"{self.annee} — {self.get_type_display()} : {self.montant_prevu} €"


class Financement(models.Model):
    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="financements")
    annee = models.PositiveSmallIntegerField("année")
    financeur = models.CharField("financeur", max_length=16, choices=Financeur.choices)
    organisation = models.ForeignKey("territories.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="financements_fiches", verbose_name="organisation financeuse")
    montant = models.DecimalField("montant", **MONEY)

    class Meta:
        verbose_name = "financement"
        ordering = ["annee", "financeur", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(montant__gte=0), name="financement_positif")]

    def __str__(self):
        return f"{self.annee} — {self.get_financeur_display()} : {self.montant} €"


class Indicateur(models.Model):
    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="indicateurs")
    libelle = models.CharField("libellé", max_length=255)
    libelle_recherche = folded_column("libelle", 255, "libellé sans accents")  # searched
    type = models.CharField("type", max_length=12, choices=IndicateurType.choices, default=IndicateurType.PROCESSUS)
    unite = models.CharField("unité", max_length=40, blank=True)
    valeur_reference = models.DecimalField("valeur de référence", max_digits=14, decimal_places=2, null=True,
                                           blank=True)
    annee_reference = models.PositiveSmallIntegerField("année de référence", null=True, blank=True)
    cible = models.DecimalField("valeur cible", max_digits=14, decimal_places=2, null=True, blank=True)
    annee_cible = models.PositiveSmallIntegerField("année cible", null=True, blank=True)
    source = models.CharField("source des données", max_length=255, blank=True)
    frequence = models.CharField("fréquence de recueil", max_length=16, choices=Frequence.choices,
                                 default=Frequence.ANNUELLE)
    # A sub-annual indicator's year figure from its periods (actions/periods.py); unused for annual ones.
    agregation = models.CharField("mode d'agrégation des périodes", max_length=12, choices=Agregation.choices,
                                  default=Agregation.SOMME,
                                  help_text="Indicateur semestriel, trimestriel ou mensuel : la somme pour un "
                                            "nombre (personnes reçues), la dernière période pour un taux ou un "
                                            "effectif à une date, ou la moyenne.")
    # When False the target is a ceiling (e.g. a waiting time to bring down).
    hausse_attendue = models.BooleanField("une hausse est attendue", default=True,
                                          help_text="Décochez si l'objectif est de faire baisser la valeur.")

    class Meta:
        verbose_name = "indicateur"
        ordering = ["id"]

    def __str__(self):
        return self.libelle

    def atteint(self, valeur) -> bool | None:
        """Whether `valeur` reaches the target (None when there is no target or no value)."""
        if self.cible is None or valeur is None:
            return None
        return valeur >= self.cible if self.hausse_attendue else valeur <= self.cible


class ValeurIndicateur(models.Model):
    indicateur = models.ForeignKey(Indicateur, on_delete=models.CASCADE, related_name="valeurs")
    annee = models.PositiveSmallIntegerField("année")
    valeur = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    commentaire = models.TextField("commentaire", blank=True)
    # The year's figure of a sub-annual indicator is the aggregate of its `ValeurPeriode`s, kept here by
    # `services.suivi_save` (every page, chart, summary and report reads this row). None: the value was
    # entered (or imported) for the whole year.
    periodes_renseignees = models.PositiveSmallIntegerField("périodes renseignées", null=True, blank=True)
    saisi_par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name="saisi par")
    saisi_le = models.DateTimeField("saisi le", auto_now=True)

    class Meta:
        verbose_name = "valeur d'indicateur"
        ordering = ["annee"]
        constraints = [models.UniqueConstraint(fields=["indicateur", "annee"], name="valeur_unique_annee")]

    def __str__(self):
        return f"{self.annee} : {self.valeur}"


class ValeurPeriode(models.Model):
    """The value of a semester, quarter or month (`periode`: 1..2, 1..4, 1..12 by the indicator's frequency)."""

    indicateur = models.ForeignKey(Indicateur, on_delete=models.CASCADE, related_name="valeurs_periodes")
    annee = models.PositiveSmallIntegerField("année")
    periode = models.PositiveSmallIntegerField("période")
    valeur = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    saisi_par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name="saisi par")
    saisi_le = models.DateTimeField("saisi le", auto_now=True)

    class Meta:
        verbose_name = "valeur d'une période"
        ordering = ["annee", "periode"]
        constraints = [
            models.UniqueConstraint(fields=["indicateur", "annee", "periode"], name="valeur_unique_periode"),
            models.CheckConstraint(condition=models.Q(periode__gte=1, periode__lte=12), name="valeur_periode_1_12"),
        ]

    def __str__(self):
        return f"{self.annee} P{self.periode} : {self.valeur}"


class SuiviAnnuel(VersionedModel):
    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="suivis")
    annee = models.PositiveSmallIntegerField("année")
    avancement = models.CharField("état d'avancement", max_length=16, choices=Avancement.choices)
    realise = models.TextField("ce qui a été réalisé", blank=True)
    difficultes = models.TextField("difficultés rencontrées", blank=True)
    perspectives = models.TextField("perspectives pour l'année suivante", blank=True)
    saisi_par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name="saisi par")
    saisi_le = models.DateTimeField("saisi le", auto_now=True)

    class Meta:
        verbose_name = "suivi annuel"
        ordering = ["annee"]
        constraints = [models.UniqueConstraint(fields=["fiche", "annee"], name="suivi_unique_annee")]

    def __str__(self):
        return f"Suivi {self.annee}"


class CommentaireRevue(models.Model):
    """A message of the review conversation between the délégation and the coordinator. Kept forever."""

    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="commentaires")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    section = models.CharField("section", max_length=12, choices=Section.choices, default=Section.GENERAL)
    texte = models.TextField("commentaire")
    # The transition the comment came with ("demander_modification", "soumettre"...), or "" for a plain comment.
    transition = models.CharField(max_length=32, blank=True)
    tour = models.PositiveSmallIntegerField("tour de revue", default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "commentaire de revue"
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.texte[:60]
