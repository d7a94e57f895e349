"""The one place the second factor is enforced (the rule: accounts.rules.second_factor_required).

A signed-in session that owes its second factor (accounts.second_factor.second_factor_pending)
reaches no page but the second-factor pages themselves, signing out and the language
switch: every other page, the organiser's pages and the admin included, sends it to the
code (or, for an organiser without an authenticator yet, to setting one up), and back to the
page asked for afterwards. Deny by default, so that a new organiser page needs no
decorator to be covered. Runs after django-otp's OTPMiddleware (request.user.is_verified).
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .rules import second_factor_required
from .second_factor import SESSION_REQUIRED, authenticator_of, second_factor_pending

# What a session that owes its second factor may still reach (URL names).
OPEN_BEFORE_SECOND_FACTOR = frozenset({
    "second_factor_verify", "second_factor_enrol", "logout", "admin:logout", "set_language",
})


class SecondFactorRequired:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if not second_factor_pending(request):
            return None
        if authenticator_of(request.user) is None:
            if not second_factor_required(request.user):
                # an officer or a juror whose second factor was reset: no longer owed
                request.session[SESSION_REQUIRED] = False
                return None
            target = "second_factor_enrol"
        else:
            target = "second_factor_verify"
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(target)}?{query}")
