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


class Role(models.TextChoices):
    COORDINATEUR = "coordinateur", "Coordinateur ou coordinatrice de CLS"
    PILOTE = "pilote", "Pilote d'action"
    DELEGATION = "delegation", "Référent de délégation départementale"
    REGION = "region", "Équipe régionale de l'ARS"
    ELU = "elu", "Élu ou élue"
    ADMIN = "admin", "Administrateur"


class User(AbstractUser):
    email = models.EmailField("adresse électronique", blank=True, db_index=True)
    # Notification preferences: keys are notification kinds, value False = no e-mail for that kind.
    email_preferences = models.JSONField("préférences d'e-mails", default=dict, blank=True)

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
