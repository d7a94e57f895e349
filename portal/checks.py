"""System checks of the portal's own configuration."""

import re
from ipaddress import ip_network

from django.conf import settings
from django.core import checks

LOCAL_MEMORY = "django.core.cache.backends.locmem.LocMemCache"
# django-ratelimit's rates: a count, "/", an optional multiplier (not zero) and s, m, h or d
RATE = re.compile(r"\d+/([1-9]\d*)?[smhd]")


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
def workers_share_one_cache(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """The cache holds the public pages and the throttles' counts: in local memory each
    gunicorn worker keeps its own, so a run unpublished on one worker is still served by the
    others (for up to an hour) and every limit is multiplied by the number of workers. The
    embedded mode (DEBUG on, one process) may; a deployment must not (django-ratelimit's own
    E003 is silenced for the embedded mode in settings, this check takes over for
    `check --deploy`)."""
    backend = settings.CACHES[settings.RATELIMIT_USE_CACHE]["BACKEND"]
    if backend != LOCAL_MEMORY:
        return []
    problem = ("The cache is in local memory: each process caches the public pages and counts "
               "the sign-in, registration and password throttles on its own, so with several "
               "workers an unpublished ranking run stays visible on the others for up to an "
               "hour and every limit is multiplied by the number of workers.")
    hint = "Set REDIS_URL so that every worker shares one cache."
    if settings.DEBUG:
        return [checks.Warning(problem, hint=hint, id="portal.W001")]
    return [checks.Error(problem, hint=hint, id="portal.E003")]


@checks.register(deploy=True)
def ranking_runs_have_a_worker(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Without a broker Celery tasks run in-process: a ranking run then executes inside the
    organiser's web request, which gunicorn kills after its timeout (60 s)."""
    if settings.DEBUG or settings.CELERY_BROKER_URL:
        return []
    return [checks.Warning(
        "CELERY_BROKER_URL is not set: ranking runs and e-mails execute inside the web "
        "request that starts them, and gunicorn kills a request after its timeout (60 s), "
        "long before a large ranking run ends.",
        hint="Set CELERY_BROKER_URL (e.g. redis://redis:6379/0) and run a Celery worker "
             "(`celery -A portal worker`).", id="portal.W003")]


@checks.register()
def trusted_proxies_are_networks(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """A mistyped TRUSTED_PROXIES entry would make every request a server error."""
    errors = []
    for network in settings.TRUSTED_PROXIES:
        try:
            ip_network(network, strict=False)
        except ValueError:
            errors.append(checks.Error(
                f"TRUSTED_PROXIES holds {network!r}, which is not a network.",
                hint='Write addresses or networks, comma-separated: "10.0.0.0/8,::1".',
                id="portal.E002"))
    return errors


@checks.register(checks.Tags.security, deploy=True)
def clients_are_told_apart_behind_tls(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """HTTPS=1 means TLS, usually ended by a reverse proxy in front of gunicorn; with
    PROXY_COUNT 0 every request then comes from the proxy's address, and the sign-in
    throttle and lockouts count all clients as one."""
    if not settings.HTTPS or settings.PROXY_COUNT > 0:
        return []
    return [checks.Warning(
        "HTTPS is on but PROXY_COUNT is 0: behind a TLS proxy every client has the proxy's "
        "address, and one client's failed sign-ins lock out everybody.",
        hint="Set PROXY_COUNT to the number of reverse proxies in front of gunicorn (and "
             "TRUSTED_PROXIES to their networks); if gunicorn itself ends TLS, silence "
             "portal.W002.", id="portal.W002")]
