"""The review's closing time counts from when the request reached the server (the trusted
proxy's X-Request-Start): a juror's last autosave, sent in time, is kept."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from scoring.models import SheetScore

pytestmark = pytest.mark.django_db


def _sent(seconds_ago: float) -> str:
    return f"t={timezone.now().timestamp() - seconds_ago:.3f}"


@pytest.fixture
def closed_review(jury, settings):
    settings.PROXY_COUNT = 1
    jury.edition.review_close_at = timezone.now() - dt.timedelta(seconds=5)
    jury.edition.save()
    return jury


def _autosave(client, jury, **extra):
    field = f"score-{jury.criteria[0].pk}"
    return client.post(reverse("jury_sheet_autosave", args=[jury.entry.pk]), {field: "7"},
                       **extra)


def test_sheet_autosave_sent_before_the_review_closed_is_kept(client, closed_review):
    client.force_login(closed_review.juror)
    response = _autosave(client, closed_review, HTTP_X_REQUEST_START=_sent(20))
    assert response.status_code == 200
    assert list(SheetScore.objects.values_list("value", flat=True)) == [7]


def test_sheet_autosave_sent_after_the_review_closed_is_refused(client, closed_review):
    client.force_login(closed_review.juror)
    _autosave(client, closed_review, HTTP_X_REQUEST_START=_sent(1))
    _autosave(client, closed_review)
    assert SheetScore.objects.count() == 0
