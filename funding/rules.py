"""The ARS co-funding of the coordination post, as pure functions (no database, Decimal only).

The sources compute the 25 000 € cap "on the basis of one full-time post costing 50 000 €, funded at
50 %", so the cap follows the working time and the months the post was filled:

    maximum = min(rate × eligible cost, rate × reference cost × ETP × months / 12, annual cap)

Rounding: every amount is brought to the cent by ROUND_DOWN (truncation). A maximum is a ceiling the
ARS must not exceed, so a fraction of a cent is never granted; the amount to recover is rounded the
same way (the collectivité never reimburses a fraction of a cent it did not receive).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from cls_portal.core.formatting import format_euros, format_number, format_percent

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Beyond these a figure is a typing error, not a coordination post.
MAX_MONTANT = Decimal("1000000")
MAX_ETP = Decimal("2")


@dataclass(frozen=True)
class Regle:
    """The figures of a regional rule (see `funding.models.RegleFinancement`)."""

    taux: Decimal = Decimal("0.50")
    plafond_annuel: Decimal = Decimal("25000.00")
    cout_reference: Decimal = Decimal("50000.00")
    etp_minimum: Decimal = Decimal("0")
    part_egale: bool = True
    libelle: str = "Normandie"
    region: str = "Normandie"
    depuis: dt.date | None = None  # when this version came into force (None: the pure tests' figures)

# There is no default rule: a région without a rule of its own for a year gets none (`sans_regle`), never
# another région's figures. The defaults above are Normandie's (the sources' example), for the pure tests.


def regle_appliquee(regle: Regle) -> str:
    """How every explanation names the rule it applies: « Règle Grand Est en vigueur depuis le 01/01/2020 »."""
    return f"Règle {regle.libelle}"


def explication_nommee(regle: Regle, *, etp: Decimal, mois: int, cout_eligible: Decimal) -> str:
    """`explication` preceded by the rule applied (what the pages show)."""
    return f"{regle_appliquee(regle)} : {explication(regle, etp=etp, mois=mois, cout_eligible=cout_eligible)}"


def annees_du_contrat(*, debut: dt.date | None, fin: dt.date | None, today: dt.date) -> tuple[int | None, int]:
    """The years a funding year may be requested for: from the letter of intent's year (the post exists
    from then) to the end date's year plus one (the final statement), and never beyond next year. The first
    is None when the contract has no known start."""
    last = today.year + 1
    if fin is not None:
        last = min(last, fin.year + 1)
    return (debut.year if debut else None), last


def annee_refusal(year: int, *, debut: dt.date | None, fin: dt.date | None, today: dt.date,
                  region_nom: str, premiere_regle: dt.date | None) -> str | None:
    """Why `year` cannot be a funding year of this contract (None: it can). `debut` is the letter of intent
    (or the start of the préalable when it is not known), `fin` the contract's end date, `premiere_regle` the
    start of the région's first rule (None: the région has none)."""
    first, last = annees_du_contrat(debut=debut, fin=fin, today=today)
    if first is None:
        return ("La date de la lettre d'intention du contrat n'est pas connue : renseignez-la avant de demander "
                "un financement (le poste de coordination existe à partir de la lettre d'intention).")
    if year < first:
        return (f"{year} précède la lettre d'intention du contrat ({debut:%d/%m/%Y}) : le financement du poste "
                f"commence en {first} au plus tôt.")
    if year > last:
        if fin is not None and year > fin.year + 1:
            return (f"{year} est après la fin du contrat ({fin:%d/%m/%Y}) : la dernière année finançable est "
                    f"{fin.year + 1}, celle du bilan final.")
        return f"{year} est trop loin : une demande se dépose au plus tard pour l'année prochaine ({last})."
    return sans_regle(year, region_nom=region_nom, premiere_regle=premiere_regle)


def sans_regle(year: int, *, region_nom: str, premiere_regle: dt.date | None) -> str | None:
    """Why no rule of the région covers `year` (None: one does)."""
    if premiere_regle is None:
        return (f"La région {region_nom} n'a pas encore de règle de financement : l'ARS doit en saisir une "
                f"(page « Règles de financement ») avant toute demande.")
    if year < premiere_regle.year:
        return (f"Aucune règle de financement de la région {region_nom} ne couvre {year} : sa première règle "
                f"s'applique à partir du {premiere_regle:%d/%m/%Y}, et la règle d'une autre région ne s'applique "
                f"jamais.")
    return None


def refus_date_decision(date_decision: dt.date, *, annee: int, deposee: dt.date | None, today: dt.date) -> str | None:
    """Why a decision on the request of `annee` cannot bear `date_decision` (None: it can). `deposee`: the day
    the request was filed (None when unknown: a year brought in by the import). The ARS decides on a request
    it has received, and a decision is recorded once signed: never before the request, never after today."""
    if date_decision > today:
        return (f"La date de la décision ne peut pas être dans le futur : une décision s'enregistre une fois "
                f"signée (au plus tard le {today:%d/%m/%Y}).")
    if deposee is not None and date_decision < deposee:
        return (f"La décision ne peut pas précéder la demande de financement, déposée le {deposee:%d/%m/%Y} : "
                f"vérifiez la date de la décision signée.")
    if date_decision.year < annee - 1:
        return f"Une décision pour {annee} ne peut pas dater d'avant {annee - 1}."
    return None


def refus_date_versement(date: dt.date, *, decision: dt.date | None, today: dt.date) -> str | None:
    """Why a payment cannot be recorded as made on `date` (None: it can). `decision`: the date of the year's first
    decision. The ARS pays what a decision granted, and records a payment once made."""
    if date > today:
        return (f"La date du versement ne peut pas être dans le futur : un versement s'enregistre une fois effectué "
                f"(au plus tard le {today:%d/%m/%Y}).")
    # The délégation recorded one on 01/01/2025 for a year decided on 18/03/2025: a typo.
    if decision is not None and date < decision:
        return f"Le versement ne peut pas précéder la décision de financement du {decision:%d/%m/%Y}."
    return None


def cents(value: Decimal) -> Decimal:
    """Truncate to the cent (see module docstring)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_DOWN)


def plafond_poste(regle: Regle, *, etp: Decimal, mois: int) -> Decimal:
    """rate × reference cost × ETP × months / 12, not above the annual cap, to the cent."""
    value = regle.taux * regle.cout_reference * Decimal(etp) * Decimal(int(mois)) / Decimal(12)
    return cents(min(value, regle.plafond_annuel))


def ars_maximum(regle: Regle, *, etp: Decimal, mois: int, cout_eligible: Decimal) -> Decimal:
    """The most the ARS may grant for the year. Decimal in, Decimal out, to the cent."""
    if cout_eligible <= 0 or etp <= 0 or mois <= 0:
        return ZERO
    part_du_cout = regle.taux * Decimal(cout_eligible)
    return cents(min(part_du_cout, plafond_poste(regle, etp=etp, mois=mois), regle.plafond_annuel))


def _etp(etp: Decimal) -> str:
    return f"{format_number(Decimal(etp).normalize())} ETP"


def explication(regle: Regle, *, etp: Decimal, mois: int, cout_eligible: Decimal) -> str:
    """The computation in words, e.g. « 50 % de 46 000 € = 23 000 €, sous le plafond de 25 000 € pour 1 ETP
    sur 12 mois »."""
    taux = format_percent(regle.taux)
    if cout_eligible <= 0 or etp <= 0 or mois <= 0:
        return f"Aucun cofinancement ARS : poste non pourvu ou coût nul ({_etp(etp)} sur {int(mois)} mois)."
    part = cents(regle.taux * Decimal(cout_eligible))
    poste = plafond_poste(regle, etp=etp, mois=mois)
    brut = regle.taux * regle.cout_reference * Decimal(etp) * Decimal(int(mois)) / Decimal(12)
    base = f"{taux} de {format_euros(cout_eligible)} = {format_euros(part)}"
    periode = f"pour {_etp(etp)} sur {int(mois)} mois"
    if part <= poste:
        text = f"{base}, sous le plafond de {format_euros(poste)} {periode}"
    else:
        text = f"{base}, ramené au plafond de {format_euros(poste)} {periode}"
    if brut > regle.plafond_annuel:
        text += f" (plafond annuel de {format_euros(regle.plafond_annuel)})"
    elif poste != regle.plafond_annuel:
        text += (f" ({taux} de {format_euros(regle.cout_reference)} × {format_number(Decimal(etp).normalize())}"
                 f" × {int(mois)}/12)")
    return text


@dataclass(frozen=True)
class Refus:
    """One refusal: the form field it belongs to (None: the whole financing plan) and a French message."""

    field: str | None
    message: str


MONEY_FIELDS = {
    "cout_salaire": "Le salaire",
    "cout_charges": "Les charges",
    "cout_fonctionnement": "Les frais de fonctionnement",
    "demande_ars": "La demande à l'ARS",
    "demande_collectivite": "La part de la collectivité",
    "demande_autres": "La part des autres partenaires",
}


def _as_decimal(value) -> Decimal | None:
    if value is None or isinstance(value, float):
        # Floats are refused: public money is never computed in binary floating point.
        return None
    try:
        d = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return d if d.is_finite() else None


def check_money(field: str, value) -> Refus | None:
    label = MONEY_FIELDS.get(field, "Le montant")
    d = _as_decimal(value)
    if d is None:
        return Refus(field, f"{label} doit être un montant en euros (par exemple 23 000 ou 23 000,50).")
    if d < 0:
        return Refus(field, f"{label} ne peut pas être négatif ({format_euros(d)}).")
    if d > MAX_MONTANT:
        return Refus(field, f"{label} ({format_euros(d)}) est invraisemblable pour un poste de coordination "
                            f"(plus de {format_euros(MAX_MONTANT)}).")
    if d != d.quantize(CENT, rounding=ROUND_DOWN):
        return Refus(field, f"{label} s'exprime au centime près (deux décimales au plus).")
    return None


@dataclass(frozen=True)
class AutreGeneration:
    """The same year's request of the post under another generation of the contract (a renewal and the contract
    it follows): the contract's name, the months it counts, what the ARS gives it (granted, else asked)."""

    contrat: str
    mois: int
    ars: Decimal


def refus_meme_poste(regle: Regle, *, annee: int, mois, demande_ars, autres: list[AutreGeneration]) -> list[Refus]:
    """One coordination post, one year: when a renewal and the contract it follows both ask for the same year (the
    old one ends in March, the new one starts then), their months together stay within 12 and the ARS's shares
    within the annual cap. Without this, the same post could be funded twice in one year."""
    if not autres:
        return []
    refus = []
    mois_autres = sum(a.mois for a in autres)
    ars_autres = sum((Decimal(a.ars) for a in autres), ZERO)
    ailleurs = " ; ".join(f"« {a.contrat} » : {a.mois} mois, {format_euros(a.ars)} de l'ARS" for a in autres)
    if int(mois) + mois_autres > 12:
        refus.append(Refus("mois_pourvus",
                           f"Le poste de coordination est aussi financé en {annee} par un autre contrat de la même "
                           f"démarche ({ailleurs}) : un même poste compte au plus 12 mois par an, soit "
                           f"{max(12 - mois_autres, 0)} mois au plus ici."))
    if Decimal(demande_ars) + ars_autres > regle.plafond_annuel:
        reste = max(regle.plafond_annuel - ars_autres, ZERO)
        refus.append(Refus("demande_ars",
                           f"Le poste de coordination est aussi financé en {annee} par un autre contrat de la même "
                           f"démarche ({ailleurs}) : l'ARS donne au plus {format_euros(regle.plafond_annuel)} par an "
                           f"pour un même poste, soit {format_euros(reste)} au plus ici."))
    return refus


def validate_demande(regle: Regle, *, etp, mois, cout_salaire, cout_charges, cout_fonctionnement,
                     demande_ars, demande_collectivite, demande_autres) -> list[Refus]:
    """Every reason to refuse a year's request, each with its field. Empty list: the request is valid."""
    refus: list[Refus] = []
    amounts = {"cout_salaire": cout_salaire, "cout_charges": cout_charges,
               "cout_fonctionnement": cout_fonctionnement, "demande_ars": demande_ars,
               "demande_collectivite": demande_collectivite, "demande_autres": demande_autres}
    for field, value in amounts.items():
        r = check_money(field, value)
        if r:
            refus.append(r)

    etp_d = _as_decimal(etp)
    if etp_d is None or etp_d <= 0 or etp_d > MAX_ETP:
        refus.append(Refus("etp", f"Le temps de travail doit être compris entre 0 (exclu) et "
                                  f"{format_number(MAX_ETP)} ETP."))
        etp_d = None
    elif etp_d != etp_d.quantize(CENT, rounding=ROUND_DOWN):
        refus.append(Refus("etp", "Le temps de travail s'exprime avec deux décimales au plus (par exemple 0,8)."))
        etp_d = None
    elif etp_d < regle.etp_minimum:
        refus.append(Refus("etp", f"La règle de financement {regle.libelle} exige un coordinateur à au moins "
                                  f"{_etp(regle.etp_minimum)} : {_etp(etp_d)} déclaré."))
        etp_d = None

    mois_ok = isinstance(mois, int) and not isinstance(mois, bool) and 0 <= mois <= 12
    if not mois_ok:
        refus.append(Refus("mois_pourvus", "Le nombre de mois pendant lesquels le poste a été pourvu doit être "
                                           "un nombre entier de 0 à 12."))
    if any(r.field in amounts for r in refus):
        return refus  # the sums below need valid amounts

    cout = Decimal(cout_salaire) + Decimal(cout_charges) + Decimal(cout_fonctionnement)
    ars, coll, autres = Decimal(demande_ars), Decimal(demande_collectivite), Decimal(demande_autres)
    if cout <= 0:
        refus.append(Refus("cout_salaire", "Le coût éligible du poste (salaire, charges, fonctionnement) doit "
                                           "être supérieur à 0 €."))
    if etp_d is not None and mois_ok and cout > 0:
        maximum = ars_maximum(regle, etp=etp_d, mois=mois, cout_eligible=cout)
        if ars > maximum:
            detail = explication_nommee(regle, etp=etp_d, mois=mois, cout_eligible=cout)
            refus.append(Refus("demande_ars", f"La demande à l'ARS ({format_euros(ars)}) dépasse le maximum de "
                                              f"{format_euros(maximum)} : {detail}."))
    if regle.part_egale and coll < ars:
        refus.append(Refus("demande_collectivite",
                           f"La collectivité doit cofinancer le poste au moins à part égale avec l'ARS : "
                           f"{format_euros(coll)} proposés contre {format_euros(ars)} demandés à l'ARS."))
    total = ars + coll + autres
    if cout > 0 and total != cout:
        ecart = total - cout
        refus.append(Refus(None, f"Les financements ({format_euros(total)}) doivent couvrir exactement le coût "
                                 f"éligible ({format_euros(cout)}) : "
                                 f"{'excédent' if ecart > 0 else 'manque'} de {format_euros(abs(ecart))}."))
    return refus


@dataclass(frozen=True)
class Solde:
    """Outcome of the annual financial statement."""

    part_ars_due: Decimal
    verse: Decimal
    a_reverser: Decimal
    reste_a_verser: Decimal
    explication: str


def solde(regle: Regle, *, etp, mois: int, cout_reel: Decimal, part_collectivite_reelle: Decimal,
          accorde: Decimal, verse: Decimal) -> Solde:
    """What the ARS owes for the actual year, and what must be recovered if it paid more.

    The ARS share of the actual cost is the same maximum computed on the actual figures, never above the
    amount granted, and (equal co-funding) never above what the collectivité actually paid.
    """
    due = min(ars_maximum(regle, etp=etp, mois=mois, cout_eligible=cout_reel), Decimal(accorde))
    raisons = [f"{regle_appliquee(regle)} ; part ARS du coût réel : "
               f"{explication(regle, etp=etp, mois=mois, cout_eligible=cout_reel)}",
               f"montant accordé : {format_euros(accorde)}"]
    if regle.part_egale and Decimal(part_collectivite_reelle) < due:
        due = cents(Decimal(part_collectivite_reelle))
        raisons.append(f"ramenée à la part réelle de la collectivité ({format_euros(part_collectivite_reelle)}) "
                       f"au titre du cofinancement à part égale")
    due = cents(max(due, ZERO))
    verse = cents(Decimal(verse))
    a_reverser = max(verse - due, ZERO)
    reste = max(due - verse, ZERO)
    text = " ; ".join(raisons) + f". Part due par l'ARS : {format_euros(due)}, versé : {format_euros(verse)}"
    if a_reverser:
        text += f", à reverser : {format_euros(a_reverser)}."
    elif reste:
        text += f", reste à verser : {format_euros(reste)}."
    else:
        text += ", solde nul."
    return Solde(part_ars_due=due, verse=verse, a_reverser=a_reverser, reste_a_verser=reste, explication=text)
