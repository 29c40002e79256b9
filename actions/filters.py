import django_filters
from django.db.models import Q

from cls_portal.core.query import PortalFilterSetMixin, YearFilter
from cls_portal.territories.models import Organisation

from .enums import FichePriorite, FicheStatut, RevueEtat
from .models import FicheAction


class FicheFilter(PortalFilterSetMixin, django_filters.FilterSet):
    axe = django_filters.ModelChoiceFilter(label="Axe", queryset=None, empty_label="Tous les axes")
    statut = django_filters.ChoiceFilter(label="Statut", choices=FicheStatut.choices, empty_label="Tous les statuts")
    pilote_organisation = django_filters.ModelChoiceFilter(label="Organisation pilote", queryset=None,
                                                           empty_label="Toutes les organisations")
    annee = YearFilter(label="Année de mise en œuvre", method="filter_annee")
    priorite = django_filters.ChoiceFilter(label="Priorité", choices=FichePriorite.choices,
                                           empty_label="Toutes les priorités")
    revue = django_filters.ChoiceFilter(label="État de la revue", choices=RevueEtat.choices, method="filter_revue",
                                        empty_label="Tous les états")

    class Meta:
        model = FicheAction
        fields = ["axe", "statut", "pilote_organisation", "annee", "priorite", "revue"]

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["axe"].queryset = contract.axes.order_by("numero")
        self.filters["pilote_organisation"].queryset = Organisation.objects.filter(
            fiches_pilotees__contract=contract).distinct().order_by("nom")

    def filter_annee(self, queryset, name, value):
        """Sheets running during that year (dates unknown: kept)."""
        year = int(value)
        return queryset.filter(Q(date_debut__isnull=True) | Q(date_debut__year__lte=year),
                               Q(date_fin__isnull=True) | Q(date_fin__year__gte=year))

    def filter_revue(self, queryset, name, value):
        return queryset.filter(statut__in=RevueEtat.statuts(value))
