import pytest
from django import forms
from django.contrib.auth import get_user_model

from cls_portal.core.fields import BoundedModelMultipleChoiceField


class PeopleForm(forms.Form):
    people = BoundedModelMultipleChoiceField(label="Personnes", queryset=get_user_model().objects.all())


@pytest.mark.django_db
def test_a_huge_id_is_a_french_field_error_not_a_500():
    # With Django's own field, SQLite raises OverflowError on the `pk__in` query (a 500 in a view).
    form = PeopleForm(data={"people": ["99999999999999999999"]})
    assert not form.is_valid()
    assert form.errors["people"] == ["Choix invalide : sélectionnez une valeur de la liste."]


@pytest.mark.django_db
def test_ordinary_ids_still_work():
    user = get_user_model().objects.create_user("quelquun", password="x")
    form = PeopleForm(data={"people": [str(user.pk)]})
    assert form.is_valid() and list(form.cleaned_data["people"]) == [user]
