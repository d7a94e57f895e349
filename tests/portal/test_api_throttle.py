"""The open-data API answers one address THROTTLE_API_PER_ADDRESS times per period, then
429 with Retry-After; addresses count apart (behind trusted proxies, the client's own), and
a cache that cannot count lets calls through."""

import pytest
from django.core.cache import caches
from redis.exceptions import ConnectionError as RedisConnectionError

from portal.api.throttling import OpenDataThrottle
from portal.checks import throttle_rates_are_readable

pytestmark = pytest.mark.django_db

URL = "/api/v1/editions/"


def statuses(client, times: int, **extra) -> list[int]:
    return [client.get(URL, **extra).status_code for _ in range(times)]


def test_over_the_limit_the_api_answers_429_with_retry_after(client, settings):
    settings.THROTTLE_API_PER_ADDRESS = "3/m"
    assert statuses(client, 3) == [200, 200, 200]
    response = client.get(URL)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"].lower()


def test_the_count_lifts_after_the_period(client, settings, monkeypatch):
    settings.THROTTLE_API_PER_ADDRESS = "2/m"
    now = [1_000_000.0]
    monkeypatch.setattr(OpenDataThrottle, "timer", lambda self: now[0])
    assert statuses(client, 3) == [200, 200, 429]
    now[0] += 61
    assert statuses(client, 1) == [200]


def test_addresses_count_apart(client, settings):
    settings.THROTTLE_API_PER_ADDRESS = "1/h"
    assert statuses(client, 2, REMOTE_ADDR="192.0.2.1") == [200, 429]
    assert statuses(client, 1, REMOTE_ADDR="192.0.2.2") == [200]


def test_behind_a_proxy_the_client_counts_and_a_made_up_header_does_not(client, settings):
    settings.THROTTLE_API_PER_ADDRESS = "1/h"
    settings.PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    assert statuses(client, 2, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy) == [200, 429]
    # another client behind the same proxy has a count of its own
    assert statuses(client, 1, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy) == [200]
    # the first client, writing a made-up address before its own, is still itself
    assert statuses(client, 1, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
                    **proxy) == [429]


def test_an_ipv6_client_counts_by_its_64_network(client, settings):
    """Seven addresses of one /64 are one client, as for the forms' throttles."""
    settings.THROTTLE_API_PER_ADDRESS = "2/h"
    assert [client.get(URL, REMOTE_ADDR=f"2001:db8::{n}").status_code for n in range(1, 5)
            ] == [200, 200, 429, 429]
    assert statuses(client, 1, REMOTE_ADDR="2001:db8:0:1::1") == [200]


def test_an_unreachable_cache_lets_calls_through(client, settings, monkeypatch):
    settings.THROTTLE_API_PER_ADDRESS = "1/h"

    def unreachable(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(caches["default"], "get", unreachable)
    assert statuses(client, 3) == [200, 200, 200]


def test_every_operation_documents_the_429(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    operations = [operation for item in schema["paths"].values()
                  for operation in item.values()]
    assert operations
    assert all("429" in operation["responses"] for operation in operations)


@pytest.mark.parametrize(("rate", "valid"), [("120/m", True), ("50/10s", True),
                                             ("120/min", False), ("lots", False)])
def test_a_mistyped_api_rate_stops_the_start(settings, rate, valid):
    settings.THROTTLE_API_PER_ADDRESS = rate
    errors = [e for e in throttle_rates_are_readable(None) if "THROTTLE_API" in e.msg]
    assert (errors == []) is valid


@pytest.mark.parametrize(("rate", "parsed"), [("120/m", (120, 60)), ("30/10m", (30, 600)),
                                              ("5/s", (5, 1)), ("1000/d", (1000, 86400))])
def test_rates_read_as_the_other_throttles_read_them(rate, parsed):
    assert OpenDataThrottle().parse_rate(rate) == parsed
