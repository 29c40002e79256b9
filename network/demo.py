"""Demo data of the regional team's tools for its coordinators: the library of resources (seeded here, after the
accounts and contracts exist, since this app runs last: the resources app sits below contracts and its seed
would run before the regional team's account is created) and the network's meetings with attendance.

Source wording: ARS Normandie « a élaboré un guide régional à l'attention des coordinateurs de CLS […] Il
comprend des fiches pratiques concrètes, un kit de communication » and « a réuni le 25 mars les 23
coordinateurs de CLS sur 30 » ; Grand Est « réunissant les coordonnateurs lors de journées de formation »."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from actions.models import FicheAction
from cls_portal.territories.models import Region
from reports.models import Report
from resources import services as resource_services
from resources.enums import ResourceCategory
from resources.models import Resource

from . import services
from .enums import EventType, Presence
from .models import Event, News

LIBRARY = [
    # title, category, description, versions: (label, date, file name or None, link)
    ("Guide régional à l'attention des coordinateurs de CLS", ResourceCategory.GUIDE,
     "Le socle commun de partage de connaissances des coordinateurs : démarche, acteurs, étapes du CLS.",
     [("2023", dt.date(2023, 3, 1), "guide-regional-2023.pdf", ""),
      ("2025", dt.date(2025, 3, 25), "guide-regional-2025.pdf", "")]),
    ("Fiche pratique n°5 — Les étapes d'élaboration d'un CLS", ResourceCategory.FICHE_PRATIQUE,
     "De la phase préalable à la signature : diagnostic partagé, plan d'action, modalités de mise en œuvre.",
     [("v1", dt.date(2023, 3, 1), "fiche-pratique-5.pdf", "")]),
    ("Kit de communication des CLS", ResourceCategory.KIT_COMMUNICATION,
     "Logos, gabarits de présentation et éléments de langage pour faire connaître le CLS.",
     [("2024", dt.date(2024, 1, 15), "kit-communication-2024.pdf", "https://www.normandie.ars.sante.fr/")]),
    ("Charte graphique du partenariat avec l'ARS Normandie", ResourceCategory.CHARTE_GRAPHIQUE,
     "Toute collectivité signataire d'un CLS mentionne son partenariat avec l'ARS Normandie selon cette charte.",
     [("v1", dt.date(2022, 9, 1), "charte-graphique-v1.pdf", ""),
      ("v2", dt.date(2024, 9, 1), "charte-graphique-v2.pdf", "")]),
    ("Modèle de rapport annuel d'activité", ResourceCategory.MODELE,
     "Le plan type du rapport d'activité présenté chaque année au comité de pilotage.",
     [("2024", dt.date(2024, 11, 1), "modele-rapport-activite.pdf", "")]),
]


def _pdf(name: str):
    body = (f"%PDF-1.4\n% {name}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            "2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    return SimpleUploadedFile(name, body.encode("utf-8"), content_type="application/pdf")


def _library(ctx):
    region_team = ctx["users"]["ars-normandie"]
    normandie = Region.objects.get(code="28")
    made = {}
    for titre, categorie, description, versions in LIBRARY:
        resource = Resource.objects.filter(region=normandie, titre=titre).first()
        if resource is None:
            (label, day, name, link), *later = versions
            resource = resource_services.resource_create(
                actor=region_team, region=normandie, titre=titre, description=description, categorie=categorie,
                libelle=label, date_version=day, fichier=_pdf(name) if name else None, lien=link)
            for label, day, name, link in later:
                resource_services.resource_add_version(actor=region_team, resource=resource, libelle=label,
                                                       date_version=day, fichier=_pdf(name) if name else None,
                                                       lien=link)
        made[categorie] = resource
    # A sheet and a report of Bayeux say what they follow (set directly: an illustration of the seed, on
    # objects the other apps' seeds created; the pages set them through the sheet form and the report page).
    bayeux = ctx["contracts"].get("bayeux")
    if bayeux is not None:
        FicheAction.objects.filter(contract=bayeux, ressource__isnull=True, axe__numero=1, numero=1).update(
            ressource=made[ResourceCategory.FICHE_PRATIQUE])
        Report.objects.filter(contract=bayeux, kind="activite", ressource__isnull=True).update(
            ressource=made[ResourceCategory.MODELE])


def _events(ctx):
    users = ctx["users"]
    today = timezone.localdate()
    normandie, grand_est = Region.objects.get(code="28"), Region.objects.get(code="44")
    services.contact_update(actor=users["coordinateur"], email="", telephone="02 31 51 00 00")
    if not Event.objects.filter(region=normandie).exists():
        journee = services.event_create(
            actor=users["ars-normandie"], region=normandie, data={
                "titre": "Journée régionale des coordinateurs de CLS", "type": EventType.REUNION,
                "date": dt.date(2025, 3, 25), "heure_debut": dt.time(9, 30), "heure_fin": dt.time(16, 30),
                "lieu": "Caen, siège de l'ARS Normandie",
                "description": "Introduite par le directeur général de l'ARS : les missions d'animation et de "
                               "coordination, retours d'expérience et bonnes pratiques."})
        answers = {"coordinateur": Presence.PRESENT, "coordinateur2": Presence.EXCUSE}
        services.attendance_record(actor=users["ars-normandie"], event=journee, presences={
            inv.pk: answers.get(inv.user.username, Presence.PRESENT)
            for inv in journee.invitations.select_related("user")})
        services.event_create(
            actor=users["ars-normandie"], region=normandie, data={
                "titre": "Formation : préparer l'évaluation finale du CLS", "type": EventType.FORMATION,
                "date": today + dt.timedelta(days=45), "heure_debut": dt.time(14), "heure_fin": dt.time(16),
                "lieu": "En visioconférence",
                "description": "Questions évaluatives, choix de l'évaluateur, calendrier : méthode et exemples."})
    if not Event.objects.filter(region=grand_est).exists():
        services.event_create(
            actor=None, region=grand_est, data={
                "titre": "Journée de formation des coordonnateurs du Grand Est", "type": EventType.FORMATION,
                "date": today + dt.timedelta(days=30), "lieu": "Nancy"})


def _news(ctx):
    normandie = Region.objects.get(code="28")
    if not News.objects.filter(region=normandie).exists():
        services.news_publish(
            actor=ctx["users"]["ars-normandie"], region=normandie,
            titre="Appel à projets « Prévention et promotion de la santé » 2026",
            texte="L'ARS Normandie ouvre son appel à projets annuel. Les actions inscrites dans un contrat local de "
                  "santé sont prioritaires : pensez-y pour les fiches actions en recherche de financement.",
            lien="https://www.normandie.ars.sante.fr/")


def seed(ctx):
    if "users" not in ctx or "ars-normandie" not in ctx["users"]:
        return
    _library(ctx)
    _events(ctx)
    _news(ctx)
