"""The client's address behind trusted proxies (portal/client.py), used by django-axes and
by the throttles alike."""

import pytest
from django.test import RequestFactory

from portal.client import ForwardedHeadersMiddleware, client_address

# Alice and Bob on the internet; our nginx and load balancer on the private network.
ALICE, BOB, PROXY, BALANCER = "192.0.2.10", "198.51.100.20", "10.0.0.1", "172.16.0.2"


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
    (2, ALICE, PROXY, ALICE),  # Alice reached nginx without the balancer: nginx saw her
    (1, "not-an-address", PROXY, PROXY),  # our proxy wrote nonsense: it stays the client
    (1, f" {ALICE} ", PROXY, ALICE),
    (1, "2001:DB8::1", PROXY, "2001:db8::1"),  # written one way whatever the spelling
    (1, "::ffff:192.0.2.10", PROXY, ALICE),  # IPv4 through an IPv6 socket is IPv4
    (0, None, "::ffff:192.0.2.10", ALICE),
    (0, None, "", "0.0.0.0"),  # nothing readable: one shared bucket, never an error
    # Straight to gunicorn, not through our proxy: whatever the header says, the peer.
    (1, BOB, ALICE, ALICE),
    (2, f"{BOB}, {PROXY}", ALICE, ALICE),
    # Through nginx, but the hop before it is not ours: there the walk stops.
    (2, f"{BOB}, {ALICE}", PROXY, ALICE),
])
def test_client_address_trusts_only_as_many_proxies_as_configured(
        settings, proxies, forwarded, remote, expected):
    settings.PROXY_COUNT = proxies
    assert address(forwarded, remote) == expected


def test_axes_and_the_throttles_use_the_same_function(settings):
    assert (settings.AXES_CLIENT_IP_CALLABLE, settings.RATELIMIT_IP_META_KEY) == (
        "portal.client.client_address", "portal.client.client_address")


def test_the_trusted_proxies_are_a_setting(settings):
    settings.PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["203.0.113.0/24"]
    assert address(ALICE, remote="203.0.113.7") == ALICE
    assert address(ALICE, remote=PROXY) == PROXY  # 10.0.0.1 is no longer one of ours


# --- forwarded scheme and host: only from our proxies ------------------------------------

def seen(remote: str, **headers) -> tuple:
    """What a view behind the middleware sees: is the request secure, its host, and the
    forwarded address still there."""
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_HOST="portal.example.org",
                                   **headers)
    return ForwardedHeadersMiddleware(lambda r: (
        r.is_secure(), r.get_host(), r.META.get("HTTP_X_FORWARDED_FOR")))(request)


FORGED = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_HOST": "mirror.example.org",
          "HTTP_X_FORWARDED_FOR": BOB}


@pytest.mark.parametrize(("proxies", "remote", "expected"), [
    (1, ALICE, (False, "portal.example.org", None)),  # straight to gunicorn: ignored
    (0, PROXY, (False, "portal.example.org", None)),  # no proxy configured: ignored
    (1, PROXY, (True, "mirror.example.org", BOB)),  # through our proxy: honoured
])
def test_forwarded_headers_count_only_from_a_trusted_proxy(settings, proxies, remote, expected):
    settings.PROXY_COUNT = proxies
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.USE_X_FORWARDED_HOST = True  # even then, a client's made-up host is dropped
    settings.ALLOWED_HOSTS = ["portal.example.org", "mirror.example.org"]
    assert seen(remote, **FORGED) == expected


def test_a_client_cannot_make_itself_secure_without_a_proxy(client, settings):
    """With no proxy (the default), X-Forwarded-Proto from anyone changes nothing: the
    HTTPS redirect still happens."""
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")
    assert (response.status_code, response["Location"]) == (301, "https://testserver/healthz")


def test_the_scheme_is_honoured_through_a_trusted_proxy(client, settings):
    settings.PROXY_COUNT = 1
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", REMOTE_ADDR=PROXY,
                      HTTP_X_FORWARDED_PROTO="https").status_code != 301
    assert client.get("/healthz", REMOTE_ADDR=ALICE,
                      HTTP_X_FORWARDED_PROTO="https").status_code == 301
