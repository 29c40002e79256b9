"""A process that rendered a report leaves no copy of the report fonts behind (`cls_portal.pdf.release_fonts`).

WeasyPrint copies the stylesheets' fonts into a `weasyprint-…` folder of the temporary directory (2.5 MB) and
removes it when its font configuration is collected; the portal keeps that configuration for the life of the
process. Collected only at interpreter shutdown, after WeasyPrint's module was emptied, it left the folder behind:
a pytest process that rendered one PDF did (63 folders after one run of the suite), as would a worker at each
restart.
"""

import os
import subprocess
import sys
from pathlib import Path

from celery.signals import worker_process_shutdown

from cls_portal import pdf

ROOT = Path(__file__).resolve().parents[2]
RENDER_ONCE = '''
from cls_portal.pdf import html_to_pdf


def test_render():
    assert html_to_pdf("<p>Texte</p>", stylesheets=["reports/report.css"]).startswith(b"%PDF")
'''


def _folders_left_by_a_pytest_process(tmp_path, module: str) -> list[Path]:
    (tmp_path / "run").mkdir()
    (tmp_path / "tmp").mkdir()
    (tmp_path / "run" / "test_render_once.py").write_text(module, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    env.update(TMPDIR=str(tmp_path / "tmp"), DJANGO_SETTINGS_MODULE="cls_portal.settings.test")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", "-c",
                           str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT), str(tmp_path / "run")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    return list((tmp_path / "tmp").glob("weasyprint-*"))


def test_a_process_that_rendered_a_report_removes_its_font_folder_when_it_exits(tmp_path):
    assert _folders_left_by_a_pytest_process(tmp_path, RENDER_ONCE) == []


def test_without_the_release_at_exit_the_folder_stays(tmp_path):
    """The check above sees the leak: the same process without the exit handler leaves its folder."""
    unregistered = RENDER_ONCE + ("\nimport atexit\n\nfrom cls_portal.pdf import release_fonts\n\n"
                                  "atexit.unregister(release_fonts)\n")
    assert len(_folders_left_by_a_pytest_process(tmp_path, unregistered)) == 1


def test_a_celery_child_releases_the_fonts_before_it_exits(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    pdf.release_fonts()  # no kept configuration: the next rendering makes its folder here
    pdf.html_to_pdf("<p>Texte</p>", stylesheets=["reports/report.css"])
    assert len(list(tmp_path.glob("weasyprint-*"))) == 1
    worker_process_shutdown.send(sender=None, pid=os.getpid(), exitcode=0)  # what a prefork child sends
    assert list(tmp_path.glob("weasyprint-*")) == []
    assert pdf._prepared.cache_info().currsize == 0
