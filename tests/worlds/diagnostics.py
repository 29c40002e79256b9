"""A draft diagnostic on each tenant's contract, with a row in every section (one priority: submittable)."""

from tests.diagnostics.factories import DiagnosticFactory, filled


def extend(world, tenant):
    tenant.extra["diagnostic"] = filled(DiagnosticFactory(contract=tenant.contract))
    tenant.extra["priorite"] = tenant.diagnostic.priorites.get()
