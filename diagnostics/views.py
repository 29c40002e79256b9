from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cls_portal.core import tabular
from cls_portal.core.errors import DomainError, apply_domain_error
from cls_portal.core.exports import Column, ColumnChoiceForm, export_response
from cls_portal.core.history import history_for

from . import forms, permissions, selectors, services
from .enums import Transition
from .models import (
    ActeurCartographie,
    Consultation,
    ElementPortrait,
    EtapeRetroplanning,
    Indicateur,
    PolitiqueCroisee,
    Priorite,
    RessourceLocale,
)


def _check(result):
    allowed, reason = result
    if not allowed:
        raise PermissionDenied(reason)


@dataclass(frozen=True)
class Section:
    title: str
    model: type
    form: type
    intro: str
    organisations: bool = False

    def formset_class(self):
        return forms.section_formset(self.model, self.form)


SECTIONS = {
    "retroplanning": Section("Rétroplanning du diagnostic", EtapeRetroplanning, forms.EtapeForm,
                             "Les grandes étapes du diagnostic, de sa préparation à la restitution."),
    "indicateurs": Section("Données quantitatives", Indicateur, forms.IndicateurForm,
                           "Indicateurs du territoire et valeurs de comparaison (département, région, France)."),
    "consultations": Section("Données qualitatives : consultations", Consultation, forms.ConsultationForm,
                             "Entretiens, questionnaires, focus groupes et réunions publiques."),
    "politiques": Section("Croisement avec les politiques existantes", PolitiqueCroisee, forms.PolitiqueForm,
                          "PRS, PRSE, PTSM, contrat de ville, CLSM… et ce qu'ils impliquent localement."),
    "ressources": Section("Ressources locales", RessourceLocale, forms.RessourceForm,
                          "Acteurs, structures et dispositifs existants (exercice coordonné…).", organisations=True),
    "portrait": Section("Portrait de territoire : forces et faiblesses", ElementPortrait, forms.PortraitForm,
                        "Les constats du diagnostic, par thème."),
    "acteurs": Section("Grille de cartographie des acteurs", ActeurCartographie, forms.ActeurForm,
                       "Pour chaque acteur ou partenaire : son rôle potentiel, ses apports, son intérêt et les "
                       "risques pour le projet.", organisations=True),
    "priorites": Section("Priorités retenues", Priorite, forms.PrioriteForm,
                         "Chaque priorité devient un axe du plan d'action avec une première action."),
}

EXPORT_COLUMNS = [
    Column("theme", "Thème", lambda i: i.get_theme_display()),
    Column("libelle", "Libellé", lambda i: i.libelle),
    Column("valeur", "Valeur", lambda i: i.valeur),
    Column("valeur_departement", "Département", lambda i: i.valeur_departement),
    Column("valeur_region", "Région", lambda i: i.valeur_region),
    Column("valeur_france", "France", lambda i: i.valeur_france),
    Column("unite", "Unité", lambda i: i.unite),
    Column("source", "Source", lambda i: i.source),
    Column("annee", "Année", lambda i: i.annee),
]


def _crumbs(diagnostic, *extra):
    return [("Diagnostics", reverse("diagnostics:list")),
            (f"{diagnostic.contract.nom} — version {diagnostic.numero}",
             reverse("diagnostics:detail", kwargs={"pk": diagnostic.pk})), *extra]


def diagnostic_list(request):
    contracts = [c for c in selectors.contracts_with_diagnostics(request.user)
                 if permissions.can_view_diagnostic(request.user, c)[0]]
    rows = [{"contract": c, "latest": next(iter(c.diagnostics.all()), None),
             "can_start": permissions.can_start_diagnostic(request.user, c)[0]} for c in contracts]
    return render(request, "diagnostics/diagnostic_list.html", {
        "rows": rows, "title": "Diagnostics locaux de santé", "breadcrumbs": [("Diagnostics", None)]})


@require_POST
def diagnostic_start(request, contract_pk):
    contract = selectors.contract_for_user(request.user, contract_pk)
    _check(permissions.can_start_diagnostic(request.user, contract))
    try:
        diagnostic = services.diagnostic_start(actor=request.user, contract=contract)
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("diagnostics:list")
    messages.success(request, "Le diagnostic est créé : commencez par sa préparation.")
    return redirect("diagnostics:preparation", pk=diagnostic.pk)


def _render_detail(request, diagnostic, transition_form=None, status=200):
    selectors.diagnostic_load_sections(diagnostic)
    user = request.user
    return render(request, "diagnostics/diagnostic_detail.html", {
        "diagnostic": diagnostic, "contract": diagnostic.contract,
        "sections": SECTIONS, "portrait": selectors.portrait_by_theme(diagnostic),
        "versions": selectors.versions_of(diagnostic),
        "can_edit": permissions.can_edit_diagnostic(user, diagnostic)[0],
        "can_create_axes": permissions.can_start_diagnostic(user, diagnostic.contract)[0],
        "can_new_version": diagnostic.is_frozen and permissions.can_start_diagnostic(user, diagnostic.contract)[0],
        "transitions": permissions.available_transitions(user, diagnostic),
        "transition_form": transition_form or forms.TransitionForm(),
        "history": history_for(diagnostic)[:15],
        "title": f"Diagnostic — {diagnostic.contract.nom}", "breadcrumbs": _crumbs(diagnostic)[:1] + [
            (f"{diagnostic.contract.nom} — version {diagnostic.numero}", None)],
    }, status=status)


def diagnostic_detail(request, pk):
    diagnostic = selectors.diagnostic_get_for_user(request.user, pk)
    _check(permissions.can_view_diagnostic(request.user, diagnostic.contract))
    return _render_detail(request, diagnostic)


def diagnostic_preparation(request, pk):
    diagnostic = selectors.diagnostic_get_for_user(request.user, pk)
    _check(permissions.can_edit_diagnostic(request.user, diagnostic))
    form = forms.PreparationForm(request.POST or None, instance=diagnostic, initial={"version": diagnostic.version})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.diagnostic_update_preparation(actor=request.user, diagnostic_id=diagnostic.pk,
                                                   expected_version=form.cleaned_data["version"], data=data)
        except DomainError as err:
            apply_domain_error(form, err)
        else:
            messages.success(request, "La préparation du diagnostic est enregistrée.")
            return redirect("diagnostics:section", pk=diagnostic.pk, section="retroplanning")
    return render(request, "diagnostics/preparation_form.html", {
        "diagnostic": diagnostic, "form": form, "population": diagnostic.population,
        "nb_communes": diagnostic.nb_communes,
        "title": "Préparation du diagnostic", "breadcrumbs": _crumbs(diagnostic, ("Préparation", None)),
    })


def diagnostic_section(request, pk, section):
    conf = SECTIONS.get(section)
    if conf is None:
        raise Http404("Section inconnue.")
    diagnostic = selectors.diagnostic_get_for_user(request.user, pk)
    _check(permissions.can_edit_diagnostic(request.user, diagnostic))
    form_kwargs = {}
    if conf.organisations:
        form_kwargs = {"contract": diagnostic.contract}
    FormSet = conf.formset_class()
    data = request.POST if request.method == "POST" else None
    version_form = forms.VersionForm(data, initial={"version": diagnostic.version})
    formset = FormSet(data, instance=diagnostic, form_kwargs=form_kwargs)
    if conf.organisations:
        forms.share_organisation_choices(formset)
    if request.method == "POST" and version_form.is_valid() and formset.is_valid():
        try:
            services.diagnostic_save_section(actor=request.user, diagnostic_id=diagnostic.pk, section=section,
                                             expected_version=version_form.cleaned_data["version"], formset=formset)
        except DomainError as err:
            version_form.add_error(None, err.message)
        else:
            messages.success(request, f"« {conf.title} » : modifications enregistrées.")
            return redirect(reverse("diagnostics:detail", kwargs={"pk": diagnostic.pk}) + f"#{section}")
    return render(request, "diagnostics/section_form.html", {
        "diagnostic": diagnostic, "section": section, "conf": conf, "formset": formset,
        "version_form": version_form, "sections": SECTIONS,
        "title": conf.title, "breadcrumbs": _crumbs(diagnostic, (conf.title, None)),
    })


def _import_key(diagnostic):
    return f"diagnostic-{diagnostic.pk}-indicateurs"


def diagnostic_import(request, pk):
    """Step 1 (POST `fichier`): read and check, save nothing; step 2 (POST `token`): add every row."""
    diagnostic = selectors.diagnostic_get_for_user(request.user, pk)
    _check(permissions.can_edit_diagnostic(request.user, diagnostic))
    upload_form, preview, confirm_form = tabular.ImportUploadForm(), None, None
    if request.method == "POST" and "token" in request.POST:
        confirm = forms.ImportConfirmForm(request.POST)
        kept = tabular.load_preview(request.session, _import_key(diagnostic), confirm.data.get("token", ""))
        if not confirm.is_valid() or kept is None:
            messages.error(request, "L'aperçu de l'import a expiré ou a été remplacé : importez le fichier de nouveau.")
            return redirect("diagnostics:import", pk=diagnostic.pk)
        try:
            rows = kept.revalidate(forms.IndicateurImportRowForm)
            count = services.diagnostic_import_indicateurs(
                actor=request.user, diagnostic_id=diagnostic.pk, expected_version=confirm.cleaned_data["version"],
                rows=rows)
        except DomainError as err:
            messages.error(request, err.message)
            return redirect("diagnostics:import", pk=diagnostic.pk)
        tabular.discard_preview(request.session, _import_key(diagnostic))
        messages.success(request, f"{count} indicateur(s) importé(s).")
        return redirect(reverse("diagnostics:detail", kwargs={"pk": diagnostic.pk}) + "#indicateurs")
    if request.method == "POST":
        upload_form = tabular.ImportUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            try:
                preview = tabular.parse_import(upload_form.cleaned_data["fichier"], columns=forms.IMPORT_COLUMNS,
                                               validator=forms.IndicateurImportRowForm)
            except tabular.TabularError as err:
                apply_domain_error(upload_form, err)
            else:
                if preview.is_valid:
                    token = tabular.store_preview(request.session, _import_key(diagnostic), preview)
                    confirm_form = forms.ImportConfirmForm(initial={"token": token, "version": diagnostic.version})
    return render(request, "diagnostics/import_form.html", {
        "diagnostic": diagnostic, "form": upload_form, "preview": preview, "confirm_form": confirm_form,
        "columns": forms.IMPORT_COLUMNS, "title": "Importer des indicateurs",
        "breadcrumbs": _crumbs(diagnostic, ("Importer des indicateurs", None)),
    })


def diagnostic_export(request, pk):
    diagnostic = selectors.diagnostic_get_for_user(request.user, pk)
    _check(permissions.can_view_diagnostic(request.user, diagnostic.contract))
    form = ColumnChoiceForm(request.GET or {"format": "csv"}, columns=EXPORT_COLUMNS)
    if not form.is_valid():
        form = ColumnChoiceForm({"format": "csv"}, columns=EXPORT_COLUMNS)
        form.is_valid()
    return export_response(list(diagnostic.indicateurs.all()), form.selected_columns(), form.cleaned_data["format"],
                           f"indicateurs-diagnostic-{diagnostic.pk}-v{diagnostic.numero}")


@require_POST
def diagnostic_transition(request, pk, action):
    diagnostic = selectors.diagnostic_get_for_user(request.user, pk)
    _check(permissions.can_view_diagnostic(request.user, diagnostic.contract))
    if action not in Transition.values:
        raise Http404("Action inconnue.")
    _check(permissions.can_fire(request.user, diagnostic, action))
    form = forms.TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.diagnostic_transition(actor=request.user, diagnostic_id=diagnostic.pk, action=action,
                                           commentaire=form.cleaned_data["commentaire"])
        except DomainError as err:
            apply_domain_error(form, err)
        else:
            messages.success(request, f"{Transition(action).label} : c'est fait.")
            return redirect("diagnostics:detail", pk=diagnostic.pk)
    return _render_detail(request, diagnostic, transition_form=form)


@require_POST
def diagnostic_new_version(request, pk):
    diagnostic = selectors.diagnostic_get_for_user(request.user, pk)
    _check(permissions.can_start_diagnostic(request.user, diagnostic.contract))
    try:
        new = services.diagnostic_new_version(actor=request.user, diagnostic_id=diagnostic.pk)
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("diagnostics:detail", pk=diagnostic.pk)
    messages.success(request, f"La version {new.numero} du diagnostic est créée ; la version {diagnostic.numero} "
                              "reste consultable.")
    return redirect("diagnostics:detail", pk=new.pk)


@require_POST
def priorite_create_axe(request, pk, priorite_pk):
    diagnostic = selectors.diagnostic_get_for_user(request.user, pk)
    _check(permissions.can_start_diagnostic(request.user, diagnostic.contract))
    priorite = get_object_or_404(diagnostic.priorites.all(), pk=priorite_pk)
    try:
        axe = services.priorite_create_axe(actor=request.user, priorite_id=priorite.pk)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, f"Axe {axe.numero} « {axe.titre} » créé dans le plan d'action, avec sa "
                                  "première fiche action.")
    return redirect(reverse("diagnostics:detail", kwargs={"pk": diagnostic.pk}) + "#priorites")


def diagnostic_synthese(request, pk):
    diagnostic = selectors.diagnostic_get_for_user(request.user, pk)
    _check(permissions.can_view_diagnostic(request.user, diagnostic.contract))
    selectors.diagnostic_load_sections(diagnostic)
    return render(request, "diagnostics/synthese.html", {
        "diagnostic": diagnostic, "contract": diagnostic.contract,
        "portrait": selectors.portrait_by_theme(diagnostic),
        "title": f"Synthèse du diagnostic — {diagnostic.contract.nom}",
        "breadcrumbs": _crumbs(diagnostic, ("Synthèse imprimable", None)),
    })

