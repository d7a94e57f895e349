import re

import pytest
from django.core import mail

from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def test_login_and_logout(client, password):
    officer = OfficerFactory()
    response = client.post("/accounts/login/", {"username": officer.username,
                                                 "password": password})
    assert response.status_code == 302
    assert response.url == "/dashboard/"
    assert client.get("/dashboard/").url == "/officer/"
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/officer/").url == "/accounts/login/?next=/officer/"


def test_login_wrong_password_says_so(client):
    officer = OfficerFactory()
    response = client.post("/accounts/login/", {"username": officer.username,
                                                 "password": "wrong"})
    assert response.status_code == 200
    assert ("Please enter a correct e-mail address or user name and password."
            in response.content.decode())


def test_password_reset_by_email_end_to_end(client, settings,
                                            django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://portal.example.org:8443"
    officer = OfficerFactory(email="officer@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "officer@example.org"})
    assert len(mail.outbox) == 1
    # The link follows SITE_URL, like every e-mail, not the host the request came to.
    link = re.search(r"https://portal\.example\.org:8443(/accounts/reset/\S+)",
                     mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session and redirects
    response = client.post(form_url, {"new_password1": "brand-new-pass-2027",
                                      "new_password2": "brand-new-pass-2027"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("brand-new-pass-2027")


def test_password_change(client, password):
    officer = OfficerFactory()
    client.force_login(officer)
    response = client.post("/accounts/password/change/", {
        "old_password": password, "new_password1": "another-pass-2027",
        "new_password2": "another-pass-2027"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("another-pass-2027")


def _sign_in(client, typed: str, password: str):
    return client.post("/accounts/login/", {"username": typed, "password": password})


@pytest.mark.parametrize("typed", ["maya.ivanova@example.org", "Maya.Ivanova@Example.ORG",
                                   "maya"])
def test_login_with_the_email_address_in_any_case_or_the_user_name(client, password, typed):
    """An invited juror knows their address, not the user name made for them."""
    officer = OfficerFactory(username="maya", email="maya.ivanova@example.org")
    response = _sign_in(client, typed, password)
    assert (response.status_code, response.url) == (302, "/dashboard/")
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_login_page_asks_for_an_email_address_or_user_name(client):
    content = client.get("/accounts/login/").content.decode()
    assert "E-mail address or user name" in content
    assert 'maxlength="254"' in content


def test_login_with_an_email_address_and_a_wrong_password_is_refused(client):
    OfficerFactory(email="maya.ivanova@example.org")
    response = _sign_in(client, "maya.ivanova@example.org", "wrong")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_of_an_inactive_account_by_email_is_refused(client, password):
    OfficerFactory(email="gone@example.org", is_active=False)
    assert _sign_in(client, "gone@example.org", password).status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_a_user_name_equal_to_someones_address_does_not_take_over_their_sign_in(
        client, password):
    """Someone registered another person's address as their user name: the person still
    signs in with their address and their own password."""
    OfficerFactory(username="maya.ivanova@example.org", email="squatter@example.org")
    maya = OfficerFactory(username="maya", email="maya.ivanova@example.org")
    maya.set_password("mayas-own-pass-2027")
    maya.save()
    response = _sign_in(client, "maya.ivanova@example.org", "mayas-own-pass-2027")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(maya.pk)


def test_login_lockout_counts_per_name_typed(client, settings, password):
    """django-axes counts the failures per the name typed: three wrong passwords with the
    address lock the address out, and the user name, another name, still signs in."""
    from axes.models import AccessAttempt

    settings.AXES_FAILURE_LIMIT = 3
    OfficerFactory(username="maya", email="maya.ivanova@example.org")
    for _ in range(3):
        _sign_in(client, "maya.ivanova@example.org", "wrong")
    assert _sign_in(client, "maya.ivanova@example.org", password).status_code == 429
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [
        "maya.ivanova@example.org"]
    assert _sign_in(client, "maya", password).status_code == 302


def test_login_page_asks_for_an_email_address_or_user_name_in_bulgarian(client):
    client.cookies["django_language"] = "bg"
    content = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="bg").content.decode()
    assert "Имейл адрес или потребителско име" in content
