"""Caching of the public pages, invalidated by a version number kept in the cache.

Published results do not change, so the public pages (home, /showcase/, an edition's
results, a practice, the exports and the feed) are cached (Redis when REDIS_URL is set,
local memory otherwise). Every key includes the current *showcase version*; bumping the
version makes every cached page stale at once, without having to know which keys exist.

The version is bumped by signal receivers (portal/signals.py, connected in
PortalConfig.ready()) on save or delete of a RankingRun (publish/unpublish is a save of the
run), an Edition (a phase change), and of what the pages show (practices, photos, entries,
areas, criteria, municipalities); a practice, photo or entry only when its practice is
shown publicly (`scoring.selectors.public.practice_shown_publicly`), so drafts saved during an
open call leave the cache alone. The scoring app publishes runs without knowing that the
portal exists: apps depend one way. SHOWCASE_CACHE_SECONDS (default one hour) bounds the
life of a cached page anyway; 0 turns the cache off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

VERSION_KEY = "showcase:version"


def showcase_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY, 1)
    return int(version)


def showcase_bump() -> None:
    """Make every cached public page stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not in the cache yet (or evicted): any new value is a new version
        cache.set(VERSION_KEY, 2, None)


def origin(request) -> str:
    """"https://portal.example.org": the scheme and host of `request`. Every cached value
    holding absolute URLs builds them from this alone and has it in its key, so a request
    for another scheme or host never plants its own in what others are served. The host is
    one of ALLOWED_HOSTS; the scheme is https only through a trusted proxy (see
    portal.client.ForwardedHeadersMiddleware)."""
    return f"{request.scheme}://{request.get_host()}"


def cache_seconds() -> int:
    return settings.SHOWCASE_CACHE_SECONDS


def cached(name: str, parts: tuple, build: Callable[[], Any]) -> Any:
    """`build()`'s value, cached under the current version, language and `parts`."""
    seconds = cache_seconds()
    if seconds <= 0:
        return build()
    raw = "|".join(str(part) for part in parts)
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    key = f"showcase:{showcase_version()}:{get_language()}:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds)
    return value
