"""As people would: someone locked out of signing in is let back in by an organiser from the
lockouts page; someone asking too often for a new password is told when to try again."""

import pytest

from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, OfficerFactory, OrganiserFactory


@pytest.fixture
def people(transactional_db, settings):
    settings.AXES_FAILURE_LIMIT = 3
    return OfficerFactory(username="maya", first_name="Мая", last_name="Иванова",
                          email="maya@example.org"), OrganiserFactory(username="elena")


def test_organiser_unlocks_a_locked_out_officer(people, live_server, browser):
    officer, organiser = people
    person = browser.new_page(locale="en-GB")
    for _ in range(3):
        sign_in(person, live_server, officer.username, "wrong")
    assert person.get_by_role("heading", name="Too many failed sign-ins").count() == 1

    staff = browser.new_page(locale="en-GB")
    sign_in(staff, live_server, organiser.username, PASSWORD)
    staff.wait_for_url(f"{live_server.url}/organiser/")
    staff.get_by_role("link", name="Sign-in lockouts").click()
    row = staff.locator("tr[data-lockout='maya']")
    assert "Мая Иванова" in row.inner_text()
    row.get_by_role("button", name="Unlock").click()
    staff.wait_for_url(f"{live_server.url}/organiser/lockouts/")
    assert "maya can sign in again from 127.0.0.1" in staff.locator(".alert").inner_text()
    assert staff.locator("tr[data-lockout]").count() == 0

    sign_in(person, live_server, officer.username, PASSWORD)
    person.wait_for_url(f"{live_server.url}/officer/")


def test_password_reset_asked_too_often_says_when_to_try_again_in_bulgarian(
        people, live_server, browser, settings):
    settings.THROTTLE_PASSWORD_RESET_PER_EMAIL = "1/h"
    page = browser.new_page(locale="bg-BG")
    for _ in range(2):
        page.goto(f"{live_server.url}/accounts/password/reset/")
        page.locator("input[name='email']").fill("maya@example.org")
        page.locator("form button[type='submit']").click()
        page.wait_for_load_state()
    assert page.get_by_role("heading", name="Твърде много опити").count() == 1
    assert "Опитайте отново след" in page.locator("[data-throttled]").inner_text()
