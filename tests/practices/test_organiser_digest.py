"""The organisers' daily digest of an open call: what is new since the last one, once a day,
in each organiser's language, with links from SITE_URL; nothing on a day with nothing new."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from accounts.enums import EmailKind, OfficerStatus
from accounts.models import OutboxEmail
from competitions.enums import Phase
from practices.enums import EntryStatus
from practices.models import OrganiserDigest
from practices.services import organiser_digest_send
from tests.factories import (
    EditionFactory,
    EntryFactory,
    MunicipalityFactory,
    OfficerFactory,
    OrganiserFactory,
    ThematicAreaFactory,
)

pytestmark = pytest.mark.django_db
SITE = "http://digest.example.org:8104"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _open_call_with_news():
    edition = EditionFactory(phase=Phase.OPEN, title="Издание Д", title_en="Edition D")
    area = ThematicAreaFactory(edition=edition, code="I")
    municipality = MunicipalityFactory(name="Тунджа", name_en="Tundzha")
    OfficerFactory(first_name="Mara", last_name="Ivanova", municipality=municipality,
                   officer_status=OfficerStatus.PENDING)
    EntryFactory(area=area, status=EntryStatus.SUBMITTED, submitted_at=timezone.now(),
                 practice__title="Практика Д", practice__title_en="Practice D",
                 practice__municipality=municipality)
    EntryFactory(area=area, status=EntryStatus.DRAFT)  # not submitted: not news
    return edition


def test_the_digest_tells_each_organiser_in_their_language(
        django_capture_on_commit_callbacks):
    edition = _open_call_with_news()
    OrganiserFactory(email="en@example.org", language="en")
    OrganiserFactory(email="bg@example.org", language="bg")
    with django_capture_on_commit_callbacks(execute=True):
        digest = organiser_digest_send(at=timezone.now() + dt.timedelta(minutes=1))
    assert (digest.registrations, digest.entries, digest.sent_to) == (1, 1, 2)
    messages = {m.to[0]: m for m in mail.outbox}
    assert sorted(messages) == ["bg@example.org", "en@example.org"]
    english, bulgarian = messages["en@example.org"], messages["bg@example.org"]
    assert english.subject == "Today's digest: 2 new registrations and entries"
    assert bulgarian.subject == "Дневен преглед: 2 нови регистрации и кандидатури"
    assert "1 officer registration:\n- Mara Ivanova (Tundzha)" in english.body
    assert "- I. Practice D (Tundzha)" in english.body
    assert "1 регистрация на служител:\n- Mara Ivanova (Тунджа)" in bulgarian.body
    assert "- I. Практика Д (Тунджа)" in bulgarian.body
    links = re.findall(r"https?://\S+", english.body)
    assert links == [f"{SITE}/organiser/", f"{SITE}/organiser/entries/{edition.slug}/"]
    assert set(OutboxEmail.objects.values_list("kind", flat=True)) == {
        EmailKind.ORGANISER_DIGEST}


def _next_nine_oclock() -> dt.datetime:
    """The first 09:00 (the site's time) after now: the day before it holds now's news."""
    local = timezone.localtime()
    nine = local.replace(hour=9, minute=0, second=0, microsecond=0)
    return nine if nine > local else nine + dt.timedelta(days=1)


def test_the_digest_is_sent_once_a_day_and_then_covers_only_what_is_new(
        django_capture_on_commit_callbacks):
    _open_call_with_news()
    OrganiserFactory()
    now = _next_nine_oclock()  # the news of the last day; two hours later is the same day
    with django_capture_on_commit_callbacks(execute=True):
        assert organiser_digest_send(at=now).sent_to == 1
        assert organiser_digest_send(at=now + dt.timedelta(hours=2)) is None
        quiet = organiser_digest_send(at=now + dt.timedelta(days=1))
    assert (quiet.registrations, quiet.entries, quiet.sent_to) == (0, 0, 0)
    assert len(mail.outbox) == 1  # nothing new on the second day: nothing sent
    assert OrganiserDigest.objects.count() == 2


def test_no_digest_without_an_open_call(django_capture_on_commit_callbacks):
    _open_call_with_news()
    from competitions.models import Edition

    Edition.objects.update(phase=Phase.REVIEW)
    OrganiserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert organiser_digest_send() is None
    assert (mail.outbox, OrganiserDigest.objects.count()) == ([], 0)
