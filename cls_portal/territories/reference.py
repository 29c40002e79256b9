"""Contacts given by the source documents (ARS Normandie and ARS Grand Est pages).

Délégations of other régions start without an address; an ARS administrator fills them in.
"""

ARS_EMAILS = {
    "44": "ars-grandest-cls@ars.sante.fr",  # Grand Est: siège régional, boîte CLS
}

DELEGATION_EMAILS = {
    # Normandie
    "14": "ars-normandie-dd14@ars.sante.fr",
    "27": "ars-normandie-dd27@ars.sante.fr",
    "50": "ars-normandie-dd50@ars.sante.fr",
    "61": "ars-normandie-dd61@ars.sante.fr",
    "76": "ars-normandie-dd76@ars.sante.fr",
    # Grand Est
    "08": "ars-grandest-dt08-delegue@ars.sante.fr",
    "10": "ars-grandest-dt10-delegue@ars.sante.fr",
    "51": "ars-grandest-dt51-delegue@ars.sante.fr",
    "52": "ars-grandest-dt52-delegue@ars.sante.fr",
    "54": "ars-grandest-dt54-delegue@ars.sante.fr",
    "55": "ars-grandest-dt55-delegue@ars.sante.fr",
    "57": "ars-grandest-dt57-delegue@ars.sante.fr",
    "67": "ars-grandest-dt67-delegue@ars.sante.fr",
    "68": "ars-grandest-dt68-delegue@ars.sante.fr",
    "88": "ars-grandest-dt88-delegue@ars.sante.fr",
}

# Grand Est names its délégations "délégations territoriales".
DELEGATION_LABEL = {"44": "Délégation territoriale"}
