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
    return contract
