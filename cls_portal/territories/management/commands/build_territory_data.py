"""Rebuild the compact territory file shipped in the repository from the Etalab npm package.

    python manage.py build_territory_data                      # runs `npm pack` itself
    python manage.py build_territory_data --package-dir DIR     # an unpacked package/ folder

Kept: régions and départements of metropolitan France and the five DROM (the ones with an ARS),
EPCI, and current communes (type `commune-actuelle`). Left out on purpose: communes déléguées and
associées (no population of their own: it is counted in their commune nouvelle) and the municipal
arrondissements of Paris, Lyon and Marseille (their population is already in the commune), so no
inhabitant is ever counted twice. Collectivités d'outre-mer (no ARS, no EPCI) are left out too.
"""

import gzip
import json
import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cls_portal.territories.importer import DATA_FILE, PACKAGE

KEPT_ZONES = {"metro", "drom"}


class Command(BaseCommand):
    help = "Reconstruit le fichier compact des territoires depuis le paquet npm d'Etalab."

    def add_arguments(self, parser):
        parser.add_argument("--package-dir", help="Dossier « package » décompressé du paquet npm.")
        parser.add_argument("--output", default=str(DATA_FILE))

    def handle(self, *args, **opts):
        if opts["package_dir"]:
            data_dir = Path(opts["package_dir"]) / "data"
            self._build(data_dir, Path(opts["output"]))
            return
        with tempfile.TemporaryDirectory() as tmp:
            try:
                subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, capture_output=True)
            except (OSError, subprocess.CalledProcessError) as exc:
                raise CommandError(
                    f"`npm pack {PACKAGE}` a échoué ({exc}). Installez npm ou passez --package-dir.") from exc
            tgz = next(Path(tmp).glob("*.tgz"))
            subprocess.run(["tar", "xzf", str(tgz)], cwd=tmp, check=True)
            self._build(Path(tmp) / "package" / "data", Path(opts["output"]))

    def _build(self, data_dir: Path, output: Path):
        load = lambda name: json.loads((data_dir / name).read_text(encoding="utf-8"))  # noqa: E731
        regions = [r for r in load("regions.json") if r.get("zone") in KEPT_ZONES]
        region_codes = {r["code"] for r in regions}
        deps = [d for d in load("departements.json") if d.get("region") in region_codes]
        dep_codes = {d["code"] for d in deps}
        epcis = load("epci.json")
        member_epci = {m["code"]: e["code"] for e in epcis for m in e["membres"]}
        communes = [
            c for c in load("communes.json")
            if c["type"] == "commune-actuelle" and c.get("departement") in dep_codes
        ]
        compact = {
            "source": PACKAGE,
            "regions": sorted([r["code"], r["nom"]] for r in regions),
            "departements": sorted([d["code"], d["nom"], d["region"], d.get("typeLiaison", 0)] for d in deps),
            "epci": sorted([e["code"], e["nom"], e["type"]] for e in epcis),
            "communes": sorted(
                [c["code"], c["nom"], c["departement"], c["region"], int(c.get("population") or 0),
                 member_epci.get(c["code"])]
                for c in communes
            ),
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        raw = json.dumps(compact, ensure_ascii=False, separators=(",", ":")).encode()
        with gzip.GzipFile(output, "wb", mtime=0) as fh:  # mtime=0: same input, same bytes
            fh.write(raw)
        self.stdout.write(self.style.SUCCESS(
            f"{output}: {len(regions)} régions, {len(deps)} départements, {len(epcis)} EPCI, "
            f"{len(communes)} communes ({output.stat().st_size // 1024} Kio)."
        ))
