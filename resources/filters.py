import django_filters
from django.db.models import Q

from cls_portal.core.query import PortalFilterSetMixin

from .enums import ResourceCategory
from .models import Resource


class ResourceFilter(PortalFilterSetMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label="Rechercher (titre, description)", method="filter_q", max_length=100)
    categorie = django_filters.ChoiceFilter(label="Catégorie", choices=ResourceCategory.choices, empty_label="Toutes")
    archivees = django_filters.BooleanFilter(label="Voir aussi les ressources archivées", method="filter_archivees",
                                             widget=django_filters.widgets.forms.CheckboxInput)

    class Meta:
        model = Resource
        fields = ["q", "categorie"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.show_archived = bool(data and data.get("archivees"))

    @property
    def qs(self):
        qs = super().qs
        return qs if self.show_archived else qs.filter(archived_at__isnull=True)

    def filter_q(self, queryset, name, value):
        words = value.split()
        for word in words[:8]:
            queryset = queryset.filter(Q(titre__icontains=word) | Q(description__icontains=word))
        return queryset

    def filter_archivees(self, queryset, name, value):
        return queryset  # applied in `qs`: archived resources are hidden unless asked for
