"""The privacy notice: versioned, organiser-edited, linked from every page and every form
that collects personal data; consents name the version the person agreed to."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.enums import ConsentPurpose
from accounts.models import Consent, PrivacyNotice, User
from accounts.privacy import privacy_notice_current, privacy_notice_publish
from portal.audit import audit_log
from scoring.services.jury import jury_invitation_token
from tests.factories import (
    EditionFactory,
    JuryMemberFactory,
    MunicipalityFactory,
    OrganiserFactory,
    UserFactory,
    privacy_consent,
)

pytestmark = pytest.mark.django_db

TEXTS = {"title": "Политика v2", "title_en": "Notice v2", "body": "Нов текст.",
         "body_en": "New text."}


def registration(municipality, **extra) -> dict:
    return {"username": "new.officer", "first_name": "Мая", "last_name": "Иванова",
            "email": "maya@tundzha.example.org", "municipality": municipality.pk,
            "password1": "a-long-pass-2016!", "password2": "a-long-pass-2016!", **extra}


def test_privacy_notice_current_is_the_default_text_as_version_1():
    notice = privacy_notice_current()
    assert (notice.version, notice.title_en, PrivacyNotice.objects.count()) == (
        1, "Privacy notice", 1)
    assert "Commission for Personal Data Protection" in notice.body_en
    assert "Комисията за защита на личните данни" in notice.body


def test_privacy_notice_publish_keeps_every_version():
    organiser = OrganiserFactory()
    first = privacy_notice_current()
    second = privacy_notice_publish(**TEXTS, changes="Shorter", by=organiser)
    assert (second.version, second.published_by, second.changes) == (2, organiser, "Shorter")
    first.refresh_from_db()
    assert first.title_en == "Privacy notice"
    assert privacy_notice_current() == second
    assert list(PrivacyNotice.objects.values_list("version", flat=True)) == [2, 1]


def test_privacy_notice_publish_refuses_the_same_text_again():
    privacy_notice_publish(**TEXTS, by=None)
    with pytest.raises(ValidationError):
        privacy_notice_publish(**TEXTS, by=None)
    assert PrivacyNotice.objects.count() == 2


def test_registration_records_consent_with_the_notices_version(client):
    privacy_notice_publish(**TEXTS, by=None)
    response = client.post("/accounts/register/",
                           registration(MunicipalityFactory(), **privacy_consent()))
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.user.username, consent.notice.version, consent.purpose) == (
        "new.officer", 2, ConsentPurpose.REGISTRATION)


def test_registration_without_consent_makes_no_account(client):
    data = registration(MunicipalityFactory(), privacy_notice="1")
    response = client.post("/accounts/register/", data)
    assert response.status_code == 200
    assert (User.objects.count(), Consent.objects.count()) == (0, 0)


def test_registration_against_an_older_version_asks_again(client):
    shown = privacy_consent()  # version 1 shown
    privacy_notice_publish(**TEXTS, by=None)  # version 2 published meanwhile
    response = client.post("/accounts/register/", registration(MunicipalityFactory(), **shown))
    assert response.status_code == 200
    assert "The privacy notice changed" in response.content.decode()
    assert User.objects.count() == 0


def test_registration_form_links_the_notice_and_its_version(client):
    page = client.get("/accounts/register/").content.decode()
    assert f'href="{reverse("privacy_notice")}"' in page
    assert "(version 1)" in page


def test_jury_acceptance_records_consent_with_the_version_and_the_edition(client):
    edition = EditionFactory(slug="jury-2027")
    member = JuryMemberFactory(edition=edition, accepted_at=None,
                               user=UserFactory(password="!"))
    User.objects.filter(pk=member.user_id).update(password="!")  # no password yet
    link = f"/jury/invitation/{jury_invitation_token(member)}/"
    page = client.get(link).content.decode()
    assert f'href="{reverse("privacy_notice")}"' in page
    refused = client.post(link, {"new_password1": "jury-pass-2027",
                                 "new_password2": "jury-pass-2027"})
    assert (refused.status_code, Consent.objects.count()) == (200, 0)
    response = client.post(link, {"new_password1": "jury-pass-2027",
                                  "new_password2": "jury-pass-2027", "juror-declaration": "on",
                                  **privacy_consent()})
    assert response.url == "/jury/"
    consent = Consent.objects.get()
    assert (consent.user_id, consent.notice.version, consent.purpose, consent.context) == (
        member.user_id, 1, ConsentPurpose.JURY, "jury-2027")


def test_existing_account_accepting_the_jury_records_consent(client):
    member = JuryMemberFactory(accepted_at=None)
    client.force_login(member.user)
    link = f"/jury/invitation/{jury_invitation_token(member)}/"
    assert client.post(link).status_code == 200  # the box not ticked: the page again
    member.refresh_from_db()
    assert member.accepted_at is None
    assert client.post(link, {"juror-declaration": "on", **privacy_consent()}).url == "/jury/"
    assert Consent.objects.get().purpose == ConsentPurpose.JURY


@pytest.mark.parametrize("language,title", [("en", "Notice v2"), ("bg", "Политика v2")])
def test_privacy_notice_page_in_both_languages_with_earlier_versions(client, language, title):
    privacy_notice_publish(**TEXTS, by=None)
    client.cookies["django_language"] = language
    page = client.get("/privacy/").content.decode()
    assert title in page
    assert 'href="/privacy/?version=1"' in page
    older = client.get("/privacy/?version=1").content.decode()
    assert ("Privacy notice" if language == "en" else "Политика за защита на личните данни"
            ) in older
    assert client.get("/privacy/?version=9").status_code == 404
    assert client.get("/privacy/?version=x").status_code == 404


@pytest.mark.parametrize("url", ["/", "/showcase/", "/accounts/login/", "/privacy/"])
def test_every_page_links_the_privacy_notice_in_its_footer(client, url):
    page = client.get(url).content.decode()
    footer = page[page.index("<footer"):]
    assert re.search(r'href="/privacy/"[^>]*data-link="privacy"', footer)


def test_organiser_publishes_a_version_through_the_page(client):
    organiser = OrganiserFactory(first_name="Орлин", last_name="Организаторов")
    client.force_login(organiser)
    page = client.get("/organiser/privacy/")
    assert page.status_code == 200
    assert 'value="Privacy notice"' in page.content.decode()  # the form starts from v1
    response = client.post("/organiser/privacy/", {**TEXTS, "changes": "Shorter"})
    assert response.url == "/organiser/privacy/"
    assert privacy_notice_current().version == 2
    again = client.post("/organiser/privacy/", {**TEXTS, "changes": ""})
    assert again.status_code == 400
    rows, _older = audit_log(kind="notice")
    assert [(row.subject, row.who_name) for row in rows] == [
        ("Version 2", "Орлин Организаторов"), ("Version 1", "")]


def test_privacy_records_are_read_only_in_the_admin(client):
    client.force_login(OrganiserFactory())
    notice = privacy_notice_current()
    assert client.get("/admin/accounts/privacynotice/").status_code == 200
    assert client.get("/admin/accounts/privacynotice/add/").status_code == 403
    response = client.post(f"/admin/accounts/privacynotice/{notice.pk}/change/",
                           {"title_en": "Changed"})
    assert response.status_code == 403
    notice.refresh_from_db()
    assert notice.title_en == "Privacy notice"


@pytest.mark.parametrize("language,heading,days", [
    ("en", "Record of processing", "removed after 45 days"),
    ("bg", "Регистър на дейностите по обработване", "се изтрива след 45 дни")])
def test_record_of_processing_in_both_languages(client, settings, language, heading, days):
    settings.PRIVACY_UNAPPROVED_REGISTRATION_DAYS = 45
    client.force_login(OrganiserFactory())
    client.cookies["django_language"] = language
    page = client.get("/organiser/privacy/processing/").content.decode()
    assert heading in page and days in page
    from portal.privacy.personal_data import PLACES

    assert page.count("data-place=") == len(PLACES)
    assert page.count('data-erases="yes"') == sum(1 for place in PLACES if place.erase)
    assert page.count('data-erases="no"') == sum(1 for place in PLACES if not place.erase)
    for place in PLACES:
        if place.kept:
            with translation.override(language):
                assert str(place.kept).replace("'", "&#x27;") in page


def test_organiser_privacy_pages_keep_their_query_count(client, django_assert_num_queries):
    organiser = OrganiserFactory()
    client.force_login(organiser)
    privacy_notice_current()
    UserFactory(last_name="Търсенов")
    for round_ in range(2):  # with one version and one person found, then with more
        with django_assert_num_queries(11):
            client.get("/organiser/privacy/")
            client.get("/organiser/privacy/people/?q=Търсенов")
        for index in range(3):
            privacy_notice_publish(**{**TEXTS, "body_en": f"Text {round_} {index}"},
                                   by=organiser)
            UserFactory(last_name=f"Търсенов{round_}{index}")
