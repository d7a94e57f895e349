from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

import practices
from practices.enums import EntryStatus

PO = Path(practices.__file__).parent / "locale" / "bg" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[str]:
    return text.split("\n\n")[1:]


def test_bulgarian_catalog_complete():
    entries = _entries(PO.read_text(encoding="utf-8"))
    empty = [entry for entry in entries if entry.rstrip().endswith('msgstr ""')]
    fuzzy = [entry for entry in entries if "#, fuzzy" in entry]
    assert (len(entries) > 100, empty, fuzzy) == (True, [], [])


def test_entry_status_in_bulgarian():
    with translation.override("bg"):
        assert str(EntryStatus.SUBMITTED.label) == "Подадена"


@pytest.mark.django_db
def test_officer_dashboard_in_bulgarian(client, officer, practice):
    client.force_login(officer)
    response = client.get(reverse("officer_dashboard"), HTTP_ACCEPT_LANGUAGE="bg")
    assert "Нова практика" in response.content.decode()
