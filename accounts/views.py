import datetime as dt
import math

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language
from rules.contrib.views import permission_required

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


def language_switch(request: HttpRequest) -> HttpResponse:
    """Django's language switcher (a GET only redirects; a POST sets the language), which
    also remembers a signed-in person's choice (the language of their e-mails)."""
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
