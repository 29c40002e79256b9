"""Columns of the CSV / XLSX exports (see cls_portal.core.exports). Getters read prefetched data only."""

from __future__ import annotations

from cls_portal.core.collation import french_key
from cls_portal.core.exports import Column
from cls_portal.core.formatting import format_number


def _deps(c):
    return ", ".join(d.departement.nom for d in c.delegations.all())


def _champs(fiche) -> str:
    """The sheet's fields of action: its own and its axe's, once each."""
    names = {c.libelle: c.ordre for c in [*fiche.champs.all(), *fiche.axe.champs.all()]}
    return ", ".join(sorted(names, key=lambda n: (names[n], french_key(n))))


def _people(users):
    return ", ".join(str(u) for u in users)


CONTRACT_COLUMNS = [
    Column("nom", "Contrat", lambda c: c.nom),
    Column("collectivite", "Collectivité porteuse", lambda c: c.collectivite.nom),
    Column("ars", "ARS", lambda c: c.ars.nom),
    Column("departements", "Département(s)", _deps),
    Column("phase", "Phase", lambda c: c.get_phase_display()),
    Column("date_signature", "Date de signature", lambda c: c.date_signature),
    Column("date_fin", "Date de fin", lambda c: c.date_fin),
    Column("duree", "Durée (années)", lambda c: c.duree_annees, default=False),
    Column("population", "Population", lambda c: c.population),
    Column("nb_communes", "Nombre de communes", lambda c: c.nb_communes),
    Column("epci", "EPCI de référence", lambda c: c.epci.nom if c.epci else "", default=False),
    Column("rural", "Territoire rural", lambda c: c.rural, default=False),
    Column("qpv", "Couvre des QPV", lambda c: c.qpv),
    Column("nb_qpv", "Nombre de QPV", lambda c: c.nb_qpv),
    Column("clsm", "CLSM", lambda c: c.clsm),
    Column("generation", "Génération", lambda c: c.generation, default=False),
    Column("prs", "PRS", lambda c: c.prs, default=False),
    Column("referent", "Référent ARS", lambda c: str(c.referent) if c.referent else "", default=False),
    Column("coordinateurs", "Coordinateur(s)", lambda c: _people(c.coordinators.all()), default=False),
]

FICHE_COLUMNS = [
    Column("contrat", "Contrat", lambda f: f.contract.nom),
    Column("axe", "Axe", lambda f: f"{f.axe.numero}. {f.axe.titre}"),
    Column("code", "Fiche", lambda f: f.code),
    Column("titre", "Titre", lambda f: f.titre),
    Column("statut", "Statut", lambda f: f.get_statut_display()),
    Column("priorite", "Priorité", lambda f: f.get_priorite_display(), default=False),
    Column("pilote_organisation", "Organisation pilote",
           lambda f: f.pilote_organisation.nom if f.pilote_organisation else ""),
    Column("pilote", "Pilote", lambda f: str(f.pilote_personne) if f.pilote_personne else ""),
    Column("date_debut", "Début", lambda f: f.date_debut, default=False),
    Column("date_fin", "Fin", lambda f: f.date_fin, default=False),
    Column("preexistante", "Action préexistante", lambda f: f.preexistante, default=False),
    Column("objectif_general", "Objectif général", lambda f: f.objectif_general, default=False),
    Column("public_cible", "Public cible", lambda f: f.public_cible, default=False),
    Column("champs", "Champs d'action", lambda f: _champs(f)),
    Column("nb_indicateurs", "Indicateurs", lambda f: len(f.indicateurs.all()), default=False),
]

INDICATEUR_BASE_COLUMNS = [
    Column("contrat", "Contrat", lambda i: i.fiche.contract.nom),
    Column("fiche", "Fiche", lambda i: f"{i.fiche.code} {i.fiche.titre}"),
    Column("libelle", "Indicateur", lambda i: i.libelle),
    Column("type", "Type", lambda i: i.get_type_display(), default=False),
    Column("unite", "Unité", lambda i: i.unite),
    Column("valeur_reference", "Valeur de référence", lambda i: i.valeur_reference),
    Column("annee_reference", "Année de référence", lambda i: i.annee_reference, default=False),
    Column("cible", "Cible", lambda i: i.cible),
    Column("annee_cible", "Année cible", lambda i: i.annee_cible, default=False),
    Column("source", "Source", lambda i: i.source, default=False),
]


def _value_of(year):
    def get(indicateur):
        for v in indicateur.valeurs.all():
            if v.annee == year:
                return v.valeur
        return None
    return get


def indicateur_columns(years) -> list[Column]:
    """The base columns then one column per year that has values ("Valeur 2025")."""
    return INDICATEUR_BASE_COLUMNS + [Column(f"valeur_{y}", f"Valeur {y}", _value_of(y)) for y in years]


def _split_text(parts) -> str:
    return " ; ".join(f"{nom} : {format_number(p)}" for nom, p in parts or [])


def contract_columns(split: dict | None = None) -> list[Column]:
    """The contract columns, with the population per département of the contracts on several départements
    (`split`: `selectors.population_split`)."""
    split = split or {}
    return CONTRACT_COLUMNS + [Column("population_departements", "Population par département",
                                      lambda c: _split_text(split.get(c.pk)), default=False)]
