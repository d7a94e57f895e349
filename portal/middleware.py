"""Middleware of the portal's own."""

from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse


class NullCharacterInURL(SuspiciousOperation):
    """A NUL character in the path or the query string: answered 400 (and logged as
    django.security.NullCharacterInURL)."""


class RefuseNullCharactersInURL:
    """No page of the portal takes a NUL character in its URL, and PostgreSQL refuses one in
    any text it is asked about: a path or a query parameter (an admin list's search or
    filter, which no form validates) holding one would reach a query as a server error.
    Refused here once for every page, before any view reads it. Form fields refuse NUL on
    their own (Django's CharField), with a message beside the field."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
                "\x00" in key or any("\x00" in value for value in values)
                for key, values in request.GET.lists()):
            raise NullCharacterInURL("NUL character in the URL")
        return self.get_response(request)
