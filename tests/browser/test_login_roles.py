import pytest
from django.core.management import call_command

from tests.browser.conftest import sign_in

DEMO_PASSWORD = "demo-pass-2016"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--force")


@pytest.mark.parametrize(("username", "dashboard", "path"), [
    ("organiser", "organiser", "/organiser/"),
    ("officer", "officer", "/officer/"),
    ("officer2", "officer", "/officer/"),
    ("juror", "juror", "/jury/"),
    ("juror2", "juror", "/jury/"),
])
def test_each_demo_role_lands_on_its_dashboard(demo, live_server, page, username, dashboard,
                                               path):
    sign_in(page, live_server, username, DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}{path}")
    heading = page.locator(f"h1[data-dashboard='{dashboard}']")
    assert heading.count() == 1
    assert page.locator(f"nav a[data-role='{dashboard}']").count() == 1
    # sign out through the menu: a POST form, as Django 5 requires
    page.locator("nav .dropdown-toggle").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("link", name="Sign in").count() == 1
