"""Error pages in French, in the portal's layout. A 403 shows the reason given by the permission
predicate (`PermissionDenied("…")`), so the user knows why and what to do."""

from django.shortcuts import render


def _page(request, status, title, message, reason=""):
    return render(request, "errors/error.html", {"title": title, "message": message, "reason": reason,
                                                  "status": status, "breadcrumbs": []}, status=status)


def permission_denied(request, exception=None):
    reason = str(exception) if exception is not None and str(exception) else ""
    return _page(request, 403, "Accès refusé", "Vous n'avez pas le droit d'effectuer cette action.", reason)


def page_not_found(request, exception=None):
    return _page(request, 404, "Page introuvable",
                 "La page demandée n'existe pas ou vous n'y avez pas accès.")


def bad_request(request, exception=None):
    return _page(request, 400, "Requête invalide", "La requête envoyée n'a pas pu être comprise.")


def server_error(request):
    # Kept independent of the database and of the request's user: rendered with a bare context.
    from django.http import HttpResponseServerError
    from django.template import loader

    html = loader.get_template("errors/500.html").render({})
    return HttpResponseServerError(html)


def conflict(request):
    return _page(request, 409, "Enregistrement non abouti",
                 "Une autre personne enregistrait la même fiche au même moment : votre enregistrement n'a pas pu "
                 "aboutir et rien n'a été modifié. Revenez à la page précédente, rechargez-la pour voir les "
                 "changements, puis recommencez.")
