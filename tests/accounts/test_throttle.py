"""Throttles of the forms anyone can send (accounts/throttle.py): under the limit the form
works, over it a 429 page in the visitor's language says what happened and when to try
again, the count starts again after the window, and addresses (as the trusted proxies
report them) are counted apart."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import django_ratelimit.core
import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from scoring.models import JuryMember
from scoring.services.jury import jury_invitation_token, jury_invite
from tests.factories import (
    EditionFactory,
    MunicipalityFactory,
    OfficerFactory,
    UserFactory,
    privacy_consent,
)

pytestmark = pytest.mark.django_db

# Documentation addresses (RFC 5737): request metadata only, nothing is sent anywhere.
ALICE, BOB, PROXY = "192.0.2.10", "198.51.100.20", "10.0.0.1"  # the proxy: a private address


class Clock:
    """django-ratelimit's clock (its windows), moved by hand."""

    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(django_ratelimit.core, "time", clock)
    return clock


# --- the throttled forms ---------------------------------------------------------------------
def _set_password_url(client) -> str:
    """The new-password form of a reset link (Django swaps the token for the session)."""
    user = UserFactory()
    link = (f"/accounts/reset/{urlsafe_base64_encode(force_bytes(user.pk))}/"
            f"{default_token_generator.make_token(user)}/")
    return client.get(link).url


def _invitation_url(client) -> str:
    member = jury_invite(edition=EditionFactory(), email="new.juror@example.org", by=None)
    return f"/jury/invitation/{jury_invitation_token(member)}/"


@dataclass(frozen=True)
class ThrottledForm:
    name: str
    setting: str
    url: Callable  # (client) -> the form's address
    data: dict  # a POST the form answers without throttling (an error, or a refusal)

    def __str__(self) -> str:
        return self.name


FORMS = [
    ThrottledForm("password_reset", "THROTTLE_PASSWORD_RESET_PER_ADDRESS",
                  lambda client: "/accounts/password/reset/", {"email": ""}),
    ThrottledForm("password_set", "THROTTLE_PASSWORD_SET_PER_ADDRESS", _set_password_url,
                  {"new_password1": "one-pass-2027", "new_password2": "another-pass-2027"}),
    ThrottledForm("register", "THROTTLE_REGISTER_PER_ADDRESS",
                  lambda client: "/accounts/register/", {"username": ""}),
    ThrottledForm("jury_invitation", "THROTTLE_JURY_INVITATION_PER_ADDRESS", _invitation_url,
                  {"new_password1": "one-pass-2027", "new_password2": "another-pass-2027"}),
    ThrottledForm("login", "THROTTLE_LOGIN_PER_ADDRESS",
                  lambda client: "/accounts/login/", {"username": "nobody", "password": "x"}),
    ThrottledForm("admin_login", "THROTTLE_LOGIN_PER_ADDRESS",
                  lambda client: "/admin/login/", {"username": "nobody", "password": "x"}),
]
each_form = pytest.mark.parametrize("form", FORMS, ids=str)

ADDRESS_REASON = "This form was sent too many times from your address."


def post(client, url: str, data: dict, address: str = ALICE, **extra):
    return client.post(url, data, REMOTE_ADDR=address, **extra)


def statuses(client, url: str, data: dict, times: int, **extra) -> list[int]:
    return [post(client, url, data, **extra).status_code for _ in range(times)]


# --- every throttled form ---------------------------------------------------------------------
@each_form
def test_form_is_served_under_the_limit_and_refused_over_it_with_a_clear_page(
        client, settings, clock, form):
    setattr(settings, form.setting, "2/h")
    url = form.url(client)
    assert statuses(client, url, form.data, 2) == [200, 200]
    response = post(client, url, form.data)
    page = response.content.decode()
    wait = int(response["Retry-After"])
    minutes = math.ceil(wait / 60)
    assert (response.status_code, 0 < wait <= 3600) == (429, True)
    assert "Too many attempts" in page
    assert ADDRESS_REASON in page
    assert f"Try again in {minutes} minute" in page
    assert "The form you just sent was not processed." in page


@each_form
def test_throttled_page_speaks_bulgarian(client, settings, clock, form):
    setattr(settings, form.setting, "1/h")
    url = form.url(client)
    post(client, url, form.data, HTTP_ACCEPT_LANGUAGE="bg")
    response = post(client, url, form.data, HTTP_ACCEPT_LANGUAGE="bg")
    page = response.content.decode()
    assert response.status_code == 429
    assert "Твърде много опити" in page
    assert "Този формуляр е изпратен твърде много пъти от вашия адрес." in page
    assert re.search(r"Опитайте отново след \d+ минут[аи]", page)


@each_form
def test_count_starts_again_after_the_window(client, settings, clock, form):
    setattr(settings, form.setting, "2/h")
    url = form.url(client)
    assert statuses(client, url, form.data, 3) == [200, 200, 429]
    clock.now += 3600
    assert statuses(client, url, form.data, 3) == [200, 200, 429]


@each_form
def test_addresses_are_counted_apart(client, settings, clock, form):
    setattr(settings, form.setting, "1/h")
    url = form.url(client)
    assert [post(client, url, form.data, address).status_code
            for address in (ALICE, ALICE, BOB, BOB)] == [200, 429, 200, 429]


@each_form
def test_only_posts_are_counted(client, settings, clock, form):
    setattr(settings, form.setting, "1/h")
    url = form.url(client)
    for _ in range(3):
        assert client.get(url, REMOTE_ADDR=ALICE).status_code == 200
    assert statuses(client, url, form.data, 2) == [200, 429]


# --- behind reverse proxies -------------------------------------------------------------------
def test_behind_a_proxy_each_client_has_its_own_count(client, settings, clock):
    """nginx in front (PROXY_COUNT=1): every request comes from the proxy's address, the
    client's is the last in X-Forwarded-For; a made-up address further left is ignored."""
    settings.PROXY_COUNT = 1
    settings.THROTTLE_REGISTER_PER_ADDRESS = "1/h"

    def send(forwarded: str) -> int:
        return post(client, "/accounts/register/", {}, PROXY,
                    HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert send(ALICE) == 200
    assert send(BOB) == 200
    assert send(f"{BOB}, {ALICE}") == 429  # Alice pretending to be Bob
    assert send(ALICE) == 429


def test_straight_to_gunicorn_a_made_up_x_forwarded_for_gives_no_fresh_count(
        client, settings, clock):
    """A proxy is configured, but this client reaches gunicorn directly, from an address
    that is not one of our proxies: every header it makes up is ignored."""
    settings.PROXY_COUNT = 1
    settings.THROTTLE_LOGIN_PER_ADDRESS = "3/10m"
    assert [post(client, "/accounts/login/", {"username": f"user{i}", "password": "x"},
                 ALICE, HTTP_X_FORWARDED_FOR=f"192.0.2.{100 + i}").status_code
            for i in range(5)] == [200, 200, 200, 429, 429]


def test_without_a_proxy_x_forwarded_for_is_ignored(client, settings, clock):
    """PROXY_COUNT=0: a client cannot get a fresh count by making up X-Forwarded-For."""
    settings.PROXY_COUNT = 0
    settings.THROTTLE_REGISTER_PER_ADDRESS = "1/h"
    assert [post(client, "/accounts/register/", {}, ALICE,
                 HTTP_X_FORWARDED_FOR=forwarded).status_code
            for forwarded in (BOB, PROXY)] == [200, 429]


# --- what each form keeps doing under and over its limit ------------------------------------------
def _registration(municipality, username: str) -> dict:
    return {"username": username, "first_name": "Мая", "last_name": "Иванова",
            "email": f"{username}@tundzha.example.org", "municipality": municipality.pk,
            "password1": "a-long-pass-2016!", "password2": "a-long-pass-2016!",
            **privacy_consent()}


def test_registration_under_the_limit_registers_and_over_it_saves_nothing(
        client, settings, clock):
    settings.THROTTLE_REGISTER_PER_ADDRESS = "2/h"
    municipality = MunicipalityFactory()
    post(client, "/accounts/register/", {})
    response = post(client, "/accounts/register/", _registration(municipality, "first"))
    assert (response.status_code, response.url) == (302, "/dashboard/")
    client.logout()
    response = post(client, "/accounts/register/", _registration(municipality, "second"))
    assert response.status_code == 429
    assert sorted(User.objects.values_list("username", flat=True)) == ["first"]


def test_password_reset_under_the_limit_sends_the_link(client, settings, clock,
                                                       django_capture_on_commit_callbacks):
    settings.THROTTLE_PASSWORD_RESET_PER_EMAIL = "1/h"
    OfficerFactory(email="officer@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "/accounts/password/reset/", {"email": "officer@example.org"})
    assert (response.status_code, response.url) == (302, "/accounts/password/reset/sent/")
    assert [message.to for message in mail.outbox] == [["officer@example.org"]]


def test_password_reset_per_email_stops_a_mailbox_flood_from_many_addresses(
        client, settings, clock, django_capture_on_commit_callbacks):
    """Whoever asks, from wherever: at most THROTTLE_PASSWORD_RESET_PER_EMAIL links for one
    address (in any spelling of its case) per window."""
    settings.THROTTLE_PASSWORD_RESET_PER_EMAIL = "2/h"
    OfficerFactory(email="officer@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [post(client, "/accounts/password/reset/", {"email": email}, address)
                   for email, address in (("officer@example.org", ALICE),
                                          ("Officer@Example.org ", BOB),
                                          ("OFFICER@example.org", PROXY))]
    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert len(mail.outbox) == 2
    assert "A new password was asked for this e-mail address too many times." in \
        answers[2].content.decode()
    assert ADDRESS_REASON not in answers[2].content.decode()


def test_password_reset_limit_reveals_nothing_about_which_addresses_exist(
        client, settings, clock):
    """A known and an unknown address get the same answers, throttled or not."""
    settings.THROTTLE_PASSWORD_RESET_PER_EMAIL = "1/h"
    OfficerFactory(email="known@example.org")

    def answers(email: str) -> list[tuple[int, str]]:
        result = []
        for _ in range(2):
            response = post(client, "/accounts/password/reset/", {"email": email})
            result.append((response.status_code, response.get("Location", "")))
        return result

    assert answers("known@example.org") == answers("unknown@example.org") == [
        (302, "/accounts/password/reset/sent/"), (429, "")]


def test_sign_in_per_address_refuses_even_the_right_password_over_the_limit(
        client, settings, clock, password):
    """One address trying a few passwords on many accounts: django-axes locks one user name
    at a time, this limit stops the address."""
    settings.THROTTLE_LOGIN_PER_ADDRESS = "3/10m"
    officer = OfficerFactory()
    for name in ("anna", "boris", "vera"):
        assert post(client, "/accounts/login/", {"username": name,
                                                 "password": "guess"}).status_code == 200
    response = post(client, "/accounts/login/", {"username": officer.username,
                                                 "password": password})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    response = post(client, "/accounts/login/", {"username": officer.username,
                                                 "password": password}, BOB)
    assert response.status_code == 302


def test_jury_invitation_over_the_limit_is_not_accepted(client, settings, clock):
    settings.THROTTLE_JURY_INVITATION_PER_ADDRESS = "1/h"
    url = _invitation_url(client)
    post(client, url, {})
    response = post(client, url, {"new_password1": "jury-pass-2027",
                                  "new_password2": "jury-pass-2027"})
    assert response.status_code == 429
    assert JuryMember.objects.get().accepted_at is None


def test_retry_after_and_the_page_name_the_same_wait(client, settings, clock):
    settings.THROTTLE_REGISTER_PER_ADDRESS = "1/d"
    post(client, "/accounts/register/", {})
    response = post(client, "/accounts/register/", {})
    wait = int(response["Retry-After"])
    # the window ends where django-ratelimit says it does, whatever its jitter
    assert 0 < wait <= 24 * 3600
    assert f"Try again in {math.ceil(wait / 60)} minute" in response.content.decode()


def test_throttles_can_be_switched_off(client, settings, clock):
    settings.RATELIMIT_ENABLE = False
    settings.THROTTLE_REGISTER_PER_ADDRESS = "1/h"
    assert statuses(client, "/accounts/register/", {}, 3) == [200, 200, 200]


def test_an_unreachable_cache_lets_the_forms_through(client, settings, monkeypatch, password):
    """Redis down: the throttles cannot count, so they let people in rather than refuse
    everyone (django-axes still counts failed sign-ins in the database)."""
    from django.core.cache import caches
    from redis.exceptions import ConnectionError as RedisConnectionError

    def unreachable(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    settings.THROTTLE_LOGIN_PER_ADDRESS = "1/h"
    monkeypatch.setattr(caches["default"], "add", unreachable)
    officer = OfficerFactory()
    assert statuses(client, "/accounts/register/", {}, 2) == [200, 200]
    response = post(client, "/accounts/login/", {"username": officer.username,
                                                 "password": password})
    assert (response.status_code, response.url) == (302, "/dashboard/")


@pytest.mark.parametrize(("rate", "errors"), [("30/10m", []), ("10/h", []), ("1/d", []),
                                               ("ten/h", ["portal.E001"]),
                                               ("10/hour", ["portal.E001"]),
                                               ("10/0m", ["portal.E001"]),
                                               ("10", ["portal.E001"])])
def test_a_mistyped_rate_stops_the_start(settings, rate, errors):
    """Checked at start (manage.py check, migrate), rather than a server error at the first
    POST of the form."""
    from portal.checks import throttle_rates_are_readable

    settings.THROTTLE_LOGIN_PER_ADDRESS = rate
    assert [error.id for error in throttle_rates_are_readable(None)] == errors


def test_throttled_page_without_our_decorator_still_says_when_to_try_again(rf):
    """django-ratelimit's own decorator raises the same exception without telling why: the
    page then names the address and a minute."""
    from django.contrib.auth.models import AnonymousUser
    from django_ratelimit.exceptions import Ratelimited

    from accounts.views import throttled

    request = rf.post("/accounts/register/")
    request.user = AnonymousUser()
    response = throttled(request, Ratelimited())
    assert (response.status_code, response["Retry-After"]) == (429, "60")
    assert ADDRESS_REASON in response.content.decode()
    assert "Try again in 1 minute (after" in response.content.decode()


def test_the_portal_and_admin_sign_in_forms_share_one_count(client, settings, clock):
    """Password spraying cannot double its tries by alternating the two sign-in forms."""
    settings.THROTTLE_LOGIN_PER_ADDRESS = "4/10m"
    wrong = {"username": "nobody", "password": "x"}
    assert [post(client, url, wrong).status_code
            for url in ("/accounts/login/", "/admin/login/") * 3] == [200, 200, 200, 200,
                                                                       429, 429]
