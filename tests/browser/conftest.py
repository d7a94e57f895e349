"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

Where no chromium is found the tests are skipped and `make test` says so in its summary;
with REQUIRE_BROWSER=1 (as .ci/run sets) a missing browser is an error instead, so browser
tests can never be skipped silently in CI.
"""

import os
import re
import shutil
from base64 import b32decode
from urllib.parse import urlparse

import pytest
from django.db.models import Q
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import User
from competitions.models import RubricLevel
from tests.factories import (
    AssignmentFactory,
    CriterionFactory,
    EditionFactory,
    EntryFactory,
    JuryMemberFactory,
    MunicipalityFactory,
    OfficerFactory,
    ThematicAreaFactory,
    UserFactory,
)
from tests.scoring.factories_jury import ReviewEditionFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]

DEMO_PASSWORD = "demo-pass-2016"

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# test itself (fixtures, assertions) are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which(CHROMIUM) is not None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not chromium_available():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but no chromium at {CHROMIUM}")
        pytest.skip(f"no chromium at {CHROMIUM}")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True,
            "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser(live_server, browser):
    """Playwright's browser, started after the live server and closed before it stops.
    Chromium keeps its connections to the live server open; closed after the server had
    stopped sharing its in-memory SQLite connection, they made the server's request threads
    fail as they ended ("DatabaseWrapper objects created in a thread can only be used in
    that same thread"), a warning on every run and a risk to whichever test ran then."""
    yield browser
    browser.close()


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB", "timezone_id": "Europe/Sofia"}


def sign_in(page, live_server, username: str, password: str) -> None:
    """Sign in through the real login form, and the second factor's page after it when the
    person has one to pass (organisers always)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address or user name").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    pass_second_factor(page, username)


def _code_of(key: bytes, *, after_step: int = -1) -> str:
    """The code an authenticator app with this secret shows now (or at the next step, when
    the current one was used already: django-otp takes no step twice, and one step ahead)."""
    totp = TOTP(key)
    if totp.t() <= after_step:
        totp.time = totp.time + 30
    return f"{totp.token():06d}"


def pass_second_factor(page, login: str) -> None:
    """On the code page, type the code the person's authenticator shows now (computed from
    their device's secret, as the app does); on the set-up page (an organiser without one),
    set one up from the secret the page shows, as a person would type it into an app."""
    path = urlparse(page.url).path
    if path == "/accounts/two-factor/code/":
        user = User.objects.get(Q(username=login) | Q(email__iexact=login))
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        page.locator("#id_code").fill(_code_of(device.bin_key, after_step=device.last_t))
        with page.expect_navigation():
            page.get_by_role("button", name=re.compile("^(Continue|Продължаване)$")).click()
    elif path == "/accounts/two-factor/set-up/":
        secret = page.locator("[data-secret]").inner_text().replace(" ", "")
        page.locator("#id_code").fill(_code_of(b32decode(secret)))
        with page.expect_navigation():
            page.get_by_role("button", name=re.compile("^(Confirm|Потвърждаване)$")).click()
        expect(page.locator("[data-recovery-codes] li")).to_have_count(10)
        with page.expect_navigation():
            page.locator("main a.btn-primary").click()


@pytest.fixture
def demo_officer(settings, tmp_path):
    """The demo's officer of Tundzha and the open demo edition with its area I."""
    settings.MEDIA_ROOT = tmp_path / "media"
    tundzha = MunicipalityFactory(name="Тунджа", name_en="Tundzha", region="Ямбол")
    edition = EditionFactory(slug="demo-open", title="Демо издание", title_en="Demo edition")
    ThematicAreaFactory(edition=edition, code="I", title="Добро управление",
                        title_en="Good governance")
    return OfficerFactory(username="officer", municipality=tundzha)


@pytest.fixture
def demo_jury(db):
    """An edition in review, two criteria, one entry assigned to the demo juror."""
    edition = ReviewEditionFactory(title_en="Best practices 2026")
    area = ThematicAreaFactory(edition=edition)
    criteria = [
        CriterionFactory(edition=edition, order=1, title_en="Relevance and impact",
                         guidance_en="What changed for the citizens?"),
        CriterionFactory(edition=edition, order=2, title_en="Innovativeness"),
    ]
    RubricLevel.objects.create(criterion=criteria[0], score=8, description="Трайна промяна",
                               description_en="A lasting change")
    entry = EntryFactory(area=area, practice__title_en="Street lights in every village")
    juror = UserFactory(username="juror", first_name="Demo", last_name="Juror",
                        password=DEMO_PASSWORD)
    JuryMemberFactory(edition=edition, user=juror)
    AssignmentFactory(entry=entry, juror=juror)
    return entry, criteria, juror
