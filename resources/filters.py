import django_filters
from django.db.models import Q

from cls_portal.core.collation import Folded, fold_query
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
        """Each word typed (eight at most) in the title or the description, accents, case, hyphens and apostrophes
        aside, as every search of the portal (`cls_portal.core.collation`): « prevention » finds « Prévention ».
        Folded at query time, not in generated columns: a région's library holds tens of resources, not the
        hundreds of thousands of rows the contracts' and communes' searches read. Punctuation alone names nothing."""
        words = fold_query(value).split()
        if not words:
            return queryset.none()
        queryset = queryset.alias(titre_plie=Folded("titre"), description_pliee=Folded("description"))
        for word in words[:8]:
            queryset = queryset.filter(Q(titre_plie__contains=word) | Q(description_pliee__contains=word))
        return queryset

    def filter_archivees(self, queryset, name, value):
        return queryset  # applied in `qs`: archived resources are hidden unless asked for
