"""Every history line of the pages that show history, for every demo role, reads as French words:
no raw code (`report_published`, `en_instruction`), no Python value (`True`, `None`, `[...]`,
`Decimal(...)`), no ISO date, no raw decimal (issue 15, item 5).

The demo data is seeded, then each kind of change the demo does not make is made through the services,
so that (nearly) every event of every app has a line to read.
"""

import datetime as dt
import re
from decimal import Decimal as D
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

from cls_portal.core.history import REGISTRY
from cls_portal.core.models import HistoryEntry

DEMO_USERS = ["admin", "coordinateur", "coordinateur2", "coordinatrice-langres", "pilote", "ars14", "ars50", "ars52",
              "ars-normandie", "elu"]


class HistoryLines(HTMLParser):
    """Text of the elements marked `cls-history__line` (table rows or list items)."""

    def __init__(self):
        super().__init__()
        self.lines, self._depth, self._tag, self._buf = [], 0, None, []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self._tag is None and "cls-history__line" in classes:
            self._tag, self._depth, self._buf = tag, 1, []
        elif self._tag == tag:
            self._depth += 1

    def handle_endtag(self, tag):
        if self._tag == tag:
            self._depth -= 1
            if self._depth == 0:
                self.lines.append(re.sub(r"\s+", " ", " ".join(self._buf)).strip())
                self._tag = None

    def handle_data(self, data):
        if self._tag is not None:
            self._buf.append(data)


def _accentless_codes() -> set[str]:
    """Choice codes that are not a French word of their own label ("deposee", "prealable"): never shown."""
    codes = set()
    for model in apps.get_models():
        if model._meta.app_label not in {"contracts", "actions", "diagnostics", "funding", "reports", "core"}:
            continue
        for f in model._meta.concrete_fields:
            for value, label in (f.flatchoices if f.choices else []):
                if isinstance(value, str) and value and value.lower() not in str(label).lower():
                    codes.add(value)
    return codes


RAW = [
    ("code", re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")),
    ("valeur Python", re.compile(r"\b(?:True|False|None)\b|Decimal\(|datetime|[\[\]{}]")),
    ("date ISO", re.compile(r"\b\d{4}-\d{2}-\d{2}\b")),
    ("décimal brut", re.compile(r"\b\d+\.\d+\b")),
]
FICHE_CODE = re.compile(r"\b[Ff]iches? \d+\.\d+\b")


def _problems(line: str, codes: set[str]) -> list[str]:
    text = FICHE_CODE.sub("Fiche", line)
    found = [f"{kind} « {m.group(0)} »" for kind, rx in RAW for m in [rx.search(text)] if m]
    found += [f"code « {w} »" for w in re.findall(r"\b[a-z]+\b", text) if w in codes]
    return found


def _more_events(django_capture_on_commit_callbacks):
    """Changes the demo does not make, through the services (each writes its history line)."""
    from actions import services as actions_services
    from contracts import services as contract_services
    from contracts.models import Contract
    from funding import services as funding_services
    from funding.enums import Statut
    from funding.models import AnneeFinancement
    from reports import services as report_services

    User = get_user_model()
    coord, dd = User.objects.get(username="coordinateur"), User.objects.get(username="ars14")
    contract = Contract.objects.filter(coordinators=coord).order_by("pk").first()
    contract_services.contract_update(actor=coord, contract=contract, version=None, data={
        "date_lettre_intention": (contract.date_lettre_intention or dt.date(2023, 3, 1)) + dt.timedelta(days=2),
        "engagement_confirme": not contract.engagement_confirme, "rural": not contract.rural,
        "referent": User.objects.get(username="ars14")})
    step = contract.steps.order_by("ordre").first()
    contract_services.step_update(actor=coord, step=step, data={"statut": "en_cours",
                                                                 "date_prevue": dt.date(2026, 12, 31)})
    fiche = contract.fiches.order_by("pk").first()
    actions_services.commentaire_add(actor=dd, fiche=fiche, section="budget", texte="Le budget est-il réaliste ?")
    annee = AnneeFinancement.objects.filter(contract=contract, statut=Statut.DECIDEE).first()
    if annee is not None and annee.reste_a_verser > 0:
        funding_services.versement_record(actor=dd, annee_id=annee.pk, date=dt.date.today(),
                                          montant=min(annee.reste_a_verser, D("100")), reference="Mandat 2026-0001")
    funding_services.dialogue_record(actor=dd, contract=contract, annee=dt.date.today().year,
                                     date=dt.date.today(), participants="La présidente ; le référent ARS",
                                     conclusions="Poste maintenu.", montant_convenu=D("24500.50"))
    if contract.date_signature:
        with django_capture_on_commit_callbacks(execute=True):
            report = report_services.report_produce_now(actor=coord, contract=contract, kind="financier",
                                                        year=contract.date_signature.year)
        if report.is_ready:
            report_services.report_publish(actor=dd, report=report)


@pytest.mark.slow
def test_every_history_line_of_every_page_reads_as_words(client, demo, django_capture_on_commit_callbacks):
    from actions.models import FicheAction
    from contracts.models import Contract
    from diagnostics.models import Diagnostic

    _more_events(django_capture_on_commit_callbacks)
    codes = _accentless_codes()
    User = get_user_model()
    seen, bad, kinds = 0, [], set()
    for username in DEMO_USERS:
        user = User.objects.get(username=username)
        client.force_login(user)
        contracts = list(Contract.objects.visible_to(user).order_by("pk"))
        urls = []
        for c in contracts:
            urls += [reverse("contracts:detail", args=[c.pk]),
                     reverse("funding:contract", kwargs={"contract_pk": c.pk})]
            urls += [reverse("diagnostics:detail", kwargs={"pk": d}) for d in
                     Diagnostic.objects.filter(contract=c).values_list("pk", flat=True)]
            # Every sheet page once (as the administrator, who reads every line); for the other roles the
            # sheets that have the most lines (the words do not depend on the reader, the filter does).
            sheets = FicheAction.objects.filter(contract=c).order_by("pk").values_list("pk", flat=True)
            if username != "admin":
                sheets = [pk for pk, _ in sorted(
                    ((pk, HistoryEntry.objects.filter(content_type__model="ficheaction", object_id=pk).count())
                     for pk in sheets), key=lambda x: -x[1])[:3]]
            urls += [reverse("actions:fiche_detail", kwargs={"pk": fi}) for fi in sheets]
        for url in urls:
            r = client.get(url)
            if r.status_code != 200:
                # 302: elected officials and pilots are sent to the contract's summary, which has no history.
                assert r.status_code in (302, 403, 404), (username, url, r.status_code)
                continue
            parser = HistoryLines()
            parser.feed(r.content.decode())
            for line in parser.lines:
                seen += 1
                problems = _problems(line, codes)
                if problems:
                    bad.append(f"{username} {url} : {line} → {', '.join(problems)}")
    assert not bad, "\n".join(bad[:30])
    assert seen > 200, seen
    # The crawl read lines of (nearly) every kind the registry knows and the data holds.
    kinds = set(HistoryEntry.objects.values_list("action", flat=True))
    assert kinds <= set(REGISTRY.events), kinds - set(REGISTRY.events)
    assert len(kinds) >= 25, sorted(kinds)


def test_the_check_catches_raw_values():
    """The guard above is not vacuous."""
    codes = {"deposee", "prealable"}
    for raw in ["report_published", "Statut : deposee → en_instruction", "Engagement : True", "Date : 2024-03-12",
                "Montant : 25000.00", "Outils : ['entretiens']", "Phase : prealable"]:
        assert _problems(raw, codes), raw
    for words in ["Fiche 2.4 soumise à la délégation par Camille Lefèvre", "Date de signature : 12/03/2024 → "
                  "14/03/2024", "Montant accordé : 25 000 €", "Statut : Demande déposée → En instruction"]:
        assert not _problems(words, codes), words
