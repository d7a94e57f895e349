"""The organiser's sign-in lockouts page (/organiser/lockouts/): what is locked, lifting a
lock through django-axes' reset, the audit record, and who may do it."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import SignInUnlock
from accounts.selectors import lockouts_current
from accounts.services import sign_in_unlock
from tests.factories import JuryMemberFactory, OfficerFactory, OrganiserFactory

pytestmark = pytest.mark.django_db

ALICE, BOB, PROXY = "192.0.2.10", "198.51.100.20", "10.0.0.1"  # the proxy: a private address
LOCKOUTS, UNLOCK = "/organiser/lockouts/", "/organiser/lockouts/unlock/"


@pytest.fixture(autouse=True)
def _three_strikes(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = 1.0


def fail_signing_in(client, username: str, address: str = ALICE, times: int = 3, **extra):
    for _ in range(times):
        client.post("/accounts/login/", {"username": username, "password": "wrong"},
                    REMOTE_ADDR=address, **extra)


def sign_in(client, username: str, password: str, address: str = ALICE, **extra) -> int:
    response = client.post("/accounts/login/", {"username": username, "password": password},
                           REMOTE_ADDR=address, **extra)
    client.logout()
    return response.status_code


def unlock(client, username: str, address: str = ALICE):
    return client.post(UNLOCK, {"username": username, "ip_address": address})


def test_page_lists_current_lockouts_with_when_they_lift(client):
    officer = OfficerFactory(first_name="Мая", last_name="Иванова")
    fail_signing_in(client, officer.username)
    fail_signing_in(client, "no-such-user", BOB, times=4)
    fail_signing_in(client, "almost", times=2)  # under the limit: not locked
    fail_signing_in(client, "long-ago")
    AccessAttempt.objects.filter(username="long-ago").update(
        attempt_time=timezone.now() - dt.timedelta(hours=2))  # the lock has run out
    client.force_login(OrganiserFactory())
    response = client.get(LOCKOUTS)
    rows = [(lockout.username, lockout.ip_address, lockout.failures, lockout.account)
            for lockout in response.context["lockouts"]]
    assert rows == [("no-such-user", BOB, 4, None), (officer.username, ALICE, 3, officer)]
    for lockout in response.context["lockouts"]:
        assert lockout.lifts_at == lockout.since + dt.timedelta(hours=1)
        assert timezone.now() - dt.timedelta(minutes=1) < lockout.since <= timezone.now()
    page = response.content.decode()
    assert "Мая Иванова" in page
    assert "no account has this user name" in page
    assert page.count('type="submit">Unlock</button>') == 2


def test_unlock_lets_the_person_sign_in_again_and_is_audited(client, password):
    officer, other = OfficerFactory(), OfficerFactory()
    fail_signing_in(client, officer.username)
    fail_signing_in(client, other.username)
    # axes' lockout page; the refused attempt counts as a fourth failure
    assert sign_in(client, officer.username, password) == 429
    organiser = OrganiserFactory(first_name="Елена", last_name="Стоянова")
    client.force_login(organiser)
    response = unlock(client, officer.username)
    assert (response.status_code, response.url) == (302, LOCKOUTS)
    page = client.get(LOCKOUTS).content.decode()
    assert f"{officer.username} can sign in again from {ALICE} (4 failed sign-ins forgotten)." \
        in page
    client.logout()
    assert sign_in(client, officer.username, password) == 302
    assert sign_in(client, other.username, password) == 429  # only that lock was lifted
    assert list(SignInUnlock.objects.values_list("username", "ip_address", "failures", "by")) \
        == [(officer.username, ALICE, 4, organiser.pk)]
    client.force_login(organiser)
    rows = client.get(reverse("organiser_audit"), {"kind": "unlock"}).context["rows"]
    assert [(row.who, row.kind, row.subject, row.changes) for row in rows] == [
        (organiser, "unlock", f"{officer.username} · {ALICE}", [("failed sign-ins", "4", "0")])]


def test_unlocking_what_is_no_longer_locked_records_nothing(client):
    client.force_login(OrganiserFactory())
    response = unlock(client, "nobody")
    assert response.status_code == 302
    assert f"nobody was no longer locked out from {ALICE}." in client.get(LOCKOUTS).content.decode()
    assert SignInUnlock.objects.count() == 0


@pytest.mark.parametrize("data", [{}, {"username": "x"}, {"username": "x", "ip_address": ""},
                                  {"username": "x", "ip_address": "not-an-address"},
                                  {"username": "x" * 256, "ip_address": ALICE}])
def test_unlock_refuses_an_incomplete_request_and_lifts_nothing(client, data):
    fail_signing_in(client, "x")
    client.force_login(OrganiserFactory())
    response = client.post(UNLOCK, data)
    assert response.status_code == 400
    assert "Choose a lockout from the list below." in response.content.decode()
    assert AccessAttempt.objects.filter(username="x").count() == 1


def test_unlock_service_needs_both_the_user_name_and_the_address():
    """axes' reset with one of them missing would forget every record of the other."""
    organiser = OrganiserFactory()
    AccessAttempt.objects.create(username="x", ip_address=ALICE, user_agent="t",
                                 failures_since_start=3, get_data="", post_data="",
                                 http_accept="", path_info="")
    for username, address in (("", ALICE), ("x", "")):
        with pytest.raises(ValueError):
            sign_in_unlock(username=username, ip_address=address, by=organiser)
    assert AccessAttempt.objects.count() == 1


@pytest.mark.parametrize("role", ["anonymous", "officer", "juror"])
def test_only_organisers_see_and_lift_lockouts(client, role):
    officer = OfficerFactory()
    fail_signing_in(client, officer.username)
    if role == "officer":
        client.force_login(officer)
    elif role == "juror":
        client.force_login(JuryMemberFactory().user)
    page, lift = client.get(LOCKOUTS), unlock(client, officer.username)
    if role == "anonymous":
        assert (page.status_code, page.url) == (302, f"/accounts/login/?next={LOCKOUTS}")
        assert (lift.status_code, lift.url) == (302, f"/accounts/login/?next={UNLOCK}")
    else:
        assert (page.status_code, lift.status_code) == (403, 403)
        assert officer.username not in page.content.decode()
    assert AccessAttempt.objects.filter(username=officer.username).count() == 1
    assert SignInUnlock.objects.count() == 0


def test_unlock_needs_a_post(client):
    client.force_login(OrganiserFactory())
    assert client.get(UNLOCK).status_code == 405


def test_organiser_dashboard_links_to_the_lockouts(client):
    client.force_login(OrganiserFactory())
    assert f'href="{LOCKOUTS}"' in client.get("/organiser/").content.decode()


def test_page_query_count_does_not_grow_with_lockouts(client, django_assert_max_num_queries):
    attacker = Client()
    client.force_login(OrganiserFactory())
    fail_signing_in(attacker, OfficerFactory().username)
    with django_assert_max_num_queries(6) as one:  # 6: with the second factor's device
        assert len(client.get(LOCKOUTS).context["lockouts"]) == 1
    queries = len(one.captured_queries)  # the next request clears the connection's log
    for index in range(6):
        fail_signing_in(attacker, OfficerFactory().username, f"192.0.2.{20 + index}")
        fail_signing_in(attacker, f"ghost{index}", BOB)
    with django_assert_max_num_queries(queries):
        assert len(client.get(LOCKOUTS).context["lockouts"]) == 13


def test_behind_a_proxy_a_lockout_is_the_clients_own(client, settings, password):
    """With PROXY_COUNT=1 django-axes records the address nginx reports, the one the
    throttles use: a client locked out behind the proxy does not lock out the others."""
    settings.PROXY_COUNT = 1
    officer = OfficerFactory()
    fail_signing_in(client, officer.username, PROXY, HTTP_X_FORWARDED_FOR=ALICE)
    assert sign_in(client, officer.username, password, PROXY, HTTP_X_FORWARDED_FOR=ALICE) == 429
    assert sign_in(client, officer.username, password, PROXY, HTTP_X_FORWARDED_FOR=BOB) == 302
    assert [(lockout.username, lockout.ip_address) for lockout in lockouts_current()] == [
        (officer.username, ALICE)]


def test_a_client_straight_to_gunicorn_cannot_dodge_its_lockout_with_made_up_headers(
        client, settings, password):
    """PROXY_COUNT=1, but Alice connects directly (her address is not one of our proxies):
    a fresh X-Forwarded-For on every try changes nothing; she is locked out as herself."""
    settings.PROXY_COUNT = 1
    officer = OfficerFactory()
    for index in range(3):
        fail_signing_in(client, officer.username, ALICE, times=1,
                        HTTP_X_FORWARDED_FOR=f"198.51.100.{100 + index}")
    assert sign_in(client, officer.username, password, ALICE,
                   HTTP_X_FORWARDED_FOR="198.51.100.250") == 429
    assert [(lockout.username, lockout.ip_address) for lockout in lockouts_current()] == [
        (officer.username, ALICE)]
