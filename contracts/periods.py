"""Dated records of a contract's perimeter and coordinators, kept beside the current `communes` and
`coordinators` so that the regional figures can be stated at any past date.

Called only inside the atomic services that change a perimeter or a coordinator (contracts, people); they
write no history line of their own (the calling service does). `day` None: since the contract began.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .models import Contract, CoordinatorTerm, PerimeterPeriod


def record_perimeter(contract: Contract, codes: Iterable[str], day: dt.date | None) -> None:
    """The perimeter is `codes` from `day` on: communes that left get their end, new ones a period."""
    codes = set(codes)
    current = PerimeterPeriod.objects.filter(contract=contract, fin__isnull=True)
    held = set(current.values_list("commune_id", flat=True))
    if day is not None:
        current.filter(commune_id__in=held - codes).update(fin=day)
    else:
        current.filter(commune_id__in=held - codes).delete()
    PerimeterPeriod.objects.bulk_create([PerimeterPeriod(contract=contract, commune_id=code, debut=day)
                                         for code in sorted(codes - held)])


def record_coordinator(contract: Contract, user, *, joined: bool, day: dt.date | None) -> None:
    """`user` starts (`joined`) or stops coordinating `contract` on `day`."""
    current = CoordinatorTerm.objects.filter(contract=contract, user=user, fin__isnull=True)
    if joined:
        if not current.exists():
            CoordinatorTerm.objects.create(contract=contract, user=user, debut=day)
    elif day is not None:
        current.update(fin=day)
    else:
        current.delete()
