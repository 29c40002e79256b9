import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cls_portal.accounts.models import Role
from cls_portal.core.collation import FRENCH, folded_column
from cls_portal.core.concurrency import VersionedModel

from . import registry
from .enums import (
    ACTIVE_PHASES,
    DocumentType,
    InstanceType,
    Phase,
    PlanChangeKind,
    ProposalStatus,
    SignatoryRole,
    StepKind,
    StepStatus,
)


def in_departements_q(codes, field: str = "pk") -> Q:
    """Rows whose contract (`field`: "pk" on contracts, "contract_id" on their children) belongs to one of the
    départements `codes` through its délégations. The délégation scope of every page, as one subquery: no
    join, no DISTINCT, however many départements a contract spans."""
    through = Contract.delegations.through.objects.filter(delegation__departement_id__in=codes)
    return Q(**{f"{field}__in": through.values("contract_id")})


# --- In force on a day: the one rule ---------------------------------------------------------------------------
#
# A contract is in force ("signé et actif", "en cours") on day D when it is signed on or before D, not closed on
# D, and D is not after its end date (`Contract.date_fin`, when it has one). Once its end date is past and nobody
# has closed it in the portal it is "arrivé à échéance": no longer in force (not counted in the figures, the
# coverage, the directory) but still in its phase, owing what its years of life owe (the reports and funding of
# each year it ran: `q_runs_in_year`), its final evaluation and its closing.

DURATIONS = range(3, 6)  # `duree_annees`, 3 to 5 years (the `contract_duree_3_5` constraint)


def contract_end(date_signature: dt.date | None, duree_annees: int) -> dt.date | None:
    """The last day of a contract signed on `date_signature` for `duree_annees` years (the day before the
    anniversary; a 29 February signature has its anniversary on the 28th). None when unsigned."""
    if not date_signature:
        return None
    if date_signature.year + duree_annees > dt.MAXYEAR:
        return None  # an implausible date saved before the input rules: no end rather than a 500
    try:
        end = date_signature.replace(year=date_signature.year + duree_annees)
    except ValueError:  # 29 February
        end = date_signature.replace(year=date_signature.year + duree_annees, day=28)
    return end - dt.timedelta(days=1)


def _first_signature_ending_on_or_after(day: dt.date, years: int) -> dt.date:
    """The earliest signature date whose contract of `years` years ends on or after `day` (`contract_end` only
    grows with the signature date, so the contracts not ended before `day` are those signed on or after it)."""
    if day.year - years <= dt.MINYEAR:
        return dt.date.min
    try:
        first = day.replace(year=day.year - years)
    except ValueError:  # 29 February
        first = day.replace(year=day.year - years, day=28)
    while (end := contract_end(first - dt.timedelta(days=1), years)) is None or end >= day:
        first -= dt.timedelta(days=1)
    while (end := contract_end(first, years)) is not None and end < day:
        first += dt.timedelta(days=1)
    return first


def q_not_ended_before(day: dt.date) -> Q:
    """`Contract.date_fin` is on or after `day`, or the contract has none (unsigned): the SQL twin of
    `contract_end`, one range on the signature date per duration (the end is computed, not stored)."""
    q = Q(date_signature__isnull=True)
    for years in DURATIONS:
        q |= Q(duree_annees=years, date_signature__gte=_first_signature_ending_on_or_after(day, years))
    return q


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def q_closed_at(day: dt.date, of: str = "") -> Q:
    """Closed by the end of `day`: its closure is in the phase history by then. A closed contract without a
    dated closure (none is left after the backfill migration; test data) counts as closed at any date.
    `of="previous"`: the same of the contract's previous generation."""
    prefix = f"{of}__" if of else ""
    closures = PhaseTransition.objects.filter(contract_id=OuterRef(f"{of}_id" if of else "pk"), to_phase=Phase.CLOS)
    return (Q(Exists(closures.filter(at__lt=_end_of(day))))
            | (Q(**{f"{prefix}phase": Phase.CLOS}) & ~Q(Exists(closures))))


def q_in_force(day: dt.date | None = None) -> Q:
    """In force on `day` (see above). None: today, by the current phase (signed and not closed) and the end
    date; a date: from the dated history (the signature date, the closure in the phase history), so that the
    figures "au 30/06/2024" count the contracts in force then with the same rule."""
    if day is None:
        today = timezone.localdate()
        return Q(phase__in=ACTIVE_PHASES, date_signature__lte=today) & q_not_ended_before(today)
    return (Q(phase__in=[*ACTIVE_PHASES, Phase.CLOS], date_signature__lte=day) & ~q_closed_at(day)
            & q_not_ended_before(day))


def in_force_today(phase: str, date_signature: dt.date | None, duree_annees: int, today: dt.date) -> bool:
    """`q_in_force()` for one contract from its columns (lists that already read them)."""
    end = contract_end(date_signature, duree_annees)
    return (phase in ACTIVE_PHASES and date_signature is not None and date_signature <= today
            and (end is None or today <= end))


def q_runs_in_year(year: int) -> Q:
    """A year of the contract's life: signed by the end of `year` and not ended before it begins. What a year
    owes (annual reports, the funding year, the dialogue de gestion) is owed for such a year, even once the
    contract has reached its end date."""
    return Q(date_signature__lte=dt.date(year, 12, 31)) & q_not_ended_before(dt.date(year, 1, 1))


def q_owes_year(year: int) -> Q:
    """Still owes what `year` asks of a contract (annual reports, a funding decision, the dialogue de gestion):
    not closed, and `year` a year of its life (`q_runs_in_year`). Once closed, nothing is reminded any more."""
    return Q(phase__in=ACTIVE_PHASES) & q_runs_in_year(year)


def runs_in_year(date_signature: dt.date | None, duree_annees: int, year: int) -> bool:
    """`q_runs_in_year` for one contract from its columns."""
    end = contract_end(date_signature, duree_annees)
    return (date_signature is not None and date_signature <= dt.date(year, 12, 31)
            and (end is None or end.year >= year))


class ContractQuerySet(models.QuerySet):
    def in_departements(self, codes):
        """Contracts of the départements `codes` (see `in_departements_q`)."""
        return self.filter(in_departements_q(codes))

    def visible_to(self, user):
        """Contracts `user` may open. Anything else answers 404."""
        if not user.is_authenticated:
            return self.none()
        if user.is_portal_admin:
            return self
        q = Q(pk__in=[])
        roles = user.roles()
        if Role.REGION in roles:
            q |= Q(ars__region_id__in=user.region_codes())
        if Role.DELEGATION in roles:
            q |= in_departements_q(user.departement_codes())
        if Role.COORDINATEUR in roles:
            q |= Q(pk__in=Contract.coordinators.through.objects.filter(user_id=user.pk).values("contract_id"))
        if Role.ELU in roles:
            q |= Q(collectivite_id__in=user.organisation_ids(Role.ELU))
        for role, contract_ids in registry.visibility:  # roles the apps above define (pilots: actions)
            if role in roles:
                q |= Q(pk__in=contract_ids(user))
        return self.filter(q)

    def active(self, day: dt.date | None = None):
        """In force today, or on `day` (`q_in_force`)."""
        return self.filter(q_in_force(day))

    def expired(self, today: dt.date):
        """Arrived at their end date before `today` and still in a signed phase: neither in force nor closed."""
        return self.filter(phase__in=ACTIVE_PHASES).exclude(q_not_ended_before(today))


class QPV(models.Model):
    """A quartier prioritaire de la politique de la ville, in the reference list the regional team types or
    imports (the project ships no national list): official code, name, département, population if known."""

    code = models.CharField("code officiel", max_length=12, unique=True)
    nom = models.CharField("nom du quartier", max_length=200, db_collation=FRENCH)
    departement = models.ForeignKey("territories.Departement", on_delete=models.PROTECT, related_name="+",
                                    verbose_name="département")
    population = models.PositiveIntegerField("population", null=True, blank=True)

    class Meta:
        verbose_name = "quartier prioritaire (QPV)"
        verbose_name_plural = "quartiers prioritaires (QPV)"
        ordering = ["departement", "code"]

    def __str__(self):
        return f"{self.nom} ({self.code})"


class Contract(VersionedModel):
    nom = models.CharField("nom du contrat", max_length=255, db_collation=FRENCH)
    # The name as searched (« evreux » finds « Évreux »): made by the database from `nom`.
    nom_recherche = folded_column("nom", 255, "nom sans accents")
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
    # The final evaluation's method, set out in the contract (fiche pratique: evaluative questions, who
    # evaluates, schedule); the indicator summary (actions) is the data it starts from.
    # Closing the phase préalable (fiche pratique): what the délégation and the collectivité establish together.
    specificites_locales = models.TextField("spécificités locales", blank=True)
    dispositifs_existants = models.TextField("dispositifs déjà en place (CLSM, contrat de ville, CPTS…)", blank=True)
    benefices_attendus = models.TextField("bénéfices attendus du CLS", blank=True)
    # The coordinator's recruitment, in which the ARS takes part (ARS Normandie): its opinion and the date the
    # coordinator took up the post; the job description and the mission letter are typed documents.
    recrutement_avis_ars = models.TextField("avis de l'ARS sur le recrutement du coordinateur", blank=True)
    recrutement_prise_de_poste = models.DateField("prise de poste du coordinateur", null=True, blank=True)
    evaluation_questions = models.TextField("questions évaluatives", blank=True)
    evaluation_evaluateurs = models.TextField("qui évalue", blank=True)
    evaluation_calendrier = models.TextField("calendrier de l'évaluation", blank=True)

    epci = models.ForeignKey("territories.EPCI", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="contracts", verbose_name="EPCI de référence")
    communes = models.ManyToManyField("territories.Commune", related_name="contracts", blank=True,
                                      verbose_name="communes du périmètre")

    qpvs = models.ManyToManyField(QPV, blank=True, related_name="contracts", verbose_name="QPV couverts")
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
    # The plan of the method's steps is laid out from the start of the préalable to this date.
    date_signature_prevue = models.DateField("signature prévue", null=True, blank=True)
    duree_annees = models.PositiveSmallIntegerField(
        "durée (années)", default=5, validators=[MinValueValidator(3), MaxValueValidator(5)]
    )
    plan_version = models.PositiveSmallIntegerField("version du plan d'action", default=1)
    date_lettre_intention = models.DateField("date de la lettre d'intention", null=True, blank=True)
    engagement_confirme = models.BooleanField(
        "la collectivité a confirmé son engagement", default=False,
        help_text="Confirmation par la collectivité de son engagement dans la démarche de CLS.")

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
        return contract_end(self.date_signature, self.duree_annees)

    @property
    def is_active(self) -> bool:
        """In force today (`q_in_force`): signed, not closed, its end date not past."""
        return in_force_today(self.phase, self.date_signature, self.duree_annees, timezone.localdate())

    @property
    def expired_on(self) -> dt.date | None:
        """Its end date when it has passed while the contract is still in a signed phase ("Arrivé à échéance
        le …": to evaluate and close); None otherwise."""
        end = self.date_fin
        return end if self.phase in ACTIVE_PHASES and end is not None and end < timezone.localdate() else None

    def owes_year(self, year: int) -> bool:
        """`q_owes_year` for this contract: not closed, and `year` a year of its life."""
        return self.phase in ACTIVE_PHASES and runs_in_year(self.date_signature, self.duree_annees, year)

    def in_last_year(self, today: dt.date) -> bool:
        """Whether `today` falls in the contract's last year (final evaluation window)."""
        end = self.date_fin
        if end is None:
            return False
        try:
            start_last = end.replace(year=end.year - 1) + dt.timedelta(days=1)
        except ValueError:
            start_last = end.replace(year=end.year - 1, day=28) + dt.timedelta(days=1)
        return today >= start_last


class ContactRole(models.TextChoices):
    COORDINATEUR = "coordinateur", "Coordinateur"
    REFERENT = "referent", "Référent ARS"


class PendingContact(models.Model):
    """A person named for a contract by e-mail who has no account on it yet (XLSX import of existing
    CLS). Kept as a record so the people issue can turn each row into an invitation (`invited_at`)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="pending_contacts")
    email = models.EmailField("adresse électronique")
    role = models.CharField("rôle", max_length=16, choices=ContactRole.choices)
    source = models.CharField("origine", max_length=40, default="import")
    created_at = models.DateTimeField(auto_now_add=True)
    invited_at = models.DateTimeField("invitation envoyée le", null=True, blank=True)

    class Meta:
        verbose_name = "contact en attente de compte"
        verbose_name_plural = "contacts en attente de compte"
        ordering = ["role", "email"]
        constraints = [models.UniqueConstraint(fields=["contract", "email", "role"],
                                               name="pending_contact_unique")]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"


class TransitionProposal(models.Model):
    """A coordinator's request to change phase, awaiting the délégation's decision."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="proposals")
    transition = models.CharField("transition", max_length=32)
    from_phase = models.CharField("phase de départ", max_length=24, choices=Phase.choices)
    to_phase = models.CharField("phase visée", max_length=24, choices=Phase.choices)
    status = models.CharField("statut", max_length=12, choices=ProposalStatus.choices,
                              default=ProposalStatus.PENDING, db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="proposé par")
    proposed_at = models.DateTimeField("proposé le", auto_now_add=True)
    comment = models.TextField("commentaire", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="décidé par")
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)
    decision_comment = models.TextField("commentaire de décision", blank=True)

    class Meta:
        verbose_name = "proposition de changement de phase"
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["contract"], condition=Q(status=ProposalStatus.PENDING),
                                    name="one_pending_proposal_per_contract"),
        ]

    def __str__(self):
        return f"{self.transition} ({self.get_status_display()})"


class PhaseTransition(models.Model):
    """A phase change that happened: who, when, from, to, comment. Never edited."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="transitions")
    transition = models.CharField("transition", max_length=32)
    from_phase = models.CharField("de", max_length=24, choices=Phase.choices)
    to_phase = models.CharField("vers", max_length=24, choices=Phase.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name="par")
    at = models.DateTimeField("le", auto_now_add=True)
    comment = models.TextField("commentaire", blank=True)
    proposal = models.OneToOneField(TransitionProposal, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="result")

    class Meta:
        verbose_name = "changement de phase"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_from_phase_display()} → {self.get_to_phase_display()}"


class PeriodQuerySet(models.QuerySet):
    def at(self, day: dt.date):
        """Rows in force on `day`: begun on or before it (or since the start), not yet ended."""
        return self.filter(Q(debut__isnull=True) | Q(debut__lte=day)).filter(Q(fin__isnull=True) | Q(fin__gt=day))


class PerimeterPeriod(models.Model):
    """A commune's time in a contract's perimeter, so that the perimeter of any past date can be read.

    `debut` None: in the perimeter since the contract began; `fin` (exclusive) None: still in it. The open
    rows are always the contract's `communes`: written by the services that set a perimeter
    (`contracts.services.record_perimeter`)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="perimeter_periods")
    commune = models.ForeignKey("territories.Commune", on_delete=models.CASCADE, related_name="+")
    debut = models.DateField("entrée dans le périmètre", null=True, blank=True)
    fin = models.DateField("sortie du périmètre", null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = "période d'une commune dans le périmètre"
        ordering = ["contract", "commune", "debut"]
        indexes = [models.Index(fields=["contract", "commune"], name="perimeter_period_idx")]

    def __str__(self):
        return f"{self.commune_id} ({self.debut or '…'} – {self.fin or '…'})"


class CoordinatorTerm(models.Model):
    """Someone coordinating a contract from `debut` (None: since before the portal knew) to `fin` (exclusive;
    None: still in post). The open rows are always the contract's `coordinators`."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="coordinator_terms")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    debut = models.DateField("prise de poste", null=True, blank=True)
    fin = models.DateField("fin de fonctions", null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = "période de coordination"
        ordering = ["contract", "debut", "id"]

    def __str__(self):
        return f"{self.user_id} ({self.debut or '…'} – {self.fin or '…'})"


def _document_path(instance, filename):
    import uuid

    # Never the user's file name: a random name in a per-contract folder, outside any public URL.
    return f"contrats/{instance.contract_id}/{uuid.uuid4().hex}{instance.extension}"


class DocumentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(superseded_by__isnull=True)


class Document(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="documents")
    type = models.CharField("type de document", max_length=32, choices=DocumentType.choices)
    titre = models.CharField("titre", max_length=255)
    date_document = models.DateField("date du document", null=True, blank=True)
    fichier = models.FileField("fichier", upload_to=_document_path, max_length=255)
    nom_original = models.CharField("nom du fichier", max_length=255)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=120)
    taille = models.PositiveIntegerField("taille (octets)")
    sha256 = models.CharField(max_length=64)
    version_doc = models.PositiveSmallIntegerField("version", default=1)
    # RESTRICT (not PROTECT): deleting the whole contract still removes its documents.
    supersedes = models.OneToOneField("self", null=True, blank=True, on_delete=models.RESTRICT,
                                      related_name="superseded_by", verbose_name="remplace")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="déposé par")
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "document"
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return self.titre


class Signatory(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="signatories")
    organisation = models.ForeignKey("territories.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name="organisation")
    role = models.CharField("rôle", max_length=20, choices=SignatoryRole.choices)
    representant = models.CharField("représentée par", max_length=200, blank=True)
    date_signature = models.DateField("date de signature", null=True, blank=True)
    # What the partner brings (fiche pratique: « mobiliser des outils et des moyens de droit commun, financer les
    # actions, fournir l'ingénierie nécessaire »): shown on the contract page and in the activity report.
    moyens_droit_commun = models.TextField("moyens de droit commun mobilisés", blank=True)
    financement = models.TextField("financement des actions", blank=True)
    ingenierie = models.TextField("ingénierie apportée", blank=True)

    class Meta:
        verbose_name = "signataire ou partenaire"
        ordering = ["role", "organisation__nom"]
        constraints = [models.UniqueConstraint(fields=["contract", "organisation", "role"], name="signatory_unique")]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"

    @property
    def engagements(self) -> list[tuple[str, str]]:
        """(label, text) of each commitment written."""
        return [(label, text) for label, text in (("Moyens de droit commun", self.moyens_droit_commun),
                                                  ("Financement", self.financement),
                                                  ("Ingénierie", self.ingenierie)) if text]


class Step(VersionedModel):
    """A step of the source method (fiche pratique n°5), with planned and actual dates."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="steps")
    phase = models.CharField("phase", max_length=24, choices=Phase.choices)
    kind = models.CharField("étape", max_length=32, choices=StepKind.choices)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    annee = models.PositiveSmallIntegerField("année", null=True, blank=True)
    titre = models.CharField("titre", max_length=255)
    objectif = models.TextField("objectif", blank=True)
    description = models.TextField("description", blank=True)
    acteurs = models.TextField("acteurs concernés", blank=True)
    date_debut_prevue = models.DateField("début prévu", null=True, blank=True)
    date_prevue = models.DateField("échéance prévue", null=True, blank=True)
    date_realisee = models.DateField("date de réalisation", null=True, blank=True)
    statut = models.CharField("statut", max_length=12, choices=StepStatus.choices, default=StepStatus.A_VENIR)

    class Meta:
        verbose_name = "étape"
        ordering = ["ordre", "annee", "id"]

    def __str__(self):
        return self.titre

    def is_overdue(self, today: dt.date) -> bool:
        return self.statut != StepStatus.REALISEE and self.date_prevue is not None and self.date_prevue < today


class Instance(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="instances")
    type = models.CharField("type d'instance", max_length=20, choices=InstanceType.choices)
    nom = models.CharField("nom", max_length=200, db_collation=FRENCH)
    mission = models.TextField("mission", blank=True)

    class Meta:
        verbose_name = "instance de gouvernance"
        ordering = ["type", "nom"]

    def __str__(self):
        return self.nom


class InstanceMember(models.Model):
    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="members")
    personne = models.CharField("personne", max_length=200, blank=True)
    organisation = models.ForeignKey("territories.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name="organisation")
    role = models.CharField("rôle", max_length=120, blank=True)

    class Meta:
        verbose_name = "membre"
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(personne="") | Q(organisation__isnull=False),
                                              name="member_person_or_org")]

    def __str__(self):
        return self.personne or str(self.organisation)


class Meeting(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="meetings")
    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="meetings",
                                 verbose_name="instance")
    date = models.DateField("date")
    lieu = models.CharField("lieu", max_length=200, blank=True)
    ordre_du_jour = models.TextField("ordre du jour", blank=True)
    participants = models.TextField("participants", blank=True)
    compte_rendu = models.TextField("compte rendu", blank=True)
    compte_rendu_document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.RESTRICT,
                                              related_name="+", verbose_name="compte rendu (fichier)")
    decisions = models.TextField("décisions", blank=True)
    revue_annuelle = models.BooleanField(
        "revue annuelle du COPIL", default=False,
        help_text="La revue annuelle marque l'évaluation continue de l'année comme réalisée.")

    class Meta:
        verbose_name = "réunion"
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.instance or 'Réunion'} du {self.date:%d/%m/%Y}"


class Avenant(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="avenants")
    numero = models.PositiveSmallIntegerField("numéro")
    date = models.DateField("date")
    objet = models.TextField("objet")
    plan_version = models.PositiveSmallIntegerField("version du plan issue de l'avenant")
    signataires = models.ManyToManyField(Signatory, blank=True, related_name="avenants_paraphes",
                                         verbose_name="signataires ayant paraphé")
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
                                 verbose_name="avenant signé")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "avenant"
        ordering = ["numero"]
        constraints = [models.UniqueConstraint(fields=["contract", "numero"], name="avenant_unique_numero")]

    def __str__(self):
        return f"Avenant n°{self.numero} du {self.date:%d/%m/%Y}"


class AvenantChange(models.Model):
    avenant = models.ForeignKey(Avenant, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField("modification", max_length=16, choices=PlanChangeKind.choices)
    fiche = models.ForeignKey("actions.FicheAction", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="avenant_changes", verbose_name="fiche action")
    description = models.TextField("description", blank=True)

    class Meta:
        verbose_name = "modification du plan"
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.fiche or self.description}".strip()
