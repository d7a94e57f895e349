"""The second factor over every URL of the project: an organiser who has signed in with the
password alone reaches no page (the organiser's pages, the admin, and every other page of the
permission matrix) but the second-factor pages, signing out and the language switch; they are
sent to set up an authenticator when they have none, else to the code, and back afterwards.
The URL list is the permission matrix's own (EXPECTED, FILLERS) and the admin's."""

from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.middleware import OPEN_BEFORE_SECOND_FACTOR
from tests.factories import OrganiserFactory
from tests.second_factor import authenticator_for, force_login_password_only

from .conftest import World
from .test_permission_matrix import EXPECTED, _admin_urls, url_for, url_name

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _urls(world: World) -> list[tuple[str, str]]:
    found = [(key, url_for(key, world)[0]) for key in EXPECTED
             if url_name(key) not in OPEN_BEFORE_SECOND_FACTOR]
    return found + [("admin", url) for url in _admin_urls()]


def _answers(world: World, *, with_authenticator: bool) -> dict[tuple[str, str, str], str]:
    """(key, method, url) -> where the organiser was sent (or the status)."""
    answers = {}
    with transaction.atomic():
        organiser = OrganiserFactory()
        if with_authenticator:
            authenticator_for(organiser)
        client = Client()
        force_login_password_only(client, organiser)
        for key, url in _urls(world):
            for method in ("get", "post"):
                with transaction.atomic():
                    response = getattr(client, method)(url)
                    answers[key, method, url] = (response.get("Location", "")
                                                 if response.status_code == 302
                                                 else str(response.status_code))
                    transaction.set_rollback(True)
        transaction.set_rollback(True)
    return answers


@pytest.mark.parametrize("with_authenticator,page", [(False, "second_factor_enrol"),
                                                     (True, "second_factor_verify")])
def test_organiser_without_second_factor_reaches_no_page(world_db, with_authenticator, page):
    answers = _answers(world_db, with_authenticator=with_authenticator)
    wrong = {asked: answer for asked, answer in answers.items()
             if answer != f"{reverse(page)}?{urlencode({'next': asked[2]})}"}
    organiser_urls = [asked for asked in answers if asked[0].startswith(("organiser", "admin"))]
    assert len(organiser_urls) > 60  # every organiser page and the admin's were asked
    assert wrong == {}


def test_what_stays_open_before_the_second_factor(world_db):
    with transaction.atomic():
        organiser = OrganiserFactory()
        client = Client()
        force_login_password_only(client, organiser)
        enrol = client.get(reverse("second_factor_enrol"))
        language = client.post(reverse("set_language"), {"language": "bg", "next": "/"})
        verify = client.get(reverse("second_factor_verify"))
        signed_out = client.post(reverse("logout"))
        transaction.set_rollback(True)
    assert (enrol.status_code, language["Location"], verify["Location"],
            signed_out["Location"]) == (200, "/", reverse("second_factor_enrol") + "?next="
                                        + "%2Fdashboard%2F", "/")
