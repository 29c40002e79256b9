"""The network in both tenants: a past regional meeting to which the tenant's coordinator is invited."""

import datetime as dt

from network import services
from network.enums import EventType


def extend(world, tenant):
    event = services.event_create(actor=tenant.people["region"], region=tenant.region, data={
        "titre": f"Journée régionale {tenant.region.nom}", "type": EventType.REUNION, "date": dt.date(2025, 3, 25),
        "lieu": "Caen"})
    tenant.extra.update(event=event, event_invitation=event.invitations.get())
