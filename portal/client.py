"""Who is asking: the client's address, the same for sign-in lockouts (django-axes,
`AXES_CLIENT_IP_CALLABLE`) and for the throttles of the other forms (django-ratelimit,
`RATELIMIT_IP_META_KEY`). Both settings name this function, so the two can never disagree.

Behind reverse proxies (nginx, a load balancer) every request reaches gunicorn from the
proxy's address: counting by REMOTE_ADDR would put every visitor in one bucket, and one
attacker could lock everybody out. `PROXY_COUNT` says how many proxies we trust in front of
the application; each appends the address it received the request from to
X-Forwarded-For, so the client is the PROXY_COUNT-th address from the right. Anything further
left was written by the client and is never trusted (sending a made-up X-Forwarded-For does
not give anyone a fresh bucket). With PROXY_COUNT 0 (no proxy, the default) the header is
ignored altogether.
"""

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest

# Where a request whose address cannot be read goes (a proxy that sent no usable header, a
# Unix socket with PROXY_COUNT left at 0): one shared bucket, so a broken set-up throttles
# too much rather than not at all.
UNKNOWN = "0.0.0.0"  # noqa: S104 - a bucket name, nothing binds to it


def _valid(candidate: str) -> str | None:
    try:
        return str(ip_address(candidate.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent `request`, as the trusted proxies saw it."""
    proxies = settings.PROXY_COUNT
    if proxies > 0:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                     if part.strip()]
        if len(forwarded) >= proxies:
            address = _valid(forwarded[-proxies])
            if address is not None:
                return address
    return _valid(request.META.get("REMOTE_ADDR") or "") or UNKNOWN
