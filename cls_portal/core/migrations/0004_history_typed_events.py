"""Existing history rows get the typed event codes (and what their sentence names), so old lines read
as sentences too: `report_published` → `rapport_publie`, `demande déposée` → `financement_demande_deposee`,
`suivi_2025` → `fiche_suivi_enregistre` (year in the context), foreign keys recorded as ids → names.

The mapping is data (`OLD_TO_NEW`, `PREFIXES`); `migrate_rows()` is a plain function, tested on its own.
Rows whose action matches nothing keep it (they are never shown: pages show registered events only).
"""

from django.db import migrations

OLD_TO_NEW = {
    # contracts
    "création": "contrat_cree",
    "création par renouvellement": "contrat_cree_par_renouvellement",
    "renouvellement": "contrat_renouvele",
    "modification de l'identité": "contrat_identite_modifiee",
    "modification du périmètre": "contrat_perimetre_modifie",
    "proposition refusée": "contrat_proposition_refusee",
    "document déposé": "contrat_document_depose",
    "nouvelle version": "contrat_document_nouvelle_version",
    "document supprimé": "contrat_document_supprime",
    "signataire ajouté": "contrat_signataire_ajoute",
    "signataire retiré": "contrat_signataire_retire",
    "instance créée": "contrat_instance_creee",
    "membre ajouté": "contrat_membre_ajoute",
    "réunion enregistrée": "contrat_reunion_enregistree",
    "import du plan d'action": "plan_importe",
    # action plan
    "fiche_soumettre": "fiche_soumise",
    "fiche_demander_modification": "fiche_modifications_demandees",
    "fiche_valider": "fiche_validee",
    "fiche_demarrer": "fiche_demarree",
    "fiche_terminer": "fiche_terminee",
    "fiche_reporter": "fiche_reportee",
    "fiche_abandonner": "fiche_abandonnee",
    "fiche_commentaire": "fiche_commentee",
    "fiche_creee_depuis_diagnostic": "fiche_creee",
    # diagnostics
    "diagnostic_soumettre": "diagnostic_soumis",
    "diagnostic_commenter": "diagnostic_commente",
    "diagnostic_demander_modifications": "diagnostic_modifications_demandees",
    "diagnostic_valider": "diagnostic_valide",
    "priorite_axe": "diagnostic_priorite_axe",
    # funding
    "nouvelle version de règle": "financement_regle_creee",
    "demande déposée": "financement_demande_deposee",
    "demande modifiée": "financement_demande_modifiee",
    "prise en instruction": "financement_instruction",
    "décision": "financement_decision",
    "décision remplacée": "financement_decision_remplacee",
    "versement": "financement_versement",
    "bilan financier": "financement_bilan",
    "dialogue de gestion": "financement_dialogue",
    # reports
    "report_requested": "rapport_demande",
    "report_campaign_started": "rapport_campagne_lancee",
    "report_ready": "rapport_pret",
    "report_failed": "rapport_echec",
    "report_retried": "rapport_relance",
    "report_published": "rapport_publie",
    # notifications
    "préférences d'e-mails": "notifications_preferences",
}
# Codes that kept their name: their rows still get their context and names for their foreign keys.
OLD_TO_NEW.update({code: code for code in [
    "axe_cree", "axe_modifie", "axe_deplace", "fiche_creee", "fiche_modifiee", "diagnostic_cree",
    "diagnostic_nouvelle_version", "diagnostic_preparation", "diagnostic_retroplanning", "diagnostic_indicateurs",
    "diagnostic_import_indicateurs", "diagnostic_consultations", "diagnostic_politiques", "diagnostic_ressources",
    "diagnostic_portrait", "diagnostic_acteurs", "diagnostic_priorites"]})
# Free-text actions that carried their object in the text: prefix -> (code, context key of the rest).
PREFIXES = [
    ("changement de phase : ", "contrat_phase_changee", "transition"),
    ("proposition : ", "contrat_proposition_transmise", "transition"),
    ("étape modifiée : ", "contrat_etape_modifiee", "titre"),
    ("étape ajoutée : ", "contrat_etape_ajoutee", "titre"),
    ("avenant n°", "contrat_avenant_enregistre", "numero"),
    ("suivi_", "fiche_suivi_enregistre", "annee"),
]
PHASES = {"prealable": "Phase préalable", "diagnostic": "Diagnostic et élaboration du plan d'action",
          "mise_en_oeuvre": "Mise en œuvre et évaluation", "evaluation_finale": "Évaluation finale", "clos": "Clos"}
# Foreign keys recorded as ids by the old snapshots: (app, model of the row, field) -> (app, related model).
FOREIGN_KEYS = {
    ("contracts", "contract", "referent"): ("accounts", "user"),
    ("actions", "ficheaction", "pilote_personne"): ("accounts", "user"),
    ("actions", "ficheaction", "pilote_organisation"): ("territories", "organisation"),
    ("actions", "ficheaction", "axe"): ("actions", "axe"),
}


def _name(obj, model):
    if obj is None:
        return "élément supprimé"
    if model == "user":
        full = f"{obj.first_name} {obj.last_name}".strip()
        return full or obj.username
    if model == "axe":
        return f"Axe {obj.numero} — {obj.titre}"
    return getattr(obj, "nom", None) or str(obj.pk)


def _subject(apps, row, model_name):
    """What the sentence names, read from the object when it still exists."""
    try:
        model = apps.get_model(row.content_type.app_label, model_name)
        obj = model.objects.filter(pk=row.object_id).first()
    except LookupError:
        return {}
    if obj is None:
        return {}
    if model_name == "contract":
        return {"nom": obj.nom}
    if model_name == "ficheaction":
        axe = apps.get_model("actions", "axe").objects.filter(pk=obj.axe_id).first()
        return {"fiche": f"{axe.numero}.{obj.numero}" if axe else str(obj.numero), "titre": obj.titre}
    if model_name == "axe":
        return {"axe": obj.numero, "titre": obj.titre}
    if model_name in ("anneefinancement", "dialoguegestion"):
        return {"annee": obj.annee}
    if model_name == "diagnostic":
        return {"numero": obj.numero}
    if model_name == "report":
        kind = {"activite": "d'activité", "financier": "financier"}.get(obj.kind, "")
        return {"type": kind, "annee": obj.year, "version": obj.version or ""}
    if model_name == "document":
        return {"titre": obj.titre}
    if model_name == "step":
        return {"titre": obj.titre}
    if model_name == "instance":
        return {"instance": obj.nom}
    if model_name == "meeting":
        return {"reunion": f"Réunion du {obj.date:%d/%m/%Y}"}
    if model_name == "avenant":
        return {"numero": obj.numero}
    return {}


def migrate_rows(apps, rows) -> int:
    """Give each row its typed code, its context and names for its foreign keys. Returns rows changed."""
    changed = 0
    models_cache = {}
    for row in rows:
        ct = row.content_type
        code, context = OLD_TO_NEW.get(row.action), {}
        if code is None:
            for prefix, new, key in PREFIXES:
                if row.action.startswith(prefix) and row.action != prefix:
                    code, context = new, {key: row.action[len(prefix):]}
                    break
        if code is None:
            continue
        context = {**_subject(apps, row, ct.model), **context, **(row.context or {})}
        changes = dict(row.changes or {})
        if code == "contrat_phase_changee" and "phase" in changes:
            context["phase"] = PHASES.get((changes["phase"] + [None, None])[1], context.get("transition", ""))
        for (app, model, field), (rel_app, rel_model) in FOREIGN_KEYS.items():
            if (ct.app_label, ct.model) != (app, model) or field not in changes:
                continue
            key = (rel_app, rel_model)
            if key not in models_cache:
                models_cache[key] = apps.get_model(rel_app, rel_model)
            related = models_cache[key]
            changes[field] = [_name(related.objects.filter(pk=v).first(), rel_model) if isinstance(v, int) else v
                              for v in changes[field]]
        row.action, row.context, row.changes = code, context, changes
        row.save(update_fields=["action", "context", "changes"])
        changed += 1
    return changed


def forwards(apps, schema_editor):
    HistoryEntry = apps.get_model("core", "HistoryEntry")
    migrate_rows(apps, HistoryEntry.objects.select_related("content_type").iterator(chunk_size=500))


def backwards(apps, schema_editor):
    new_to_old = {v: k for k, v in OLD_TO_NEW.items()}
    HistoryEntry = apps.get_model("core", "HistoryEntry")
    for new, old in new_to_old.items():
        HistoryEntry.objects.filter(action=new).update(action=old)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_history_event_context"),
        ("contracts", "0003_meeting_instance_nullable_restrict"),
        ("actions", "0002_commentairerevue_financement_indicateur_jalon_and_more"),
        ("diagnostics", "0001_initial"),
        ("funding", "0001_initial"),
        ("reports", "0001_initial"),
        ("accounts", "0001_initial"),
        ("territories", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
