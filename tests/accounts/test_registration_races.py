"""The registration form sent several times at once (a double click, a script): one account,
and every answer a page. Real threads on PostgreSQL (see tests/races.py)."""

from django.test import Client

from accounts.models import User
from tests.factories import MunicipalityFactory
from tests.races import RACE_MARKS, race

from .test_registration import registration

pytestmark = RACE_MARKS


def test_registration_sent_several_times_at_once_makes_one_account_and_answers_pages(settings):
    settings.THROTTLE_REGISTER_PER_ADDRESS = "100/h"
    data = registration(MunicipalityFactory())

    def send():
        response = Client().post("/accounts/register/", data)
        return response.status_code, response.content.decode()

    for round_ in range(3):
        sent = dict(data, username=f"new.officer.{round_}",
                    email=f"maya.{round_}@tundzha.example.org")
        data = sent
        outcomes = race(*[send] * 4)
        assert sorted(status for status, _page in outcomes) == [200, 200, 200, 302]
        refusals = [page for status, page in outcomes if status == 200]
        assert all("already exists" in page for page in refusals)
        assert User.objects.filter(email=sent["email"]).count() == 1
