"""The test run's settings: the portal's own, with a SECRET_KEY of its own.

Tests run with DEBUG off, like production, where the settings refuse to start without a
secret key; the key set here is also inherited by every subprocess a test starts (a Celery
worker, `manage.py check`)."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-" + "x" * 50)

from portal.settings import *  # noqa: E402, F403
