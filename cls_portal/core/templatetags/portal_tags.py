from django import template
from django.utils.http import urlencode

from cls_portal.core.formatting import format_euros, format_number, format_percent

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
