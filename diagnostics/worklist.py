"""What waits on diagnostics (work-list source registered in `DiagnosticsConfig.ready()`): a submitted
diagnostic for the délégation (and the region's roll-up), one sent back for the coordinator."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cls_portal.core.worklist import COORDINATEUR, DELEGATION, REGION, Pending, WorkItem, url_maker
from contracts.worklist import departement, in_scope, rollup

from .enums import Statut
from .models import Diagnostic


def source(user, audience: str, today: dt.date) -> list[Pending]:
    if audience in (DELEGATION, REGION):
        statut, kind, label = Statut.SOUMIS, "diagnostic_a_revoir", "Diagnostic à relire"
    elif audience == COORDINATEUR:
        statut, kind = Statut.A_MODIFIER, "diagnostic_a_modifier"
        label = "Diagnostic à modifier (demande de la délégation)"
    else:
        return []
    detail_url = url_maker("diagnostics:detail")

    rank = 20 if statut == Statut.SOUMIS else 10

    def item(d):
        detail = (f"Soumis le {timezone.localdate(d.soumis_le):%d/%m/%Y}" if statut == Statut.SOUMIS and d.soumis_le
                  else d.commentaire_revue)
        return WorkItem(kind, label, f"Diagnostic local de santé (version {d.numero})",
                        detail_url(d.pk), d.contract_id, d.contract.nom, departement(d),
                        timezone.localdate(d.soumis_le) if d.soumis_le else None, detail, rank=rank)

    diagnostics = Diagnostic.objects.filter(in_scope(user, audience), statut=statut)
    return [Pending(diagnostics.select_related("contract").only("numero", "soumis_le", "commentaire_revue",
                                                                "contract__nom"), item, departement=rollup(audience),
                    kind=kind, label=label, rank=rank, due="soumis_le")]
