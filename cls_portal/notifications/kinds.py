"""Kinds of notification (a user may turn off the e-mail of each kind). Apps add theirs here."""

KINDS = {
    "revue_fiche": "Revue des fiches actions (soumission, demande de modification, validation)",
    "revue_diagnostic": "Revue du diagnostic",
    "phase_contrat": "Étapes du contrat (passage de phase, validation)",
    "financement": "Financement du poste de coordination",
    "rapport": "Rapports annuels",
    "rappel": "Rappels (échéances, rapports dus, dialogue de gestion)",
    "reseau": "Réseau régional des coordinateurs (invitations aux journées et réunions)",
}
