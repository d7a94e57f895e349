"""System checks of the portal's own configuration."""

import re

from django.conf import settings
from django.core import checks

LOCAL_MEMORY = "django.core.cache.backends.locmem.LocMemCache"
# django-ratelimit's rates: a count, "/", an optional multiplier and s, m, h or d
RATE = re.compile(r"\d+/\d*[smhd]")


@checks.register()
def throttle_rates_are_readable(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """A mistyped THROTTLE_* variable would make its form a server error on every POST:
    refuse to start instead."""
    return [checks.Error(f"{name} = {getattr(settings, name)!r} is not a rate.",
                         hint='Write "N/period", period s, m, h or d: "10/h", "30/10m".',
                         id="portal.E001")
            for name in sorted(set(dir(settings))) if name.startswith("THROTTLE_")
            and not RATE.fullmatch(str(getattr(settings, name)))]


@checks.register(checks.Tags.caches, deploy=True)
def throttles_share_one_count(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """The throttles count in the cache: in local memory each gunicorn worker would count on
    its own, multiplying every limit by the number of workers. The embedded mode (one
    process) may; a deployment must not (django-ratelimit's own E003 is silenced for the
    embedded mode in settings, this check takes over for `check --deploy`)."""
    backend = settings.CACHES[settings.RATELIMIT_USE_CACHE]["BACKEND"]
    if backend != LOCAL_MEMORY:
        return []
    return [checks.Warning(
        "The throttles of the sign-in, registration and password forms count in a "
        "local-memory cache: each process counts on its own.",
        hint="Set REDIS_URL so that every worker shares one count.", id="portal.W001")]
