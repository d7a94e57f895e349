"""When a request reached the server (portal.client.request_arrival): the proxy's
X-Request-Start, trusted only from TRUSTED_PROXIES and only within REQUEST_ARRIVAL_MAX_AGE."""

import datetime as dt

import pytest
from django.test import RequestFactory

from portal.client import ForwardedHeadersMiddleware, request_arrival

NOW = dt.datetime(2026, 12, 1, 15, 0, 0, tzinfo=dt.UTC)
TEN_SECONDS_AGO = NOW - dt.timedelta(seconds=10)


def _request(start: str | None, remote: str = "127.0.0.1"):
    extra = {"REMOTE_ADDR": remote}
    if start is not None:
        extra["HTTP_X_REQUEST_START"] = start
    return RequestFactory().get("/", **extra)


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.PROXY_COUNT = 1
    settings.REQUEST_ARRIVAL_MAX_AGE = 60


@pytest.mark.parametrize("start", [
    f"t={TEN_SECONDS_AGO.timestamp():.3f}",            # nginx: t=${msec}
    f"t={int(TEN_SECONDS_AGO.timestamp() * 1e6)}",     # microseconds
    f"t={int(TEN_SECONDS_AGO.timestamp() * 1e3)}",     # milliseconds
    f"{TEN_SECONDS_AGO.timestamp():.3f}",              # without t=
])
def test_request_arrival_reads_the_trusted_proxys_stamp(start):
    assert request_arrival(_request(start), now=NOW) == TEN_SECONDS_AGO


@pytest.mark.parametrize("start", [None, "", "t=", "t=soon", "t=nan", "t=-5", "t=inf", "t=1e400"])
def test_request_arrival_without_a_readable_stamp_is_now(start):
    assert request_arrival(_request(start), now=NOW) == NOW


def test_request_arrival_from_an_untrusted_peer_is_now():
    start = f"t={TEN_SECONDS_AGO.timestamp():.3f}"
    assert request_arrival(_request(start, remote="203.0.113.9"), now=NOW) == NOW


def test_request_arrival_without_a_proxy_configured_is_now(settings):
    settings.PROXY_COUNT = 0
    start = f"t={TEN_SECONDS_AGO.timestamp():.3f}"
    assert request_arrival(_request(start), now=NOW) == NOW


def test_request_arrival_is_never_later_than_now():
    start = f"t={(NOW + dt.timedelta(minutes=5)).timestamp():.3f}"
    assert request_arrival(_request(start), now=NOW) == NOW


def test_request_arrival_is_bounded_by_the_max_age(settings):
    settings.REQUEST_ARRIVAL_MAX_AGE = 30
    start = f"t={(NOW - dt.timedelta(hours=2)).timestamp():.3f}"
    assert request_arrival(_request(start), now=NOW) == NOW - dt.timedelta(seconds=30)


def test_forwarded_headers_middleware_notes_the_arrival_and_drops_a_clients_stamp():
    seen = {}

    def view(request):
        seen["arrived_at"] = request.arrived_at
        seen["header"] = request.META.get("HTTP_X_REQUEST_START")

    middleware = ForwardedHeadersMiddleware(view)
    old = "t=1000000000.000"  # 2001: clamped to the bound if trusted, ignored if not
    middleware(_request(old, remote="203.0.113.9"))
    assert seen["header"] is None
    before = dt.datetime.now(dt.UTC)
    middleware(_request(old))
    assert seen["header"] == old
    assert before - dt.timedelta(seconds=61) < seen["arrived_at"] < before
