"""The RGAA audit (docs/accessibilite/): the rate by the RGAA method, the checks on the audit files, and the
accessibility statement generated from it."""

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from cls_portal.accounts import rgaa
from cls_portal.accounts.management.commands.rgaa_audit import render
from cls_portal.core.formatting import format_percent

CRITERES = "critere,thematique,intitule\n1.1,Images,Alt ?\n1.2,Images,Décor ?\n1.3,Images,Pertinente ?\n"
ECHANTILLON = "id,titre,role,adresse,raison\np1,Page un,anonyme,/un/,accueil\np2,Page deux,elu,/deux/,rapports\n"
DECLARATION = 'date = 2026-12-01\nauditeur = "équipe"\n'


def write(tmp_path, audit, criteres=CRITERES, echantillon=ECHANTILLON):
    (tmp_path / "criteres.csv").write_text(criteres, encoding="utf-8")
    (tmp_path / "echantillon.csv").write_text(echantillon, encoding="utf-8")
    (tmp_path / "audit.csv").write_text("critere,page,statut,note,correction\n" + audit, encoding="utf-8")
    (tmp_path / "declaration.toml").write_text(DECLARATION, encoding="utf-8")
    return tmp_path


def test_rate_by_the_rgaa_method_computed_by_hand(tmp_path):
    # 1.1 holds everywhere; 1.2 holds on p1 and fails on p2 (a "*" row and an override); 1.3 applies nowhere.
    audit = rgaa.load(write(tmp_path, "1.1,*,C,ok,\n1.2,*,C,ok,\n1.2,p2,NC,image de décor annoncée,aria-hidden\n"
                                      "1.3,*,NA,pas d'image,\n"))
    assert audit.counts() == {"C": 1, "NC": 1, "NA": 1}
    assert audit.rate() == Decimal("0.5")  # 1 conforming criterion of 2 applicable
    assert audit.page_rate("p1") == 1 and audit.page_rate("p2") == Decimal("0.5")
    assert audit.average_rate() == Decimal("0.75")
    [nc] = audit.non_conformities()
    assert nc.criterion.numero == "1.2" and [p.id for p in nc.pages] == ["p2"]
    assert nc.corrections == ("aria-hidden",)
    assert rgaa.conformity_label(audit.rate()) == "partiellement conforme"
    assert rgaa.conformity_label(Decimal(1)) == "totalement conforme"
    assert rgaa.conformity_label(Decimal("0.49")) == "non conforme"
    assert rgaa.percent(Decimal(106) / Decimal(107)) == Decimal("99.1")


@pytest.mark.parametrize("rows, message", [
    ("1.1,*,C,ok,\n1.2,*,C,ok,\n", "Critère 1.3 non jugé sur la page « p1 »"),
    ("1.1,*,C,ok,\n1.2,*,C,ok,\n1.3,p1,C,ok,\n", "Critère 1.3 non jugé sur la page « p2 »"),
    ("1.1,*,C,ok,\n1.2,*,NC,défaut,\n1.3,*,NA,ok,\n", "une non-conformité indique sa correction prévue"),
    ("1.1,*,C,ok,\n1.2,*,C,,\n1.3,*,NA,ok,\n", "chaque jugement porte une note"),
    ("1.1,*,OK,ok,\n", "statut « OK » (C, NC ou NA attendu)"),
    ("9.9,*,C,ok,\n", "critère inconnu « 9.9 »"),
    ("1.1,p3,C,ok,\n", "page inconnue « p3 »"),
    ("1.1,*,C,ok,\n1.1,*,NA,ok,\n", "critère 1.1 jugé deux fois"),
])
def test_an_incomplete_or_inconsistent_audit_is_refused_with_its_row(tmp_path, rows, message):
    with pytest.raises(rgaa.AuditError, match=re.escape(message)):
        rgaa.load(write(tmp_path, rows))


def test_the_shipped_audit_judges_all_106_criteria_on_every_sample_page():
    audit = rgaa.load()
    assert len(audit.criteria) == 106
    assert {c.numero for c in audit.criteria} >= {"1.1", "8.5", "10.11", "11.13", "13.12"}
    assert len(audit.pages) >= 15
    assert len(audit.judgements) == 106 * len(audit.pages)
    roles = {p.role for p in audit.pages}
    assert {"anonyme", "coordinateur", "pilote", "ars14", "ars-normandie", "elu"} <= roles


def test_the_results_file_is_the_audit_as_it_stands():
    """docs/accessibilite/RESULTATS.md is regenerated with `manage.py rgaa_audit --ecrire` after each change."""
    audit = rgaa.load()
    written = (settings.BASE_DIR / "docs" / "accessibilite" / "RESULTATS.md").read_text(encoding="utf-8")
    assert written == render(audit), "RESULTATS.md est en retard sur audit.csv : manage.py rgaa_audit --ecrire"
    out = StringIO()
    call_command("rgaa_audit", stdout=out)
    assert "Taux de conformité" in out.getvalue()


def test_the_statement_is_generated_from_the_audit(client):
    audit = rgaa.load()
    html = client.get("/accessibilite/").content.decode()
    assert f"{format_percent(audit.rate(), 1)} des critères du RGAA version 4.1 sont respectés" in html
    assert f"<strong>{rgaa.conformity_label(audit.rate())}</strong>" in html
    assert f"Accessibilité : {rgaa.conformity_label(audit.rate())}" in html  # the footer says the same
    for nc in audit.non_conformities():
        assert f"Critère {nc.criterion.numero}</strong>" in html
    for page in audit.pages:
        assert f"{page.titre} ({page.profil})" in html.replace("&#x27;", "'")
    for word in ["Défenseur des droits", "Dérogations pour charge disproportionnée", "Retour d'information et contact"]:
        assert word in html
