"""Population covered by active CLS: the national indicator an ARS is held to.

A commune belongs to the covered area when at least one *active* contract (in force: signed, not closed, its
end date not past: `contracts.models.q_in_force`) includes it in its perimeter. A contract that reached its end
date without being closed covers no one any more. Perimeters are united, never added: a
commune in two contracts counts once. The reference population is the "population municipale" of
the communes (Etalab's découpage administratif), never a typed figure.

At a past date (`at`), the contracts signed and active on that date count, with their perimeters as they
were (`contracts.models.q_in_force(at)`, `contracts.selectors.perimeters_at`: the phase history, the end date and
the dated perimeter periods); the population is still the reference one.

`coverage()` runs two queries whatever the number of contracts and communes, at a date or not; `combine()` is
the pure arithmetic on their rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from cls_portal.territories.models import Commune, Departement
from contracts.models import Contract, q_in_force
from contracts.selectors import perimeters_at


@dataclass(frozen=True)
class AreaCoverage:
    code: str
    nom: str
    population: int
    covered: int
    nb_communes: int = 0
    nb_communes_covered: int = 0

    @property
    def share(self) -> Decimal | None:
        """Covered share of the population as a ratio (0.5 = 50 %); None for an empty area."""
        if not self.population:
            return None
        return (Decimal(self.covered) / Decimal(self.population)).quantize(Decimal("0.000001"))


@dataclass(frozen=True)
class Coverage:
    total: AreaCoverage
    departements: list[AreaCoverage]


def combine(departements: Iterable[Mapping], covered: Iterable[Mapping], *, code: str = "",
            nom: str = "Total") -> Coverage:
    """Coverage from per-département rows.

    `departements`: `{"code", "nom", "population", "nb_communes"}` for each département of the area;
    `covered`: `{"departement", "population", "nb_communes"}` summed over the *distinct* covered
    communes of each département (a département without covered commune may be absent).
    """
    by_dep = {row["departement"]: row for row in covered}
    deps = []
    for row in departements:
        cov = by_dep.get(row["code"], {})
        deps.append(AreaCoverage(code=row["code"], nom=row["nom"], population=row["population"] or 0,
                                 covered=cov.get("population") or 0, nb_communes=row.get("nb_communes") or 0,
                                 nb_communes_covered=cov.get("nb_communes") or 0))
    total = AreaCoverage(
        code=code, nom=nom, population=sum(d.population for d in deps), covered=sum(d.covered for d in deps),
        nb_communes=sum(d.nb_communes for d in deps), nb_communes_covered=sum(d.nb_communes_covered for d in deps))
    return Coverage(total=total, departements=deps)


def coverage(*, region_code: str | None = None, departement_codes: Iterable[str] | None = None,
             contracts=None, code: str = "", nom: str = "Total", at: dt.date | None = None) -> Coverage:
    """Coverage of a région (every département of it) or of a list of départements.

    `contracts`: an optional Contract queryset limiting which contracts count (e.g. those a user
    sees); only its active ones count (today, or on `at`). Two queries, whatever the size of the area.
    """
    deps = Departement.objects.all()
    if region_code is not None:
        deps = deps.filter(region_id=region_code)
    if departement_codes is not None:
        deps = deps.filter(code__in=list(departement_codes))
    dep_rows = list(deps.order_by("code").annotate(population=Sum("communes__population"),
                                                   nb_communes=Count("communes"))
                    .values("code", "nom", "population", "nb_communes"))
    # The active contracts filtered on `contracts` itself (a Contract queryset), not on its ids as a subquery:
    # 0.3 ms of SQL building and 0.2 ms of PostgreSQL less for a région at 1 255 contracts.
    active = Contract.objects.all() if contracts is None else contracts
    active = active.filter(q_in_force(at))
    if at is None:
        perimeters = Contract.communes.through.objects.filter(contract__in=active).values("commune_id")
    else:
        perimeters = perimeters_at(at, active)
    # `code IN (subquery)` takes each commune once however many perimeters include it.
    covered_rows = (Commune.objects.filter(departement_id__in=[r["code"] for r in dep_rows], code__in=perimeters)
                    .order_by().values("departement")
                    .annotate(population=Sum("population"), nb_communes=Count("code")))
    return combine(dep_rows, list(covered_rows) if dep_rows else [], code=code, nom=nom)
