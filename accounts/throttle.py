"""Throttles of the forms anyone can send without signing in: asking for a new password,
setting it from the e-mailed link, registering as an officer, accepting a jury invitation
and signing in (on top of django-axes' lockout of one user name from one address).

django-ratelimit counts the POSTs in the cache (Redis in production, local memory in the
embedded mode) in fixed windows; the client's address is `portal.client.client_address`
(settings.RATELIMIT_IP_META_KEY), the one django-axes uses too. Each limit's rate is a
setting read at request time ("N/period", see settings.THROTTLE_*). Over a limit the view
is not called: django-ratelimit's middleware answers with settings.RATELIMIT_VIEW
(`accounts.views.throttled`, a 429 page saying what happened and when to try again).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

ADDRESS = _("This form was sent too many times from your address.")
EMAIL = _("A new password was asked for this e-mail address too many times. If a link was "
          "sent, it stays valid: look in your mailbox, and in its spam folder.")


def email_asked_for(group: str, request: HttpRequest) -> str:
    """The e-mail address a password reset asks for, as the form looks it up (ignoring
    case): every spelling of one address shares one count, whether an account has it or
    not, so the limit reveals nothing about which addresses exist."""
    return request.POST.get("email", "").strip().casefold()


@dataclass(frozen=True)
class Limit:
    name: str  # names the count, with the view's group
    rate_setting: str  # the setting holding the rate, "N/period"
    key: str | Callable[[str, HttpRequest], str]  # django-ratelimit's key
    reason: object  # what the 429 page says happened


def per_address(rate_setting: str) -> Limit:
    return Limit("address", rate_setting, "ip", ADDRESS)


def per_email(rate_setting: str) -> Limit:
    return Limit("email", rate_setting, email_asked_for, EMAIL)


@dataclass(frozen=True)
class Throttled:
    """Why a request was refused and in how many seconds the longest of its limits ends;
    set on the request for the 429 page."""

    reasons: tuple
    retry_after: int


def _usage(request: HttpRequest, group: str, limit: Limit) -> dict | None:
    """Count this request against `limit`. A cache that cannot count (Redis unreachable) lets
    the request through, like settings.RATELIMIT_FAIL_OPEN for a cache that answers nothing:
    sign-in still has django-axes (in the database), and /healthz reports the cache."""
    try:
        return get_usage(request, group=f"{group}:{limit.name}", key=limit.key,
                         rate=getattr(settings, limit.rate_setting), method="POST",
                         increment=True)
    except (RedisError, OSError):
        logger.warning("Throttle %s:%s not counted: the cache is unreachable.", group,
                       limit.name, exc_info=True)
        return None


def throttle(group: str, *limits: Limit):
    """Count every POST to the view against each limit; over any of them, refuse it with the
    429 page instead of calling the view (GETs are never counted)."""

    def decorator(view):
        @wraps(view)
        def throttled_view(request: HttpRequest, *args, **kwargs):
            if request.method == "POST":
                hit = []
                for limit in limits:
                    usage = _usage(request, group, limit)
                    if usage is not None and usage["should_limit"]:
                        hit.append((limit, usage))
                if hit:
                    request.throttle = Throttled(
                        reasons=tuple(limit.reason for limit, _counted in hit),
                        retry_after=max(max(counted["time_left"], 1) for _limit, counted in hit))
                    raise Ratelimited
            return view(request, *args, **kwargs)

        return throttled_view

    return decorator


PERSON = _("Too many codes were tried for this account.")


def per_user(rate_setting: str) -> Limit:
    """One count per signed-in person (django-ratelimit's "user" key), wherever they are."""
    return Limit("user", rate_setting, "user", PERSON)
