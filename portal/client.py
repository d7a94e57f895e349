"""Who is asking: the client's address, the same for sign-in lockouts (django-axes,
`AXES_CLIENT_IP_CALLABLE`), for the throttles of the other forms (django-ratelimit,
`RATELIMIT_IP_META_KEY`) and for the API's throttle. All name this function, so they can
never disagree.

Behind reverse proxies (nginx, a load balancer) every request reaches gunicorn from the
proxy's address: counting by REMOTE_ADDR would put every visitor in one bucket, and one
attacker could lock everybody out. Each proxy appends the address it received the request
from to X-Forwarded-For. We walk that header from the right, one hop per proxy, at most
`PROXY_COUNT` hops, and only while the address we stand at is one of our proxies
(`TRUSTED_PROXIES`, networks): the first address that is not one of ours is the client.
So a client that reaches gunicorn directly, not through our proxy, is its own peer address
whatever X-Forwarded-For it writes, and what a client writes further left is never read.
With PROXY_COUNT 0 (no proxy, the default) the header is ignored altogether.
"""

import datetime as dt
import math
from functools import lru_cache
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

# Where a request whose address cannot be read goes (a Unix socket with PROXY_COUNT left at
# 0): one shared bucket, so a broken set-up throttles too much rather than not at all.
UNKNOWN = "0.0.0.0"  # noqa: S104 - a bucket name, nothing binds to it


def _parsed(candidate: str) -> IPv4Address | IPv6Address | None:
    """The address, an IPv4 client seen through an IPv6 socket (::ffff:192.0.2.1) as the
    IPv4 address it is; None if it is not an address."""
    try:
        address = ip_address(candidate.strip())
    except ValueError:
        return None
    if isinstance(address, IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]):
    return tuple(ip_network(network, strict=False) for network in trusted)


def is_trusted_proxy(address: IPv4Address | IPv6Address) -> bool:
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent `request`, as our own proxies saw it."""
    address = _parsed(request.META.get("REMOTE_ADDR") or "")
    if address is None:
        return UNKNOWN
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if hop.strip()]
    for _proxy in range(settings.PROXY_COUNT):
        if not hops or not is_trusted_proxy(address):
            break
        forwarded_by = _parsed(hops.pop())
        if forwarded_by is None:  # a proxy of ours wrote nonsense: stay at that proxy
            break
        address = forwarded_by
    return str(address)


def client_network(request: HttpRequest) -> str:
    """What a throttle counts: an IPv6 client by its network (/64, one subscriber's usual
    allocation, RATELIMIT_IPV6_MASK), as django-ratelimit counts the forms' throttles, so
    that an address per request from one allocation is still one client; IPv4 by itself."""
    address = ip_address(client_address(request))
    if address.version == 6:
        mask = settings.RATELIMIT_IPV6_MASK
        return str(ip_network(f"{address}/{mask}", strict=False).network_address)
    return str(address)


# Headers only a proxy of ours may set: the scheme and host the client used, its address,
# and when the request reached the proxy (X-Request-Start, see request_arrival).
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT",
                     "HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REQUEST_START")


def from_trusted_proxy(request: HttpRequest) -> bool:
    """Whether `request` reached us from one of our proxies (PROXY_COUNT above 0 and its
    peer address in TRUSTED_PROXIES): only then do the forwarded headers mean anything."""
    if settings.PROXY_COUNT <= 0:
        return False
    address = _parsed(request.META.get("REMOTE_ADDR") or "")
    return address is not None and is_trusted_proxy(address)


def _request_start(raw: str) -> float | None:
    """Seconds since the epoch from an X-Request-Start value: `t=1767225600.123` (nginx's
    `t=${msec}`, seconds with milliseconds) or the same count in milliseconds or
    microseconds (`t=1767225600123456`, as other proxies write it), with or without `t=`."""
    value = raw.strip()
    if value.startswith("t="):
        value = value[2:]
    try:
        stamp = float(value)
    except ValueError:
        return None
    if not math.isfinite(stamp) or stamp <= 0:
        return None
    if stamp > 1e14:  # microseconds
        return stamp / 1e6
    if stamp > 1e11:  # milliseconds
        return stamp / 1e3
    return stamp


def request_arrival(request: HttpRequest, *, now: dt.datetime | None = None) -> dt.datetime:
    """When `request` reached the server: what decides whether a submission or a jury sheet
    beat its deadline, so that a request queued behind others at the last moment (a deadline
    rush, every worker busy hashing passwords) counts from when it was sent, not from when a
    worker got to it.

    The time our reverse proxy wrote in X-Request-Start, read only when the request came
    from one of our proxies (`from_trusted_proxy`: PROXY_COUNT above 0 and the peer in
    TRUSTED_PROXIES); otherwise, or when the header is missing or unreadable, `now` (the
    time the worker took the request). The proxy's time is bounded: never later than `now`,
    and never more than REQUEST_ARRIVAL_MAX_AGE seconds (default 60, nginx's
    proxy_read_timeout) before it; an older stamp counts as that bound. A proxy whose clock
    is wrong, or a request held longer than the proxy itself waits, cannot move a deadline
    further."""
    now = now or timezone.now()
    if not from_trusted_proxy(request):
        return now
    stamp = _request_start(request.META.get("HTTP_X_REQUEST_START", ""))
    if stamp is None:
        return now
    try:
        arrived = dt.datetime.fromtimestamp(stamp, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return now
    earliest = now - dt.timedelta(seconds=settings.REQUEST_ARRIVAL_MAX_AGE)
    return min(now, max(arrived, earliest))


class ForwardedHeadersMiddleware:
    """Drops X-Forwarded-Proto/-Host/-Port/-For and Forwarded from a request that did not
    come through one of our proxies, before anything reads them: a client could otherwise
    make itself "secure" (SECURE_PROXY_SSL_HEADER), change the scheme of the absolute URLs
    of cached public pages for everyone, or make up its address (or when it arrived). First
    in MIDDLEWARE, so it also notes `request.arrived_at` (`request_arrival`), the time the
    views hand to the services that enforce deadlines."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if not from_trusted_proxy(request):
            for name in FORWARDED_HEADERS:
                request.META.pop(name, None)
        request.arrived_at = request_arrival(request)
        return self.get_response(request)
