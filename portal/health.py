"""GET /healthz: is each service the portal depends on reachable?"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.celery import app

logger = logging.getLogger(__name__)


def _check(fn) -> dict:
    started = time.perf_counter()
    try:
        detail = fn()
        ok = True
    except Exception:  # noqa: BLE001 - any failure is reported, never raised
        # The page is public: the details (hosts, users) go to the log, not to the answer.
        logger.exception("health check %s failed", fn.__name__.strip("_"))
        detail, ok = "unavailable", False
    return {"ok": ok, "detail": detail, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _cache() -> str:
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return what was stored")
    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def _broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "none: tasks run in-process"
    with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return conn.transport_cls if isinstance(conn.transport_cls, str) else "redis"


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _check(_database), "cache": _check(_cache), "broker": _check(_broker)}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "failing", "checks": checks},
                        status=200 if healthy else 503)
