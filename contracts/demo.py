"""Demo organisations, accounts and contracts (see README for the accounts)."""

import datetime as dt

from django.contrib.auth import get_user_model

from cls_portal.accounts.models import Role, RoleMembership
from cls_portal.territories.models import ARS, EPCI, Departement, Organisation, OrganisationType, Region

from . import services
from .enums import Phase
from .models import Contract

PASSWORD = "demo"

CONTRACTS = [
    # key, EPCI SIREN, name, phase, signature, start of préalable, duration, generation, flags
    ("bayeux", "241400555", "Contrat local de santé de Bayeux Intercom 2024-2028", Phase.MISE_EN_OEUVRE,
     dt.date(2024, 3, 15), dt.date(2023, 1, 10), 5, 1, {"rural": True, "clsm": False}),
    ("coutances", "200067023", "Contrat local de santé de Coutances Mer et Bocage", Phase.DIAGNOSTIC,
     None, dt.date(2025, 9, 1), 5, 1, {"rural": True}),
    ("langres", "200072999", "Contrat local de santé du Grand Langres 2023-2027", Phase.MISE_EN_OEUVRE,
     dt.date(2023, 6, 20), dt.date(2022, 5, 2), 5, 1, {"rural": True}),
    ("prebocage", "200069524", "Contrat local de santé de Pré-Bocage Intercom", Phase.PREALABLE,
     None, dt.date(2026, 6, 1), 5, 1, {"rural": True}),
    ("flers", "200035814", "Contrat local de santé de Flers Agglo 2022-2026", Phase.EVALUATION_FINALE,
     dt.date(2022, 2, 1), dt.date(2021, 1, 15), 5, 1, {"qpv": True, "nb_qpv": 2, "clsm": True}),
    ("caux1", "200010700", "Contrat local de santé de Caux Seine Agglo 2020-2022", Phase.CLOS,
     dt.date(2020, 1, 20), dt.date(2019, 3, 1), 3, 1, {"qpv": True, "nb_qpv": 1}),
    ("caux2", "200010700", "Contrat local de santé de Caux Seine Agglo 2023-2027", Phase.MISE_EN_OEUVRE,
     dt.date(2023, 4, 3), dt.date(2022, 6, 1), 5, 2, {"qpv": True, "nb_qpv": 1, "clsm": True}),
]

USERS = [
    # username, first, last, email
    ("admin", "Alice", "Administratrice", "admin@cls.example.fr"),
    ("coordinateur", "Camille", "Lefèvre", "camille.lefevre@bayeux-intercom.example.fr"),
    ("coordinateur2", "Thomas", "Marie", "thomas.marie@coutances-mer-bocage.example.fr"),
    ("coordinatrice-langres", "Sophie", "Girard", "sophie.girard@grand-langres.example.fr"),
    ("pilote", "Julie", "Bernard", "julie.bernard@cpam-calvados.example.fr"),
    ("ars14", "Nicolas", "Dupont", "nicolas.dupont@ars.sante.example.fr"),
    ("ars50", "Claire", "Leroy", "claire.leroy@ars.sante.example.fr"),
    ("ars52", "Marc", "Schmitt", "marc.schmitt@ars.sante.example.fr"),
    ("ars-normandie", "Hélène", "Morel", "helene.morel@ars.sante.example.fr"),
    ("elu", "Patrick", "Lemoine", "patrick.lemoine@bayeux-intercom.example.fr"),
]


def _user(username, first, last, email):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": email})
    if created:
        user.set_password(PASSWORD)
        if username == "admin":
            user.is_staff = user.is_superuser = True
        user.save()
    return user


def _membership(user, role, *, organisation=None, region=None, departements=()):
    m, _ = RoleMembership.objects.get_or_create(user=user, role=role, organisation=organisation, region=region)
    if departements:
        m.departements.set(departements)
    return m


def _collectivite(epci: EPCI) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        nom=epci.nom, type=OrganisationType.EPCI, defaults={"epci": epci})
    return org


def seed(ctx):
    users = {u[0]: _user(*u) for u in USERS}
    normandie, grand_est = Region.objects.get(code="28"), Region.objects.get(code="44")
    deps = {d.code: d for d in Departement.objects.filter(code__in=["14", "50", "52"])}

    orgs = {}
    for key, siren, *_ in CONTRACTS:
        orgs[key] = _collectivite(EPCI.objects.get(code=siren))
    partners = {}
    for nom, type_, dep in [
        ("ARS Normandie", OrganisationType.ARS, None), ("ARS Grand Est", OrganisationType.ARS, None),
        ("Préfecture du Calvados", OrganisationType.PREFECTURE, "14"),
        ("Préfecture de la Manche", OrganisationType.PREFECTURE, "50"),
        ("Préfecture de la Haute-Marne", OrganisationType.PREFECTURE, "52"),
        ("Préfecture de l'Orne", OrganisationType.PREFECTURE, "61"),
        ("Préfecture de la Seine-Maritime", OrganisationType.PREFECTURE, "76"),
        ("CPAM du Calvados", OrganisationType.CPAM, "14"),
        ("CPAM de la Haute-Marne", OrganisationType.CPAM, "52"),
        ("CAF du Calvados", OrganisationType.CAF, "14"),
        ("Centre hospitalier de Bayeux", OrganisationType.ETABLISSEMENT, "14"),
        ("CPTS du Bessin", OrganisationType.CPTS, "14"),
        ("DAC du Calvados", OrganisationType.DAC, "14"),
        ("Association Addictions France — Calvados", OrganisationType.ASSOCIATION, "14"),
        ("Conseil départemental du Calvados", OrganisationType.DEPARTEMENT, "14"),
    ]:
        partners[nom], _ = Organisation.objects.get_or_create(
            nom=nom, type=type_, defaults={"departement_id": dep})
    # The ARS themselves have no département: tie them to their région (forms offer a région's organisations).
    Organisation.objects.filter(nom="ARS Normandie", region__isnull=True).update(region=normandie)
    Organisation.objects.filter(nom="ARS Grand Est", region__isnull=True).update(region=grand_est)

    _membership(users["admin"], Role.ADMIN)
    _membership(users["coordinateur"], Role.COORDINATEUR, organisation=orgs["bayeux"])
    _membership(users["coordinateur2"], Role.COORDINATEUR, organisation=orgs["coutances"])
    _membership(users["coordinatrice-langres"], Role.COORDINATEUR, organisation=orgs["langres"])
    _membership(users["pilote"], Role.PILOTE, organisation=partners["CPAM du Calvados"])
    _membership(users["ars14"], Role.DELEGATION, departements=[deps["14"]])
    _membership(users["ars50"], Role.DELEGATION, departements=[deps["50"]])
    _membership(users["ars52"], Role.DELEGATION, departements=[deps["52"]])
    _membership(users["ars-normandie"], Role.REGION, region=normandie)
    _membership(users["elu"], Role.ELU, organisation=orgs["bayeux"])

    ars = {"28": ARS.objects.get(region=normandie), "44": ARS.objects.get(region=grand_est)}
    coordinators = {"bayeux": [users["coordinateur"]], "coutances": [users["coordinateur2"]],
                    "langres": [users["coordinatrice-langres"]]}
    referents = {"bayeux": users["ars14"], "prebocage": users["ars14"], "coutances": users["ars50"],
                 "langres": users["ars52"]}
    contracts = {}
    for key, siren, nom, phase, signature, debut, duree, generation, flags in CONTRACTS:
        contract = Contract.objects.filter(nom=nom).first()
        if contract is None:
            epci = EPCI.objects.get(code=siren)
            region_code = "44" if key == "langres" else "28"
            contract = services.contract_create(
                actor=users["admin"], nom=nom, collectivite=orgs[key], ars=ars[region_code], epci=epci,
                prs=_prs(region_code, signature or debut),
                duree_annees=duree, date_debut_prealable=debut, coordinators=coordinators.get(key, []),
                referent=referents.get(key), generation=generation, phase=phase, date_signature=signature,
                previous=contracts.get("caux1") if key == "caux2" else None, **flags,
            )
        contracts[key] = contract
    flers = contracts.get("flers")
    if flers is not None and not flers.evaluation_questions:  # the method its final evaluation follows
        Contract.objects.filter(pk=flers.pk).update(
            evaluation_questions="Le CLS a-t-il amélioré l'accès aux soins de premier recours dans les deux QPV ?\n"
                                 "Les partenaires se sont-ils coordonnés durablement autour de la santé mentale ?",
            evaluation_evaluateurs="Un cabinet d'évaluation extérieur, avec un comité d'évaluation issu du COPIL "
                                   "(collectivité, ARS, CPAM de l'Orne, représentants des habitants).",
            evaluation_calendrier="Cadrage en janvier 2026, entretiens et questionnaires de février à avril, rapport "
                                  "présenté au COPIL en juin 2026.")
    ctx.update(users=users, orgs=orgs, partners=partners, contracts=contracts, ars=ars)
    seed_lifecycle(ctx)


# --- lifecycle, documents, signatories, governance -------------------------------------------------------

def _pdf(title: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = (f"%PDF-1.4\n% {title}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            "2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    slug = "".join(ch if ch.isalnum() else "-" for ch in title.lower())[:60].strip("-")
    return SimpleUploadedFile(f"{slug}.pdf", body.encode("utf-8"), content_type="application/pdf")


def _prs(region_code: str, day) -> str:
    """The regional health plan a demo contract names: for Normandie, the PRS 2018-2023 for a contract signed (or
    prepared) before 2024, its 2023-2028 successor after (a contract signed in 2022 no longer reads « PRS Normandie
    2023-2028 »)."""
    if region_code == "44":
        return "PRS Grand Est 2018-2028"
    return "PRS Normandie 2018-2023" if day and day < dt.date(2024, 1, 1) else "PRS Normandie 2023-2028"


def _at(day):
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30)))


def _record_transition(contract, name, day, proposer, validator, comment=""):
    from .enums import ProposalStatus
    from .models import PhaseTransition, TransitionProposal
    from .workflow import TRANSITIONS

    t = TRANSITIONS[name]
    proposal = None
    if t.mode == "propose":
        proposal = TransitionProposal.objects.create(
            contract=contract, transition=name, from_phase=t.source, to_phase=t.target, proposed_by=proposer,
            comment="Dossier complet, proposé à la délégation.", status=ProposalStatus.ACCEPTED, decided_by=validator,
            decided_at=_at(day), decision_comment=comment)
        TransitionProposal.objects.filter(pk=proposal.pk).update(proposed_at=_at(day - dt.timedelta(days=12)))
    record = PhaseTransition.objects.create(contract=contract, transition=name, from_phase=t.source,
                                            to_phase=t.target, actor=validator if proposal else proposer,
                                            comment=comment, proposal=proposal)
    PhaseTransition.objects.filter(pk=record.pk).update(at=_at(day))
    from cls_portal.core import history
    from cls_portal.core.models import HistoryEntry

    from .enums import ContractEvent, Phase

    if proposal is not None:
        line = history.record(actor=proposer, obj=proposal, event=ContractEvent.PROPOSITION_TRANSMISE,
                              comment=proposal.comment)
        HistoryEntry.objects.filter(pk=line.pk).update(at=_at(day - dt.timedelta(days=12)))
    line = history.record(actor=validator if proposal else proposer, obj=contract, event=ContractEvent.PHASE_CHANGEE,
                          changes={"phase": [t.source, t.target]}, comment=comment,
                          context={"phase": Phase(t.target).label, "transition": t.label})
    HistoryEntry.objects.filter(pk=line.pk).update(at=_at(day))


def _signatories(contract, key, partners, orgs, ars_org):
    from .enums import SignatoryRole

    dep = contract.delegations.first().departement_id
    prefecture = next((o for n, o in partners.items() if n.startswith("Préfecture") and o.departement_id == dep), None)
    signed = contract.date_signature
    rows = [(orgs[key], SignatoryRole.COLLECTIVITE, "Le président de la communauté"),
            (ars_org, SignatoryRole.ARS, "La directrice générale de l'ARS")]
    if prefecture:
        rows.append((prefecture, SignatoryRole.PREFECTURE, "Le préfet"))
    # Bayeux's own partners are Bayeux's (Pré-Bocage, also in the Calvados, has only its mandatory signatories)
    if key == "bayeux":
        rows += [(partners["CPAM du Calvados"], SignatoryRole.AUTRE_SIGNATAIRE, "La directrice"),
                 (partners["Centre hospitalier de Bayeux"], SignatoryRole.AUTRE_SIGNATAIRE, "Le directeur"),
                 (partners["CPTS du Bessin"], SignatoryRole.PARTENAIRE, ""),
                 (partners["Association Addictions France — Calvados"], SignatoryRole.PARTENAIRE, "")]
    elif dep == "52":
        rows.append((partners["CPAM de la Haute-Marne"], SignatoryRole.AUTRE_SIGNATAIRE, "Le directeur"))
    from .models import Signatory

    for org, role, rep in rows:
        Signatory.objects.get_or_create(contract=contract, organisation=org, role=role, defaults={
            "representant": rep,
            "date_signature": signed if signed and role != SignatoryRole.PARTENAIRE else None})


def _governance(contract, actor, coordinator_name, partners, orgs, key, today):
    from .enums import InstanceType

    copil = services.instance_create(actor=actor, contract=contract, type=InstanceType.COPIL,
                                     nom="Comité de pilotage",
                                     mission="Valide les orientations et suit le CLS chaque année.")
    cotech = services.instance_create(actor=actor, contract=contract, type=InstanceType.COTECH,
                                      nom="Comité technique", mission="Prépare les travaux du COPIL.")
    gt = services.instance_create(actor=actor, contract=contract, type=InstanceType.GROUPE_TRAVAIL,
                                  nom="Groupe de travail « Accès aux soins »")
    services.member_add(actor=actor, instance=copil, personne="Le président de la collectivité", organisation=orgs[key],
                        role="Co-président")
    services.member_add(actor=actor, instance=copil, personne="La déléguée départementale",
                        organisation=None, role="Co-présidente (ARS)")
    if coordinator_name:  # a contract without a coordinator yet has no one to name (never another CLS's people)
        services.member_add(actor=actor, instance=cotech, personne=coordinator_name, role="Coordinateur du CLS")
    if key == "bayeux":
        services.member_add(actor=actor, instance=cotech, organisation=partners["CPAM du Calvados"],
                            role="Référente prévention")
        services.member_add(actor=actor, instance=gt, organisation=partners["CPTS du Bessin"], role="Animation")
    return copil, cotech, gt


def seed_lifecycle(ctx):
    """Documents, signatories, governance, meetings and transitions consistent with each contract's phase."""
    from django.utils import timezone

    from .enums import DocumentType, Phase, StepStatus
    from .models import Step, TransitionProposal

    users, partners, orgs = ctx["users"], ctx["partners"], ctx["orgs"]
    today = timezone.localdate()
    ars_orgs = {"28": partners["ARS Normandie"], "44": partners["ARS Grand Est"]}
    coordinators = {"bayeux": users["coordinateur"], "coutances": users["coordinateur2"],
                    "langres": users["coordinatrice-langres"]}
    for key, contract in ctx["contracts"].items():
        if not contract.steps.exists():
            services.steps_create_defaults(contract=contract)
        if contract.signatories.exists() or contract.documents.exists():
            continue  # already seeded
        coord = coordinators.get(key, users["admin"])
        referent = contract.referent or users["admin"]
        debut = contract.date_debut_prealable
        lettre = debut + dt.timedelta(days=120)
        phase_index = [Phase.PREALABLE, Phase.DIAGNOSTIC, Phase.MISE_EN_OEUVRE, Phase.EVALUATION_FINALE,
                       Phase.CLOS].index(contract.phase)
        _signatories(contract, key, partners, orgs, ars_orgs[contract.ars.region_id])
        copil, cotech, gt = _governance(contract, coord, coordinators[key].get_full_name() if key in coordinators
                                        else "", partners, orgs, key, today)

        if phase_index >= 1 or key == "prebocage":
            services.document_upload(actor=coord, contract=contract, type=DocumentType.LETTRE_INTENTION,
                                     titre="Lettre d'intention des élus", fichier=_pdf("Lettre d'intention"),
                                     date_document=lettre)
            contract.date_lettre_intention, contract.engagement_confirme = lettre, True
            contract.save(update_fields=["date_lettre_intention", "engagement_confirme"])
        if key == "prebocage":
            TransitionProposal.objects.create(
                contract=contract, transition="engager", from_phase=Phase.PREALABLE, to_phase=Phase.DIAGNOSTIC,
                proposed_by=coord, comment="La lettre d'intention a été signée par le président le "
                                           f"{lettre:%d/%m/%Y} ; le conseil communautaire a délibéré.")
        if phase_index >= 1:
            _record_transition(contract, "engager", lettre + dt.timedelta(days=20), coord, referent,
                               "Engagement de la collectivité acté, lancement du diagnostic.")
            services.meeting_create(actor=coord, contract=contract, instance=cotech,
                                    date=lettre + dt.timedelta(days=60), lieu="Siège de la collectivité",
                                    ordre_du_jour="Lancement du diagnostic local de santé ; calendrier.",
                                    participants="Coordinateur, DD ARS, CPAM, CPTS",
                                    compte_rendu="Le COTECH valide la méthode du diagnostic et le rétroplanning.",
                                    decisions="Diagnostic confié à l'ORS ; restitution dans neuf mois.")
        if phase_index >= 2:
            sig = contract.date_signature
            services.document_upload(actor=coord, contract=contract, type=DocumentType.DIAGNOSTIC,
                                     titre="Diagnostic local de santé partagé", fichier=_pdf("Diagnostic"),
                                     date_document=sig - dt.timedelta(days=150))
            services.document_upload(actor=coord, contract=contract, type=DocumentType.CONTRAT_SIGNE,
                                     titre="Contrat local de santé signé", fichier=_pdf("Contrat signé"),
                                     date_document=sig)
            _record_transition(contract, "signer", sig, coord, referent,
                               "Contrat signé par l'ensemble des signataires.")
            for year in range(sig.year + 1, min(today.year, contract.date_fin.year)):
                services.meeting_create(
                    actor=coord, contract=contract, instance=copil, date=dt.date(year, 11, 18),
                    lieu="Salle du conseil communautaire", revue_annuelle=True,
                    ordre_du_jour=f"Revue annuelle {year} : bilan des fiches actions, rapport d'activité, "
                                  "bilan financier.",
                    participants="Élus, DD ARS, préfecture, CPAM, pilotes d'action",
                    compte_rendu=f"Le COPIL prend acte du bilan {year} et valide les priorités de l'année suivante.",
                    decisions="Poursuite des actions ; point d'étape sur l'accès aux soins au prochain COTECH.")
            services.meeting_create(actor=coord, contract=contract, instance=gt, date=today + dt.timedelta(days=24),
                                    lieu="Maison de santé", ordre_du_jour="Installation des jeunes médecins.")
        if key == "bayeux":
            services.avenant_create(actor=coord, contract=contract, date=dt.date(2025, 6, 12),
                                    objet="Ajout d'une fiche santé mentale à la suite du COPIL 2024.",
                                    changes=[{"kind": "ajout", "description": "Fiche 3.1 Former des secouristes "
                                                                                "en santé mentale"}],
                                    # every signatory initialled it (partners do not): the avenant is in force
                                    signataires=list(contract.signatories.exclude(role="partenaire")))
        if phase_index >= 3:
            _record_transition(contract, "ouvrir_evaluation_finale",
                               contract.date_fin.replace(year=contract.date_fin.year - 1) + dt.timedelta(days=5),
                               coord, coord, "Dernière année du contrat : lancement de l'évaluation finale.")
        if phase_index >= 4:
            services.document_upload(actor=coord, contract=contract, type=DocumentType.RAPPORT_EVALUATION_FINALE,
                                     titre="Rapport d'évaluation finale", fichier=_pdf("Évaluation finale"),
                                     date_document=contract.date_fin - dt.timedelta(days=30))
            _record_transition(contract, "clore", contract.date_fin, coord, referent,
                               "Évaluation finale présentée au COPIL ; renouvellement engagé.")
        # Step statuses consistent with the phase.
        for step in contract.steps.all():
            past = [Phase.PREALABLE, Phase.DIAGNOSTIC, Phase.MISE_EN_OEUVRE, Phase.EVALUATION_FINALE,
                    Phase.CLOS].index(step.phase) < phase_index
            if step.statut == StepStatus.REALISEE or step.kind == "evaluation_continue":
                continue
            if past or contract.phase == Phase.CLOS:
                Step.objects.filter(pk=step.pk).update(statut=StepStatus.REALISEE,
                                                       date_realisee=step.date_prevue or today)
            elif step.phase == contract.phase:
                Step.objects.filter(pk=step.pk).update(statut=StepStatus.EN_COURS)
