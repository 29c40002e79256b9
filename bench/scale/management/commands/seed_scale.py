"""National-scale data for benchmarks: one CLS per EPCI (1 255 at most), bulk inserted.

    python manage.py seed_scale --contracts 1255      # ~50 000 sheets, 150 000 indicators, 750 000 values
    python manage.py seed_scale --contracts 100       # quick runs

Idempotent by wiping: the previous scale data set (contracts named "CLS échelle …" and their sheets,
indicators, values, follow-ups…, accounts "echelle-…") is deleted first, so a second run gives the
same data; other contracts are left alone. Refuses production settings unless --force.
Every contract: its EPCI's communes as perimeter, a coordinator, ~40 sheets in 5 axes, 3 indicators
per sheet with 5 years of values, yearly follow-ups, meetings and funding years (when those apps'
models are installed). Login for every generated account: password "demo".
A closed contract (one in ten) ran its course: signed in 2019 or 2020, closed in 2024 or 2025 by the délégation
on its coordinator's proposal, with the rows the closure service writes (the dated closure is what the figures
of a past date and a year's report campaign read); nothing of it is dated after its closure.
"""

import datetime as dt
import random
import time
from collections import Counter
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from actions.models import Axe, FicheAction
from cls_portal.accounts.models import Role, RoleMembership
from cls_portal.core import history
from cls_portal.core.models import HistoryEntry
from cls_portal.territories.models import ARS, EPCI, Commune, Delegation, Organisation, OrganisationType
from contracts.enums import ContractEvent, Phase, ProposalStatus
from contracts.models import Contract, CoordinatorTerm, PerimeterPeriod, PhaseTransition, TransitionProposal
from contracts.workflow import TRANSITIONS

PREFIX = "CLS échelle"
PHASES = [Phase.MISE_EN_OEUVRE] * 6 + [Phase.DIAGNOSTIC, Phase.PREALABLE, Phase.EVALUATION_FINALE, Phase.CLOS]
YEARS = [2021, 2022, 2023, 2024, 2025]
# The closed contracts, in turn (signature, closure): closed after its end, before 2025 (owes no 2025 report);
# closed in its last year, before its end, before 2025 (runs in 2025 by its dates, but closed: owes none either);
# closed after its end, during 2025 (owes the 2025 reports of the months it ran).
CLOSURES = [(dt.date(2019, 3, 15), dt.date(2024, 6, 27)), (dt.date(2020, 3, 15), dt.date(2024, 12, 12)),
            (dt.date(2020, 3, 15), dt.date(2025, 6, 26))]


class Command(BaseCommand):
    help = "Crée un jeu de données à l'échelle nationale (un CLS par EPCI) par insertions groupées."

    def add_arguments(self, parser):
        parser.add_argument("--contracts", type=int, default=100)
        parser.add_argument("--sheets", type=int, default=40, help="fiches par contrat (la 1re en a 60)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--force", action="store_true",
                            help="Autorise l'exécution avec les réglages de production.")

    def handle(self, *args, **opts):
        if getattr(settings, "IS_PRODUCTION", False) and not opts["force"]:
            raise CommandError("seed_scale refuse de s'exécuter avec les réglages de production (utilisez --force).")
        if opts["contracts"] < 1 or opts["sheets"] < 1:
            raise CommandError("--contracts et --sheets doivent être supérieurs à zéro.")
        self.rng = random.Random(opts["seed"])
        self.closed_on = {}  # contract id -> closure date
        if not Commune.objects.exists():
            call_command("import_territories", stdout=self.stdout)
        t0 = time.monotonic()
        self._wipe()
        with transaction.atomic():
            contracts = self._contracts(opts["contracts"])
            self._closures(contracts)
            fiches = self._plan(contracts, opts["sheets"])
            counts = {"contrats": len(contracts), "fiches": len(fiches)}
            for name in ("indicators", "followups", "meetings", "funding"):  # each: only if the app's models exist
                counts.update(getattr(self, f"_{name}")(contracts, fiches))
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        summary = ", ".join(f"{v} {k}" for k, v in counts.items())
        self.stdout.write(self.style.SUCCESS(f"{summary} en {time.monotonic() - t0:.0f} s."))

    # -- wipe --------------------------------------------------------------------------------
    def _wipe(self):
        qs = Contract.objects.filter(nom__startswith=PREFIX)
        ids = list(qs.values_list("pk", flat=True))
        if not ids:
            return
        for model_path in self._dependents():
            model = _model(model_path)
            if model is not None:
                model.objects.filter(**{self._contract_lookup(model): ids})._raw_delete(model.objects.db)
        # Sheets and axes through the collector: it follows whatever rows other apps hang on them.
        FicheAction.objects.filter(contract_id__in=ids).delete()
        Axe.objects.filter(contract_id__in=ids).delete()
        qs.delete()
        get_user_model().objects.filter(username__startswith="echelle-").delete()

    def _dependents(self):
        """The bulky rows, deleted without the ORM collector (children first); the rest cascades."""
        return ["actions.ValeurIndicateur", "actions.Indicateur", "actions.SuiviAnnuel", "contracts.Meeting",
                "contracts.Instance", "funding.Versement", "funding.Decision", "funding.AnneeFinancement",
                "core.HistoryEntry"]

    @staticmethod
    def _contract_lookup(model):
        names = {f.name for f in model._meta.get_fields()}
        for field, lookup in (("contract", "contract_id__in"), ("contract_id", "contract_id__in"),
                              ("fiche", "fiche__contract_id__in"), ("indicateur", "indicateur__fiche__contract_id__in"),
                              ("annee", "annee__contract_id__in"), ("instance", "instance__contract_id__in")):
            if field in names:
                return lookup
        raise LookupError(f"{model._meta.label} : pas de lien vers le contrat")

    # -- contracts ---------------------------------------------------------------------------
    def _contracts(self, n):
        User = get_user_model()
        password = make_password("demo")
        epcis = list(EPCI.objects.order_by("code")[:n])
        communes_by_epci = {}
        for code, epci_id, dep_id in Commune.objects.filter(epci__in=epcis).values_list("code", "epci_id",
                                                                                         "departement_id"):
            communes_by_epci.setdefault(epci_id, []).append((code, dep_id))
        deleg_by_dep = {d.departement_id: d for d in Delegation.objects.select_related("departement")}
        ars_by_region = {a.region_id: a for a in ARS.objects.all()}
        # A few EPCIs share a name (two "CC des Quatre Rivières"): their organisation names carry the SIREN.
        homonyms = {n for n, k in Counter(e.nom for e in epcis).items() if k > 1}
        org_name = {e.code: f"{e.nom} ({e.code})" if e.nom in homonyms else e.nom for e in epcis}
        names = list(org_name.values())
        orgs = {o.nom: o for o in Organisation.objects.filter(nom__in=names, type=OrganisationType.EPCI)}
        Organisation.objects.bulk_create([Organisation(nom=org_name[e.code], type=OrganisationType.EPCI, epci=e)
                                          for e in epcis if org_name[e.code] not in orgs])
        orgs = {o.nom: o for o in Organisation.objects.filter(nom__in=names, type=OrganisationType.EPCI)}
        orgs = {code: orgs[name] for code, name in org_name.items()}
        users = User.objects.bulk_create([
            User(username=f"echelle-coord-{e.code}", first_name="Coordination", last_name=e.nom[:150],
                 email=f"coord-{e.code}@echelle.example.fr", password=password) for e in epcis])
        dep_ids = sorted({dep for e in epcis for _, dep in communes_by_epci.get(e.code, [])})
        ref_users = {dep: User(username=f"echelle-dd{dep}", first_name="Référent", last_name=f"DD {dep}",
                               email=f"dd{dep}@echelle.example.fr", password=password) for dep in dep_ids}
        User.objects.bulk_create(ref_users.values())
        region_ids = sorted({deleg_by_dep[d].departement.region_id for d in dep_ids})
        reg_users = {r: User(username=f"echelle-region{r}", first_name="Équipe", last_name=f"région {r}",
                             email=f"region{r}@echelle.example.fr", password=password) for r in region_ids}
        User.objects.bulk_create(reg_users.values())
        memberships = [RoleMembership(user=u, role=Role.COORDINATEUR, organisation=orgs[e.code])
                       for u, e in zip(users, epcis, strict=True)]
        memberships += [RoleMembership(user=u, role=Role.DELEGATION) for u in ref_users.values()]
        memberships += [RoleMembership(user=u, role=Role.REGION, region_id=r) for r, u in reg_users.items()]
        RoleMembership.objects.bulk_create(memberships)
        dd_memberships = RoleMembership.objects.filter(user__in=ref_users.values()).select_related("user")
        RoleMembership.departements.through.objects.bulk_create([
            RoleMembership.departements.through(rolemembership_id=m.pk,
                                                departement_id=m.user.username.removeprefix("echelle-dd"))
            for m in dd_memberships])

        contracts = []
        for i, e in enumerate(epcis):
            members = communes_by_epci.get(e.code, [])
            dep = members[0][1] if members else None
            region = deleg_by_dep[dep].departement.region_id if dep else "11"
            phase = PHASES[i % len(PHASES)]
            signed = phase not in (Phase.PREALABLE, Phase.DIAGNOSTIC)
            signature = dt.date(2021 + i % 4, 3, 15) if signed else None
            if phase == Phase.CLOS:
                signature = CLOSURES[i // len(PHASES) % len(CLOSURES)][0]
            start_year = signature.year if signature else 2021 + i % 4
            contracts.append(Contract(
                nom=f"{PREFIX} {e.nom} {start_year}-{start_year + 4}"[:255], collectivite=orgs[e.code],
                ars=ars_by_region[region], epci=e, prs="PRS 2023-2028", phase=phase,
                date_debut_prealable=dt.date(start_year - 1, 3, 1),
                date_signature=signature, duree_annees=5,
                rural=e.type == "CC", qpv=e.type != "CC", nb_qpv=0 if e.type == "CC" else 1 + i % 4,
                clsm=i % 3 == 0, referent=ref_users.get(dep)))
        Contract.objects.bulk_create(contracts, batch_size=500)
        for i, c in enumerate(contracts):
            if c.phase == Phase.CLOS:
                self.closed_on[c.pk] = CLOSURES[i // len(PHASES) % len(CLOSURES)][1]
        Through = Contract.communes.through
        Through.objects.bulk_create([Through(contract_id=c.pk, commune_id=code)
                                     for c, e in zip(contracts, epcis, strict=True)
                                     for code, _ in communes_by_epci.get(e.code, [])], batch_size=5000)
        DThrough = Contract.delegations.through
        DThrough.objects.bulk_create([DThrough(contract_id=c.pk, delegation_id=deleg_by_dep[d].pk)
                                      for c, e in zip(contracts, epcis, strict=True)
                                      for d in sorted({dep for _, dep in communes_by_epci.get(e.code, [])})],
                                     batch_size=5000)
        CThrough = Contract.coordinators.through
        CThrough.objects.bulk_create([CThrough(contract_id=c.pk, user_id=u.pk)
                                      for c, u in zip(contracts, users, strict=True)], batch_size=5000)
        # The dated records the figures of a past date read (contracts.periods), as the services write them.
        PerimeterPeriod.objects.bulk_create([PerimeterPeriod(contract_id=c.pk, commune_id=code)
                                             for c, e in zip(contracts, epcis, strict=True)
                                             for code, _ in communes_by_epci.get(e.code, [])], batch_size=5000)
        CoordinatorTerm.objects.bulk_create([CoordinatorTerm(contract_id=c.pk, user_id=u.pk)
                                             for c, u in zip(contracts, users, strict=True)], batch_size=5000)
        return contracts

    # -- closures ----------------------------------------------------------------------------
    def _closures(self, contracts):
        """What `contracts.services.proposal_validate` writes when the délégation closes a contract on its
        coordinator's proposal: the accepted proposal, the dated phase change (`q_closed_at` reads it) and their
        two history lines, dated (proposed twelve days before the closure). In bulk: a few queries in all."""
        closed = [c for c in contracts if c.pk in self.closed_on]
        if not closed:
            return
        coordinator = dict(Contract.coordinators.through.objects.filter(contract_id__in=self.closed_on)
                           .values_list("contract_id", "user_id"))
        clore = TRANSITIONS["clore"]

        def at(day):
            return timezone.make_aware(dt.datetime.combine(day, dt.time(11)))

        proposals = [TransitionProposal(
            contract=c, transition=clore.name, from_phase=clore.source, to_phase=clore.target,
            status=ProposalStatus.ACCEPTED, proposed_by_id=coordinator.get(c.pk),
            comment="Rapport d'évaluation finale présenté au comité de pilotage.", decided_by_id=c.referent_id,
            decided_at=at(self.closed_on[c.pk])) for c in closed]
        TransitionProposal.objects.bulk_create(proposals)
        records = [PhaseTransition(contract=c, transition=clore.name, from_phase=clore.source, to_phase=clore.target,
                                   actor_id=c.referent_id, proposal=p) for c, p in zip(closed, proposals, strict=True)]
        PhaseTransition.objects.bulk_create(records)
        for c, p, r in zip(closed, proposals, records, strict=True):  # auto_now_add set them to now
            p.proposed_at = at(self.closed_on[c.pk] - dt.timedelta(days=12))
            r.at = p.decided_at
        TransitionProposal.objects.bulk_update(proposals, ["proposed_at"])
        PhaseTransition.objects.bulk_update(records, ["at"])
        types = ContentType.objects.get_for_models(Contract, TransitionProposal)
        lines = []
        for c, p in zip(closed, proposals, strict=True):
            lines.append(HistoryEntry(
                content_type=types[TransitionProposal], object_id=p.pk, contract_id=c.pk,
                action=ContractEvent.PROPOSITION_TRANSMISE, actor_id=p.proposed_by_id, comment=p.comment,
                context=history.subject_of(p)))
            lines.append(HistoryEntry(
                content_type=types[Contract], object_id=c.pk, contract_id=c.pk, action=ContractEvent.PHASE_CHANGEE,
                actor_id=c.referent_id, changes={"phase": [clore.source, clore.target]},
                context={**history.subject_of(c), "phase": Phase(clore.target).label, "transition": clore.label}))
        HistoryEntry.objects.bulk_create(lines)
        for line, when in zip(lines, (w for p in proposals for w in (p.proposed_at, p.decided_at)), strict=True):
            line.at = when
        HistoryEntry.objects.bulk_update(lines, ["at"])

    def _last_year(self, contract_id) -> int:
        """The last year a contract has anything dated: its closure's, else the data set's last."""
        closed = self.closed_on.get(contract_id)
        return closed.year if closed else YEARS[-1]

    # -- action plan -------------------------------------------------------------------------
    def _plan(self, contracts, per_contract):
        themes = ["Accès aux soins", "Prévention et promotion de la santé", "Santé mentale",
                  "Autonomie et perte d'autonomie", "Faire vivre le CLS"]
        axes = [Axe(contract=c, numero=n + 1, titre=t, type="transversal" if n == 4 else "thematique")
                for c in contracts for n, t in enumerate(themes)]
        Axe.objects.bulk_create(axes, batch_size=5000)
        by_contract = {}
        for a in axes:
            by_contract.setdefault(a.contract_id, []).append(a)
        fiches = []
        statuses = ["en_cours"] * 5 + ["validee", "realisee", "reportee", "brouillon", "soumise"]
        for ci, c in enumerate(contracts):
            n = 60 if ci == 0 else per_contract
            for k in range(n):
                axe = by_contract[c.pk][k % 5]
                fiches.append(FicheAction(contract=c, axe=axe, numero=k // 5 + 1,
                                          titre=f"Action {axe.numero}.{k // 5 + 1} — {axe.titre.lower()}",
                                          statut=statuses[k % len(statuses)]))
        FicheAction.objects.bulk_create(fiches, batch_size=5000)
        return fiches

    # -- optional parts (models written by each app) ------------------------------------------
    def _indicators(self, contracts, fiches):
        Indicateur, Valeur = _model("actions.Indicateur"), _model("actions.ValeurIndicateur")
        if Indicateur is None:
            return {}
        fields = {f.name for f in Indicateur._meta.get_fields()}
        indicateurs = []
        for f in fiches:
            for j, (label, unit) in enumerate([("Nombre de participants", "personnes"),
                                               ("Taux de réalisation", "%"), ("Partenaires mobilisés", "")]):
                values = {"fiche": f, "libelle": label, "unite": unit}
                optional = {"type": ["processus", "resultat", "impact"][j], "cible": Decimal(100 + j * 10),
                            "annee_cible": 2025, "valeur_reference": Decimal(10), "annee_reference": 2021,
                            "source": "Tableau de bord du CLS", "frequence": "annuelle"}
                values.update({k: v for k, v in optional.items() if k in fields})
                indicateurs.append(Indicateur(**values))
        Indicateur.objects.bulk_create(indicateurs, batch_size=5000)
        valeurs, count = [], 0
        last = {f.pk: self._last_year(f.contract_id) for f in fiches}
        for ind in indicateurs:
            last_year = last[ind.fiche_id]
            for y, year in enumerate(YEARS):
                value = Decimal(20 + 18 * y + self.rng.randint(0, 9))  # drawn for every year: the same values
                if year <= last_year:                                 # whatever the closures
                    valeurs.append(Valeur(indicateur=ind, annee=year, valeur=value))
                    count += 1
            if len(valeurs) >= 50_000:
                Valeur.objects.bulk_create(valeurs, batch_size=5000)
                valeurs = []
        Valeur.objects.bulk_create(valeurs, batch_size=5000)
        return {"indicateurs": len(indicateurs), "valeurs": count}

    def _followups(self, contracts, fiches):
        Suivi = _model("actions.SuiviAnnuel")
        if Suivi is None:
            return {}
        fields = {f.name for f in Suivi._meta.get_fields()}
        rows = []
        for f in fiches:
            for year in YEARS[-2:]:
                if year > self._last_year(f.contract_id):
                    continue
                values = {"fiche": f, "annee": year}
                optional = {"avancement": "en_cours", "realise": "Actions conduites comme prévu.",
                            "difficultes": "", "perspectives": "Poursuite en lien avec les partenaires."}
                values.update({k: v for k, v in optional.items() if k in fields})
                rows.append(Suivi(**values))
        Suivi.objects.bulk_create(rows, batch_size=5000)
        return {"suivis": len(rows)}

    def _meetings(self, contracts, fiches):
        Instance, Meeting = _model("contracts.Instance"), _model("contracts.Meeting")
        if Instance is None or Meeting is None:
            return {}
        instances = [Instance(contract=c, type="copil", nom="Comité de pilotage du CLS",
                              mission="Valide le plan d'action et sa revue annuelle.") for c in contracts]
        instances += [Instance(contract=c, type="cotech", nom="Comité technique",
                               mission="Prépare les travaux du comité de pilotage.") for c in contracts]
        Instance.objects.bulk_create(instances, batch_size=5000)
        copil = {i.contract_id: i for i in instances if i.type == "copil"}
        cotech = {i.contract_id: i for i in instances if i.type == "cotech"}
        rows = []
        for c in contracts:
            first = c.date_signature.year if c.date_signature else YEARS[-1]
            for year in YEARS[-3:]:
                if year < first or year > self._last_year(c.pk):
                    continue
                rows.append(Meeting(contract=c, instance=copil[c.pk], date=dt.date(year, 6, 15),
                                    lieu="Salle du conseil", ordre_du_jour="Revue annuelle du plan d'action",
                                    participants="Membres du COPIL",
                                    decisions="Plan d'action ajusté.", revue_annuelle=bool(c.date_signature)))
                rows.append(Meeting(contract=c, instance=cotech[c.pk], date=dt.date(year, 3, 10),
                                    lieu="Maison France Services", ordre_du_jour="Point d'étape des fiches actions"))
        Meeting.objects.bulk_create(rows, batch_size=5000)
        return {"instances": len(instances), "réunions": len(rows)}

    def _funding(self, contracts, fiches):
        Annee, Decision, Versement = (_model("funding.AnneeFinancement"), _model("funding.Decision"),
                                      _model("funding.Versement"))
        if Annee is None:
            return {}
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        document = "financements/echelle/decision-type.pdf"
        if Decision is not None and not default_storage.exists(document):
            document = default_storage.save(document, ContentFile(b"%PDF-1.4\n% decision type (seed_scale)\n%%EOF\n"))
        years, decided = [], []
        for i, c in enumerate(contracts):
            if not c.date_signature:
                continue
            for year in YEARS[-3:]:
                if year < c.date_signature.year or year > self._last_year(c.pk):
                    continue
                cost = Decimal(42000 + (i % 7) * 1000)
                salaire, charges, fonct = cost - Decimal(6000), Decimal(4000), Decimal(2000)
                ars = min(cost / 2, Decimal(25000))
                past = year < YEARS[-1] or c.pk in self.closed_on  # a closed contract's years are settled
                row = Annee(contract=c, annee=year, etp=Decimal("1.00"), mois_pourvus=12 if i % 5 else 8,
                            cout_salaire=salaire, cout_charges=charges, cout_fonctionnement=fonct,
                            demande_ars=ars, demande_collectivite=cost - ars, demande_autres=Decimal(0),
                            statut="decidee" if past and Decision is not None else "deposee",
                            montant_accorde=ars if past and Decision is not None else None,
                            total_verse=ars if past and Decision is not None else Decimal(0))
                years.append(row)
                if past and Decision is not None:
                    decided.append(row)
        Annee.objects.bulk_create(years, batch_size=5000)
        counts = {"années de financement": len(years)}
        if Decision is not None:
            Decision.objects.bulk_create([Decision(annee=a, montant_accorde=a.montant_accorde, document=document,
                                                   date_decision=dt.date(a.annee, 4, 30), motif="Règle régionale.")
                                          for a in decided], batch_size=5000)
            counts["décisions"] = len(decided)
        if Versement is not None and Decision is not None:
            Versement.objects.bulk_create([Versement(annee=a, date=dt.date(a.annee, 7, 1), montant=a.montant_accorde,
                                                     reference=f"Mandat {a.annee}-{a.contract_id}")
                                           for a in decided], batch_size=5000)
            counts["versements"] = len(decided)
        return counts


def _model(path):
    from django.apps import apps

    try:
        return apps.get_model(path)
    except LookupError:
        return None
