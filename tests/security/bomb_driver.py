"""Posts one hostile file to one upload or import page, in a process of its own, and prints its peak memory.

    python -m tests.security.bomb_driver <case> <file>      (env: DATABASE_URL of a migrated SQLite copy)

The whole Django stack answers the request (multipart parsing, form, view, service), as for a user. The
process's peak resident memory covers Django, the test world and the request: what the server process would
reach. It is read from `VmHWM` in /proc/self/status: `getrusage().ru_maxrss` keeps, across exec, the peak of
the process that forked us (pytest, already well over 100 MB). An address-space limit of 3 GiB keeps a
regression from taking the machine.
"""

import json
import os
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cls_portal.settings.test")
resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))

import django  # noqa: E402

django.setup()


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cases(world):
    from django.urls import reverse

    own = world.own
    return {
        "document": ("coordinateur", reverse("contracts:document_upload", args=[own.contract.pk]), "fichier",
                     {"type": "autre", "titre": "Compte rendu"}),
        "meeting": ("coordinateur", reverse("contracts:meeting_add", args=[own.contract.pk]), "fichier",
                    {"instance": own.instance.pk, "date": "2025-03-04", "lieu": "Bayeux"}),
        "decision": ("delegation", reverse("funding:year_decide", args=[own.funding_year.pk]), "document",
                     {"montant_accorde": "23000", "date_decision": "2025-03-10", "motif": "Révision",
                      "version": own.funding_year.version}),
        "plan_import": ("coordinateur", reverse("imports:plan", args=[own.contract.pk]), "fichier", {}),
        "diagnostic_import": ("coordinateur", reverse("diagnostics:import", args=[own.diagnostic.pk]), "fichier",
                              {}),
    }


def main(case, path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tests.world import build_world

    setup_test_environment()
    world = build_world()
    role, url, field, data = _cases(world)[case]
    client = Client(raise_request_exception=False)  # an exception is a 500, as for a user
    client.force_login(world.users[role])
    content = Path(path).read_bytes()
    name = Path(path).name
    before = peak_rss_mb()
    t0 = time.perf_counter()
    response = client.post(url, {**data, field: SimpleUploadedFile(name, content)})
    seconds = time.perf_counter() - t0
    peak = peak_rss_mb()
    html = response.content.decode(errors="replace")
    errors = {field_id: re.findall(r">([^<]+)</p>", block)
              for field_id, block in re.findall(r'id="id_([\w-]+)-messages"[^>]*>(.*?)</div>', html, re.S)}
    return {"status": response.status_code, "seconds": round(seconds, 2), "before_mb": round(before, 1),
            "peak_mb": round(peak, 1), "field": field, "errors": errors}


if __name__ == "__main__":
    json.dump(main(sys.argv[1], sys.argv[2]), sys.stdout)
