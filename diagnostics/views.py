from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from cls_portal.core import tabular
from cls_portal.core.errors import ConcurrentEditError, DomainError, apply_domain_error
from cls_portal.core.exports import Column, ColumnChoiceForm, export_response
from cls_portal.core.permissions import require

from . import forms, permissions, selectors, services
from .enums import Outil, Transition
from .models import (
    ActeurCartographie,
    Consultation,
    Diagnostic,
    ElementPortrait,
    EtapeRetroplanning,
    Indicateur,
    PolitiqueCroisee,
    Priorite,
    RessourceLocale,
)


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

TRANSITION_MESSAGES = {
    Transition.SOUMETTRE: "Le diagnostic est soumis à la délégation départementale.",
    Transition.COMMENTER: "Votre commentaire est envoyé au coordinateur.",
    Transition.DEMANDER_MODIFICATIONS: "Les modifications sont demandées au coordinateur.",
    Transition.VALIDER: "Le diagnostic est validé : cette version est désormais figée.",
}

def _plain(value):
    """6.800 -> 6.8 and 100.000 -> 100 (the stored scale is not the figure's precision)."""
    if value is None:
        return None
    value = value.normalize()
    return value.quantize(1) if value.as_tuple().exponent > 0 else value


# Headers are the import's: an exported file re-imports as it is.
EXPORT_COLUMNS = [
    Column("theme", "Thème", lambda i: i.get_theme_display()),
    Column("libelle", "Libellé", lambda i: i.libelle),
    Column("valeur", "Valeur", lambda i: _plain(i.valeur)),
    Column("valeur_departement", "Département", lambda i: _plain(i.valeur_departement)),
    Column("valeur_region", "Région", lambda i: _plain(i.valeur_region)),
    Column("valeur_france", "France", lambda i: _plain(i.valeur_france)),
    Column("unite", "Unité", lambda i: i.unite),
    Column("source", "Source", lambda i: i.source),
    Column("annee", "Année", lambda i: i.annee),
]


def _crumbs(diagnostic, *extra):
    return [("Diagnostics", reverse("diagnostics:list")),
            (f"{diagnostic.contract.nom} — diagnostic, version {diagnostic.numero}",
             reverse("diagnostics:detail", kwargs={"pk": diagnostic.pk})), *extra]


def _conflict_data(post, err, diagnostic):
    """After a concurrent edit, re-bind what the user typed with the current version: saving again is then
    a deliberate choice, made after seeing what the other person changed."""
    if not isinstance(err, ConcurrentEditError):
        return post
    data = post.copy()
    data["version"] = Diagnostic.objects.values_list("version", flat=True).get(pk=diagnostic.pk)
    return data


def diagnostic_list(request):
    form = forms.ListFilterForm(request.GET or None)
    statut = form.cleaned_data["statut"] if form.is_valid() else ""
    page = Paginator(selectors.contracts_with_diagnostics(request.user, statut=statut), 25).get_page(
        request.GET.get("page"))
    rows = [{"contract": c, "latest": next(iter(c.diagnostics.all()), None),
             "can_start": permissions.can_start_diagnostic(request.user, c)[0]} for c in page]
    return render(request, "diagnostics/diagnostic_list.html", {
        "rows": rows, "page_obj": page, "filter_form": form, "title": "Diagnostics locaux de santé",
        "breadcrumbs": [("Diagnostics", None)]})


def diagnostic_contract(request, contract_pk):
    """The contract's diagnostic tab: its current version, or an offer to start one."""
    contract = selectors.contract_for_user(request.user, contract_pk)
    require(permissions.can_view_diagnostic(request.user, contract))
    latest = selectors.latest_diagnostic(contract)
    if latest is not None:
        return redirect("diagnostics:detail", pk=latest.pk)
    return render(request, "diagnostics/contract_empty.html", {
        "contract": contract, "can_start": permissions.can_start_diagnostic(request.user, contract)[0],
        "title": f"Diagnostic — {contract.nom}",
        "breadcrumbs": [("Contrats", reverse("contracts:list")),
                        (contract.nom, reverse("contracts:detail", kwargs={"pk": contract.pk})), ("Diagnostic", None)],
    })


@require_POST
def diagnostic_start(request, contract_pk):
    contract = selectors.contract_for_user(request.user, contract_pk)
    require(permissions.can_start_diagnostic(request.user, contract))
    try:
        diagnostic = services.diagnostic_start(actor=request.user, contract=contract)
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("diagnostics:contract", contract_pk=contract.pk)
    messages.success(request, "Le diagnostic est créé : commencez par sa préparation.")
    return redirect("diagnostics:preparation", pk=diagnostic.pk)


def _plan_url(contract):
    try:  # the action plan's page belongs to the actions app; link to it once its route exists
        return reverse("actions:plan", kwargs={"contract_pk": contract.pk})
    except NoReverseMatch:
        return None


def _render_detail(request, diagnostic, transition_form=None, status=200):
    selectors.diagnostic_load_sections(diagnostic)
    user, contract = request.user, diagnostic.contract
    return render(request, "diagnostics/diagnostic_detail.html", {
        "diagnostic": diagnostic, "contract": contract,
        "sections": SECTIONS, "indicator_groups": selectors.indicators_by_theme(diagnostic),
        "portrait": selectors.portrait_by_theme(diagnostic),
        "versions": selectors.versions_of(diagnostic), "thread": selectors.review_thread(diagnostic, request.user),
        "history": selectors.recent_history(diagnostic, request.user),
        "can_edit": permissions.can_edit_diagnostic(user, diagnostic)[0],
        "can_link_axe": permissions.can_link_axe(user, diagnostic)[0],
        "can_new_version": permissions.can_new_version(user, diagnostic)[0],
        "transitions": permissions.available_transitions(user, diagnostic),
        "transition_form": transition_form or forms.TransitionForm(),
        "plan_url": _plan_url(contract), "outils": _outils_display(diagnostic),
        "perimetre": selectors.diagnostic_perimeter(diagnostic),
        "title": f"Diagnostic — {contract.nom}",
        "breadcrumbs": [("Diagnostics", reverse("diagnostics:list")),
                        (contract.nom, reverse("contracts:detail", kwargs={"pk": contract.pk})),
                        (f"Diagnostic, version {diagnostic.numero}", None)],
    }, status=status)


def _outils_display(diagnostic) -> list[str]:
    labels = dict(Outil.choices)
    return [labels.get(o, o) for o in diagnostic.outils]


def diagnostic_detail(request, pk):
    diagnostic = selectors.diagnostic_get_for_user(request.user, pk)
    require(permissions.can_read_version(request.user, diagnostic))
    return _render_detail(request, diagnostic)


def diagnostic_preparation(request, pk):
    diagnostic = selectors.diagnostic_get_for_user(request.user, pk)
    require(permissions.can_edit_diagnostic(request.user, diagnostic))
    form = forms.PreparationForm(request.POST or None, instance=diagnostic, initial={"version": diagnostic.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.diagnostic_update_preparation(actor=request.user, diagnostic_id=diagnostic.pk,
                                                   expected_version=form.cleaned_data["version"], data=data)
        except DomainError as err:
            conflict = getattr(err, "changes", None)
            form = forms.PreparationForm(_conflict_data(request.POST, err, diagnostic), instance=diagnostic)
            form.is_valid()
            apply_domain_error(form, err)
        else:
            messages.success(request, "La préparation du diagnostic est enregistrée.")
            return redirect(reverse("diagnostics:detail", kwargs={"pk": diagnostic.pk}) + "#preparation")
    return render(request, "diagnostics/preparation_form.html", {
        "diagnostic": diagnostic, "form": form, "conflict": conflict,
        "perimetre": selectors.diagnostic_perimeter(diagnostic), "conflict_labels": _labels(forms.PreparationForm),
        "title": "Préparation du diagnostic", "breadcrumbs": _crumbs(diagnostic, ("Préparation", None)),
    })


def _labels(form_class) -> dict:
    return {name: f.label for name, f in form_class.base_fields.items()}


def diagnostic_section(request, pk, section):
    conf = SECTIONS.get(section)
    if conf is None:
        raise Http404("Section inconnue.")
    diagnostic = selectors.diagnostic_get_for_user(request.user, pk)
    require(permissions.can_edit_diagnostic(request.user, diagnostic))
    data = request.POST if request.method == "POST" else None
    version_form = forms.VersionForm(data, initial={"version": diagnostic.version})
    formset = _bind_section(conf, diagnostic, data)
    if request.method == "POST" and version_form.is_valid() and formset.is_valid():
        try:
            services.diagnostic_save_section(actor=request.user, diagnostic_id=diagnostic.pk, section=section,
                                             expected_version=version_form.cleaned_data["version"], formset=formset)
        except DomainError as err:
            version_form = forms.VersionForm(_conflict_data(request.POST, err, diagnostic))
            version_form.is_valid()
            version_form.add_error(None, err.message)
        else:
            messages.success(request, f"« {conf.title} » : modifications enregistrées.")
            return redirect(reverse("diagnostics:detail", kwargs={"pk": diagnostic.pk}) + f"#{section}")
    return render(request, "diagnostics/section_form.html", {
        "diagnostic": diagnostic, "section": section, "conf": conf, "formset": formset,
        "version_form": version_form, "sections": SECTIONS,
        "title": conf.title, "breadcrumbs": _crumbs(diagnostic, (conf.title, None)),
    })


def _bind_section(conf, diagnostic, data):
    form_kwargs = {"contract": diagnostic.contract} if conf.organisations else {}
    formset = conf.formset_class()(data, instance=diagnostic, form_kwargs=form_kwargs, prefix="lignes")
    if conf.organisations:
        forms.share_organisation_choices(formset)
    return formset


def _import_key(diagnostic):
    return f"diagnostic-{diagnostic.pk}-indicateurs"


def diagnostic_import(request, pk):
    """Step 1 (POST `fichier`): read and check, save nothing; step 2 (POST `token`): add every row."""
    diagnostic = selectors.diagnostic_get_for_user(request.user, pk)
    require(permissions.can_edit_diagnostic(request.user, diagnostic))
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
        "preview_rows": [(n, [raw.get(c.key, "") for c in forms.IMPORT_COLUMNS]) for n, raw in preview.rows]
        if preview else [],
        "columns": forms.IMPORT_COLUMNS, "title": "Importer des indicateurs",
        "breadcrumbs": _crumbs(diagnostic, ("Importer des indicateurs", None)),
    })


def diagnostic_export(request, pk):
    diagnostic = selectors.diagnostic_get_for_user(request.user, pk)
    require(permissions.can_read_version(request.user, diagnostic))
    form = ColumnChoiceForm(request.GET or {"format": "csv"}, columns=EXPORT_COLUMNS)
    if not form.is_valid():
        form = ColumnChoiceForm({"format": "csv"}, columns=EXPORT_COLUMNS)
        form.is_valid()
    return export_response(list(diagnostic.indicateurs.all()), form.selected_columns(), form.cleaned_data["format"],
                           f"indicateurs-diagnostic-{diagnostic.pk}-v{diagnostic.numero}")


@require_POST
def diagnostic_transition(request, pk, action):
    diagnostic = selectors.diagnostic_get_for_user(request.user, pk)
    require(permissions.can_read_version(request.user, diagnostic))
    if action not in Transition.values:
        raise Http404("Action inconnue.")
    require(permissions.can_fire(request.user, diagnostic, action))
    form = forms.TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.diagnostic_transition(actor=request.user, diagnostic_id=diagnostic.pk, action=action,
                                           commentaire=form.cleaned_data["commentaire"])
        except DomainError as err:
            apply_domain_error(form, err)
        else:
            messages.success(request, TRANSITION_MESSAGES[action])
            return redirect("diagnostics:detail", pk=diagnostic.pk)
    return _render_detail(request, diagnostic, transition_form=form)


@require_POST
def diagnostic_new_version(request, pk):
    diagnostic = selectors.diagnostic_get_for_user(request.user, pk)
    require(permissions.can_new_version(request.user, diagnostic))
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
    require(permissions.can_link_axe(request.user, diagnostic))
    priorite = get_object_or_404(diagnostic.priorites.all(), pk=priorite_pk)
    try:
        axe = services.priorite_create_axe(actor=request.user, priorite_id=priorite.pk)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, f"Axe {axe.numero} « {axe.titre} » créé dans le plan d'action, avec sa "
                                  "première fiche action à compléter.")
    return redirect(reverse("diagnostics:detail", kwargs={"pk": diagnostic.pk}) + "#priorites")


def diagnostic_synthese(request, pk):
    diagnostic = selectors.diagnostic_get_for_user(request.user, pk)
    require(permissions.can_read_version(request.user, diagnostic))
    selectors.diagnostic_load_sections(diagnostic)
    return render(request, "diagnostics/synthese.html", {
        "diagnostic": diagnostic, "contract": diagnostic.contract,
        "portrait": selectors.portrait_by_theme(diagnostic),
        "perimetre": selectors.diagnostic_perimeter(diagnostic),
        "indicator_count": len(diagnostic.indicateurs.all()),
        "consultation_count": len(diagnostic.consultations.all()),
        "participants": sum(c.nb_participants or 0 for c in diagnostic.consultations.all()),
        "title": f"Synthèse du diagnostic — {diagnostic.contract.nom}",
        "breadcrumbs": _crumbs(diagnostic, ("Synthèse imprimable", None)),
    })

