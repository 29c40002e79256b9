"""Demo action plans: axes, sheets, indicators, yearly values and follow-ups consistent with each contract's phase.

Idempotent: a contract that already has axes is left alone.
"""

import contextlib
import datetime as dt
from decimal import Decimal

from django.utils import timezone

from cls_portal.core import history
from cls_portal.core.demo_clock import happened_on
from cls_portal.territories.models import Organisation, OrganisationType
from contracts.enums import Phase
from diagnostics.models import Priorite

from .enums import (
    ActionEvent,
    Agregation,
    Avancement,
    AxeType,
    FicheStatut,
    Financeur,
    Frequence,
    IndicateurType,
    LigneBudgetType,
    PartenaireRole,
)
from .models import (
    Axe,
    ChampAction,
    CommentaireRevue,
    FicheAction,
    Financement,
    Indicateur,
    Jalon,
    LigneBudget,
    PartenaireFiche,
    SuiviAnnuel,
    ValeurIndicateur,
    ValeurPeriode,
)

S = FicheStatut

# Each sheet: (title, status, pilot organisation name, pilot username or None, indicators, budget per year or None)
PILOTS_WITHOUT_ACCOUNT = ["Claire Martin", "Thomas Lemoine", "Sophie Garnier", "Julien Renaud", "Élodie Caron",
                          "Marc Bouvier", "Nadia Haddad"]
# Each indicator: (label, type, unit, baseline, target, higher_is_better)
BAYEUX = [
    ("Accès aux soins et attractivité du territoire", AxeType.THEMATIQUE,
     "Le territoire perd des médecins généralistes : un tiers a plus de 60 ans.", ["soins", "médecin", "accès"], [
         ("Accueillir internes et jeunes médecins sur le Bessin", S.EN_COURS, "CPTS du Bessin", None,
          [("Internes en stage accueillis par an", IndicateurType.PROCESSUS, "internes", 4, 10, True),
           ("Médecins généralistes installés depuis le début du CLS", IndicateurType.RESULTAT, "médecins", 0, 5,
            True)], 18000),
         ("Consolider la maison de santé pluriprofessionnelle de Trévières", S.EN_COURS, "CPTS du Bessin", None,
          [("Professionnels exerçant dans la MSP", IndicateurType.RESULTAT, "professionnels", 9, 14, True)], 25000),
         ("Accompagner l'accès aux droits et à une complémentaire santé", S.REALISEE, "CPAM du Calvados", "pilote",
          [("Personnes accompagnées par la mission accompagnement santé", IndicateurType.RESULTAT, "personnes", 60,
            150, True),
           ("Part des 18-25 ans sans complémentaire santé", IndicateurType.IMPACT, "%", Decimal("11.5"), 8, False)],
          6000),
     ]),
    ("Prévention et promotion de la santé", AxeType.THEMATIQUE,
     "Taux de dépistage des cancers inférieurs à la moyenne départementale ; surpoids des enfants.",
     ["prévention", "dépistage", "cancer", "nutrition"], [
         ("Promouvoir les dépistages organisés des cancers", S.EN_COURS, "CPAM du Calvados", "pilote",
          [("Taux de participation au dépistage du cancer colorectal", IndicateurType.IMPACT, "%", Decimal("29.4"),
            35, True),
           ("Actions de sensibilisation menées (Octobre rose, Mars bleu)", IndicateurType.PROCESSUS, "actions", 2, 8,
            True)], 9000),
         ("Nutrition et activité physique des enfants de 3 à 11 ans", S.REPORTEE, "Conseil départemental du Calvados",
          None, [("Écoles participant au programme", IndicateurType.PROCESSUS, "écoles", 0, 12, True)], 12000),
         ("Prévenir les conduites addictives chez les jeunes", S.EN_COURS, "Association Addictions France — Calvados",
          None, [("Jeunes sensibilisés en milieu scolaire", IndicateurType.PROCESSUS, "jeunes", 300, 1200, True)],
          15000),
     ]),
    ("Santé mentale et bien vieillir", AxeType.MIXTE,
     "Isolement des personnes âgées en zone rurale ; repérage tardif de la souffrance psychique.",
     ["mentale", "psychique", "âgées", "vieillir", "isolement"], [
         ("Former des secouristes en santé mentale", S.EN_COURS, "DAC du Calvados", None,
          [("Personnes formées aux premiers secours en santé mentale", IndicateurType.PROCESSUS, "personnes", 0, 120,
            True)], 8000),
         ("Rompre l'isolement des personnes âgées à domicile", S.VALIDEE, "CAF du Calvados", None,
          [("Personnes âgées repérées et orientées", IndicateurType.RESULTAT, "personnes", 0, 200, True)], None),
         ("Prévenir les chutes des plus de 65 ans", S.A_MODIFIER, "Centre hospitalier de Bayeux", None,
          [("Ateliers équilibre organisés", IndicateurType.PROCESSUS, "ateliers", 0, 30, True)], 7000),
     ]),
    ("Faire vivre le CLS", AxeType.TRANSVERSAL,
     "Axe transversal : gouvernance, communication et évaluation du contrat.", ["gouvernance"], [
         ("Animer la gouvernance du CLS (COPIL, COTECH, groupes de travail)", S.EN_COURS, "__collectivite__",
          "__coordinateur__", [("Réunions de COPIL et COTECH tenues", IndicateurType.PROCESSUS, "réunions", 0, 4,
                                True)], 3000),
         ("Faire connaître le CLS aux habitants et aux professionnels", S.EN_COURS, "__collectivite__", None,
          [("Lettres d'information diffusées", IndicateurType.PROCESSUS, "lettres", 0, 3, True)], 4000),
         ("Réduire l'exposition au radon dans l'habitat", S.SOUMISE, "__collectivite__", None,
          [("Logements ayant bénéficié d'une mesure du radon", IndicateurType.RESULTAT, "logements", 0, 150, True)],
          5000),
     ]),
]

SHORT_PLAN = [
    ("Accès aux soins de premier recours", AxeType.THEMATIQUE, "Démographie médicale fragile.", ["soins", "accès"], [
        ("Soutenir l'exercice coordonné", S.EN_COURS, "__cpam__", None,
         [("Professionnels en exercice coordonné", IndicateurType.RESULTAT, "professionnels", 12, 25, True)], 15000),
        ("Développer la télémédecine en EHPAD", S.EN_COURS, "__cpam__", None,
         [("Téléconsultations réalisées", IndicateurType.PROCESSUS, "téléconsultations", 0, 400, True)], 20000),
    ]),
    ("Prévention et santé des jeunes", AxeType.POPULATIONNEL, "Conduites à risque des 12-25 ans.",
     ["jeunes", "prévention"], [
         ("Points d'accueil et d'écoute jeunes", S.EN_COURS, "__collectivite__", None,
          [("Jeunes reçus au point d'écoute", IndicateurType.RESULTAT, "jeunes", 40, 150, True)], 10000),
         ("Vie affective et sexuelle au collège", S.REALISEE, "__collectivite__", None,
          [("Classes de 4e sensibilisées", IndicateurType.PROCESSUS, "classes", 0, 20, True)], 3000),
     ]),
    ("Faire vivre le CLS", AxeType.TRANSVERSAL, "Gouvernance, communication, évaluation.", ["gouvernance"], [
        ("Coordonner et évaluer le CLS", S.EN_COURS, "__collectivite__", None,
         [("COPIL annuels tenus", IndicateurType.PROCESSUS, "réunions", 0, 5, True)], None),
    ]),
]

DRAFT_PLAN = [
    ("Accès aux soins", AxeType.THEMATIQUE, "Issu des premiers constats du diagnostic.", ["soins"], [
        ("Attirer des médecins sur le territoire", S.BROUILLON, "__collectivite__", None,
         [("Médecins installés", IndicateurType.RESULTAT, "médecins", 0, 4, True)], None),
        ("Mieux orienter les patients sans médecin traitant", S.SOUMISE, "__cpam__", None,
         [("Patients sans médecin traitant orientés", IndicateurType.RESULTAT, "patients", 0, 300, True)], 5000),
    ]),
    ("Santé des personnes âgées", AxeType.POPULATIONNEL, "Vieillissement rapide de la population.", ["âgées"], [
        ("Prévenir la perte d'autonomie", S.BROUILLON, "__collectivite__", None, [], None),
    ]),
]

# Final/closed contracts: the same plan shape with most sheets done.
DONE = {S.EN_COURS: S.REALISEE}


# The fields of action of the demo axes, by a word of their title (the list: migration 0006).
AUTONOMIE = "Autonomie / personnes âgées et handicapées"
DEMO_CHAMPS = [
    ("accès", "Accès aux soins"), ("soins", "Accès aux soins"), ("prévention", "Prévention et promotion de la santé"),
    ("santé mentale", "Santé mentale"), ("autonomie", AUTONOMIE), ("âgées", AUTONOMIE), ("vieillir", AUTONOMIE),
    ("environnement", "Santé-environnement"), ("attract", "Attractivité pour les professionnels"),
    ("parcours", "Parcours de santé"), ("vulnérable", "Publics vulnérables"), ("précarité", "Publics vulnérables"),
]


def _org(nom, type_, dep=None):
    org, _ = Organisation.objects.get_or_create(nom=nom, type=type_, defaults={"departement_id": dep})
    return org


def _values(baseline, target, years, progress_end, unit=""):
    """Plausible yearly values moving from baseline towards target (reaching `progress_end` of the gap). Counts
    are whole (« 4 médecins », not « 3,8 »); only a small rate keeps a decimal (« 7,8 % »)."""
    baseline, target = Decimal(str(baseline)), Decimal(str(target))
    n = len(years)
    out = []
    for i, year in enumerate(years):
        share = Decimal(str(progress_end)) * (i + 1) / n
        out.append((year, (baseline + (target - baseline) * share).quantize(
            Decimal("0.1") if unit == "%" and target < 10 else Decimal("1"))))
    return out


def _on(signed, days_before_signature=None, day=None):
    """`happened_on` the given day (or so many days before the signature), if the contract is signed and the day
    is past; otherwise now."""
    when = day or (signed - dt.timedelta(days=days_before_signature) if signed else None)
    return happened_on(when) if when and when < timezone.localdate() else contextlib.nullcontext()


def _plan(ctx, key, spec, *, value_years, suivi_years, cpam, final=False, comment_author=None):
    contract = ctx["contracts"].get(key)
    if contract is None or contract.axes.exists():
        return
    users = ctx["users"]
    partners = ctx["partners"]
    coord = contract.coordinators.first()
    actor = coord or users["admin"]
    priorites = list(Priorite.objects.filter(diagnostic__contract=contract, axe__isnull=True).order_by("ordre"))
    start = contract.date_signature or timezone.localdate()
    for a, (titre, type_, description, keywords, fiches) in enumerate(spec, start=1):
        axe = Axe.objects.create(contract=contract, numero=a, titre=titre, type=type_, description=description)
        axe.champs.set(ChampAction.objects.filter(libelle__in={c for k, c in DEMO_CHAMPS if k in titre.lower()}))
        prio = next((p for p in priorites if any(k in p.intitule.lower() for k in keywords)), None)
        if prio is not None:
            priorites.remove(prio)
            Priorite.objects.filter(pk=prio.pk).update(axe=axe)
        history.record(actor=actor, obj=axe, event=ActionEvent.AXE_CREE)
        for n, (ftitre, statut, org_name, pilot_name, indicators, budget) in enumerate(fiches, start=1):
            if final:
                statut = DONE.get(statut, statut)
            org = {"__collectivite__": contract.collectivite, "__cpam__": cpam}.get(org_name) or partners.get(org_name)
            pilot = coord if pilot_name == "__coordinateur__" else users.get(pilot_name) if pilot_name else None
            # Pilots who have no account yet: a name (and e-mail) kept on the sheet.
            pilot_without_account = "" if pilot else PILOTS_WITHOUT_ACCOUNT[(a * 3 + n) % len(PILOTS_WITHOUT_ACCOUNT)]
            fiche = FicheAction.objects.create(
                contract=contract, axe=axe, numero=n, titre=ftitre, statut=statut, pilote_organisation=org,
                pilote_personne=pilot, pilote_nom=pilot_without_account,
                contexte=f"{description} Le diagnostic local de santé partagé fait de ce constat une priorité.",
                objectif_general=f"{ftitre} sur l'ensemble du territoire du contrat.",
                objectifs_specifiques="Mobiliser les partenaires locaux ; toucher les publics les plus éloignés.",
                objectifs_operationnels="Organiser les actions prévues au calendrier ; suivre les indicateurs "
                                        "chaque année en COPIL.",
                description=f"Action « {ftitre.lower()} » portée par {org} avec les partenaires du CLS.",
                public_cible="Habitants du territoire, en priorité les publics vulnérables.",
                objectif_prs=("Prévention et promotion de la santé" if a == 2 else "Accès à la santé pour tous"),
                priorite=["haute", "moyenne", "basse"][(a + n) % 3], preexistante=(n == 2),
                date_debut=start.replace(day=1) + dt.timedelta(days=31 * (n - 1)),
                date_fin=start.replace(year=start.year + contract.duree_annees - 1, month=12, day=31),
                nb_soumissions=0 if statut == S.BROUILLON else (2 if statut != S.SOUMISE and n == 1 else 1),
            )
            if key == "bayeux" and (a, n) == (2, 2):
                fiche.copilotes_personnes.add(users["pilote"])
            if org is not None and org != contract.collectivite:
                # what the partner commits (fiche pratique: as the signatories do), on the sheet
                PartenaireFiche.objects.create(
                    fiche=fiche, organisation=contract.collectivite, role=PartenaireRole.FINANCEUR,
                    precision="Cofinancement de l'action",
                    moyens_droit_commun="Mise à disposition d'une salle et d'un agent d'accueil.",
                    financement=Decimal(budget) * Decimal("0.6") if budget else None,
                    ingenierie="Appui du service communication pour les supports.")
            Jalon.objects.create(fiche=fiche, libelle="Constitution du groupe de travail",
                                 date_prevue=fiche.date_debut, date_realisee=(
                                     fiche.date_debut + dt.timedelta(days=20) if statut != S.BROUILLON else None))
            Jalon.objects.create(fiche=fiche, libelle="Bilan en COPIL", date_prevue=dt.date(start.year + 1, 6, 30))
            if budget:
                for year in range(start.year, start.year + 2):
                    prevu = Decimal(budget)
                    LigneBudget.objects.create(fiche=fiche, annee=year, type=LigneBudgetType.FONCTIONNEMENT,
                                               libelle="Animation et supports", montant_prevu=prevu * Decimal("0.6"),
                                               montant_realise=(prevu * Decimal("0.55") if year in value_years
                                                                else None))
                    LigneBudget.objects.create(fiche=fiche, annee=year, type=LigneBudgetType.PRESTATION,
                                               libelle="Intervenants extérieurs", montant_prevu=prevu * Decimal("0.4"))
                    Financement.objects.create(fiche=fiche, annee=year, financeur=Financeur.ARS,
                                               montant=prevu * Decimal("0.5"))
                    Financement.objects.create(fiche=fiche, annee=year, financeur=Financeur.COLLECTIVITE,
                                               organisation=contract.collectivite, montant=prevu * Decimal("0.3"))
                    if org == cpam:
                        Financement.objects.create(fiche=fiche, annee=year, financeur=Financeur.CPAM, organisation=org,
                                                   montant=prevu * Decimal("0.2"))
            running = statut in (S.EN_COURS, S.REALISEE, S.REPORTEE)
            for label, type_ind, unit, base, target, up in indicators:
                ind = Indicateur.objects.create(
                    fiche=fiche, libelle=label, type=type_ind, unite=unit, valeur_reference=Decimal(str(base)),
                    annee_reference=start.year - 1, cible=Decimal(str(target)),
                    annee_cible=start.year + contract.duree_annees - 1, hausse_attendue=up,
                    source="Tableau de suivi du pilote" if type_ind == IndicateurType.PROCESSUS
                    else "Données de l'Assurance maladie (SNDS)" if unit == "%" else "Rapport d'activité du porteur")
                if running:
                    progress = 1.05 if statut == S.REALISEE else 0.45 if statut == S.REPORTEE else 0.75
                    for year, value in _values(base, target, value_years, progress, unit):
                        ValeurIndicateur.objects.create(indicateur=ind, annee=year, valeur=value,
                                                        saisi_par=pilot or actor,
                                                        commentaire="Chiffre consolidé pour le bilan annuel.")
            if key == "bayeux" and running and (a, n) == (1, 1):
                _quarterly_indicator(fiche, pilot or actor, value_years[-1])
            if running or statut == S.VALIDEE:
                for i, year in enumerate(suivi_years):
                    if statut == S.VALIDEE or (key == "bayeux" and n == 3 and year == suivi_years[-1] and a != 1):
                        continue  # not started yet / follow-up not filled in yet
                    SuiviAnnuel.objects.create(
                        fiche=fiche, annee=year, saisi_par=pilot or actor,
                        avancement=(Avancement.REALISEE if statut == S.REALISEE and i == len(suivi_years) - 1
                                    else Avancement.EN_RETARD if statut == S.REPORTEE else Avancement.EN_COURS),
                        realise=f"Actions conduites comme prévu avec {org}.",
                        difficultes=("Disponibilité des intervenants ; mobilisation du public en zone rurale."
                                     if statut == S.REPORTEE else "Pas de difficulté majeure."),
                        perspectives="Poursuivre et élargir aux communes non encore touchées.")
            # The sheet's history as it happened: written, submitted and validated in the months before the
            # signature, started when its action began (a contract not signed yet: its sheets are of these days).
            signed = contract.date_signature
            with _on(signed, 150):
                history.record(actor=actor, obj=fiche, event=ActionEvent.FICHE_CREEE,
                               changes={"statut": [None, S.BROUILLON]})
            if statut != S.BROUILLON:
                with _on(signed, 100 - n):
                    history.record(actor=actor, obj=fiche, event=ActionEvent.FICHE_SOUMISE,
                                   changes={"statut": [S.BROUILLON, S.SOUMISE]})
            if statut == S.A_MODIFIER and comment_author:
                CommentaireRevue.objects.create(
                    fiche=fiche, auteur=comment_author, section="indicateurs", transition="demander_modification",
                    texte="Merci de préciser la source de l'indicateur et d'ajouter un indicateur de résultat "
                          "(nombre de chutes évitées ou hospitalisations).")
                history.record(actor=comment_author, obj=fiche, event=ActionEvent.FICHE_MODIFICATIONS_DEMANDEES,
                               changes={"statut": [S.SOUMISE, S.A_MODIFIER]})
            elif statut not in (S.BROUILLON, S.SOUMISE) and comment_author:
                with _on(signed, 60 - n):
                    history.record(actor=comment_author, obj=fiche, event=ActionEvent.FICHE_VALIDEE,
                                   changes={"statut": [S.SOUMISE, S.VALIDEE]})
                if statut != S.VALIDEE:
                    with _on(signed, day=max(fiche.date_debut, signed) if signed else None):
                        history.record(actor=pilot or actor, obj=fiche, event=ActionEvent.FICHE_DEMARREE,
                                       changes={"statut": [S.VALIDEE, S.EN_COURS]})


def _quarterly_indicator(fiche, actor, last_year):
    """A count collected each quarter: the four quarters of the year before `last_year`, three of `last_year` (the
    4th not entered: the year's figure is the sum of three, the summary says « 3 périodes sur 4 renseignées »)."""
    ind = Indicateur.objects.create(
        fiche=fiche, libelle="Personnes reçues en permanence", type=IndicateurType.PROCESSUS, unite="personnes",
        cible=Decimal("400"), annee_cible=last_year + 3, frequence=Frequence.TRIMESTRIELLE,
        agregation=Agregation.SOMME, source="Registre des permanences")
    for year, quarters in ((last_year - 1, [82, 95, 71, 104]), (last_year, [98, 110, 87])):
        for n, value in enumerate(quarters, start=1):
            ValeurPeriode.objects.create(indicateur=ind, annee=year, periode=n, valeur=Decimal(value), saisi_par=actor)
        ValeurIndicateur.objects.create(indicateur=ind, annee=year, valeur=Decimal(sum(quarters)),
                                        periodes_renseignees=len(quarters), saisi_par=actor)


def seed(ctx):
    if "contracts" not in ctx:
        return
    users = ctx["users"]
    cpams = {
        "bayeux": ctx["partners"]["CPAM du Calvados"],
        "langres": ctx["partners"]["CPAM de la Haute-Marne"],
        "coutances": _org("CPAM de la Manche", OrganisationType.CPAM, "50"),
        "flers": _org("CPAM de l'Orne", OrganisationType.CPAM, "61"),
        "caux1": _org("CPAM de la Seine-Maritime", OrganisationType.CPAM, "76"),
        "caux2": _org("CPAM de la Seine-Maritime", OrganisationType.CPAM, "76"),
    }
    ars14 = users.get("ars14")
    _plan(ctx, "bayeux", BAYEUX, value_years=[2024, 2025], suivi_years=[2024, 2025], cpam=cpams["bayeux"],
          comment_author=ars14)
    _plan(ctx, "langres", SHORT_PLAN, value_years=[2023, 2024, 2025], suivi_years=[2023, 2024, 2025],
          cpam=cpams["langres"], comment_author=users.get("ars52"))
    _plan(ctx, "caux2", SHORT_PLAN, value_years=[2023, 2024, 2025], suivi_years=[2023, 2024, 2025],
          cpam=cpams["caux2"], comment_author=users.get("admin"))
    _plan(ctx, "flers", SHORT_PLAN, value_years=[2022, 2023, 2024, 2025], suivi_years=[2022, 2023, 2024, 2025],
          cpam=cpams["flers"], final=True, comment_author=users.get("admin"))
    _plan(ctx, "caux1", SHORT_PLAN[:2], value_years=[2020, 2021, 2022], suivi_years=[2020, 2021, 2022],
          cpam=cpams["caux1"], final=True, comment_author=users.get("admin"))
    contract = ctx["contracts"].get("coutances")
    if contract is not None and contract.phase == Phase.DIAGNOSTIC:
        _plan(ctx, "coutances", DRAFT_PLAN, value_years=[], suivi_years=[], cpam=cpams["coutances"],
              comment_author=users.get("ars50"))
