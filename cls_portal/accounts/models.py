"""People and what they may do. One person may hold several roles (several memberships).

- coordinateur: coordinates CLS; the contracts they coordinate are `Contract.coordinators`.
- pilote: pilots action sheets from a partner organisation; the sheets name them as pilot.
- delegation: référent of an ARS délégation départementale, for one or more départements.
- region: ARS regional staff, for one région.
- elu: elected official of a collectivité.
- admin: administrator (ARS administrator: edits reference data and funding rules).
"""

from django.contrib.auth.models import AbstractUser
from django.db import models

from cls_portal.core.collation import FRENCH


class Role(models.TextChoices):
    COORDINATEUR = "coordinateur", "Coordinateur ou coordinatrice de CLS"
    PILOTE = "pilote", "Pilote d'action"
    DELEGATION = "delegation", "Référent de délégation départementale"
    REGION = "region", "Équipe régionale de l'ARS"
    ELU = "elu", "Élu ou élue"
    ADMIN = "admin", "Administrateur"


class User(AbstractUser):
    # Names in French order (cls_portal.core.collation): the people lists sort by them.
    first_name = models.CharField("prénom", max_length=150, blank=True, db_collation=FRENCH)
    last_name = models.CharField("nom", max_length=150, blank=True, db_collation=FRENCH)
    email = models.EmailField("adresse électronique", blank=True, db_index=True)
    # Notification preferences: keys are notification kinds, value False = no e-mail for that kind.
    email_preferences = models.JSONField("préférences d'e-mails", default=dict, blank=True)
    # Unread notifications, kept by cls_portal.notifications (the header shows it without a query per page).
    unread_notifications = models.PositiveIntegerField("notifications non lues", default=0, editable=False)

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    # Role helpers read the memberships once per user object (prefetched when available, see
    # accounts.selectors): a page asks "which régions?" several times, the database answers once.
    def _memberships(self) -> list:
        if not hasattr(self, "_memberships_cache"):
            self._memberships_cache = list(self.memberships.all())
        return self._memberships_cache

    def forget_roles(self):
        """Drop what the helpers remembered (after memberships change on this user object)."""
        for attr in ("_memberships_cache", "_roles_cache", "_dep_cache"):
            self.__dict__.pop(attr, None)

    def roles(self) -> set[str]:
        if not hasattr(self, "_roles_cache"):
            self._roles_cache = {m.role for m in self._memberships()}
            if self.is_superuser:
                self._roles_cache.add(Role.ADMIN)
        return self._roles_cache

    def has_role(self, role: str) -> bool:
        return role in self.roles()

    @property
    def is_portal_admin(self) -> bool:
        return self.is_superuser or self.has_role(Role.ADMIN)

    def departement_codes(self) -> set[str]:
        if not hasattr(self, "_dep_cache"):
            codes = set()
            for m in self._memberships():
                if m.role == Role.DELEGATION:
                    codes.update(d.code for d in m.departements.all())
            self._dep_cache = codes
        return self._dep_cache

    def region_codes(self) -> set[str]:
        return {m.region_id for m in self._memberships() if m.role == Role.REGION and m.region_id}

    def organisation_ids(self, role: str) -> set[int]:
        return {m.organisation_id for m in self._memberships() if m.role == role and m.organisation_id}


class RoleMembership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "territories.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="memberships",
        help_text="Collectivité de l'élu ou du coordinateur, organisation partenaire du pilote.",
    )
    region = models.ForeignKey("territories.Region", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    departements = models.ManyToManyField("territories.Departement", blank=True, related_name="+")

    class Meta:
        verbose_name = "rôle"
        ordering = ["user", "role"]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"


INVITATION_DAYS = 7


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        from django.utils import timezone

        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """An invitation by e-mail to hold one role in one scope. Accepted once (a password, or ProConnect with the
    same verified e-mail); expires after `INVITATION_DAYS`; may be resent (new expiry) or revoked.

    Scope by role: région (region), délégation (departements), coordinateur (contract; organisation = its
    collectivité), élu (organisation, a collectivité; contract when invited from a CLS), pilote (organisation,
    contract, optionally the sheet he will pilot). `contract` and `fiche` name objects of the apps above by
    string: what accepting means for them is done by the hooks they register (`accounts.registry`)."""

    email = models.EmailField("adresse électronique")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    region = models.ForeignKey("territories.Region", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", verbose_name="région")
    departements = models.ManyToManyField("territories.Departement", blank=True, related_name="+",
                                          verbose_name="départements")
    organisation = models.ForeignKey("territories.Organisation", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+", verbose_name="organisation")
    contract = models.ForeignKey("contracts.Contract", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="invitations", verbose_name="contrat")
    fiche = models.ForeignKey("actions.FicheAction", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name="fiche action à piloter")
    copilote = models.BooleanField("co-pilote de la fiche (plutôt que pilote)", default=False)
    # A coordinator invitation that hands the coordination over: on acceptance this person stops coordinating.
    replaces = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name="remplace")
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="invitations_sent",
                                   verbose_name="invité par")
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)
    expires_at = models.DateTimeField("expire le")
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name="acceptée par")
    revoked_at = models.DateTimeField("révoquée le", null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "invitation"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["email"])]

    def __str__(self):
        return f"{self.email} — {self.get_role_display()}"

    def scope_text(self) -> str:
        """Where the role is held, as the e-mail and the pages say it: « pour le « CLS de … » », « pour la
        région Normandie », « pour les départements Manche (50) et Orne (61) ». Reads `departements` (prefetch
        it for a list)."""
        if self.contract_id:
            return f"pour le « {self.contract} »"
        if self.region_id:
            return f"pour la région {self.region}"
        deps = [str(d) for d in sorted(self.departements.all(), key=lambda d: d.code)]
        if not deps:
            return ""
        if len(deps) == 1:
            return f"pour le département {deps[0]}"
        return f"pour les départements {', '.join(deps[:-1])} et {deps[-1]}"

    def sender_name(self) -> str:
        """Who invites, by name; an account without a name (the first administrator, created by
        `createsuperuser`) by its address rather than its login."""
        user = self.invited_by
        if user is None:
            return ""
        return user.get_full_name() or user.email or "L'administrateur du portail"

    def status(self, now=None) -> str:
        from django.utils import timezone

        now = now or timezone.now()
        if self.accepted_at:
            return "acceptée"
        if self.revoked_at:
            return "révoquée"
        if self.expires_at <= now:
            return "expirée"
        return "en attente"
