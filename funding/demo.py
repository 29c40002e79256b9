"""Demo funding: the two régions' rules, the coordination posts of the demo contracts year by year.

Bayeux (Normandie): a full-time coordinator costing 46 000 €, decided, paid and settled years, the current
request waiting for the délégation. Grand Langres (Grand Est): a half-time coordinator. Flers: a 3-month
vacancy. Caux Seine Agglo (2nd generation, 2024): the ARS paid more than its share of the actual cost (recovery).
Idempotent: a year already present is left alone.
"""

import contextlib
import datetime as dt
from decimal import Decimal as D

from django.core.files.base import ContentFile
from django.utils import timezone

from cls_portal.core.demo_clock import happened_on
from cls_portal.territories.models import Region

from . import services
from .models import AnneeFinancement, DialogueGestion, RegleFinancement

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")

# contract key, year, ETP, months, salary, charges, operating, ARS, collectivité, others, partners,
# then the steps reached: decision (amount, date), payments [(date, amount)], statement (etp, months, cost, coll).
YEARS = [
    ("bayeux", 2024, "1", 12, "33000", "10000", "3000", "23000", "23000", "0", "",
     ("23000", dt.date(2024, 4, 8)), [(dt.date(2024, 5, 15), "11500"), (dt.date(2024, 11, 20), "11500")],
     ("1", 12, "46000", "23000")),
    ("bayeux", 2025, "1", 12, "33600", "10200", "3000", "23400", "23400", "0", "",
     ("23400", dt.date(2025, 3, 18)), [(dt.date(2025, 4, 30), "11700")], None),
    ("bayeux", 2026, "1", 12, "34200", "10400", "3200", "23900", "23900", "0", "", None, [], None),
    ("langres", 2024, "0.5", 12, "15500", "5500", "2000", "11500", "11500", "0", "",
     ("11500", dt.date(2024, 3, 5)), [(dt.date(2024, 6, 3), "11500")], ("0.5", 12, "23000", "11500")),
    ("langres", 2025, "0.5", 12, "16000", "5600", "2000", "11800", "11800", "0", "",
     ("11800", dt.date(2025, 2, 27)), [(dt.date(2025, 5, 12), "5900")], None),
    ("langres", 2026, "0.6", 12, "19500", "6800", "2200", "14250", "14250", "0", "", "instruire", [], None),
    ("flers", 2025, "1", 9, "28000", "10000", "3000", "18750", "18750", "3500", "Conseil départemental de l'Orne",
     ("18750", dt.date(2025, 4, 2)), [(dt.date(2025, 6, 10), "18750")], None),
    ("caux2", 2024, "1", 12, "34000", "10500", "3500", "23000", "25000", "0", "",
     ("23000", dt.date(2024, 3, 14)), [(dt.date(2024, 4, 20), "11500"), (dt.date(2024, 10, 3), "11500")],
     ("1", 12, "40000", "20000")),
    ("caux2", 2025, "1", 12, "33000", "11000", "3000", "23000", "24000", "0", "",
     ("23000", dt.date(2025, 3, 20)), [(dt.date(2025, 5, 5), "23000")], None),
]

DIALOGUES = [
    ("bayeux", 2025, dt.date(2025, 10, 14), "M. le président de Bayeux Intercom, Mme Lefèvre (coordinatrice), "
     "M. Dupont (DD du Calvados)", "Bilan positif de la première année complète ; maintien du poste à temps plein. "
     "Priorité 2026 : santé mentale des jeunes.", "23900"),
    ("langres", 2025, dt.date(2025, 9, 30), "Vice-présidente santé du Grand Langres, Mme Girard (coordinatrice), "
     "M. Schmitt (DT de la Haute-Marne)", "Passage envisagé à 0,6 ETP en 2026 pour porter le CLSM.", "14250"),
]


def _rules(admin):
    for code, minimum, commentaire in (
            ("28", D("0"), "Cadre régional Normandie : 50 % d'un poste à 50 000 €, plafond 25 000 €."),
            ("44", D("0.5"), "Cadre Grand Est : coordinateur au moins à mi-temps, cofinancé sur toute la durée.")):
        region = Region.objects.filter(code=code).first()
        if region is None:
            continue
        RegleFinancement.objects.get_or_create(
            region=region, valid_from=dt.date(2019, 1, 1),
            defaults=dict(taux=D("0.5"), plafond_annuel=D("25000"), cout_reference=D("50000"),
                          etp_minimum=minimum, part_egale=True, commentaire=commentaire, created_by=admin))


def seed(ctx):
    users, contracts = ctx["users"], ctx["contracts"]
    admin = users["admin"]
    _rules(admin)
    today = timezone.localdate()
    delegation = {"bayeux": users["ars14"], "langres": users["ars52"]}
    coordinator = {"bayeux": users["coordinateur"], "langres": users["coordinatrice-langres"]}
    for (key, year, etp, months, salary, charges, operating, ars, coll, others, partners, decision, payments,
         statement) in YEARS:
        contract = contracts[key]
        if year > today.year + 1 or AnneeFinancement.objects.filter(contract=contract, annee=year).exists():
            continue
        dd, coord = delegation.get(key, admin), coordinator.get(key, admin)
        decided = decision if isinstance(decision, tuple) else None
        # Each step on its day (`happened_on`): a decided year was filed six weeks before its decision and taken
        # up three weeks before it; a year still waiting was filed and taken up today.
        filed = decided[1] - dt.timedelta(days=42) if decided else today
        with happened_on(filed, 9, 15) if filed < today else contextlib.nullcontext():
            annee = services.annee_create(
                actor=coord, contract=contract, annee=year, today=max(filed, dt.date(year, 1, 1)), etp=D(etp),
                mois_pourvus=months, cout_salaire=D(salary), cout_charges=D(charges),
                cout_fonctionnement=D(operating), demande_ars=D(ars), demande_collectivite=D(coll),
                demande_autres=D(others), autres_partenaires=partners)
        if decision is None:
            continue
        taken_up = decided[1] - dt.timedelta(days=21) if decided else today
        with happened_on(taken_up, 14) if taken_up < today else contextlib.nullcontext():
            services.annee_instruct(actor=dd, annee_id=annee.pk, expected_version=None)
        if decided is None:
            continue
        amount, date = decided
        with happened_on(date, 11):
            services.decision_record(
                actor=dd, annee_id=annee.pk, expected_version=None, montant_accorde=D(amount), date_decision=date,
                document=ContentFile(PDF, name=f"decision-{key}-{year}.pdf"), today=date,
                motif="Arrêté de la directrice générale de l'ARS.")
        for pay_date, pay in payments:
            with happened_on(pay_date, 16):
                services.versement_record(actor=dd, annee_id=annee.pk, date=pay_date, montant=D(pay),
                                          reference=f"Mandat {pay_date.year}-{pay_date.month:02d}{pay_date.day:02d}",
                                          today=pay_date)
        if statement:
            s_etp, s_months, s_cost, s_coll = statement
            certified = min(dt.date(year + 1, 3, 31), today)  # the statement of a year, certified the spring after
            with happened_on(certified, 10) if certified < today else contextlib.nullcontext():
                services.bilan_record(actor=coord, annee_id=annee.pk, expected_version=None, etp_reel=D(s_etp),
                                      mois_pourvus_reels=s_months, cout_reel=D(s_cost),
                                      part_collectivite_reelle=D(s_coll),
                                      commentaire="Bilan certifié par le comptable public.")
    for key, year, date, participants, conclusions, amount in DIALOGUES:
        if date > today or DialogueGestion.objects.filter(contract=contracts[key], annee=year).exists():
            continue
        with happened_on(date, 15):
            services.dialogue_record(actor=delegation[key], contract=contracts[key], annee=year, date=date,
                                     participants=participants, conclusions=conclusions, montant_convenu=D(amount),
                                     today=date)
