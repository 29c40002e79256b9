"""Issue 15's scopes: a draft sheet piloted by someone else than the world's pilot (neither the elected
official nor that pilot may open it). Created on first use: other apps' tests that count the world's sheets
are not affected unless they touch it."""

from django.utils.functional import SimpleLazyObject

from actions.enums import FicheStatut
from tests import factories as f


def extend(world, tenant):
    tenant.extra["fiche_brouillon_autre"] = SimpleLazyObject(lambda: f.FicheActionFactory(
        axe=tenant.extra["axe"], numero=21, titre="Fiche en brouillon d'un autre pilote",
        pilote_personne=f.UserFactory(), statut=FicheStatut.BROUILLON))


relazy = extend  # the world is copied for each test: its lazy objects are made again for the copy
