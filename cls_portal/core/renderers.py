"""Form renderer: the same HTML as Django's own widget templates, built in Python for the hot ones.

A filter form with a few selects (régions, départements, phases…) renders each option through
`select_option.html` and `attrs.html` includes: at 100 options that is most of a list page's server
time. `FastRenderer` builds `<select>`, `<option>` and `<input>` markup directly, byte for byte what
the templates print (tests/core/test_renderers.py compares both on every widget the portal uses), and
hands every other template to the normal renderer. If an installed app overrides one of these
templates, the fast path for it is switched off and the override is used.
"""

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.timezone import template_localtime

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
INPUT = "django/forms/widgets/input.html"
ATTRS = "django/forms/widgets/attrs.html"
_INPUT_TYPES = {
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "number", "email", "url", "password", "date", "datetime", "time", "search",
                 "tel", "hidden")
}


def _s(value):
    """`{{ value|stringformat:'s' }}`, autoescaped."""
    return conditional_escape(str(value))


def _v(value):
    """`{{ value }}`: localized (USE_THOUSAND_SEPARATOR applies to numbers) and autoescaped."""
    return conditional_escape(localize(template_localtime(value)))


def attrs_html(attrs):
    return "".join(
        f" {name}" if value is True else f' {name}="{_s(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def option_html(option):
    return f'<option value="{_s(option["value"])}"{attrs_html(option["attrs"])}>{_v(option["label"])}</option>'


def select_html(widget):
    parts = [f'<select name="{_v(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_v(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            parts.append("\n  " + option_html(option) + "\n")  # select_option.html ends with a newline
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def input_html(widget):
    value = "" if widget["value"] is None else f' value="{_s(widget["value"])}"'
    return f'<input type="{_v(widget["type"])}" name="{_v(widget["name"])}"{value}{attrs_html(widget["attrs"])}>'


class PortalBoundField(BoundField):
    """A field's hint is inside its label, the DSFR way: it is read once, as part of the field's name. Django's
    own `aria-describedby` (`id_x_helptext id_x_error`) read it a second time as the description, and on a
    checkbox pointed at ids the DSFR markup does not have. The description is the error messages, which
    `dsfr_crispy/field.html` names explicitly (`id_x-messages`). Every form of the portal uses it
    (`InputRulesMixin.bound_field_class`)."""

    @property
    def aria_describedby(self):
        return None


class FastRenderer(DjangoTemplates):
    @cached_property
    def _fast(self):
        """The templates still resolved to Django's own files (an app's override disables the fast path)."""
        own = {}
        for name in (SELECT, OPTION, ATTRS, *_INPUT_TYPES):
            origin = self.get_template(name).template.origin.name.replace("\\", "/")
            own[name] = "/django/forms/templates/" in origin
        fast = {}
        if own[SELECT] and own[OPTION] and own[ATTRS]:
            fast[SELECT] = select_html
        if own[INPUT] and own[ATTRS]:
            # text.html, number.html… are `{% include "django/forms/widgets/input.html" %}`.
            fast.update({name: input_html for name in _INPUT_TYPES if own[name]})
        return fast

    def render(self, template_name, context, request=None):
        build = self._fast.get(template_name)
        if build is not None and "widget" in context:
            html = build(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)
