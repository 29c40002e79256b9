"""Builtin filters and tags (no `{% load %}` needed): the portal's one way to show quantities, plurals and
dates (`cls_portal.core.formatting`). Years, ids and CSS values are printed as they are (`{{ year }}`)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from cls_portal.core.formatting import (
    css_number,
    format_date_long,
    format_euros,
    format_number,
    format_percent,
    is_plural,
)
from cls_portal.core.page import form_errors, place_required_note
from cls_portal.core.page import page_title as build_page_title

register = template.Library()


@register.filter
def euros(value):
    return format_euros(value)


@register.filter
def nombre(value, decimals=None):
    return format_number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def pourcent(value, decimals=0):
    return format_percent(value, int(decimals))


@register.filter
def date_longue(value):
    """`1er mars 2026`: dates in documents for élus."""
    return format_date_long(value)


@register.filter
def css(value, decimals=2):
    """A number for a style attribute (`left:{{ x|css }}%`): always a point, never a separator."""
    return css_number(value, int(decimals))


@register.filter(is_safe=False)
def pluralize(value, arg="s"):
    """Django's `pluralize` with the French rule: 0 and 1 are singular ("0 fiche réalisée").

    Registered as a builtin after Django's, it replaces it in every template. Same arguments:
    `{{ n|pluralize }}`, `{{ n|pluralize:"x" }}`, `{{ n|pluralize:"al,aux" }}`; a list counts its items.
    """
    if "," not in arg:
        arg = "," + arg
    bits = arg.split(",")
    if len(bits) > 2:
        return ""
    singular, plural = bits[:2]
    if not isinstance(value, (int, float, str)) or isinstance(value, bool):
        try:
            value = len(value)
        except TypeError:
            pass
    try:
        return plural if is_plural(value) else singular
    except (ValueError, TypeError):
        return ""


@register.simple_tag
def work_items(items, show_contract=True):
    """The `<li>` of work-list items (`cls_portal.core.worklist.WorkItem`): what to open, on which contract (with
    `show_contract`), and the detail. Written here rather than as a template loop, which took some 20 µs an item
    (the délégation's dashboard and the coordinator's page list every item waiting for them)."""
    return format_html_join("", '<li data-work-item="{}"><a href="{}">{}{}</a>{}</li>', (
        (item.kind, item.url, format_html("{} — ", item.contract) if show_contract and item.contract else "",
         item.title, format_html(' <span class="cls-muted">· {}</span>', item.detail) if item.detail else "")
        for item in items))


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """Current query string with some parameters replaced (keeps filters across pagination/sorting)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return urlencode(sorted(query.lists()), doseq=True)


@register.simple_tag(takes_context=True)
def page_errors(context):
    """The rejected forms of the page, as one list (`cls_portal.core.page.form_errors`): `base.html` reads it
    once (`{% page_errors as page_errors %}`) for the title and the error summary."""
    return form_errors(context)


class RequiredNoteNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return place_required_note(self.nodelist.render(context))


@register.tag
def required_note(parser, token):
    """`{% required_note %}…{% endrequired_note %}`: what it wraps (base.html's content block), with the note
    « Les champs marqués d'un astérisque (*) sont obligatoires. » before the first form that shows an
    asterisk (`cls_portal.core.page.place_required_note`), so that no page template has to place it."""
    nodelist = parser.parse(("endrequired_note",))
    parser.delete_first_token()
    return RequiredNoteNode(nodelist)


@register.simple_tag(takes_context=True)
def page_title(context, title=None):
    """The `<title>`: error prefix, title, filters applied, page number, site (`cls_portal.core.page`)."""
    return build_page_title(context, title)
