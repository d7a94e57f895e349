import pytest

from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def _english_and_fast(settings):
    """Tests speak English unless they switch, and hash passwords fast."""
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CELERY_TASK_ALWAYS_EAGER = True


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
