"""A draft diagnostic on each tenant's contract, with a row in every section (one priority: submittable).

Created on first use (lazily): tests of other apps that give the world's contract a diagnostic of their
own (a contract has one open version and numbers its versions) are not affected unless they touch it.
"""

from django.utils.functional import SimpleLazyObject

from tests.diagnostics.factories import DiagnosticFactory, filled


def extend(world, tenant):
    diagnostic = SimpleLazyObject(lambda: filled(DiagnosticFactory(contract=tenant.contract)))
    tenant.extra["diagnostic"] = diagnostic
    tenant.extra["priorite"] = SimpleLazyObject(lambda: diagnostic.priorites.get())


relazy = extend  # the world is copied for each test: its lazy objects are made again for the copy
