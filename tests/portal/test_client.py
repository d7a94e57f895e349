"""The client's address behind trusted proxies (portal/client.py), used by django-axes and
by the throttles alike."""

import pytest
from django.test import RequestFactory

from portal.client import client_address

ALICE, BOB, PROXY, BALANCER = "192.0.2.10", "198.51.100.20", "203.0.113.1", "203.0.113.2"


def address(forwarded: str | None, remote: str = PROXY) -> str:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


@pytest.mark.parametrize(("proxies", "forwarded", "remote", "expected"), [
    (0, None, ALICE, ALICE),  # no proxy: the peer is the client
    (0, BOB, ALICE, ALICE),  # ... and a made-up header changes nothing
    (1, ALICE, PROXY, ALICE),  # nginx appended the client's address
    (1, f"{BOB}, {ALICE}", PROXY, ALICE),  # Alice wrote Bob in the header herself
    (2, f"{BOB}, {ALICE}, {BALANCER}", PROXY, ALICE),  # balancer, then nginx
    (2, ALICE, PROXY, PROXY),  # fewer addresses than proxies: not through them, the peer
    (1, "not-an-address", PROXY, PROXY),
    (1, f" {ALICE} ", PROXY, ALICE),
    (1, "2001:DB8::1", PROXY, "2001:db8::1"),  # written one way whatever the spelling
    (0, None, "", "0.0.0.0"),  # nothing readable: one shared bucket, never an error
])
def test_client_address_trusts_only_as_many_proxies_as_configured(
        settings, proxies, forwarded, remote, expected):
    settings.PROXY_COUNT = proxies
    assert address(forwarded, remote) == expected


def test_axes_and_the_throttles_use_the_same_function(settings):
    assert (settings.AXES_CLIENT_IP_CALLABLE, settings.RATELIMIT_IP_META_KEY) == (
        "portal.client.client_address", "portal.client.client_address")
