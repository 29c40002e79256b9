"""The fast form renderer prints exactly what Django's widget templates print.

Widget by widget (selects with groups, multiple selections, disabled options, values that need
escaping, numbers that the French locale groups), then every page of the permission table rendered
once with each renderer: the HTML must be identical (CSRF tokens and CSP nonces aside, they change per response).
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import Client, override_settings

from cls_portal.core.renderers import FastRenderer
from tests.security.crawl import get_pages

FAST, SLOW = FastRenderer(), DjangoTemplates()

WIDGETS = [
    (forms.Select(choices=[("", "---------"), ("a", "A & B"), ("b", "<b>")]), "b"),
    (forms.Select(choices=[("Groupe « 1 »", [(1, "un"), (2, "deux")]), (3, "trois")]), 2),
    (forms.Select(choices=[(2024, 2024), (2025, 2025)], attrs={"class": "fr-select", "disabled": True}), 2025),
    (forms.Select(choices=[(1, 12345)], attrs={"data-x": False, "required": True}), None),
    (forms.SelectMultiple(choices=[("x", "X"), ("y", "Y"), ("z", 'Z "quoted"')]), ["x", "z"]),
    (forms.NullBooleanSelect(), True),
    (forms.TextInput(attrs={"maxlength": 200, "placeholder": "Nom « officiel »"}), "O'Brien & <Cie>"),
    (forms.TextInput(), None),
    (forms.TextInput(), ""),
    (forms.NumberInput(attrs={"step": "0.01", "min": 0}), Decimal("25000.50")),
    (forms.NumberInput(), 1234567),
    (forms.EmailInput(), "a@b.fr"),
    (forms.URLInput(), "https://x.fr/?a=1&b=2"),
    (forms.PasswordInput(render_value=True), "s3cret\"'"),
    (forms.HiddenInput(), 7),
    (forms.DateInput(attrs={"type": "date"}), dt.date(2025, 3, 1)),
    (forms.DateInput(format="%d/%m/%Y"), dt.date(2025, 3, 1)),
    (forms.DateTimeInput(), dt.datetime(2025, 3, 1, 10, 30)),
    (forms.TimeInput(), dt.time(9, 5)),
    (forms.CheckboxInput(), True),  # not on the fast path: must still be right
    (forms.Textarea(), "ligne 1\nligne <2>"),
    (forms.RadioSelect(choices=[("o", "Oui"), ("n", "Non")]), "o"),
]


@pytest.mark.parametrize("widget,value", WIDGETS, ids=lambda w: type(w).__name__)
def test_widget_html_is_django_s(widget, value):
    attrs = {"id": "id_champ"}
    assert widget.render("champ", value, attrs=attrs, renderer=FAST) == widget.render(
        "champ", value, attrs=attrs, renderer=SLOW)


def test_fast_path_is_taken_for_selects_and_inputs(monkeypatch):
    """The renderer must not fall back to templates for the hot widgets (else it is no faster)."""
    calls = []
    original = DjangoTemplates.render
    monkeypatch.setattr(DjangoTemplates, "render", lambda self, name, *a, **k: calls.append(name) or original(
        self, name, *a, **k))
    renderer = FastRenderer()
    forms.Select(choices=[(i, i) for i in range(50)]).render("s", 3, renderer=renderer)
    forms.TextInput().render("t", "x", renderer=renderer)
    assert calls == []
    forms.Textarea().render("t", "x", renderer=renderer)
    assert calls == ["django/forms/widgets/textarea.html"]


def test_an_overridden_template_is_used_not_the_fast_path(monkeypatch):
    renderer = FastRenderer()
    real = renderer.get_template

    class Origin:
        name = "/srv/someapp/templates/django/forms/widgets/select.html"

    def get_template(name):
        template = real(name)
        if name == "django/forms/widgets/select.html":
            template.template.origin = Origin()
        return template

    monkeypatch.setattr(renderer, "get_template", get_template)
    assert "django/forms/widgets/select.html" not in renderer._fast
    assert "django/forms/widgets/text.html" in renderer._fast


# Per-response values: CSRF tokens and CSP nonces.
PER_RESPONSE = re.compile(r'(name="csrfmiddlewaretoken" value="|"csrfToken": "|nonce=")[^"]+"')


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming or not response["Content-Type"].startswith("text/html"):
        return ""
    return PER_RESPONSE.sub(r'\1"', response.content.decode())


@pytest.mark.slow
@pytest.mark.django_db
def test_every_page_is_the_same_with_either_renderer(world):
    pages, seen = 0, set()
    clients = {}
    for _case, role, url in get_pages(world):
        if (role, url) in seen:
            continue
        seen.add((role, url))
        client = clients.setdefault(role, Client())
        client.force_login(world.users[role])
        with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
            slow = _html(client, url)
        with override_settings(FORM_RENDERER="cls_portal.core.renderers.FastRenderer"):
            fast = _html(client, url)
        if fast != slow:
            with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
                again = _html(client, url)
            # Inline formset pages move their hidden foreign-key input after the first response,
            # whatever the renderer (Django's BaseInlineFormSet appends the key to the shared form
            # class's Meta.fields on first use): there, the same lines in any order.
            assert again != slow and sorted(fast.splitlines()) == sorted(slow.splitlines()), url
        pages += 1
    assert pages > 50
