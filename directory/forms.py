from django import forms

from cls_portal.core.validation import PortalForm


class DirectoryQueryForm(PortalForm):
    """The directory's query parameters: codes and a search text, cleaned by the input rules (no control
    character reaches the database: PostgreSQL refuses a NUL in a query, a 500 before)."""

    region = forms.CharField(required=False, max_length=3)
    departement = forms.CharField(required=False, max_length=3)
    q = forms.CharField(required=False, max_length=200, error_messages={
        "max_length": "Recherche trop longue : %(limit_value)d caractères au plus. Raccourcissez-la pour lancer la "
                      "recherche."})

    def values(self) -> dict:
        """The valid parameters (an invalid one is empty: `errors` says why)."""
        self.is_valid()
        return {k: self.cleaned_data.get(k, "") for k in ("region", "departement", "q")}
