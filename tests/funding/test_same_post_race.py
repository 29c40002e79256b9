"""One post, one year, at the same instant: the two generations of a coordination post file their requests for the
same year at once. Each request reads the other generation's year before it is saved (`_check_same_post`); the
requests of one post are serialised (`_lock_post`), so the second reads the first's saved request and is refused,
instead of both passing and together exceeding the post's 12 months.

PostgreSQL only: on SQLite every writing transaction already waits for the one before it (IMMEDIATE transactions),
and threads cannot share the test suite's in-memory database. CI runs the suite on PostgreSQL."""

import threading
import time
from decimal import Decimal as D

import pytest
from django.db import connection

from cls_portal.core.errors import DomainError
from funding import services
from funding.models import AnneeFinancement
from tests.funding.test_same_post import ask, renewal  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_generations_filing_the_same_year_at_once_cannot_both_pass(renewal, monkeypatch):  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("les demandes simultanées se vérifient sur PostgreSQL (SQLite sérialise déjà les écritures)")
    t, old, new = renewal
    checked = services._check_same_post

    def check_then_wait(*args, **kwargs):
        checked(*args, **kwargs)
        time.sleep(0.5)  # both requests have read the other generation's year before either is saved

    monkeypatch.setattr(services, "_check_same_post", check_then_wait)
    barrier = threading.Barrier(2)
    outcomes = {}

    def file(contract, mois, ars):
        try:
            barrier.wait(timeout=30)
            ask(t, contract, mois, ars)
            outcomes[contract.pk] = "enregistrée"
        except DomainError as exc:
            outcomes[contract.pk] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=file, args=(old, 6, D("11500"))),
               threading.Thread(target=file, args=(new, 9, D("17250")))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(str(o) == "enregistrée" for o in outcomes.values()) == [False, True], outcomes
    refusal = next(o for o in outcomes.values() if isinstance(o, DomainError))
    assert refusal.field == "mois_pourvus" and "un même poste compte au plus 12 mois par an" in refusal.message
    assert AnneeFinancement.objects.filter(contract__in=[old, new], annee=2026).count() == 1
