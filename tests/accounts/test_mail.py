"""E-mails: one rule for links (SITE_URL), each e-mail in its recipient's language."""

import re

import pytest
from django.core import mail

from accounts.enums import OfficerStatus
from accounts.mail import absolute_url, queue_email
from accounts.models import User
from accounts.services import officer_decide
from tests.accounts.test_registration import registration
from tests.factories import EntryFactory, MunicipalityFactory, OfficerFactory, OrganiserFactory

pytestmark = pytest.mark.django_db


def test_absolute_url_follows_site_url_with_its_port(settings):
    settings.SITE_URL = "http://127.0.0.1:8001/"
    assert absolute_url("/officer/") == "http://127.0.0.1:8001/officer/"


def test_email_is_written_in_the_recipients_language(settings, django_capture_on_commit_callbacks):
    organiser = OrganiserFactory()
    bulgarian = OfficerFactory(email="bg@example.org", language="bg",
                               officer_status=OfficerStatus.PENDING)
    english = OfficerFactory(email="en@example.org", language="en",
                             officer_status=OfficerStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        officer_decide(officer=bulgarian, by=organiser, approve=True)
        officer_decide(officer=english, by=organiser, approve=True)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["bg@example.org"], "Профилът ви на общински служител е одобрен"),
        (["en@example.org"], "Your officer account is approved")]


def test_email_names_things_in_the_recipients_language(django_capture_on_commit_callbacks):
    municipality = MunicipalityFactory(name="Тунджа", name_en="Tundzha")
    officer = OfficerFactory(municipality=municipality, language="en",
                             officer_status=OfficerStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        officer_decide(officer=officer, by=OrganiserFactory(), approve=True)
    assert "practices of Tundzha into" in mail.outbox[0].body


def test_email_to_several_people_goes_to_each_in_their_own_language(
        django_capture_on_commit_callbacks):
    OfficerFactory(email="bg@example.org", language="bg")
    OfficerFactory(email="en@example.org", language="en")
    entry = EntryFactory()
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(to=["en@example.org", "BG@example.org"],
                    template="accounts/email/officer_decided",
                    context={"officer": entry.practice.created_by, "approved": False,
                             "url": ""}, language="en")
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("BG@example.org", "Заявката ви на общински служител не е одобрена"),
        ("en@example.org", "Your officer request was not approved")]


def test_password_reset_email_uses_site_url_and_the_users_language(
        client, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://127.0.0.1:8001"
    OfficerFactory(email="officer@example.org", language="bg")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "officer@example.org"},
                    HTTP_HOST="testserver")
    message = mail.outbox[0]
    assert message.subject == "Програма за най-добри практики: изберете нова парола"
    assert re.search(r"http://127\.0\.0\.1:8001/accounts/reset/\S+/\S+/", message.body)
    assert "testserver" not in message.body


def test_registration_remembers_the_active_language(client):
    client.post("/i18n/setlang/", {"language": "bg", "next": "/"})
    client.post("/accounts/register/", registration(MunicipalityFactory()))
    assert User.objects.get(username="new.officer").language == "bg"


def test_switching_language_remembers_it_for_a_signed_in_person(client):
    officer = OfficerFactory(language="en")
    client.force_login(officer)
    response = client.post("/i18n/setlang/", {"language": "bg", "next": "/officer/"})
    assert (response.status_code, response.url) == (302, "/officer/")
    officer.refresh_from_db()
    assert officer.language == "bg"


def test_invited_juror_gets_the_inviters_language_and_an_email_in_it(
        django_capture_on_commit_callbacks):
    from django.utils import translation

    from scoring.services.jury import jury_invite
    from tests.factories import EditionFactory

    edition = EditionFactory(title="Издание 2026", title_en="Edition 2026")
    with translation.override("bg"), django_capture_on_commit_callbacks(execute=True):
        member = jury_invite(edition=edition, email="new.juror@example.org", by=None)
    assert member.user.language == "bg"
    assert mail.outbox[0].subject == "Покана за журито на Издание 2026"
