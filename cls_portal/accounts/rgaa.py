"""The portal's RGAA 4.1 audit (docs/accessibilite/), read and scored by the RGAA method.

Files (see docs/accessibilite/README.md):
- `criteres.csv`: the 106 criteria of RGAA 4.1 (reference, never edited by hand);
- `echantillon.csv`: the sample of pages (id, title, role, address, why it is in the sample);
- `audit.csv`: one judgement per criterion and page: `C` (conforme), `NC` (non conforme), `NA` (non
  applicable), with a note; the page `*` judges the criterion on every page of the sample at once, a row
  for one page overrides it; a `NC` carries its correction plan;
- `declaration.toml`: date, auditors, tools, environment, derogations and content not subject to the obligation.

The rates follow the RGAA method (« Méthode de calcul du taux de conformité »): a criterion is conforming
when it is conforming on every page where it applies, non conforming when it fails on one page, not
applicable when it applies nowhere; the conformity rate is conforming criteria / applicable criteria. The
average rate is the mean over the pages of each page's rate. The accessibility statement
(`legal.accessibility`) and `manage.py rgaa_audit` both read this module: the statement cannot drift from
the audit.
"""

from __future__ import annotations

import csv
import datetime as dt
import tomllib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from django.conf import settings

STATUSES = {"C": "conforme", "NC": "non conforme", "NA": "non applicable"}
ALL_PAGES = "*"


class AuditError(ValueError):
    """The audit files are incomplete or inconsistent (the message says which row)."""


@dataclass(frozen=True)
class Criterion:
    numero: str
    thematique: str
    intitule: str


# The demo accounts of the sample, as the statement names who sees the page.
PROFILES = {"anonyme": "sans connexion", "coordinateur": "coordination", "coordinateur2": "coordination",
            "pilote": "pilote d'action", "ars14": "délégation départementale", "ars-normandie": "équipe régionale",
            "elu": "élu"}


@dataclass(frozen=True)
class SamplePage:
    id: str
    titre: str
    role: str
    adresse: str
    raison: str

    @property
    def profil(self) -> str:
        return PROFILES.get(self.role, self.role)


@dataclass(frozen=True)
class Judgement:
    critere: str
    page: str
    statut: str
    note: str
    correction: str = ""


@dataclass(frozen=True)
class NonConformity:
    criterion: Criterion
    pages: tuple[SamplePage, ...]
    notes: tuple[str, ...]
    corrections: tuple[str, ...]


@dataclass
class Audit:
    criteria: list[Criterion]
    pages: list[SamplePage]
    judgements: dict[tuple[str, str], Judgement]
    date: dt.date
    meta: dict = field(default_factory=dict)

    def status(self, numero: str) -> str:
        """The criterion over the whole sample: NC if it fails on one page, C if it holds wherever it applies."""
        statuses = {self.judgements[numero, p.id].statut for p in self.pages}
        if "NC" in statuses:
            return "NC"
        return "C" if "C" in statuses else "NA"

    def counts(self) -> dict[str, int]:
        result = {"C": 0, "NC": 0, "NA": 0}
        for c in self.criteria:
            result[self.status(c.numero)] += 1
        return result

    def rate(self) -> Decimal:
        """Conforming criteria / applicable criteria (the RGAA's « taux de conformité »), a ratio in [0, 1]."""
        counts = self.counts()
        applicable = counts["C"] + counts["NC"]
        return Decimal(counts["C"]) / Decimal(applicable) if applicable else Decimal(1)

    def page_rate(self, page_id: str) -> Decimal:
        statuses = [self.judgements[c.numero, page_id].statut for c in self.criteria]
        applicable = statuses.count("C") + statuses.count("NC")
        return Decimal(statuses.count("C")) / Decimal(applicable) if applicable else Decimal(1)

    def average_rate(self) -> Decimal:
        """The mean of each page's rate (the RGAA's « taux moyen »)."""
        rates = [self.page_rate(p.id) for p in self.pages]
        return sum(rates, Decimal(0)) / Decimal(len(rates))

    def non_conformities(self) -> list[NonConformity]:
        pages = {p.id: p for p in self.pages}
        result = []
        for c in self.criteria:
            judged = [self.judgements[c.numero, p.id] for p in self.pages]
            failing = [j for j in judged if j.statut == "NC"]
            if failing:
                result.append(NonConformity(
                    criterion=c, pages=tuple(pages[j.page] for j in failing),
                    notes=tuple(dict.fromkeys(j.note for j in failing)),
                    corrections=tuple(dict.fromkeys(j.correction for j in failing))))
        return result


def conformity_label(rate: Decimal) -> str:
    """The statement's wording (RGAA model): totally conforming at 100 %, partially from 50 %, else not."""
    if rate >= 1:
        return "totalement conforme"
    return "partiellement conforme" if rate >= Decimal("0.5") else "non conforme"


def percent(ratio: Decimal) -> Decimal:
    """A ratio as a percentage with one decimal, rounded half up (99.06 -> 99.1)."""
    return (ratio * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _rows(path: Path) -> list[dict]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    except FileNotFoundError as err:
        raise AuditError(f"Fichier d'audit manquant : {path.name}") from err


def load(directory: Path | None = None) -> Audit:
    """Read and check the audit: every criterion judged on every page of the sample, exactly once."""
    directory = Path(directory or settings.BASE_DIR / "docs" / "accessibilite")
    criteria = [Criterion(r["critere"], r["thematique"], r["intitule"]) for r in _rows(directory / "criteres.csv")]
    pages = [SamplePage(r["id"], r["titre"], r["role"], r["adresse"], r["raison"])
             for r in _rows(directory / "echantillon.csv")]
    if not criteria or not pages:
        raise AuditError("L'audit n'a ni critères ni pages.")
    known_criteria = {c.numero for c in criteria}
    known_pages = {p.id for p in pages}
    if len(known_pages) != len(pages):
        raise AuditError("Deux pages de l'échantillon ont le même identifiant.")
    general: dict[str, Judgement] = {}
    specific: dict[tuple[str, str], Judgement] = {}
    for line, r in enumerate(_rows(directory / "audit.csv"), start=2):
        j = Judgement(r["critere"].strip(), r["page"].strip(), r["statut"].strip(), r["note"].strip(),
                      (r.get("correction") or "").strip())
        where = f"audit.csv, ligne {line}"
        if j.critere not in known_criteria:
            raise AuditError(f"{where} : critère inconnu « {j.critere} ».")
        if j.page != ALL_PAGES and j.page not in known_pages:
            raise AuditError(f"{where} : page inconnue « {j.page} ».")
        if j.statut not in STATUSES:
            raise AuditError(f"{where} : statut « {j.statut} » (C, NC ou NA attendu).")
        if not j.note:
            raise AuditError(f"{where} : chaque jugement porte une note.")
        if j.statut == "NC" and not j.correction:
            raise AuditError(f"{where} : une non-conformité indique sa correction prévue.")
        target = general if j.page == ALL_PAGES else specific
        key = j.critere if j.page == ALL_PAGES else (j.critere, j.page)
        if key in target:
            raise AuditError(f"{where} : critère {j.critere} jugé deux fois pour « {j.page} ».")
        target[key] = j
    judgements = {}
    for c in criteria:
        for p in pages:
            j = specific.get((c.numero, p.id)) or general.get(c.numero)
            if j is None:
                raise AuditError(f"Critère {c.numero} non jugé sur la page « {p.id} ».")
            judgements[c.numero, p.id] = j
    try:
        meta = tomllib.loads((directory / "declaration.toml").read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise AuditError("Fichier d'audit manquant : declaration.toml") from err
    return Audit(criteria=criteria, pages=pages, judgements=judgements, date=meta["date"], meta=meta)


@lru_cache(maxsize=1)
def current() -> Audit:
    """The audit shipped with the code (read once per process)."""
    return load()


@lru_cache(maxsize=1)
def current_status() -> str:
    """The footer's « Accessibilité : … » of the audit shipped with the code, worked out once per process
    (every page shows it: its rate walks ~100 criteria × the sample's pages)."""
    return conformity_label(current().rate())
