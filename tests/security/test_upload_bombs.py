"""Zip bombs against every upload and import page: refused with a French message next to the field, and the
process answering stays under 200 MB at its peak (measured by `ru_maxrss` in a process of its own, whole
Django stack, see bomb_driver.py). Before the bounded reader, the 400 MB `.odt` took the process past
400 MB (the type check inflated the `mimetype` member) and the 300 MB shared string past 600 MB."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from diagnostics.forms import IMPORT_COLUMNS
from imports.plan import COLUMNS as PLAN_COLUMNS
from tests.migrated import copy_migrated_sqlite, subprocess_env
from tests.security import bombs

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PEAK_LIMIT_MB = 200
PLAN = [c.label for c in PLAN_COLUMNS]
DIAG = [c.label for c in IMPORT_COLUMNS]


@pytest.fixture(scope="module")
def bomb_env(tmp_path_factory, migrated_sqlite):
    tmp = tmp_path_factory.mktemp("bombs")
    env = subprocess_env(copy_migrated_sqlite(migrated_sqlite, tmp / "template.db"), MEDIA_ROOT=str(tmp / "media"))
    files = {
        "odt": bombs.odt_bomb(400), "odt-forged": bombs.odt_bomb(400, forged=True),
        "plan-sst": bombs.xlsx_shared_string_bomb(PLAN, 300),
        "plan-sst-forged": bombs.xlsx_shared_string_bomb(PLAN, 300, forged=True),
        "plan-limits": bombs.xlsx_at_the_limits(PLAN),
        "diag-sst": bombs.xlsx_shared_string_bomb(DIAG, 300),
        "diag-sst-forged": bombs.xlsx_shared_string_bomb(DIAG, 300, forged=True),
        "diag-limits": bombs.xlsx_at_the_limits(DIAG),
    }
    paths = {}
    for key, content in files.items():
        folder = tmp / key
        folder.mkdir()
        paths[key] = folder
        (folder / "content").write_bytes(content)
    return tmp, env, paths


def _post(bomb_env, case, key, name):
    tmp, env, paths = bomb_env
    db = tmp / f"{case}-{key}.db"
    shutil.copy(tmp / "template.db", db)
    upload = paths[key] / name
    shutil.copy(paths[key] / "content", upload)
    out = subprocess.run([sys.executable, "-m", "tests.security.bomb_driver", case, str(upload)], cwd=ROOT,
                         env={**env, "DATABASE_URL": f"sqlite:///{db}"}, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout)
    print(f"{case} {key}: {result}")  # the measured peaks, for the report (pytest -s)
    return result


@pytest.mark.parametrize("case,key,name", [
    ("document", "odt", "compte-rendu.odt"),
    ("document", "odt-forged", "compte-rendu.odt"),
    ("meeting", "odt-forged", "compte-rendu.odt"),
    ("decision", "odt-forged", "decision.pdf"),
    ("plan_import", "plan-sst", "plan.xlsx"),
    ("plan_import", "plan-sst-forged", "plan.xlsx"),
    ("diagnostic_import", "diag-sst", "indicateurs.xlsx"),
    ("diagnostic_import", "diag-sst-forged", "indicateurs.xlsx"),
])
def test_a_bomb_is_refused_next_to_the_field_under_200_mb(bomb_env, case, key, name):
    result = _post(bomb_env, case, key, name)
    assert result["status"] == 200, result
    assert result["errors"].get(result["field"]), result  # a French message next to the upload field
    assert result["peak_mb"] < PEAK_LIMIT_MB, result


@pytest.mark.parametrize("case,key", [("plan_import", "plan-limits"), ("diagnostic_import", "diag-limits")])
def test_the_heaviest_spreadsheet_the_limits_let_through_stays_under_200_mb(bomb_env, case, key):
    """8 MB of shared strings (280 000 strings, the member cap): parsed, answered, under the limit."""
    result = _post(bomb_env, case, key, "tableau.xlsx")
    assert result["status"] == 200, result
    assert result["peak_mb"] < PEAK_LIMIT_MB, result
