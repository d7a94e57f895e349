import pytest

from tests.factories import PASSWORD

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_and_fast(settings):
    """Tests speak English unless they switch, and hash passwords fast."""
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture(autouse=True)
def _media_in_tmp(request, settings, tmp_path):
    """Uploaded files of each test go to a folder of its own (browser tests keep the live
    server's)."""
    if request.node.get_closest_marker("browser") is None:
        settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _throttle_counts_start_at_zero():
    """The throttles count in the cache (django-ratelimit), which outlives a test's
    transaction (local memory) or the whole run (Redis): every test starts with empty counts,
    so one test's POSTs never throttle the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True, scope="session")
def _staff_force_login_passes_the_second_factor():
    """`client.force_login(organiser)` also passes the organiser's second factor with a real
    authenticator device (tests/second_factor.py says how and why); the portal's rule stays
    on. Tests of the rule sign in with `force_login_password_only`. Session-scoped so that
    the module-scoped worlds (tests/security) sign their organisers in the same way."""
    from django.test import Client

    from tests.second_factor import force_login_with_second_factor

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "force_login", force_login_with_second_factor)
        yield


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo (`load_demo`), loaded once per module that asks for it, in a transaction
    rolled back after the module's last test: each test runs in a savepoint inside it, so
    none sees another's changes. Its photos are written to a folder of the module's."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    media = tmp_path_factory.mktemp("demo-media")
    # the test settings of `_english_and_fast`, which is per test (the demo's passwords
    # must be hashed with the one hasher the tests accept)
    with django_db_blocker.unblock(), override_settings(
            MEDIA_ROOT=media, LANGUAGE_CODE="en", PASSWORD_HASHERS=FAST_HASHERS), \
            transaction.atomic():
        call_command("load_demo", "--force")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(autouse=True, scope="session")
def _tasks_in_process():
    """Unit and view tests run Celery tasks in-process even when CI sets a broker; the
    integration tests start a real worker and switch this off themselves."""
    from portal.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield


def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser is a browser test."""
    for item in items:
        if "/tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    from tests import tally
    from tests.browser.conftest import CHROMIUM, chromium_available

    def race_tests(outcome: str) -> int:
        return sum(1 for report in terminalreporter.stats.get(outcome, [])
                   if report.when == "call" and "race" in report.keywords)

    figures = tally.summary(race_tests("passed"), race_tests("failed"))
    if figures:
        terminalreporter.write_line(figures, bold=True)

    browser_tests = [r for r in terminalreporter.stats.get("skipped", [])
                     if "browser" in getattr(r, "keywords", {})]
    if not chromium_available():
        terminalreporter.write_line(
            f"BROWSER TESTS NOT RUN: no chromium at {CHROMIUM} "
            f"({len(browser_tests)} skipped). Install Debian's chromium package to run them.",
            yellow=True, bold=True)
