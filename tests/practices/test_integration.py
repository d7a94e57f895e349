"""The reminder task once through a real Celery worker on Redis (REDIS_URL's server, or the
local one)."""

import datetime as dt
import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from portal.celery import app
from tests.factories import EditionFactory, OfficerFactory

pytestmark = pytest.mark.integration


@pytest.fixture
def real_worker():
    broker = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/3"
    previous = (app.conf.broker_url, app.conf.task_always_eager, app.conf.result_backend)
    app.conf.update(broker_url=broker, task_always_eager=False, result_backend=None)
    _forget_connections()
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING",
                      shutdown_timeout=10):
        yield
    app.conf.update(broker_url=previous[0], task_always_eager=previous[1],
                    result_backend=previous[2])
    _forget_connections()


def _forget_connections():
    """The app keeps the connection and producer pools made for the broker configured then;
    dropping (not closing) them lets the next call find the pools of the broker now set."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)
def test_send_deadline_reminders_through_a_real_worker(real_worker):
    officer = OfficerFactory()
    EditionFactory(submissions_close_at=timezone.now() + dt.timedelta(days=1))
    from practices.tasks import send_deadline_reminders

    send_deadline_reminders.delay()
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [[officer.email]]
