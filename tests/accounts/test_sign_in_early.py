"""In the last days before a deadline, the sign-in page and the officer's dashboard tell
officers to sign in and submit early (competitions.selectors.editions_closing_soon)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from competitions.enums import Phase
from competitions.selectors import editions_closing_soon
from tests.factories import EditionFactory, OfficerFactory

pytestmark = pytest.mark.django_db

NOTICE = "Officers: sign in now and submit early."
NOTICE_BG = "Служители на общини: влезте в профила си сега"


def _edition(days: float, **extra):
    now = timezone.now()
    return EditionFactory(submissions_close_at=now + dt.timedelta(days=days),
                          review_open_at=now + dt.timedelta(days=days + 1), **extra)


def test_editions_closing_soon_are_the_open_ones_within_the_last_days(settings):
    settings.SIGN_IN_EARLY_DAYS = 3
    soon = _edition(2)
    _edition(10)
    _edition(1, phase=Phase.DRAFT)
    assert list(editions_closing_soon()) == [soon]
    assert list(editions_closing_soon(at=soon.submissions_close_at)) == []


def test_sign_in_page_tells_officers_to_sign_in_early_in_the_last_days(client):
    soon = _edition(2, title_en="Programme 2027")
    page = client.get(reverse("login")).content.decode()
    assert NOTICE in page
    assert "Submissions to “Programme 2027” close on" in page
    assert f'data-sign-in-early="{soon.slug}"' in page


def test_sign_in_page_says_nothing_when_no_deadline_is_near(client):
    _edition(10)
    assert NOTICE not in client.get(reverse("login")).content.decode()


def test_sign_in_page_notice_in_bulgarian(client):
    _edition(2)
    client.cookies["django_language"] = "bg"
    page = client.get(reverse("login")).content.decode()
    assert NOTICE_BG in page
    assert "Кандидатурите за „" in page


def test_officer_dashboard_tells_to_sign_in_early_in_the_last_days(client):
    _edition(1)
    client.force_login(OfficerFactory())
    assert NOTICE in client.get(reverse("officer_dashboard")).content.decode()


def test_officer_dashboard_says_nothing_when_no_deadline_is_near(client):
    _edition(10)
    client.force_login(OfficerFactory())
    assert NOTICE not in client.get(reverse("officer_dashboard")).content.decode()
