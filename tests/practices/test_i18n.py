import pytest
from django.urls import reverse
from django.utils import translation

from practices.enums import EntryStatus

# Catalog completeness for every app is tests/portal/test_translations.py; here, that the
# officers' pages really speak Bulgarian.


def test_entry_status_in_bulgarian():
    with translation.override("bg"):
        assert str(EntryStatus.SUBMITTED.label) == "Подадена"


@pytest.mark.django_db
def test_officer_dashboard_in_bulgarian(client, officer, practice):
    client.force_login(officer)
    response = client.get(reverse("officer_dashboard"), HTTP_ACCEPT_LANGUAGE="bg")
    assert "Нова практика" in response.content.decode()
