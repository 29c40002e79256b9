"""A contract with a realistic action plan, follow-up and budget, for the content tests."""

from decimal import Decimal

from actions.enums import Avancement, FicheStatut, Financeur, LigneBudgetType
from actions.models import Financement, Indicateur, LigneBudget, SuiviAnnuel, ValeurIndicateur
from tests import factories as f


def plan_contract(contract=None, *, year=2025):
    """Two axes, three sheets, indicators with values over two years, the year's follow-up and budget."""
    if contract is None:
        contract = f.ContractFactory(nom="Contrat local de santé du Bessin test",
                                     communes=[f.CommuneFactory(nom="Bayeux test", population=14500)])
    axe1 = f.AxeFactory(contract=contract, numero=1, titre="Accès aux soins de premier recours")
    axe2 = f.AxeFactory(contract=contract, numero=2, titre="Prévention et promotion de la santé")
    mobile = f.FicheActionFactory(axe=axe1, numero=1, titre="Déployer un bus de santé itinérant",
                                  statut=FicheStatut.EN_COURS)
    interns = f.FicheActionFactory(axe=axe1, numero=2, titre="Accueillir les internes en médecine générale",
                                   statut=FicheStatut.REALISEE)
    nutrition = f.FicheActionFactory(axe=axe2, numero=1, titre="Ateliers nutrition dans les collèges",
                                     statut=FicheStatut.VALIDEE)
    stops = Indicateur.objects.create(fiche=mobile, libelle="Communes desservies par le bus", unite="communes",
                                      valeur_reference=Decimal("0"), annee_reference=2024, cible=Decimal("18"))
    ValeurIndicateur.objects.create(indicateur=stops, annee=year - 1, valeur=Decimal("6"))
    ValeurIndicateur.objects.create(indicateur=stops, annee=year, valeur=Decimal("14"))
    delay = Indicateur.objects.create(fiche=mobile, libelle="Délai moyen d'attente d'un rendez-vous", unite="jours",
                                      cible=Decimal("10"), hausse_attendue=False)
    ValeurIndicateur.objects.create(indicateur=delay, annee=year, valeur=Decimal("9.5"))
    SuiviAnnuel.objects.create(fiche=mobile, annee=year, avancement=Avancement.EN_COURS,
                               realise="Le bus a assuré 212 journées de consultation dans 14 communes.",
                               difficultes="Recrutement d'un second médecin difficile.",
                               perspectives="Étendre la tournée aux communes du sud du territoire.")
    SuiviAnnuel.objects.create(fiche=interns, annee=year, avancement=Avancement.REALISEE,
                               realise="Quatre internes accueillis et logés.", perspectives="")
    LigneBudget.objects.create(fiche=mobile, annee=year, type=LigneBudgetType.PERSONNEL,
                               montant_prevu=Decimal("48000"), montant_realise=Decimal("45250.50"))
    LigneBudget.objects.create(fiche=nutrition, annee=year, type=LigneBudgetType.PRESTATION,
                               montant_prevu=Decimal("6000"))
    Financement.objects.create(fiche=mobile, annee=year, financeur=Financeur.ARS, montant=Decimal("30000"))
    Financement.objects.create(fiche=mobile, annee=year, financeur=Financeur.COLLECTIVITE, montant=Decimal("18000"))
    Financement.objects.create(fiche=nutrition, annee=year, financeur=Financeur.CPAM, montant=Decimal("6000"))
    Financement.objects.create(fiche=nutrition, annee=year - 1, financeur=Financeur.CPAM, montant=Decimal("999"))
    _contract_life(contract, year)
    _coordination_post(contract, year)
    return contract


def _contract_life(contract, year):
    """Signatories, a COPIL met during the year (and one the year before), an avenant."""
    import datetime as dt

    from contracts.enums import InstanceType, SignatoryRole
    from contracts.models import Avenant, Instance, Meeting, Signatory

    prefecture = f.OrganisationFactory(nom="Préfecture du Calvados test", type="prefecture")
    cpam = f.OrganisationFactory(nom="CPAM du Calvados test", type="cpam")
    Signatory.objects.create(contract=contract, organisation=contract.collectivite, role=SignatoryRole.COLLECTIVITE)
    Signatory.objects.create(contract=contract, organisation=prefecture, role=SignatoryRole.PREFECTURE)
    Signatory.objects.create(contract=contract, organisation=cpam, role=SignatoryRole.PARTENAIRE)
    copil = Instance.objects.create(contract=contract, type=InstanceType.COPIL, nom="COPIL du CLS")
    Meeting.objects.create(contract=contract, instance=copil, date=dt.date(year, 6, 12),
                           ordre_du_jour="Revue annuelle des fiches actions", decisions="Extension du bus validée",
                           revue_annuelle=True)
    Meeting.objects.create(contract=contract, instance=copil, date=dt.date(year - 1, 6, 12),
                           ordre_du_jour="Réunion de l'année précédente")
    Avenant.objects.create(contract=contract, numero=1, date=dt.date(year, 9, 30), plan_version=2,
                           objet="Ajout d'une fiche sur la santé mentale des jeunes")
    # in force: every signatory initialled it, the plan is in its version 2
    type(contract).objects.filter(pk=contract.pk).update(plan_version=2)
    contract.plan_version = 2


def _coordination_post(contract, year):
    """0,8 ETP over 12 months costing 42 000 €: ARS maximum 20 000 €, granted and partly paid."""
    import datetime as dt

    from funding.models import AnneeFinancement, Decision, RegleFinancement, Versement

    # The région's rule (Normandie's figures): a year is only ever served by a rule of its own région.
    RegleFinancement.objects.get_or_create(region_id=contract.ars.region_id, valid_from=dt.date(2020, 1, 1),
                                           defaults=dict(taux=Decimal("0.5"), plafond_annuel=Decimal("25000"),
                                                         cout_reference=Decimal("50000")))

    annee = AnneeFinancement.objects.create(
        contract=contract, annee=year, etp=Decimal("0.8"), mois_pourvus=12, cout_salaire=Decimal("30000"),
        cout_charges=Decimal("10000"), cout_fonctionnement=Decimal("2000"), demande_ars=Decimal("20000"),
        demande_collectivite=Decimal("22000"), demande_autres=Decimal("0"), statut="decidee",
        montant_accorde=Decimal("20000"), total_verse=Decimal("12500.50"))
    Decision.objects.create(annee=annee, montant_accorde=Decimal("20000"), date_decision=dt.date(year, 3, 20),
                            document="decisions/test.pdf")
    Versement.objects.create(annee=annee, date=dt.date(year, 4, 15), montant=Decimal("12500.50"),
                             reference="Mandat 2025-118")
