"""The form pages of the demo, one per distinct form template, each with the field to break and how
(tests/browser/test_form_errors.py). `cases()` resolves the URLs from the demo data."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class FormCase:
    role: str | None  # a demo username; None: anonymous
    url: str
    field: str  # the name of the field to break; "*-x": the first whose name ends with "-x"; "^x_": starts with "x_"
    value: str = ""  # what to type in it ("" clears a required field)
    template: str = ""  # the template the form is drawn by (documentation and de-duplication)


def cases() -> list[FormCase]:
    from actions.models import Axe, FicheAction
    from contracts.models import Contract
    from diagnostics.models import Diagnostic
    from funding.models import AnneeFinancement

    contract = Contract.objects.filter(coordinators__username="coordinateur").order_by("pk").first()
    fiche = FicheAction.objects.filter(axe__contract=contract).order_by("pk").first()
    axe = Axe.objects.filter(contract=contract).order_by("pk").first()
    diagnostic = Diagnostic.objects.filter(statut="brouillon").order_by("pk").first()
    editable = FicheAction.objects.filter(axe__contract=contract, statut="a_modifier").order_by("pk").first()
    annee = AnneeFinancement.objects.filter(contract=contract).order_by("-annee").first()
    c = contract.pk
    out = [
        FormCase(None, reverse("accounts:login"), "username", "", "accounts/login.html"),
        FormCase(None, reverse("accounts:password_reset"), "email", "pas-un-courriel",
                 "accounts/password_reset_form.html"),
        FormCase("coordinateur", reverse("contracts:edit", args=[c]), "nom", "", "core/form_page.html"),
        FormCase("coordinateur", reverse("contracts:meeting_add", args=[c]), "date", "", "core/form_page.html"),
        FormCase("coordinateur", reverse("actions:axe_create", args=[c]), "titre", "", "actions/axe_form.html"),
        FormCase("coordinateur", reverse("actions:axe_edit", args=[axe.pk]), "titre", "", "actions/axe_form.html"),
        FormCase("coordinateur", reverse("actions:fiche_create", args=[c]), "titre", "", "actions/fiche_form.html"),
        FormCase("coordinateur", reverse("actions:fiche_create", args=[c]), "lignes_budget-0-montant_prevu",
                 "-10", "actions/fiche_form.html (a row of a formset)"),
        FormCase("coordinateur", reverse("actions:fiche_edit", args=[editable.pk]), "titre", "",
                 "actions/fiche_form.html"),
        FormCase("coordinateur", reverse("reports:contract", args=[c]), "year", "1990",
                 "reports/contract_reports.html"),
        FormCase("ars-normandie", reverse("reports:campaigns"), "year", "", "reports/campaigns.html"),
        FormCase("coordinateur", reverse("funding:year_create", args=[c]), "etp", "abc", "funding/form.html"),
        FormCase("ars-normandie", reverse("funding:rule_create"), "valid_from", "", "funding/rule_form.html"),
        FormCase("ars-normandie", reverse("accounts:invitations"), "email", "pas-un-courriel",
                 "accounts/invitations.html"),
        FormCase("ars-normandie", reverse("contracts:create"), "nom", "", "contracts/create_page.html"),
        FormCase("ars-normandie", reverse("imports:contracts"), "fichier", "", "imports/contracts.html"),
        FormCase("coordinateur", reverse("imports:plan", args=[c]), "fichier", "", "imports/plan.html"),
    ]
    if diagnostic is not None:
        owner = diagnostic.contract.coordinators.order_by("pk").first().username
        out.append(FormCase(owner, reverse("diagnostics:section", args=[diagnostic.pk, "indicateurs"]),
                            "*-valeur", "abc", "diagnostics/section_form.html (a formset)"))
    if fiche is not None and annee is not None:
        out.append(FormCase("coordinateur", reverse("actions:suivi_edit", args=[fiche.pk, annee.annee]),
                            "^valeur_", "abc", "actions/suivi_form.html"))
    return out
