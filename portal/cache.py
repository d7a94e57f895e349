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
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
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


# --- the open-data files' tokens (portal/showcase/export_files.py) -----------------------
# An export file is kept under a stamp made of random tokens kept in the cache: the epoch
# (whatever every edition's exports read: municipalities, topics, a release, a delete) and
# one per edition (what that edition's rows read: its run, set-up, entries, practices and
# their topics and adoptions). A token is renewed, never counted: one evicted or a cache
# emptied comes back as a new random token, so no file of before is ever found again.
EXPORTS_EPOCH_KEY = "showcase:exports-epoch"


def exports_edition_key(edition_id: int) -> str:
    return f"showcase:exports-edition:{int(edition_id)}"


def _new_token() -> str:
    return uuid.uuid4().hex[:12]


def exports_tokens(*keys: str) -> list[str]:
    """The tokens under `keys` (one cache read), each made when missing."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, _new_token(), None)
            found[key] = cache.get(key) or _new_token()
    return [found[key] for key in keys]


def exports_epoch_renew() -> None:
    """Make every export file stale (the bulk download and every edition's)."""
    cache.set(EXPORTS_EPOCH_KEY, _new_token(), None)


def exports_editions_renew(edition_ids) -> None:
    """Make the export files of these editions stale (and only theirs)."""
    cache.set_many({exports_edition_key(pk): _new_token() for pk in set(edition_ids)}, None)


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


# --- HTTP caching: what a reverse proxy (deploy/nginx.conf) or a browser may keep ---------

# Cookies that make a page someone's own: a session (signed in: the navigation names the
# person) and a message waiting to be shown once (django.contrib.messages' cookie storage
# names its cookie "messages"). Without them, a public page is the same for every visitor
# who asks for it in the same language.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def page_is_shared(request: HttpRequest) -> bool:
    """Whether `request` gets the page every anonymous visitor of its language gets (so a
    shared cache may keep it): no session, no pending message."""
    return not any(name in request.COOKIES for name in PERSONAL_COOKIES)


def public_etag(request: HttpRequest) -> str:
    """The public page's validator: the showcase version (bumped by whatever changes a
    public page, and by every migration, i.e. every release), the language, the origin
    and the path with its query. Computed from one cache read, before anything renders."""
    raw = f"{showcase_version()}|{get_language()}|{origin(request)}|{request.get_full_path()}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f'"{digest}"'


def public_page(*, params: tuple[str, ...] = ()):
    """HTTP caching of a public page (home, the showcase, an edition's results, a practice);
    `params` are the query parameters the page reads.

    For an anonymous visitor (`page_is_shared`): `Cache-Control: public, max-age=0,
    s-maxage=PUBLIC_PROXY_SECONDS` and an ETag of the showcase version, so a reverse proxy
    serves the page for those seconds and then revalidates, and a browser revalidates each
    time; a request whose If-None-Match holds the current ETag gets 304 without rendering.
    `Vary: Accept-Language, Cookie`: the page differs by language, and by whether someone
    is signed in. The whole page is kept in the cache under its ETag too, so that a request
    that comes around the proxy costs two cache reads rather than a render of the shell;
    only when every query parameter is one the page reads (a made-up `?x=1` is served,
    never stored). Anyone with a session or a pending message gets `private, no-cache`
    and a page rendered for them. Only a 200 is cacheable: a 404 (a result not published)
    is never kept."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not page_is_shared(request):
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True, no_cache=True)
                patch_vary_headers(response, ("Cookie",))
                return response
            etag = public_etag(request)
            storable = cache_seconds() > 0 and set(request.GET) <= set(params)
            page_key = f"showcase:page:{etag.strip(chr(34))}"
            if etag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
                response = HttpResponseNotModified()
            elif storable and (kept := cache.get(page_key)) is not None:
                response = HttpResponse(kept[0], content_type=kept[1])
            else:
                response = view(request, *args, **kwargs)
                if response.status_code != 200:
                    return response
                if storable and not response.streaming:
                    cache.set(page_key, (response.content, response["Content-Type"]),
                              cache_seconds())
            response["ETag"] = etag
            seconds = settings.PUBLIC_PROXY_SECONDS
            if seconds > 0:
                patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
            else:
                patch_cache_control(response, no_cache=True)
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            return response

        return wrapper

    return decorator
