import datetime as dt

import django_filters
from django.db.models import Q

from cls_portal.core.query import IntegerFilter, PortalFilterSetMixin, YearFilter
from cls_portal.territories.models import Departement

from .enums import Phase
from .models import Contract


class ContractFilter(PortalFilterSetMixin, django_filters.FilterSet):
    phase = django_filters.ChoiceFilter(label="Phase", choices=Phase.choices, empty_label="Toutes")
    departement = django_filters.ModelChoiceFilter(
        label="Département", field_name="delegations__departement", queryset=Departement.objects.none(),
        empty_label="Tous", distinct=True)
    generation = IntegerFilter(label="Génération", min_value=1, max_value=99)
    annee_fin = YearFilter(label="Année de fin", method="filter_annee_fin", min_value=2000, max_value=2100)
    tri = django_filters.OrderingFilter(
        label="Trier par", empty_label="Nom",
        fields=(("nom", "nom"), ("phase", "phase"), ("date_signature", "signature"), ("generation", "generation"),
                ("population", "population"), ("next_deadline", "echeance")),
        field_labels={"nom": "Nom", "phase": "Phase", "date_signature": "Date de signature",
                      "generation": "Génération", "population": "Population", "next_deadline": "Prochaine échéance"})

    class Meta:
        model = Contract
        fields = ["phase", "departement", "generation", "annee_fin"]

    def __init__(self, *args, departements=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["departement"].queryset = departements if departements is not None else Departement.objects.all()

    def filter_annee_fin(self, queryset, name, value):
        """The end date is signature + duration - 1 day: its year is Y when the signature falls between
        2 January of Y - duration and 1 January of Y - duration + 1."""
        year = int(value)
        q = Q(pk__in=[])
        for d in (3, 4, 5):
            q |= Q(duree_annees=d, date_signature__gte=dt.date(year - d, 1, 2),
                   date_signature__lte=dt.date(year - d + 1, 1, 1))
        return queryset.filter(q)
