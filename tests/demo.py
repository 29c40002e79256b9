"""Demo data for browser tests: territories of Normandie and Grand Est only (fast), then seed_demo."""

from django.core.management import call_command

from cls_portal.territories.importer import import_territories, load_compact

_COMPACT = None
DEMO_REGIONS = {"28", "44"}


def load_demo_territories():
    global _COMPACT
    if _COMPACT is None:
        _COMPACT = load_compact()
    data = dict(_COMPACT)
    data["regions"] = [r for r in _COMPACT["regions"] if r[0] in DEMO_REGIONS]
    data["departements"] = [d for d in _COMPACT["departements"] if d[2] in DEMO_REGIONS]
    data["communes"] = [c for c in _COMPACT["communes"] if c[3] in DEMO_REGIONS]
    epcis = {c[5] for c in data["communes"] if c[5]}
    data["epci"] = [e for e in _COMPACT["epci"] if e[0] in epcis]
    import_territories(data)


def seed_demo_data():
    """Import the two demo régions' territories and run `seed_demo` (idempotent)."""
    load_demo_territories()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
