"""Headers of Django's deployment checklist, the Content Security Policy, login throttling."""

import pytest

from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def test_pages_carry_the_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(part.strip().split(" ", 1) for part in
                  response["Content-Security-Policy"].split(";") if part.strip())
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"


def test_pages_have_no_inline_scripts(client):
    """The policy forbids inline scripts, so none may be written into a page."""
    page = client.get("/").content.decode()
    assert " onchange=" not in page
    assert "<script>" not in page


def test_https_mode_sets_hsts_and_secure_cookies():
    """HTTPS=1 switches on every HTTPS setting of the checklist (a fresh settings module)."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD,"
            " s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[2],
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings",
             "HTTPS": "1", "SECRET_KEY": "a-production-key-" + "k" * 40}).stdout.split()
    assert out == ["31536000", "True", "True", "True", "True", "True"]


def test_hsts_header_on_secure_requests(settings, client):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_login_is_throttled_after_repeated_failures_with_a_clear_message(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    officer = OfficerFactory()
    for _ in range(2):
        response = client.post("/accounts/login/", {"username": officer.username,
                                                     "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"username": officer.username,
                                                 "password": "wrong"})
    assert response.status_code == 429
    assert "After 3 wrong passwords, signing in with this user name from your address is " \
        "blocked." in response.content.decode()
    # even the right password is refused while the lock lasts
    response = client.post("/accounts/login/", {"username": officer.username,
                                                 "password": "test-pass-2016"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_throttling_is_per_user_name(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    locked, other = OfficerFactory(), OfficerFactory()
    for _ in range(2):
        client.post("/accounts/login/", {"username": locked.username, "password": "wrong"})
    response = client.post("/accounts/login/", {"username": other.username,
                                                 "password": "test-pass-2016"})
    assert response.status_code == 302
