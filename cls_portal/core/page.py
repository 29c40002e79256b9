"""What the page-level template reads from a view's context, so every page says the same things the same way
(WCAG 2.4.2 and 3.3.1, RGAA 8.6 and 11.10), without each view or template having to remember it:

- `form_errors(context)`: the rejected forms of the page (every bound form, formset or django-filter
  filter set found in the context, also inside a list or a dict of them, and the error messages of a form
  posted elsewhere that redirected here), as one list of errors, each with the id of the field it links
  to. `base.html` turns it into the page title's « Erreur : » prefix and the error summary at the top of
  the page, which receives focus (static/js/page.js).
- `place_required_note(html)`: the page's content shows a required field's asterisk, so the page says what
  the asterisk means (RGAA 11.10), once, just before the first form that shows one: after the page's `<h1>`
  and its intro, never above them, and below the error summary, which `base.html` keeps first in `<main>`.
- `page_title(context, title)`: the view's `title`, then the filters applied to the list (the filter
  set's form, or any form of the context whose class says `describes_page = True`), then the page
  number (`page_obj`), then the error prefix: « Erreur : 2 champs à corriger – Contrats locaux de
  santé – Département : Calvados, Phase : Mise en œuvre – page 2 sur 5 – Portail CLS ».
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import django_filters
from django import forms
from django.contrib import messages
from django.db.models import Model
from django.forms.formsets import BaseFormSet

from .formatting import format_number, is_plural

SEPARATOR = " – "
# Containers looked into: the context's own values, and lists/dicts of forms one level down (the action
# sheet's list of {"formset": ..., "title": ...}). Bounded: a context also holds lists of table rows.
_MAX_ITEMS = 200


@dataclass(frozen=True)
class FieldError:
    message: str
    label: str = ""
    target: str = ""  # the id of the element the summary links to; "" for an error with no field


@dataclass(frozen=True)
class PageErrors:
    errors: tuple[FieldError, ...]

    @property
    def fields(self) -> int:
        return len({e.target or e.label for e in self.errors if e.label})

    def __bool__(self):
        return bool(self.errors)

    def title_prefix(self) -> str:
        if not self.errors:
            return ""
        if self.fields:
            n = self.fields
            return f"Erreur : {format_number(n)} champ{'s' if is_plural(n) else ''} à corriger"
        n = len(self.errors)
        return f"Erreur : {format_number(n)} erreur{'s' if is_plural(n) else ''} à corriger"


def _forms_in(context) -> list[tuple[object, str]]:
    """Bound forms, formsets and filter sets of the context, each once, in the order met, with the `title`
    of the dict that holds them if any (the action sheet's `{"formset": ..., "title": "Jalons"}`)."""
    found, seen = [], set()

    def visit(value, depth, title=""):
        if id(value) in seen:
            return
        if isinstance(value, forms.BaseForm | BaseFormSet | django_filters.FilterSet):
            seen.add(id(value))
            found.append((value, title))
        elif depth < 2 and isinstance(value, list | tuple) and len(value) <= _MAX_ITEMS:
            for item in value:
                visit(item, depth + 1)
        elif depth in (1, 2) and isinstance(value, dict) and len(value) <= _MAX_ITEMS:
            inner = value.get("title") if isinstance(value.get("title"), str) else ""
            for item in value.values():
                visit(item, depth + 1, inner)

    for value in context.flatten().values():
        visit(value, 0)
    return found


def _field_errors(form, *, row: str = "") -> list[FieldError]:
    if not form.is_bound:
        return []
    where = f"{row} : " if row else ""
    out = [FieldError(f"{where}{e}") for e in form.non_field_errors()]
    for bound in form:
        if not bound.errors:
            continue
        if bound.is_hidden:  # a row id, a version: nothing to link to, the message says it all
            out += [FieldError(f"{where}{e}") for e in bound.errors]
            continue
        label = f"{bound.label} ({row})" if row else str(bound.label)
        target = bound.id_for_label or bound.auto_id or ""
        out += [FieldError(str(e), label=label, target=target) for e in bound.errors]
    return out


def _formset_errors(formset, title: str = "") -> list[FieldError]:
    if not formset.is_bound:
        return []
    out = [FieldError(f"{title} : {e}" if title else str(e)) for e in formset.non_form_errors()]
    for number, form in enumerate(formset.forms, start=1):
        if formset.can_delete and formset._should_delete_form(form):
            continue
        out += _field_errors(form, row=f"{title}, ligne {number}" if title else f"ligne {number}")
    return out


def form_errors(context) -> PageErrors:
    errors: list[FieldError] = []
    for item, title in _forms_in(context):
        if isinstance(item, BaseFormSet):
            errors += _formset_errors(item, title)
        elif isinstance(item, django_filters.FilterSet):
            if item.is_bound:
                errors += _field_errors(item.form)
        else:
            errors += _field_errors(item)
    # A form posted from a detail page answers with a redirect and an error message (« Instance non créée :
    # indiquez son type et son nom. »): the same title and summary say it (base.html then leaves it out of the
    # message list). Reading the storage twice in a request is fine: it keeps its messages until the response.
    for message in context.get("messages") or ():
        if getattr(message, "level", 0) >= messages.ERROR:
            errors.append(FieldError(str(message)))
    unique = tuple(dict.fromkeys(errors))  # a form reachable twice (as `form` and inside a filter set)
    return PageErrors(unique)


# The asterisk of a required field as dsfr_crispy/field.html and _input_group.html draw it (the only templates
# that draw one): what the note explains. Read from the rendered page rather than from the view's context, so
# the note follows what a person sees: a required field drawn by hand or by an inclusion tag counts, a form of
# the context the template does not draw (or draws only in part) does not.
REQUIRED_MARK = 'aria-hidden="true">*</span>'
REQUIRED_NOTE = ('<p class="fr-text--sm fr-mb-2w" id="champs-obligatoires">'
                 "Les champs marqués d'un astérisque (*) sont obligatoires.</p>\n")


def place_required_note(html: str) -> str:
    """`html` (the content block of a page) with the asterisk's note before the first form that shows one; if
    that asterisk is outside any form, right after the `<h1>` before it (or first, without one). Unchanged when
    no asterisk is shown. Two string searches over markup already rendered: nothing to parse, nothing to query.
    Template text only: the content people type is escaped (`&lt;form`), so it never looks like a tag here."""
    mark = html.find(REQUIRED_MARK)
    if mark < 0:
        return html
    form = max(html.rfind("<form ", 0, mark), html.rfind("<form>", 0, mark))
    if form >= 0 and html.find("</form>", form, mark) < 0:
        at = form
    else:
        h1 = html.rfind("</h1>", 0, mark)
        at = h1 + len("</h1>") if h1 >= 0 else 0
    return f"{html[:at]}{REQUIRED_NOTE}{html[at:]}"


# --- Titles ---------------------------------------------------------------------------------------------

def _choice_label(field, value) -> str:
    for key, label in field.choices:
        if isinstance(label, list | tuple):  # an optgroup
            for sub_key, sub_label in label:
                if str(sub_key) == str(value):
                    return str(sub_label)
        elif str(key) == str(value):
            return str(label)
    return str(value)


def _shown(field, value) -> str:
    if isinstance(value, Model):
        return str(value)
    if isinstance(field, forms.BooleanField):
        return ""
    if isinstance(value, list):
        return ", ".join(_shown(field, v) for v in value)
    if isinstance(field, forms.ChoiceField):
        return _choice_label(field, value)
    if isinstance(field, forms.CharField):
        return f"« {value} »"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)  # years and ids as they are: never localised


def filters_applied(form) -> list[str]:
    """« Label : valeur » for each filter of a valid bound form that holds a value."""
    if not form.is_bound or not form.is_valid():
        return []
    out = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if hasattr(value, "__iter__") and not isinstance(value, str):
            value = list(value)  # a multiple choice (a queryset: one query)
        if value in (None, "", [], False):
            continue
        shown = _shown(field, value)
        label = str(field.label or name)
        out.append(f"{label} : {shown}" if shown else label)
    return out


def _filter_forms(context) -> list:
    out = []
    for item, _title in _forms_in(context):
        if isinstance(item, django_filters.FilterSet):
            out.append(item.form)
        elif isinstance(item, forms.BaseForm) and getattr(item, "describes_page", False):
            out.append(item)
    return out


def page_title(context, title: str | None = None) -> str:
    site = str(context.get("site_name") or "")
    title = context.get("title") if title is None else title
    parts = [str(title)] if title else []
    # A page of one contract (its steps, documents, funding, sheets…) names it, unless its title already does:
    # « Ajouter une étape » of two contracts are two pages (WCAG 2.4.2), which the full crawl checks.
    contract_name = str(getattr(context.get("contract"), "nom", "") or "")
    if contract_name and parts and contract_name not in parts[0]:
        parts.append(contract_name)
    filters = [f for form in _filter_forms(context) for f in filters_applied(form)]
    if filters:
        parts.append(", ".join(filters))
    page = context.get("page_obj")
    paginator = getattr(page, "paginator", None)
    if paginator is not None and getattr(paginator, "num_pages", 1) > 1:
        parts.append(f"page {page.number} sur {paginator.num_pages}")
    errors = context.get("page_errors")
    if not isinstance(errors, PageErrors):
        errors = form_errors(context)
    prefix = errors.title_prefix()
    return SEPARATOR.join(([prefix] if prefix else []) + parts + ([site] if site else []))
