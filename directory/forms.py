from django import forms

from cls_portal.core.validation import PortalForm


class DirectoryQueryForm(PortalForm):
    """The directory's query parameters: codes and a search text, cleaned by the input rules (no control
    character reaches the database: PostgreSQL refuses a NUL in a query, a 500 before)."""

    region = forms.CharField(required=False, max_length=3)
    departement = forms.CharField(required=False, max_length=3)
    q = forms.CharField(required=False, max_length=200)

    def values(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {k: data.get(k, "") for k in ("region", "departement", "q")}
