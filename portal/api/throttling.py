"""How often one client may call the open-data API: THROTTLE_API_PER_ADDRESS requests per
period, in the notation of the other THROTTLE_* settings ("120/m", "1000/h", "50/10s";
checked at start by portal.E001), counted by DRF's throttle in the cache per
client (`portal.client.client_network`: the address the sign-in lockouts and the form
throttles use, so proxies are trusted the same way everywhere; IPv6 by /64 as the forms'
throttles count it). Over the limit DRF
answers 429 with a Retry-After header and a `{"detail": ...}` body, documented in the
schema (portal/api/schema.py)."""

import logging

from django.conf import settings
from redis.exceptions import RedisError
from rest_framework.throttling import SimpleRateThrottle

from portal.client import client_network

logger = logging.getLogger(__name__)
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class OpenDataThrottle(SimpleRateThrottle):
    scope = "open_data"

    def get_rate(self) -> str:
        """Read at request time, like the other throttles' rates."""
        return settings.THROTTLE_API_PER_ADDRESS

    def parse_rate(self, rate: str) -> tuple[int, int]:
        """ "N/period" -> (N, seconds): "120/m" -> (120, 60), "30/10m" -> (30, 600)."""
        count, period = rate.split("/")
        return int(count), int(period[:-1] or 1) * SECONDS[period[-1]]

    def get_ident(self, request) -> str:
        return client_network(request)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view) -> bool:
        """A cache that cannot count lets the call through (the data are public and the
        pages are cached); /healthz reports the cache."""
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError):
            logger.warning("API throttle not counted: the cache is unreachable.",
                           exc_info=True)
            return True
