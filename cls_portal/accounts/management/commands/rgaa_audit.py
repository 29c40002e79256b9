"""`manage.py rgaa_audit`: the conformity rate of the RGAA audit (docs/accessibilite/), by the RGAA method.

Prints the global rate, the average rate, each page's rate and each non-conformity; `--ecrire` also writes
docs/accessibilite/RESULTATS.md (the table a reviewer reads beside the statement at /accessibilite/).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cls_portal.accounts import rgaa
from cls_portal.core.formatting import format_percent, is_plural


class Command(BaseCommand):
    help = "Taux de conformité RGAA 4.1 calculé à partir de l'audit (docs/accessibilite/)."

    def add_arguments(self, parser):
        parser.add_argument("--ecrire", action="store_true", help="écrit aussi docs/accessibilite/RESULTATS.md")

    def handle(self, *args, ecrire=False, **options):
        try:
            audit = rgaa.load()
        except rgaa.AuditError as err:
            raise CommandError(str(err)) from err
        text = render(audit)
        self.stdout.write(text)
        if ecrire:
            (settings.BASE_DIR / "docs" / "accessibilite" / "RESULTATS.md").write_text(text, encoding="utf-8")


def _n(count: int, adjective: str) -> str:
    """« 1 non conforme », « 2 non conformes » (French agreement: 0 and 1 singular)."""
    return f"{count} {adjective}{'s' if is_plural(count) else ''}"


def render(audit: rgaa.Audit) -> str:
    counts = audit.counts()
    lines = [
        "# Résultats de l'audit RGAA 4.1",
        "",
        f"Généré par `manage.py rgaa_audit --ecrire` à partir de `audit.csv` (audit du {audit.date.isoformat()}).",
        "",
        f"- Taux de conformité : **{format_percent(audit.rate(), 1)}** ({rgaa.conformity_label(audit.rate())}) — "
        f"{counts['C']} critères conformes sur {counts['C'] + counts['NC']} applicables",
        f"- Critères : {_n(counts['C'], 'conforme')}, {_n(counts['NC'], 'non conforme')}, "
        f"{_n(counts['NA'], 'non applicable')}",
        f"- Taux moyen des pages : {format_percent(audit.average_rate(), 1)}",
        "",
        "## Par page",
        "",
        "| page | rôle | pourquoi dans l'échantillon | C | NC | NA | taux |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in audit.pages:
        statuses = [audit.judgements[c.numero, p.id].statut for c in audit.criteria]
        lines.append(f"| {p.titre} (`{p.adresse}`) | {p.role} | {p.raison} | {statuses.count('C')} | "
                     f"{statuses.count('NC')} | "
                     f"{statuses.count('NA')} | {format_percent(audit.page_rate(p.id), 1)} |")
    lines += ["", "## Non-conformités", ""]
    for nc in audit.non_conformities():
        pages = ", ".join(p.id for p in nc.pages)
        lines.append(f"- **{nc.criterion.numero}** {nc.criterion.intitule} — pages : {pages}. "
                     f"{' ; '.join(nc.notes)} Correction : {' ; '.join(nc.corrections)}")
    if not audit.non_conformities():
        lines.append("Aucune.")
    return "\n".join(lines) + "\n"
