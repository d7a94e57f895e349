import datetime as dt
import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language
from rules.contrib.views import permission_required

from competitions.selectors import editions_closing_soon

from . import services
from .backends import SIGN_IN_BACKEND
from .enums import OfficerStatus
from .forms import OfficerRegistrationForm, OutboxFilterForm, SignInUnlockForm
from .models import User
from .selectors import lockout_policy, lockouts_current, outbox_emails
from .throttle import ADDRESS, per_address, throttle


@throttle("register", per_address("THROTTLE_REGISTER_PER_ADDRESS"))
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = OfficerRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.officer_register(
                username=data["username"], email=data["email"], password=data["password1"],
                first_name=data["first_name"], last_name=data["last_name"],
                municipality=data["municipality"], notice=form.notice,
                position=data.get("position", ""), phone=data.get("phone", ""))
        except ValidationError as error:  # taken by a registration sent at the same moment
            form.add_error(None, error)
            return render(request, "accounts/register.html", {"form": form})
        login(request, user, backend=SIGN_IN_BACKEND)
        messages.success(request, _("Thank you. An organiser will check your request; "
                                    "you will get an e-mail when it is approved."))
        return redirect("dashboard")
    return render(request, "accounts/register.html", {"form": form})


@require_POST
@permission_required("accounts.approve_officer", raise_exception=True)
def officer_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    officer = get_object_or_404(User, pk=pk, officer_status__in=OfficerStatus.decidable)
    approve = decision == "approve"
    try:
        services.officer_decide(officer=officer, by=request.user, approve=approve)
    except ValidationError as error:  # decided by someone else a moment ago
        messages.error(request, " ".join(error.messages))
        return redirect("organiser_dashboard")
    if approve:
        messages.success(request, _("%(name)s can now act for %(municipality)s.")
                         % {"name": officer.get_full_name() or officer.username,
                            "municipality": officer.municipality})
    else:
        messages.info(request, _("The request of %(name)s was rejected.")
                      % {"name": officer.get_full_name() or officer.username})
    return redirect("organiser_dashboard")


def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent to the OLD address: opening it shows the change, its button applies it.
    Holding the old mailbox is the proof; no sign-in needed."""
    try:
        change = services.user_email_change_from_token(token)
    except services.EmailChangeError:
        return render(request, "accounts/email_change_confirm.html", {"change": None},
                      status=404)
    if request.method == "POST":
        try:
            services.user_email_change_confirm(change=change)
        except services.EmailChangeError:
            return render(request, "accounts/email_change_confirm.html", {"change": None},
                          status=404)
        messages.success(request, _("Your e-mail address is now %(email)s.")
                         % {"email": change.new_email})
        return redirect("dashboard" if request.user.is_authenticated else "login")
    return render(request, "accounts/email_change_confirm.html", {"change": change})


def throttled(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """settings.RATELIMIT_VIEW: a form sent too often. Says what happened and when to try
    again (429, with Retry-After); the form was not processed."""
    throttle_ = getattr(request, "throttle", None)
    reasons = throttle_.reasons if throttle_ else (ADDRESS,)
    seconds = throttle_.retry_after if throttle_ else 60
    response = render(request, "429.html", {
        "reasons": reasons, "minutes": math.ceil(seconds / 60),
        "until": timezone.now() + dt.timedelta(seconds=seconds)}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _lockouts_page(request: HttpRequest, form: SignInUnlockForm, status: int = 200):
    limit, cool_off = lockout_policy()
    return render(request, "accounts/organiser/lockouts.html", {
        "lockouts": lockouts_current(), "form": form, "failure_limit": limit,
        "cool_off": cool_off},
        status=status)


@login_required
@permission_required("accounts.unlock_sign_in", raise_exception=True)
def lockout_list(request: HttpRequest) -> HttpResponse:
    """The organiser's list of sign-in lockouts in force, each with an Unlock button."""
    return _lockouts_page(request, SignInUnlockForm())


@require_POST
@login_required
@permission_required("accounts.unlock_sign_in", raise_exception=True)
def lockout_unlock(request: HttpRequest) -> HttpResponse:
    form = SignInUnlockForm(request.POST)
    if not form.is_valid():
        return _lockouts_page(request, form, status=400)
    data = form.cleaned_data
    failures = services.sign_in_unlock(username=data["username"],
                                       ip_address=data["ip_address"], by=request.user)
    names = {"username": data["username"], "address": data["ip_address"]}
    if failures:
        messages.success(request, ngettext(
            "%(username)s can sign in again from %(address)s (%(count)d failed sign-in "
            "forgotten).",
            "%(username)s can sign in again from %(address)s (%(count)d failed sign-ins "
            "forgotten).", failures) % {**names, "count": failures})
    else:
        messages.info(request, _("%(username)s was no longer locked out from %(address)s.")
                      % names)
    return redirect("organiser_lockouts")


class SignInView(LoginView):
    """Django's sign-in, which also tells officers, in the last days before a deadline, to
    sign in and submit early (competitions.selectors.editions_closing_soon)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["closing_soon"] = list(editions_closing_soon())
        return context


def _language_cookie_set(request: HttpRequest) -> HttpResponse:
    """The GET switcher: only the visitor's own language cookie changes, then back to
    `next` (a page of this site, else the home page)."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    language = request.GET.get("language", "")
    if check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    add_never_cache_headers(response)
    return response


def language_switch(request: HttpRequest) -> HttpResponse:
    """The language switcher. A POST (the signed-in navigation's form, with its CSRF token)
    is Django's set_language, which also remembers a signed-in person's choice (the
    language of their e-mails). A GET with `language` (the anonymous navigation's form)
    sets the language cookie only: that form needs no CSRF token, so an anonymous public
    page sets no cookie at all and a shared cache can keep it (portal.cache.public_page).
    A GET without `language` only redirects, as Django's does."""
    if request.method == "GET" and "language" in request.GET:
        return _language_cookie_set(request)
    response = set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        services.user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response


OUTBOX_PAGE_SIZE = 50


@require_GET
@login_required
@permission_required("accounts.view_outboxemail", raise_exception=True)
def outbox(request: HttpRequest) -> HttpResponse:
    """The organisers' outbox: every e-mail the portal sent or tried to send, newest first,
    filtered by kind, status and recipient, 50 a page."""
    form = OutboxFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    page = Paginator(outbox_emails(**filters), OUTBOX_PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "accounts/organiser/outbox.html", {
        "form": form if request.GET else OutboxFilterForm(), "page": page})
