"""The demo walk: after `load_demo`, every demo account (and an anonymous visitor) follows
every same-site link reachable from its dashboard and from the public pages, in English and
in Bulgarian, and no answer is a server error.

The walk is a breadth-first crawl of `<a href>` links (and of each GET form, sent once with
empty fields), GET only. It is bounded so that it stays fast on SQLite while still reaching
every kind of page: at most MAX_PER_ROUTE distinct paths per URL pattern, MAX_QUERIES per path
(query-string variations), MAX_PAGES per account and language. The Django admin is walked only
through its index, its app indexes, its changelists and one change page per model (the rest
of it is huge and has its own matrix in tests/security/test_admin_matrix.py); sign-out is
never followed.
"""

from __future__ import annotations

import traceback
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from accounts.models import User

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "demo-pass-2016"
ACCOUNTS = ("organiser", "officer", "officer2", "juror", "juror2")
LANGUAGES = ("en", "bg")
PUBLIC_STARTS = ("/", "/showcase/", "/api/v1/")
MAX_PAGES = 350  # per account and language
MAX_PER_ROUTE = 8  # distinct paths per URL pattern (e.g. 8 practices of /practices/<pk>/)
MAX_QUERIES = 2  # query-string variations per path (the bare path counts as one)
SAME_SITE = {"", "testserver", "localhost", "127.0.0.1"}
NEVER = ("/accounts/logout/", "/static/", "/i18n/")


class Links(HTMLParser):
    """The `<a href>` targets of a page, and its GET forms sent with empty fields."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.forms: list[str] = []
        self._form: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"])
        elif tag == "form" and (attributes.get("method") or "get").lower() == "get":
            self._form = (attributes.get("action") or "", [])
        elif tag in ("input", "select", "textarea") and self._form is not None:
            name, kind = attributes.get("name"), (attributes.get("type") or "").lower()
            if name and kind not in ("submit", "button", "image", "reset", "file"):
                self._form[1].append(name)

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            action, names = self._form
            query = urlencode([(name, "") for name in dict.fromkeys(names)])
            self.forms.append(f"{action.split('?', 1)[0] or '.'}?{query}" if query else action)
            self._form = None


@dataclass
class Walk:
    role: str
    language: str
    statuses: dict[str, int] = field(default_factory=dict)  # url -> status
    failures: list[str] = field(default_factory=list)
    languages: Counter = field(default_factory=Counter)  # Content-Language of HTML pages


def _route(path: str) -> str:
    try:
        return resolve(path).route
    except Resolver404:
        return path


def _admin_allowed(path: str, query: str, change_pages: set[str]) -> bool:
    """The admin's index, app indexes, bare changelists, and one change page per model."""
    parts = [part for part in path.split("/") if part]  # ["admin", app, model, pk, "change"]
    if query or (len(parts) > 1 and parts[1] in ("login", "logout", "password_change",
                                                 "jsi18n", "r")):
        return False
    if len(parts) <= 3:
        return True
    if len(parts) == 5 and parts[4] == "change" and parts[3].isdigit():
        model = "/".join(parts[1:3])
        if model not in change_pages:
            change_pages.add(model)
            return True
    return False


def where_it_broke(response) -> str:
    """The exception and the last frame of the project's own code it went through."""
    exc_info = getattr(response, "exc_info", None)
    if not exc_info:
        return ""
    _kind, error, trace = exc_info
    frames = [frame for frame in traceback.extract_tb(trace)
              if "site-packages" not in frame.filename]
    where = (f" at {Path(frames[-1].filename).relative_to(settings.BASE_DIR)}:"
             f"{frames[-1].lineno} ({frames[-1].name})") if frames else ""
    return f": {type(error).__name__}: {error}{where}"


class Frontier:
    """The pages still to visit: same site, never NEVER, the admin only where allowed, at
    most MAX_PER_ROUTE paths per route and MAX_QUERIES queries per path."""

    def __init__(self, starts: tuple[str, ...]):
        self.queue: deque[str] = deque(starts)
        self.seen: set[str] = set(starts)
        self.per_route: dict[str, set[str]] = {}
        self.per_path: dict[str, set[str]] = {}
        self.change_pages: set[str] = set()

    def admit(self, url: str, *, form: bool = False) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("", "http", "https") or parts.netloc not in SAME_SITE:
            return
        path, query = parts.path or "/", parts.query
        target = f"{path}?{query}" if query else path
        if target in self.seen or path.startswith(NEVER):
            return
        if path.startswith("/admin/") and not _admin_allowed(path, query, self.change_pages):
            return
        routes = self.per_route.setdefault(_route(path), set())
        queries = self.per_path.setdefault(path, set())
        if path not in routes and len(routes) >= MAX_PER_ROUTE:
            return
        # A GET form sent with empty fields is asked once, beyond the query budget.
        if query not in queries and len(queries) >= MAX_QUERIES and not form:
            return
        routes.add(path)
        queries.add(query)
        self.seen.add(target)
        self.queue.append(target)


def walk(client: Client, *, role: str, language: str, starts: tuple[str, ...]) -> Walk:
    result = Walk(role=role, language=language)
    frontier = Frontier(starts)
    while frontier.queue and len(result.statuses) < MAX_PAGES:
        url = frontier.queue.popleft()
        response = client.get(url)
        result.statuses[url] = response.status_code
        if response.status_code >= 500:
            result.failures.append(f"{role} [{language}] GET {url} -> {response.status_code}"
                                   f"{where_it_broke(response)}")
        if response.status_code in (301, 302, 303, 307, 308):
            frontier.admit(urljoin(url, response["Location"]))
            continue
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        result.languages[response.get("Content-Language", "")] += 1
        links = Links()
        links.feed(response.content.decode("utf-8", "replace"))
        for href in links.hrefs:
            frontier.admit(urljoin(url, href.split("#", 1)[0]))
        for form in links.forms:
            frontier.admit(urljoin(url, form), form=True)
    return result


def client_for(username: str | None, language: str) -> Client:
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if username is not None:
        client.force_login(User.objects.get(username=username),
                           backend="accounts.backends.EmailOrUserNameBackend")
    return client


def test_demo_walk_every_reachable_page_answers_without_a_server_error():
    call_command("load_demo", "--force")
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    # The accounts sign in with the README's password (the walk then reuses the session).
    signed_in = [name for name in ACCOUNTS if authenticate(
        RequestFactory().post("/accounts/login/"), username=name,
        password=DEMO_PASSWORD) is not None]
    assert signed_in == list(ACCOUNTS)

    walks = []
    for role in (None, *ACCOUNTS):
        for language in LANGUAGES:
            starts = (("/dashboard/",) if role else ()) + PUBLIC_STARTS
            walks.append(walk(client_for(role, language), role=role or "anonymous",
                              language=language, starts=starts))

    failures = [failure for result in walks for failure in result.failures]
    figures = "\n".join(
        f"  {result.role:<10} {result.language}: {len(result.statuses)} pages, "
        f"statuses {dict(sorted(Counter(result.statuses.values()).items()))}"
        for result in walks)
    print(f"\n[demo walk]\n{figures}")  # noqa: T201 - the figures for the report
    assert failures == [], f"{len(failures)} server errors:\n" + "\n".join(failures)


def test_demo_walk_reaches_every_dashboard_in_both_languages():
    """The control of the walk above: each account lands on its own dashboard, the pages
    speak the language asked for, and the walk goes well beyond the start pages."""
    call_command("load_demo", "--force")
    landing = {"organiser": "/organiser/", "officer": "/officer/", "officer2": "/officer/",
               "juror": "/jury/", "juror2": "/jury/"}
    reached = {}
    for role in landing:
        for language in LANGUAGES:
            client = client_for(role, language)
            response = client.get("/dashboard/")
            page = client.get(response["Location"])
            reached[(role, language)] = (response["Location"], page.status_code,
                                         page["Content-Language"])
    assert reached == {(role, language): (dashboard, 200, language)
                       for role, dashboard in landing.items() for language in LANGUAGES}
