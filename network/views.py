"""Thin views: user-scoped selectors (another région's event is a 404), predicates (403 with a French reason)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cls_portal.accounts.models import Role
from cls_portal.core import history
from cls_portal.core.errors import ConcurrentEditError, DomainError, apply_domain_error
from cls_portal.core.permissions import require

from . import forms, permissions, selectors, services

PAGE_SIZE = 20


def _crumbs(*extra):
    return [("Réseau des coordinateurs", reverse("network:directory")), *extra]


def directory(request):
    require(permissions.can_view_network(request.user))
    regions = list(selectors.visible_regions(request.user))
    codes = [r.code for r in regions]
    form = forms.DirectoryFilterForm(request.GET or None, region_codes=codes)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = selectors.coordinators(codes, departement=data.get("departement"), champ=data.get("champ"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    selectors.attach_themes(page.object_list)
    user = request.user
    ars = user.is_portal_admin or bool(user.roles() & {Role.REGION, Role.DELEGATION})
    return render(request, "network/directory.html", {
        "form": form, "page_obj": page, "regions": regions, "ars": ars,
        "mine": set(user.contracts_coordonnes.values_list("pk", flat=True)) if not ars else set(),
        "can_edit_contact": permissions.can_edit_contact(user)[0],
        "can_manage_events": permissions.can_manage_events(user)[0],
        "filtered": bool(data.get("departement") or data.get("champ")),
        "title": "Réseau régional des coordinateurs",
    })


def contact_edit(request):
    require(permissions.can_edit_contact(request.user))
    card = getattr(request.user, "network_contact", None)
    form = forms.ContactForm(request.POST or None, initial={"email": card.email if card else "",
                                                             "telephone": card.telephone if card else ""})
    if request.method == "POST" and form.is_valid():
        services.contact_update(actor=request.user, **form.cleaned_data)
        messages.success(request, "Vos coordonnées dans l'annuaire du réseau sont enregistrées.")
        return redirect("network:directory")
    return render(request, "core/form_page.html", {
        "form": form, "heading": "Mes coordonnées dans l'annuaire du réseau", "title": "Mes coordonnées",
        "cancel": reverse("network:directory"),
        "intro": "Ce que les coordinateurs et l'ARS de votre région voient de vous dans l'annuaire du réseau.",
        "breadcrumbs": _crumbs(("Mes coordonnées", None)),
    })


def event_list(request):
    require(permissions.can_view_network(request.user))
    today = timezone.localdate()
    events = selectors.events_for_user(request.user)
    upcoming = list(events.filter(date__gte=today).order_by("date", "pk")[:50])
    past = Paginator(events.filter(date__lt=today).order_by("-date", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    mine = selectors.my_invitations(request.user, [*upcoming, *past.object_list])
    for e in [*upcoming, *past.object_list]:
        e.my_invitation = mine.get(e.pk)
    return render(request, "network/event_list.html", {
        "upcoming": upcoming, "page_obj": past, "today": today,
        "is_coordinator": request.user.has_role(Role.COORDINATEUR),
        "can_create": permissions.can_manage_events(request.user)[0],
        "title": "Rencontres du réseau", "breadcrumbs": _crumbs(("Rencontres", None)),
    })


def event_create(request):
    require(permissions.can_manage_events(request.user))
    regions = selectors.managed_regions(request.user)
    if not regions:
        raise Http404("Aucune région à gérer.")
    form = forms.EventCreateForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            event = services.event_create(actor=request.user, region=d["region"], data=d, invite=d["inviter"])
        except DomainError as err:
            apply_domain_error(form, err)
        else:
            n = event.invitations.count()
            messages.success(request, "La rencontre est créée" + (
                f" ; {n} coordinateur{'s' if n > 1 else ''} invité{'s' if n > 1 else ''}." if n else "."))
            return redirect("network:event_detail", pk=event.pk)
    return render(request, "core/form_page.html", {
        "form": form, "heading": "Nouvelle rencontre du réseau", "title": "Nouvelle rencontre",
        "cancel": reverse("network:events"),
        "breadcrumbs": _crumbs(("Rencontres", reverse("network:events")), ("Nouvelle rencontre", None)),
    })


def _event_page(request, event, attendance_form=None):
    can_manage = permissions.can_manage_event(request.user, event)[0]
    invitations = list(selectors.event_invitations(event))
    if can_manage and attendance_form is None:
        attendance_form = forms.AttendanceForm(invitations=invitations)
    mine = next((i for i in invitations if i.user_id == request.user.pk), None)
    counts = {code: sum(1 for i in invitations if i.presence == code) for code in ("present", "absent", "excuse")}
    return render(request, "network/event_detail.html", {
        "event": event, "invitations": invitations, "can_manage": can_manage, "mine": mine, "counts": counts,
        "attendance_form": attendance_form if can_manage else None,
        # Each coordinator's attendance is for the ARS; a coordinator reads his own and the counts.
        "show_presence": can_manage or request.user.is_portal_admin
        or bool(request.user.roles() & {Role.REGION, Role.DELEGATION}),
        "started": event.date <= timezone.localdate(),
        "history_lines": history.lines(history.history_for(event)) if can_manage else [],
        "title": event.titre,
        "breadcrumbs": _crumbs(("Rencontres", reverse("network:events")), (event.titre, None)),
    })


def event_detail(request, pk):
    event = selectors.event_get_for_user(request.user, pk)
    require(permissions.can_view_network(request.user))
    return _event_page(request, event)


def _managed(request, pk):
    event = selectors.event_get_for_user(request.user, pk)
    require(permissions.can_view_network(request.user))
    require(permissions.can_manage_event(request.user, event))
    return event


def event_edit(request, pk):
    event = _managed(request, pk)
    form = forms.EventEditForm(request.POST or None, initial={
        "titre": event.titre, "type": event.type, "date": event.date, "heure_debut": event.heure_debut,
        "heure_fin": event.heure_fin, "lieu": event.lieu,
        "description": event.description, "version": event.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=request.user, event_id=event.pk,
                                  expected_version=form.cleaned_data.get("version"), data=form.cleaned_data)
        except DomainError as err:
            apply_domain_error(form, err)
            conflict = err if isinstance(err, ConcurrentEditError) else None
        else:
            messages.success(request, "La rencontre est enregistrée.")
            return redirect("network:event_detail", pk=event.pk)
    return render(request, "core/form_page.html", {
        "form": form, "heading": "Modifier la rencontre", "title": "Modifier la rencontre", "conflict": conflict,
        "cancel": reverse("network:event_detail", args=[event.pk]),
        "breadcrumbs": _crumbs(("Rencontres", reverse("network:events")),
                               (event.titre, reverse("network:event_detail", args=[event.pk])), ("Modifier", None)),
    })


@require_POST
def event_invite(request, pk):
    event = _managed(request, pk)
    try:
        n = services.event_invite(actor=request.user, event=event)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, f"{n} coordinateur{'s' if n > 1 else ''} invité{'s' if n > 1 else ''}.")
    return redirect("network:event_detail", pk=event.pk)


@require_POST
def attendance(request, pk):
    event = _managed(request, pk)
    form = forms.AttendanceForm(request.POST, invitations=selectors.event_invitations(event))
    if form.is_valid():
        try:
            n = services.attendance_record(actor=request.user, event=event, presences=form.presences())
        except DomainError as err:
            apply_domain_error(form, err)
        else:
            messages.success(request, "Présences enregistrées." if n else "Aucune présence n'a changé.")
            return redirect(reverse("network:event_detail", args=[event.pk]) + "#presences")
    return _event_page(request, event, attendance_form=form)


def news_list(request):
    require(permissions.can_view_network(request.user))
    page = Paginator(selectors.news_for_user(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "network/news_list.html", {
        "page_obj": page, "can_create": permissions.can_manage_events(request.user)[0],
        "title": "Actualités du réseau", "breadcrumbs": _crumbs(("Actualités", None)),
    })


def news_create(request):
    require(permissions.can_manage_events(request.user))
    regions = selectors.managed_regions(request.user)
    if not regions:
        raise Http404("Aucune région à gérer.")
    form = forms.NewsForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.news_publish(actor=request.user, region=d["region"], titre=d["titre"], texte=d["texte"],
                                  lien=d["lien"])
        except DomainError as err:
            apply_domain_error(form, err)
        else:
            messages.success(request, "L'actualité est publiée : les coordinateurs de la région en sont prévenus.")
            return redirect("network:news")
    return render(request, "core/form_page.html", {
        "form": form, "heading": "Publier une actualité du réseau", "title": "Publier une actualité",
        "intro": "Une information à relayer aux coordinateurs de la région : appel à projets, formation, "
                 "nouvelle ressource, changement de contact à l'ARS…",
        "cancel": reverse("network:news"),
        "breadcrumbs": _crumbs(("Actualités", reverse("network:news")), ("Publier une actualité", None)),
    })
