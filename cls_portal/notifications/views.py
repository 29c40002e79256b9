"""The notification centre: a user's own notifications and e-mail preferences (any signed-in user)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from . import services
from .forms import EmailPreferencesForm
from .models import Notification


def notification_list(request):
    if request.method == "POST":
        services.notifications_mark_read(actor=request.user)
        messages.success(request, "Toutes vos notifications sont marquées comme lues.")
        return redirect("notifications:list")
    qs = Notification.objects.filter(user=request.user).order_by("-created_at", "-id")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page_obj": page, "nb_unread": qs.filter(read_at__isnull=True).count(), "title": "Mes notifications",
        "breadcrumbs": [("Mes notifications", None)],
    })


def email_preferences(request):
    form = EmailPreferencesForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.email_preferences_update(actor=request.user, user=request.user, wanted=set(form.cleaned_data["kinds"]))
        messages.success(request, "Vos préférences d'e-mails sont enregistrées.")
        return redirect("notifications:list")
    return render(request, "notifications/email_preferences.html", {
        "form": form, "title": "Mes préférences d'e-mails",
        "breadcrumbs": [("Mes notifications", reverse("notifications:list")), ("Préférences d'e-mails", None)],
    })
