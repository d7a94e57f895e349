"""Two-factor sign-in: setting up an authenticator, the code after the password, recovery
codes, throttling, the organisers' reset, the audit records and the sign-in notice.
(The rule over every URL of the project: tests/security/test_second_factor_matrix.py.)"""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enums import SecondFactorAction
from accounts.models import KnownSignIn, SecondFactorEvent
from accounts.second_factor import (
    SESSION_ENROLMENT,
    SecondFactorError,
    authenticator_unsaved,
    recovery_codes_renew,
    second_factor_remove,
    second_factor_reset,
    sign_in_notice,
)
from portal.audit import audit_log
from tests.factories import PASSWORD, OfficerFactory, OrganiserFactory, UserFactory
from tests.second_factor import authenticator_for, force_login_password_only, totp_code

pytestmark = pytest.mark.django_db

VERIFY, ENROL, SETTINGS = "/accounts/two-factor/code/", "/accounts/two-factor/set-up/", \
    "/accounts/two-factor/"


@pytest.fixture(autouse=True)
def _no_back_off(settings):
    """django-otp makes a device wait 2^(n-1) s after its n-th wrong code in a row; these
    tests try a wrong code and then the right one at once (the back-off has its own test)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def password_only(user) -> Client:
    client = Client()
    force_login_password_only(client, user)
    return client


def actions(user) -> list[str]:
    return list(SecondFactorEvent.objects.filter(user=user).order_by("pk")
                .values_list("action", flat=True))


def enrol(client: Client, user, *, next_url: str = "/organiser/"):
    """Open the set-up page and confirm with the code of the secret it shows."""
    page = client.get(ENROL, {"next": next_url})
    assert page.status_code == 200
    key = client.session[SESSION_ENROLMENT]
    device = authenticator_unsaved(user=user, key=key)
    return client.post(ENROL, {"code": totp_code(device), "next": next_url}), page


# --- setting up ---------------------------------------------------------------------------
def test_organiser_without_authenticator_is_sent_to_set_one_up():
    organiser = OrganiserFactory()
    response = password_only(organiser).get("/organiser/")
    assert (response.status_code, response["Location"]) == (
        302, f"{ENROL}?next=%2Forganiser%2F")


def test_set_up_page_shows_qr_code_and_secret_as_text():
    organiser = OrganiserFactory()
    client = password_only(organiser)
    page = client.get(ENROL).content.decode()
    key = client.session[SESSION_ENROLMENT]
    secret = re.search(r"data-secret>([A-Z2-7 ]+)<", page).group(1)
    assert secret.replace(" ", "") == authenticator_unsaved(user=organiser, key=key) \
        .config_url.split("secret=")[1].split("&")[0]
    assert "<svg" in page and "QR code of your account" in page
    assert 'autocomplete="one-time-code"' in page
    assert TOTPDevice.objects.filter(user=organiser).count() == 0  # nothing written on GET


def test_set_up_with_the_right_code_shows_recovery_codes_once_and_lets_in():
    organiser = OrganiserFactory()
    client = password_only(organiser)
    response, _page = enrol(client, organiser)
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    stored = set(StaticToken.objects.filter(device__user=organiser)
                 .values_list("token", flat=True))
    assert (response.status_code, len(codes), set(codes)) == (200, 10, stored)
    assert TOTPDevice.objects.filter(user=organiser, confirmed=True).count() == 1
    assert actions(organiser) == [SecondFactorAction.ENROLLED]
    assert client.get("/organiser/").status_code == 200
    assert "<li>" + codes[0] not in client.get(SETTINGS).content.decode()


def test_set_up_with_a_wrong_code_is_refused():
    organiser = OrganiserFactory()
    client = password_only(organiser)
    client.get(ENROL)
    response = client.post(ENROL, {"code": "000000"})
    assert response.status_code == 400
    assert TOTPDevice.objects.filter(user=organiser, confirmed=True).count() == 0
    assert client.get("/organiser/").status_code == 302
    assert actions(organiser) == []


def test_replacing_the_authenticator_needs_the_current_one_first():
    organiser = OrganiserFactory()
    authenticator_for(organiser)
    response = password_only(organiser).get(ENROL)
    assert (response.status_code, response["Location"]) == (
        302, f"{VERIFY}?next=%2Fdashboard%2F")


def test_replacing_the_authenticator_drops_the_old_one():
    organiser = OrganiserFactory()
    client = Client()
    client.force_login(organiser)  # passes the second factor with a first device
    old = TOTPDevice.objects.get(user=organiser)
    response, _page = enrol(client, organiser)
    assert response.status_code == 200
    assert list(TOTPDevice.objects.filter(user=organiser).values_list("pk", flat=True)) != [
        old.pk]
    assert TOTPDevice.objects.filter(user=organiser).count() == 1


# --- the code after the password ----------------------------------------------------------
def test_organiser_with_authenticator_is_asked_for_the_code_before_the_admin():
    organiser = OrganiserFactory()
    device = authenticator_for(organiser)
    client = password_only(organiser)
    asked = client.get("/admin/")
    assert (asked.status_code, asked["Location"]) == (302, f"{VERIFY}?next=%2Fadmin%2F")
    wrong = client.post(VERIFY, {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 400
    assert "This code is not right" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302
    right = client.post(VERIFY, {"code": totp_code(device), "next": "/admin/"})
    assert (right.status_code, right["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200


def test_a_code_is_accepted_only_once():
    organiser = OrganiserFactory()
    device = authenticator_for(organiser)
    code = totp_code(device)
    first, second = password_only(organiser), password_only(organiser)
    assert first.post(VERIFY, {"code": code}).status_code == 302
    assert second.post(VERIFY, {"code": code}).status_code == 400


def test_sign_in_with_password_then_code_through_the_login_form():
    organiser = OrganiserFactory()
    device = authenticator_for(organiser)
    client = Client()
    signed = client.post("/accounts/login/?next=/organiser/",
                         {"username": organiser.username, "password": PASSWORD,
                          "next": "/organiser/"})
    assert signed["Location"] == "/organiser/"
    asked = client.get("/organiser/")
    assert asked["Location"] == f"{VERIFY}?next=%2Forganiser%2F"
    assert client.get(asked["Location"]).status_code == 200
    done = client.post(VERIFY, {"code": f" {totp_code(device)[:3]} {totp_code(device)[3:]} ",
                                "next": "/organiser/"})
    assert done["Location"] == "/organiser/"


def test_the_code_page_sends_nowhere_outside_the_site():
    organiser = OrganiserFactory()
    device = authenticator_for(organiser)
    response = password_only(organiser).post(
        VERIFY, {"code": totp_code(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("dashboard")


def test_recovery_code_works_once_and_is_recorded():
    organiser = OrganiserFactory()
    authenticator_for(organiser)
    code = recovery_codes_renew(user=organiser)[0]
    first = password_only(organiser)
    assert first.post(VERIFY, {"code": code.upper(), "next": "/organiser/"})["Location"] == \
        "/organiser/"
    assert first.get("/organiser/").status_code == 200
    second = password_only(organiser)
    assert second.post(VERIFY, {"code": code}).status_code == 400
    assert second.get("/organiser/").status_code == 302
    assert actions(organiser) == [SecondFactorAction.RECOVERY_RENEWED,
                                  SecondFactorAction.RECOVERY_USED]
    assert StaticToken.objects.filter(device__user=organiser).count() == 9


def test_code_attempts_are_throttled_per_person(settings):
    settings.THROTTLE_SECOND_FACTOR_PER_USER = "3/h"
    organiser = OrganiserFactory()
    device = authenticator_for(organiser)
    client = password_only(organiser)
    statuses = [client.post(VERIFY, {"code": "000000"}, REMOTE_ADDR=f"192.0.2.{n}").status_code
                for n in range(3)]
    statuses.append(client.post(VERIFY, {"code": totp_code(device)},
                                REMOTE_ADDR="192.0.2.9").status_code)
    assert statuses == [400, 400, 400, 429]
    assert client.get("/organiser/").status_code == 302


def test_each_device_backs_off_after_a_wrong_code(settings):
    """django-otp's own back-off: right after a wrong code, even the right one waits."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    organiser = OrganiserFactory()
    device = authenticator_for(organiser)
    client = password_only(organiser)
    assert client.post(VERIFY, {"code": "000000"}).status_code == 400
    assert client.post(VERIFY, {"code": totp_code(device)}).status_code == 400
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # a refused-before-checking try is not counted


# --- officers and jurors: their choice ------------------------------------------------------
def test_officer_and_juror_without_second_factor_are_unaffected():
    officer, juror = OfficerFactory(), UserFactory()
    assert password_only(officer).get("/officer/").status_code == 200
    assert password_only(juror).get(SETTINGS).status_code == 200


def test_officer_who_opted_in_is_asked_for_the_code_and_may_turn_it_off():
    officer = OfficerFactory()
    client = password_only(officer)
    response, _page = enrol(client, officer, next_url="/officer/")
    assert response.status_code == 200
    later = password_only(officer)
    assert later.get("/officer/")["Location"] == f"{VERIFY}?next=%2Fofficer%2F"
    device = TOTPDevice.objects.get(user=officer)
    assert later.post(VERIFY, {"code": totp_code(device, steps_ahead=1)}).status_code == 302
    assert later.post("/accounts/two-factor/remove/")["Location"] == SETTINGS
    assert TOTPDevice.objects.filter(user=officer).count() == 0
    assert StaticDevice.objects.filter(user=officer).count() == 0
    assert password_only(officer).get("/officer/").status_code == 200
    assert actions(officer) == [SecondFactorAction.ENROLLED, SecondFactorAction.REMOVED]


def test_organiser_cannot_turn_the_second_factor_off():
    organiser = OrganiserFactory()
    client = Client()
    client.force_login(organiser)
    assert client.post("/accounts/two-factor/remove/")["Location"] == SETTINGS
    assert TOTPDevice.objects.filter(user=organiser).count() == 1
    with pytest.raises(SecondFactorError):
        second_factor_remove(user=organiser)


# --- the organisers' reset -----------------------------------------------------------------
def test_another_organiser_resets_a_second_factor_recorded_and_the_session_unverified():
    lost, helper = OrganiserFactory(), OrganiserFactory()
    lost_client = Client()
    lost_client.force_login(lost)
    assert lost_client.get("/organiser/").status_code == 200
    helper_client = Client()
    helper_client.force_login(helper)
    listed = helper_client.get("/organiser/two-factor/")
    assert f'data-person="{lost.username}"' in listed.content.decode()
    response = helper_client.post(f"/organiser/two-factor/{lost.pk}/reset/")
    assert response["Location"] == "/organiser/two-factor/"
    assert TOTPDevice.objects.filter(user=lost).count() == 0
    assert SecondFactorEvent.objects.filter(user=lost).values_list("action", "by").get() == (
        SecondFactorAction.RESET, helper.pk)
    assert lost_client.get("/organiser/")["Location"] == f"{ENROL}?next=%2Forganiser%2F"


def test_no_one_resets_their_own_second_factor_and_only_organisers_reset():
    organiser, officer = OrganiserFactory(), OfficerFactory()
    authenticator_for(officer)
    with pytest.raises(SecondFactorError):
        second_factor_reset(user=organiser, by=organiser)
    with pytest.raises(SecondFactorError):
        second_factor_reset(user=organiser, by=officer)
    client = Client()
    client.force_login(organiser)
    client.post(f"/organiser/two-factor/{organiser.pk}/reset/")
    assert TOTPDevice.objects.filter(user=organiser).count() == 1
    assert SecondFactorEvent.objects.count() == 0


def test_officer_whose_second_factor_was_reset_is_let_through():
    officer, organiser = OfficerFactory(), OrganiserFactory()
    authenticator_for(officer)
    client = password_only(officer)
    assert client.get("/officer/").status_code == 302
    second_factor_reset(user=officer, by=organiser)
    assert client.get("/officer/").status_code == 200


def test_second_factor_events_are_in_the_audit_log():
    lost, helper = OrganiserFactory(username="lost"), OrganiserFactory()
    authenticator_for(lost)
    recovery_codes_renew(user=lost)
    second_factor_reset(user=lost, by=helper)
    rows, _more = audit_log(kind="second_factor")
    assert [(row.action, row.subject, row.who) for row in rows] == [
        ("Second factor reset by an organiser", "lost", helper),
        ("New recovery codes", "lost", lost)]


def test_second_factors_page_query_count(django_assert_max_num_queries):
    organiser = OrganiserFactory()
    client = Client()
    client.force_login(organiser)
    with django_assert_max_num_queries(8):
        few = client.get("/organiser/two-factor/")
    for _ in range(5):
        authenticator_for(OrganiserFactory())
        authenticator_for(OfficerFactory())
    with django_assert_max_num_queries(8):
        many = client.get("/organiser/two-factor/")
    assert (few.status_code, many.status_code) == (200, 200)
    assert many.content.decode().count("data-person=") == 11


# --- the sign-in notice --------------------------------------------------------------------
def test_staff_are_told_of_a_sign_in_from_a_new_browser_or_network(
        settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://portal.example.org"
    organiser = OrganiserFactory(language="bg")
    firefox, chrome = "Mozilla/5.0 Firefox/140.0", "Mozilla/5.0 Chrome/140.0"
    with django_capture_on_commit_callbacks(execute=True):
        sent = [sign_in_notice(user=organiser, browser=firefox, address="192.0.2.10"),
                sign_in_notice(user=organiser, browser=firefox, address="192.0.2.77"),
                sign_in_notice(user=organiser, browser=chrome, address="192.0.2.10"),
                sign_in_notice(user=organiser, browser=firefox, address="2001:db8::1")]
    assert sent == [False, False, True, True]
    assert len(mail.outbox) == 2
    notice = mail.outbox[0]
    assert notice.to == [organiser.email]
    assert notice.subject == "Нов вход в профила ви на организатор"
    assert "Chrome/140.0" in notice.body and "192.0.2.0/24" in notice.body
    assert "https://portal.example.org/accounts/password/change/" in notice.body
    assert KnownSignIn.objects.filter(user=organiser).count() == 3


def test_the_notice_is_sent_at_sign_in_and_only_to_staff(django_capture_on_commit_callbacks):
    organiser, officer = OrganiserFactory(), OfficerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for user in (organiser, officer):
            for agent in ("Browser A", "Browser B"):
                Client(HTTP_USER_AGENT=agent).post(
                    "/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert [message.to for message in mail.outbox] == [[organiser.email]]
    assert KnownSignIn.objects.filter(user=officer).count() == 0


def test_signing_in_through_the_admin_form_still_asks_for_the_code():
    organiser = OrganiserFactory()
    device = authenticator_for(organiser)
    client = Client()
    signed = client.post("/admin/login/?next=/admin/", {
        "username": organiser.username, "password": PASSWORD, "next": "/admin/"})
    assert signed["Location"] == "/admin/"
    asked = client.get("/admin/")
    assert asked["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    assert client.post(VERIFY, {"code": totp_code(device), "next": "/admin/"})["Location"] \
        == "/admin/"
    assert client.get("/admin/").status_code == 200
