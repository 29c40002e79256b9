"""Thin views: user-scoped selectors (404 for another région's resource), predicates (403 with a French reason)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cls_portal.core import history
from cls_portal.core.errors import ConcurrentEditError, DomainError, apply_domain_error
from cls_portal.core.files import open_stored
from cls_portal.core.permissions import require

from . import forms, permissions, selectors, services
from .filters import ResourceFilter
from .models import ResourceVersion

PAGE_SIZE = 20


def _crumbs(*extra):
    return [("Ressources", reverse("resources:list")), *extra]


def _form_page(request, form, heading, *, resource=None, multipart=False, conflict=None):
    return render(request, "core/form_page.html", {
        "form": form, "title": f"{heading} « {resource.titre} »" if resource else heading, "heading": heading,
        "multipart": multipart, "conflict": conflict,
        "subtitle": f"{resource.titre} — {resource.get_categorie_display()}" if resource else "",
        "cancel": reverse("resources:detail", args=[resource.pk]) if resource else reverse("resources:list"),
        "breadcrumbs": _crumbs(*([(resource.titre, reverse("resources:detail", args=[resource.pk]))]
                                 if resource else []), (heading, None)),
    })


def _run(request, form, call, success):
    """Run `call(cleaned_data)` for a valid POSTed form; its DomainError goes next to its field. Returns the
    result, or None when the form is to be shown again."""
    form.conflict = None
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except DomainError as err:
        apply_domain_error(form, err)
        form.conflict = err if isinstance(err, ConcurrentEditError) else None
        return None
    messages.success(request, success)
    return result


def resource_list(request):
    require(permissions.can_view_library(request.user))
    fs = ResourceFilter(request.GET or None, queryset=selectors.resources_for_user(request.user))
    page = Paginator(fs.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "resources/resource_list.html", {
        "filter": fs, "page_obj": page, "title": "Ressources pour les coordinateurs",
        "filter_params": [(k, v) for k, vs in request.GET.lists() if k != "page" for v in vs],
        "can_create": permissions.can_manage_library(request.user)[0],
    })


def resource_create(request):
    require(permissions.can_manage_library(request.user))
    regions = selectors.managed_regions(request.user)
    if not regions:
        raise Http404("Aucune région à gérer.")
    form = forms.ResourceCreateForm(request.POST or None, request.FILES or None, regions=regions)
    resource = _run(request, form, lambda d: services.resource_create(
        actor=request.user, region=d["region"], titre=d["titre"], description=d["description"],
        categorie=d["categorie"], libelle=d["libelle"], date_version=d["date_version"], fichier=d["fichier"],
        lien=d["lien"]), "La ressource est ajoutée à la bibliothèque.")
    if resource is not None:
        return redirect("resources:detail", pk=resource.pk)
    return _form_page(request, form, "Ajouter une ressource", multipart=True)


def resource_detail(request, pk):
    resource = selectors.resource_detail(request.user, pk)
    require(permissions.can_view_library(request.user))
    can_manage = permissions.can_manage_resource(request.user, resource)[0]
    return render(request, "resources/resource_detail.html", {
        "resource": resource, "versions": list(resource.versions.all()), "can_manage": can_manage,
        "history_lines": history.lines(history.history_for(resource)),
        "title": resource.titre, "breadcrumbs": _crumbs((resource.titre, None)),
    })


def _managed(request, pk):
    resource = selectors.resource_get_for_user(request.user, pk)
    require(permissions.can_view_library(request.user))
    require(permissions.can_manage_resource(request.user, resource))
    return resource


def resource_edit(request, pk):
    resource = _managed(request, pk)
    form = forms.ResourceEditForm(request.POST or None, initial={
        "titre": resource.titre, "categorie": resource.categorie, "description": resource.description,
        "version": resource.version})
    done = _run(request, form, lambda d: services.resource_update(
        actor=request.user, resource_id=resource.pk, expected_version=d.get("version"), data=d),
        "La ressource est enregistrée.")
    if done is not None:
        return redirect("resources:detail", pk=resource.pk)
    return _form_page(request, form, "Modifier la ressource", resource=resource, conflict=form.conflict)


def version_add(request, pk):
    resource = _managed(request, pk)
    form = forms.VersionForm(request.POST or None, request.FILES or None)
    done = _run(request, form, lambda d: services.resource_add_version(
        actor=request.user, resource=resource, libelle=d["libelle"], date_version=d["date_version"],
        fichier=d["fichier"], lien=d["lien"]), "La nouvelle version est déposée : c'est désormais la version courante.")
    if done is not None:
        return redirect("resources:detail", pk=resource.pk)
    return _form_page(request, form, "Déposer une nouvelle version", resource=resource, multipart=True)


@require_POST
def resource_archive(request, pk):
    resource = _managed(request, pk)
    form = forms.ArchiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Demande incomprise : recommencez depuis la page de la ressource.")
        return redirect("resources:detail", pk=resource.pk)
    archived = form.cleaned_data["archiver"]
    try:
        services.resource_set_archived(actor=request.user, resource=resource, archived=archived)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, "La ressource est archivée : elle n'est plus proposée aux fiches et aux rapports."
                         if archived else "La ressource est remise en service.")
    return redirect("resources:detail", pk=resource.pk)


def version_download(request, pk, version_pk):
    resource = selectors.resource_get_for_user(request.user, pk)
    require(permissions.can_view_library(request.user))
    version = get_object_or_404(ResourceVersion, resource=resource, pk=version_pk)
    if not version.fichier:
        raise Http404("Cette version est un lien, sans fichier.")
    response = FileResponse(open_stored(version.fichier), as_attachment=True, filename=version.nom_original,
                            content_type=version.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
