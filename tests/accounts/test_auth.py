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
    assert "Please enter a correct username and password." in response.content.decode()


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
