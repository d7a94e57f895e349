"""Issue 16: every section of a practice can have an English version; the public page shows
the visitor's language and says plainly when only the other one exists."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.portal.factories_showcase import RankingResultFactory

pytestmark = pytest.mark.django_db

SECTIONS = ("problem", "actions", "partners", "budget", "results", "upgrade_description")


@pytest.fixture
def practice():
    practice = RankingResultFactory().entry.practice
    practice.is_sustained = True
    for name in SECTIONS:
        setattr(practice, name, f"БГ-{name}")
        setattr(practice, f"{name}_en", f"EN-{name}")
    practice.save()
    return practice


def _page(practice, language: str) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    return client.get(reverse("showcase:practice", args=[practice.pk])).content.decode()


def test_every_section_shows_in_the_visitors_language(practice):
    english, bulgarian = _page(practice, "en"), _page(practice, "bg")
    assert 'data-fallback' not in english.split("The problem", 1)[1]
    assert 'data-fallback' not in bulgarian.split("Проблемът", 1)[1]
    for name in SECTIONS:
        assert f"EN-{name}" in english and f"БГ-{name}" not in english
        assert f"БГ-{name}" in bulgarian and f"EN-{name}" not in bulgarian


def test_a_section_only_in_the_other_language_says_so(practice):
    practice.problem_en = ""
    practice.actions = ""
    practice.save()
    english, bulgarian = _page(practice, "en"), _page(practice, "bg")
    assert ('<span lang="bg">БГ-problem</span> <span class="badge text-bg-light border '
            'fw-normal text-body-secondary" lang="en" data-fallback="bg">(in Bulgarian)</span>'
            ) in english
    assert '<span lang="en">EN-actions</span>' in bulgarian
    assert 'data-fallback="en">(на английски)</span>' in bulgarian.split("EN-actions", 1)[1][:200]


def test_the_api_gives_both_versions(client, practice):
    data = client.get(reverse("api:practice-detail", args=[practice.pk])).json()
    assert {name: data[f"{name}_en"] for name in ("problem", "actions", "partners", "budget",
                                                    "upgrade_description")} == {
        name: f"EN-{name}" for name in ("problem", "actions", "partners", "budget",
                                          "upgrade_description")}
    assert (data["results_text"], data["results_text_en"]) == ("БГ-results", "EN-results")


def test_the_officer_form_has_an_english_field_per_section(client):
    from practices.forms import PracticeForm

    form = PracticeForm()
    for name in SECTIONS:
        assert form.fields[f"{name}_en"].widget.attrs["lang"] == "en"
        assert "(in English)" in str(form.fields[f"{name}_en"].label)
