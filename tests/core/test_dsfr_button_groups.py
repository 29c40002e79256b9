"""A button written with its text beside its icon shows that text, inside a group of buttons too.

The DSFR turns every icon button of a `fr-btns-group` into a 40 px square (text clipped) unless the group
itself says where icons go (`fr-btns-group--icon-left` / `--icon-right`): the button's own
`fr-btn--icon-left` is not enough there. On the action plan a coordinator saw three unlabelled squares
(« + », « + », an arrow) where « Ajouter un axe », « Ajouter une fiche action » and « Importer un plan
d'action (XLSX) » were written.
"""

import re
from pathlib import Path

from django.conf import settings

GROUP = re.compile(r'<(ul|div)\b[^>]*\bclass="([^"]*\bfr-btns-group\b[^"]*)"', re.S)
LABELLED_ICON_BUTTON = re.compile(r'class="[^"]*\bfr-btn--icon-(?:left|right)\b')


def _templates():
    base = Path(settings.BASE_DIR)
    for path in base.rglob("*.html"):
        parts = set(path.relative_to(base).parts)
        if parts & {".venv", "node_modules", "vendor", "var", "static"}:
            continue
        yield path


def test_a_group_of_labelled_icon_buttons_declares_its_icon_side():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for m in GROUP.finditer(text):
            if re.search(r"\bfr-btns-group--icon-(?:left|right)\b", m.group(2)):
                continue
            end = text.find(f"</{m.group(1)}>", m.end())
            if LABELLED_ICON_BUTTON.search(text[m.end():end]):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{text[:m.start()].count(chr(10)) + 1}")
    assert offenders == []


def test_the_check_sees_a_clipped_group():
    html = '<ul class="fr-btns-group"><li><a class="fr-btn fr-icon-add-line fr-btn--icon-left">Ajouter</a></li></ul>'
    m = GROUP.search(html)
    assert m and LABELLED_ICON_BUTTON.search(html[m.end():])
