"""Demo diagnostics: Coutances Mer et Bocage (being written, phase diagnostic) and Bayeux Intercom
(validated in 2023, before the contract's signature). Idempotent: a contract that already has a diagnostic
is left alone. `actions.demo` runs after this module and links each axe it creates to the priority it answers.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from cls_portal.territories.models import Organisation, OrganisationType

from . import services
from .enums import AppuiExterne, AxeType, Nature, Politique, Theme, Transition, TypeConsultation
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

D = Decimal

# theme, label, territory, département, région, France, unit, source, year
COUTANCES_INDICATEURS = [
    (Theme.POPULATION, "Part des 75 ans et plus", D("13.4"), D("12.9"), D("10.6"), D("9.6"), "%",
     "INSEE, recensement de la population", 2021),
    (Theme.POPULATION, "Indice de vieillissement (65 ans et plus pour 100 moins de 20 ans)", D("118"), D("115"),
     D("92"), D("85"), "indice", "INSEE, recensement de la population", 2021),
    (Theme.SITUATION_SOCIALE, "Taux de pauvreté (seuil à 60 % du revenu médian)", D("13.1"), D("12.6"), D("14.0"),
     D("14.5"), "%", "INSEE, Filosofi", 2021),
    (Theme.SITUATION_SOCIALE, "Bénéficiaires de la complémentaire santé solidaire", D("8.2"), D("8.9"), D("10.4"),
     D("11.2"), "% de la population", "Assurance maladie", 2023),
    (Theme.OFFRE_SOINS, "Densité de médecins généralistes libéraux", D("6.9"), D("7.8"), D("7.9"), D("8.5"),
     "pour 10 000 habitants", "Assurance maladie (SNDS)", 2023),
    (Theme.OFFRE_SOINS, "Médecins généralistes âgés de 60 ans et plus", D("41"), D("36"), D("33"), D("30"), "%",
     "Assurance maladie (SNDS)", 2023),
    (Theme.OFFRE_SOINS, "Patients de 17 ans et plus sans médecin traitant", D("11.8"), D("9.7"), D("9.1"),
     D("10.9"), "%", "Assurance maladie", 2023),
    (Theme.OFFRE_SOINS, "Densité d'infirmiers libéraux", D("15.2"), D("14.1"), D("13.0"), D("16.9"),
     "pour 10 000 habitants", "Assurance maladie (SNDS)", 2023),
    (Theme.PREVENTION, "Participation au dépistage organisé du cancer colorectal", D("34.1"), D("35.0"),
     D("34.6"), D("34.3"), "%", "Santé publique France", 2023),
    (Theme.PREVENTION, "Couverture vaccinale contre la grippe des 65 ans et plus", D("58.3"), D("57.9"),
     D("56.8"), D("54.0"), "%", "Assurance maladie", 2023),
    (Theme.ETAT_SANTE, "Indice comparatif de mortalité prématurée (France = 100)", D("112"), D("108"), D("111"),
     D("100"), "indice", "ORS Normandie (Inserm CépiDc)", 2019),
    (Theme.SANTE_MENTALE, "Taux standardisé de mortalité par suicide", D("22.4"), D("20.1"), D("18.2"),
     D("13.4"), "pour 100 000 habitants", "ORS Normandie (Inserm CépiDc)", 2019),
    (Theme.MEDICO_SOCIAL, "Places en EHPAD pour 1 000 personnes de 75 ans et plus", D("118"), D("112"),
     D("104"), D("97"), "places", "DREES, FINESS", 2023),
    (Theme.ENVIRONNEMENT, "Résidences principales construites avant 1946", D("27"), D("24"), D("22"), D("19"),
     "%", "INSEE, recensement de la population", 2021),
]

BAYEUX_INDICATEURS = [
    (Theme.POPULATION, "Part des 75 ans et plus", D("12.1"), D("11.2"), D("10.4"), D("9.4"), "%",
     "INSEE, recensement de la population", 2019),
    (Theme.SITUATION_SOCIALE, "Taux de pauvreté (seuil à 60 % du revenu médian)", D("11.6"), D("13.2"),
     D("14.0"), D("14.6"), "%", "INSEE, Filosofi", 2020),
    (Theme.OFFRE_SOINS, "Densité de médecins généralistes libéraux", D("7.1"), D("8.6"), D("8.0"), D("8.7"),
     "pour 10 000 habitants", "Assurance maladie (SNDS)", 2022),
    (Theme.OFFRE_SOINS, "Patients de 17 ans et plus sans médecin traitant", D("10.4"), D("8.7"), D("8.9"),
     D("10.4"), "%", "Assurance maladie", 2022),
    (Theme.PREVENTION, "Participation au dépistage organisé du cancer du sein", D("52.7"), D("53.9"), D("52.5"),
     D("46.5"), "%", "Santé publique France", 2022),
    (Theme.SANTE_MENTALE, "Patients sous traitement antidépresseur", D("6.9"), D("6.4"), D("6.2"), D("5.8"),
     "% des assurés", "Assurance maladie (SNDS)", 2021),
    (Theme.ETAT_SANTE, "Indice comparatif de mortalité prématurée (France = 100)", D("104"), D("103"),
     D("111"), D("100"), "indice", "ORS Normandie (Inserm CépiDc)", 2018),
    (Theme.ENVIRONNEMENT, "Part de la population exposée à un dépassement des valeurs guides de l'OMS pour les "
     "particules fines PM2,5", D("12"), D("18"), D("31"), D("45"), "%", "Atmo Normandie", 2021),
]

# Worded like the axes `actions.demo` builds afterwards: it links each axe to the priority it answers.
BAYEUX_PRIORITES = [
    ("Faciliter l'accès aux soins de premier recours et l'installation de médecins", AxeType.THEMATIQUE,
     "Densité de médecins généralistes inférieure à celle du département ; un patient sur dix sans médecin "
     "traitant ; départs en retraite attendus.", "Accompagner l'installation de jeunes professionnels de santé"),
    ("Renforcer la prévention : dépistage des cancers et santé des jeunes", AxeType.THEMATIQUE,
     "Participation au dépistage organisé en retrait du département ; conduites à risques relevées par les "
     "établissements scolaires et la mission locale.", "Aller vers les publics éloignés du dépistage"),
    ("Prévenir la souffrance psychique et l'isolement des personnes âgées", AxeType.MIXTE,
     "Recours aux antidépresseurs supérieur aux moyennes ; isolement dans les communes rurales ; aidants épuisés.",
     "Former des sentinelles en prévention du suicide"),
    ("Faire vivre le CLS : gouvernance, communication et évaluation", AxeType.TRANSVERSAL,
     "Besoin d'une coordination identifiée et d'une communication régulière vers les habitants et les élus.",
     "Animer la gouvernance du CLS et informer les habitants"),
]


def _org(nom, type_, dep):
    org, _ = Organisation.objects.get_or_create(nom=nom, type=type_, defaults={"departement_id": dep})
    return org


def _indicateurs(diagnostic, rows):
    Indicateur.objects.bulk_create([
        Indicateur(diagnostic=diagnostic, theme=t, libelle=lib, valeur=v, valeur_departement=dep, valeur_region=reg,
                   valeur_france=fr, unite=u, source=s, annee=a) for t, lib, v, dep, reg, fr, u, s, a in rows])


def _coutances(contract, users):
    coord = users["coordinateur2"]
    d = services.diagnostic_start(actor=coord, contract=contract)
    services.diagnostic_update_preparation(actor=coord, diagnostic_id=d.pk, expected_version=d.version, data={
        "gouvernance_hypothese": "COPIL présidé par le vice-président chargé de la santé et la déléguée "
                                 "départementale de l'ARS, deux fois par an ; COTECH mensuel pendant le diagnostic.",
        "coordination_hypothese": "Un coordinateur à temps plein recruté par la communauté de communes en septembre "
                                  "2025, co-financé par l'ARS Normandie.",
        "actions_existantes": "Maison de santé pluriprofessionnelle de Gavray, transport solidaire, ateliers "
                              "« Bien vieillir » du CCAS de Coutances, forum santé annuel.",
        "acteurs_a_associer": "Centre hospitalier de Coutances, CPTS Centre Manche, CPAM de la Manche, conseil "
                              "départemental (PMI, autonomie), Mutualité française Normandie, associations d'aide à "
                              "domicile, établissements scolaires, élus des 49 communes.",
        "outils": ["analyse_donnees", "entretiens", "questionnaire", "focus_groupes"],
        "outils_precisions": "Questionnaire en ligne et papier diffusé dans les mairies",
        "appui_externe": AppuiExterne.ORS,
        "appui_externe_precisions": "ORS-CREAI Normandie : portrait statistique et animation des focus groupes",
    })
    EtapeRetroplanning.objects.bulk_create([
        EtapeRetroplanning(diagnostic=d, libelle=lib, date_debut=a, date_fin=b) for lib, a, b in [
            ("Lancement du diagnostic en COPIL", dt.date(2025, 9, 15), None),
            ("Portrait statistique (ORS-CREAI Normandie)", dt.date(2025, 10, 1), dt.date(2025, 12, 15)),
            ("Entretiens avec les élus et les partenaires", dt.date(2025, 10, 15), dt.date(2026, 1, 31)),
            ("Questionnaire aux habitants", dt.date(2025, 11, 3), dt.date(2025, 12, 19)),
            ("Focus groupes professionnels et habitants", dt.date(2026, 1, 12), dt.date(2026, 2, 27)),
            ("Restitution et choix des priorités en COPIL", dt.date(2026, 3, 26), None),
        ]])
    _indicateurs(d, COUTANCES_INDICATEURS)
    Consultation.objects.bulk_create([
        Consultation(diagnostic=d, type=TypeConsultation.ENTRETIEN, date=dt.date(2025, 11, 6), publics=["elus"],
                     nb_participants=18, synthese="Inquiétude forte sur les départs en retraite des médecins ; "
                     "attente d'un appui pour l'accueil des internes et des jeunes professionnels."),
        Consultation(diagnostic=d, type=TypeConsultation.QUESTIONNAIRE, date=dt.date(2025, 12, 19),
                     publics=["habitants"], nb_participants=412, synthese="38 % des répondants ont renoncé à un soin "
                     "dans l'année, d'abord pour des raisons de délai ; la mobilité est citée par les plus âgés."),
        Consultation(diagnostic=d, type=TypeConsultation.FOCUS_GROUPE, date=dt.date(2026, 1, 20),
                     publics=["professionnels"], nb_participants=14, synthese="Besoin de temps de coordination "
                     "entre ville et hôpital ; difficultés d'orientation en santé mentale pour les adolescents."),
    ])
    PolitiqueCroisee.objects.bulk_create([
        PolitiqueCroisee(diagnostic=d, politique=Politique.PRS, intitule="PRS Normandie 2023-2028",
                         implications="Accès aux soins de premier recours et prévention des addictions sont des "
                                      "priorités régionales que le CLS peut décliner."),
        PolitiqueCroisee(diagnostic=d, politique=Politique.PTSM, intitule="PTSM de la Manche",
                         implications="Repérage précoce chez les jeunes ; lien avec la maison des adolescents."),
    ])
    chc = _org("Centre hospitalier de Coutances", OrganisationType.ETABLISSEMENT, "50")
    cpts = _org("CPTS Centre Manche", OrganisationType.CPTS, "50")
    cpam = _org("CPAM de la Manche", OrganisationType.CPAM, "50")
    RessourceLocale.objects.bulk_create([
        RessourceLocale(diagnostic=d, nom="Maison de santé pluriprofessionnelle de Gavray",
                        description="Exercice coordonné : 4 médecins, 6 infirmiers, 2 kinésithérapeutes."),
        RessourceLocale(diagnostic=d, nom="CPTS Centre Manche", organisation=cpts,
                        description="Mission d'accès au médecin traitant et de soins non programmés."),
    ])
    ElementPortrait.objects.bulk_create([
        ElementPortrait(diagnostic=d, theme=Theme.OFFRE_SOINS, nature=Nature.FAIBLESSE,
                        texte="Densité de médecins généralistes inférieure au département, 41 % ont 60 ans ou plus."),
        ElementPortrait(diagnostic=d, theme=Theme.OFFRE_SOINS, nature=Nature.FORCE,
                        texte="Une CPTS active et une maison de santé en exercice coordonné."),
        ElementPortrait(diagnostic=d, theme=Theme.PREVENTION, nature=Nature.FORCE,
                        texte="Couverture vaccinale contre la grippe supérieure aux moyennes."),
        ElementPortrait(diagnostic=d, theme=Theme.SANTE_MENTALE, nature=Nature.FAIBLESSE,
                        texte="Mortalité par suicide nettement supérieure à la moyenne nationale."),
    ])
    ActeurCartographie.objects.bulk_create([
        ActeurCartographie(diagnostic=d, organisation=chc, role_potentiel="Pilote des actions de parcours",
                           apports="Plateau technique, consultations avancées, équipe mobile de gériatrie",
                           interet_partenaire="Limiter les passages évitables aux urgences",
                           risque="Tensions sur les effectifs médicaux"),
        ActeurCartographie(diagnostic=d, organisation=cpts, role_potentiel="Co-pilote de l'axe accès aux soins",
                           apports="Réseau de 120 professionnels de santé libéraux",
                           interet_partenaire="Appui à ses missions socles et visibilité auprès des élus",
                           risque="Disponibilité des professionnels bénévoles"),
        ActeurCartographie(diagnostic=d, organisation=cpam, role_potentiel="Partenaire prévention et accès aux droits",
                           apports="Données de consommation de soins, mission accompagnement santé",
                           interet_partenaire="Atteindre les assurés éloignés du soin",
                           risque="Priorités nationales changeantes"),
        ActeurCartographie(diagnostic=d, acteur="Association des aidants du Coutançais",
                           role_potentiel="Relais auprès des aidants", apports="Connaissance fine des familles",
                           interet_partenaire="Reconnaissance et soutien de son action",
                           risque="Association fragile, reposant sur quelques bénévoles"),
    ])
    Priorite.objects.bulk_create([
        Priorite(diagnostic=d, ordre=1, intitule="Renforcer l'accès aux soins de premier recours",
                 type_axe=AxeType.THEMATIQUE, justification="Démographie médicale défavorable, renoncement aux soins.",
                 action_titre="Créer un guichet d'accueil des professionnels de santé"),
        Priorite(diagnostic=d, ordre=2, intitule="Prévenir la souffrance psychique des jeunes",
                 type_axe=AxeType.POPULATIONNEL, justification="Mortalité par suicide élevée, orientation difficile.",
                 action_titre="Former des professionnels au repérage de la crise suicidaire"),
    ])


def _bayeux(contract, users):
    coord, dd = users["coordinateur"], users["ars14"]
    d = services.diagnostic_start(actor=coord, contract=contract)
    services.diagnostic_update_preparation(actor=coord, diagnostic_id=d.pk, expected_version=d.version, data={
        "gouvernance_hypothese": "COPIL annuel co-présidé par le président de Bayeux Intercom et la directrice de "
                                 "la délégation du Calvados ; COTECH trimestriel.",
        "coordination_hypothese": "Coordinatrice à temps plein, poste co-financé à 50 % par l'ARS Normandie.",
        "actions_existantes": "Contrat de ville (quartier Saint-Jean), forum prévention jeunesse, transport à la "
                              "demande vers les consultations.",
        "acteurs_a_associer": "Centre hospitalier de Bayeux, CPTS du Bessin, CPAM et CAF du Calvados, DAC du "
                              "Calvados, conseil départemental, Addictions France.",
        "outils": ["analyse_donnees", "entretiens", "questionnaire", "reunions_publiques"],
        "appui_externe": AppuiExterne.ORS, "appui_externe_precisions": "ORS-CREAI Normandie",
    })
    _indicateurs(d, BAYEUX_INDICATEURS)
    partners = {o.nom: o for o in Organisation.objects.filter(nom__in=[
        "Centre hospitalier de Bayeux", "CPTS du Bessin", "CPAM du Calvados", "DAC du Calvados",
        "Association Addictions France — Calvados"])}
    Consultation.objects.bulk_create([
        Consultation(diagnostic=d, type=TypeConsultation.QUESTIONNAIRE, date=dt.date(2023, 5, 12),
                     publics=["habitants"], nb_participants=536,
                     synthese="Délais de rendez-vous et absence de médecin traitant en tête des difficultés."),
        Consultation(diagnostic=d, type=TypeConsultation.REUNION_PUBLIQUE, date=dt.date(2023, 6, 8),
                     publics=["habitants", "elus", "associations"], nb_participants=74,
                     synthese="Demande d'actions de prévention pour les jeunes et de soutien aux aidants."),
        Consultation(diagnostic=d, type=TypeConsultation.ENTRETIEN, date=dt.date(2023, 4, 20),
                     publics=["professionnels"], nb_participants=22,
                     synthese="Souhait d'une meilleure articulation ville-hôpital et d'un annuaire des ressources."),
    ])
    PolitiqueCroisee.objects.bulk_create([
        PolitiqueCroisee(diagnostic=d, politique=Politique.PRS, intitule="PRS Normandie 2023-2028",
                         implications="Accès aux soins, santé mentale et prévention : trois priorités régionales."),
        PolitiqueCroisee(diagnostic=d, politique=Politique.CONTRAT_VILLE, intitule="Contrat de ville de Bayeux",
                         implications="Le CLS porte le volet santé du quartier prioritaire Saint-Jean."),
        PolitiqueCroisee(diagnostic=d, politique=Politique.PRSE, intitule="PRSE 4 Normandie",
                         implications="Qualité de l'air intérieur dans les lieux accueillant des enfants."),
    ])
    RessourceLocale.objects.bulk_create([
        RessourceLocale(diagnostic=d, nom=nom, organisation=partners.get(nom), description=desc) for nom, desc in [
            ("CPTS du Bessin", "Accès au médecin traitant, soins non programmés, prévention."),
            ("DAC du Calvados", "Appui aux parcours complexes."),
            ("Maison de santé de Trévières", "Exercice coordonné en zone rurale."),
        ]])
    ElementPortrait.objects.bulk_create([
        ElementPortrait(diagnostic=d, theme=th, nature=n, texte=t) for th, n, t in [
            (Theme.OFFRE_SOINS, Nature.FAIBLESSE, "Un patient sur dix sans médecin traitant."),
            (Theme.OFFRE_SOINS, Nature.FORCE, "Centre hospitalier de proximité et CPTS structurée."),
            (Theme.SANTE_MENTALE, Nature.FAIBLESSE, "Recours aux antidépresseurs supérieur à la moyenne."),
            (Theme.SITUATION_SOCIALE, Nature.FORCE, "Taux de pauvreté inférieur aux moyennes régionale et "
                                                    "nationale."),
            (Theme.ENVIRONNEMENT, Nature.FORCE, "Bonne qualité de l'air extérieur."),
        ]])
    ActeurCartographie.objects.bulk_create([
        ActeurCartographie(diagnostic=d, organisation=partners.get(nom), acteur="" if nom in partners else nom,
                           role_potentiel=r, apports=a, interet_partenaire=i, risque=k) for nom, r, a, i, k in [
            ("Centre hospitalier de Bayeux", "Pilote des actions ville-hôpital", "Consultations avancées, "
             "équipe de psychiatrie", "Mieux organiser les sorties d'hospitalisation", "Effectifs médicaux tendus"),
            ("CPTS du Bessin", "Pilote de l'axe accès aux soins", "Réseau des libéraux du territoire",
             "Soutien à ses missions", "Temps disponible des professionnels"),
            ("CPAM du Calvados", "Partenaire prévention", "Données, accompagnement santé, examens de prévention",
             "Atteindre les publics éloignés", "Évolution des priorités nationales"),
            ("Association Addictions France — Calvados", "Opérateur des actions jeunes",
             "Intervenants formés en milieu scolaire", "Financement d'actions", "Dépendance aux appels à projets"),
        ]])
    Priorite.objects.bulk_create([
        Priorite(diagnostic=d, ordre=i, intitule=t, type_axe=ty, justification=j, action_titre=a)
        for i, (t, ty, j, a) in enumerate(BAYEUX_PRIORITES, start=1)])
    services.diagnostic_transition(actor=coord, diagnostic_id=d.pk, action=Transition.SOUMETTRE)
    services.diagnostic_transition(actor=dd, diagnostic_id=d.pk, action=Transition.VALIDER,
                                   commentaire="Diagnostic complet et partagé ; les priorités sont cohérentes avec "
                                               "le PRS. Bonne base pour le plan d'action.")
    # Dated as it happened, before the signature of March 2024.
    Diagnostic.objects.filter(pk=d.pk).update(
        soumis_le=timezone.make_aware(dt.datetime(2023, 9, 18, 10)),
        valide_le=timezone.make_aware(dt.datetime(2023, 10, 9, 15)))


def seed(ctx):
    users, contracts = ctx["users"], ctx["contracts"]
    if not Diagnostic.objects.filter(contract=contracts["coutances"]).exists():
        _coutances(contracts["coutances"], users)
    if not Diagnostic.objects.filter(contract=contracts["bayeux"]).exists():
        _bayeux(contracts["bayeux"], users)
