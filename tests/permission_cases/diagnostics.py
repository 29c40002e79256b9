"""Diagnostics: the world's diagnostic is a draft with one row per section (tests/worlds/diagnostics.py).

Readers: everyone the contract is visible to (its coordinator, délégation, region, elected officials and
the pilots of its sheets). Writers: the coordinator (and the admin). Review: the délégation.
"""

from tests.permission_cases import Case

READERS = {"anonymous": 302, "admin": 200, "coordinateur": 200, "pilote": 200, "delegation": 200, "region": 200,
           "elu": 200}
WRITER = {"anonymous": 302, "admin": 200, "coordinateur": 200}


def _diag(t):
    return {"pk": t.diagnostic.pk}


def _contract_with_diagnostic(t):
    assert t.diagnostic.pk  # the world's diagnostic is created on first use
    return {"contract_pk": t.contract.pk}


CASES = [
    Case("diagnostics:list", READERS),
    # The contract has a diagnostic: its tab redirects every reader to it.
    Case("diagnostics:contract", {**READERS, "admin": 302, "coordinateur": 302, "pilote": 302, "delegation": 302,
                                  "region": 302, "elu": 302}, kwargs=_contract_with_diagnostic),
    # Starting a second diagnostic is refused with a message (redirect); only the coordinator may try.
    Case("diagnostics:start", {"anonymous": 302, "admin": 302, "coordinateur": 302},
         kwargs=_contract_with_diagnostic, method="post"),
    # The world's diagnostic is a draft: elected officials read a diagnostic once validated (issue 15).
    Case("diagnostics:detail", {**READERS, "elu": 403}, kwargs=_diag),
    Case("diagnostics:synthese", {**READERS, "elu": 403}, kwargs=_diag),
    Case("diagnostics:export", {**READERS, "elu": 403}, kwargs=_diag, query="?format=xlsx"),
    Case("diagnostics:preparation", WRITER, kwargs=_diag),
    Case("diagnostics:section", WRITER, kwargs=lambda t: {"pk": t.diagnostic.pk, "section": "acteurs"}),
    Case("diagnostics:import", WRITER, kwargs=_diag),
    Case("diagnostics:transition", {"anonymous": 302, "admin": 302, "coordinateur": 302},
         kwargs=lambda t: {"pk": t.diagnostic.pk, "action": "soumettre"}, method="post",
         data=lambda t: {"commentaire": "Diagnostic prêt pour la relecture."}),
    # Commenting needs a comment: without one, the délégation gets the page back with the error (200).
    Case("diagnostics:transition", {"anonymous": 302, "admin": 200, "delegation": 200},
         kwargs=lambda t: {"pk": t.diagnostic.pk, "action": "commenter"}, method="post"),
    Case("diagnostics:transition", {"anonymous": 302, "admin": 302, "delegation": 302},
         kwargs=lambda t: {"pk": t.diagnostic.pk, "action": "commenter"}, method="post",
         data=lambda t: {"commentaire": "Ajoutez les données de la CPAM sur le recours aux urgences."}),
    # Only a validated diagnostic gets a new version: on a draft, refused to everyone.
    Case("diagnostics:new_version", {"anonymous": 302}, kwargs=_diag, method="post"),
    Case("diagnostics:priorite_axe", {"anonymous": 302, "admin": 302, "coordinateur": 302},
         kwargs=lambda t: {"pk": t.diagnostic.pk, "priorite_pk": t.priorite.pk}, method="post",
         data=lambda t: {}),
]
