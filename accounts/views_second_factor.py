"""The two-factor pages: the code after the password, setting up an authenticator app, one's
own settings, and the organisers' list where they reset another person's second factor.
Who must pass it is decided and enforced elsewhere (accounts.rules, accounts.middleware)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from rules.contrib.views import permission_required

from competitions.rules import is_organiser

from . import second_factor as sf
from .forms import SecondFactorCodeForm
from .models import User
from .throttle import per_address, per_user, throttle

_throttled = throttle("second_factor", per_user("THROTTLE_SECOND_FACTOR_PER_USER"),
                      per_address("THROTTLE_SECOND_FACTOR_PER_ADDRESS"))


def _next(request: HttpRequest) -> str:
    """Where to go once the code is accepted: the page asked for, if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse("dashboard")


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next(request)})}"


def _codes_page(request: HttpRequest, codes: list[str], *, next_url: str) -> HttpResponse:
    """The recovery codes, shown this once (never stored in the clear anywhere we show)."""
    return render(request, "accounts/second_factor/recovery_codes.html",
                  {"codes": codes, "next": next_url})


@login_required
@_throttled
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    """After the password: a code of the authenticator app, or a recovery code."""
    if not sf.second_factor_pending(request):
        return redirect(_next(request))
    if sf.authenticator_of(request.user) is None:
        return redirect(_with_next("second_factor_enrol", request))
    form = SecondFactorCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        device = sf.second_factor_verify(user=request.user, token=form.cleaned_data["code"])
        if device is not None:
            sf.second_factor_sign_in(request, device)
            if device.persistent_id.startswith("otp_static"):
                left = sf.recovery_codes_left(request.user)
                messages.warning(request, ngettext(
                    "You used a recovery code; %(count)d is left. If you lost your "
                    "authenticator app, set up a new one now.",
                    "You used a recovery code; %(count)d are left. If you lost your "
                    "authenticator app, set up a new one now.", left) % {"count": left})
            return redirect(_next(request))
        form.add_error("code", _("This code is not right, or it was used already. Wait for "
                                 "the next code of your app and try again."))
    if request.method == "POST":
        status = 400
    return render(request, "accounts/second_factor/verify.html",
                  {"form": form, "next": _next(request)}, status=status)


@login_required
@_throttled
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: a QR code and the secret as text, confirmed with a code;
    then the recovery codes, once. Replacing one needs the session to have passed it."""
    user = request.user
    if sf.authenticator_of(user) is not None and not user.is_verified():
        return redirect(_with_next("second_factor_verify", request))
    key = request.session.get(sf.SESSION_ENROLMENT)
    if not key:
        key = request.session[sf.SESSION_ENROLMENT] = sf.second_factor_key_new()
    form = SecondFactorCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        enrolled = sf.second_factor_enrol(user=user, key=key, token=form.cleaned_data["code"])
        if enrolled is not None:
            codes, device = enrolled
            sf.second_factor_sign_in(request, device)
            return _codes_page(request, codes, next_url=_next(request))
        form.add_error("code", _("This code is not right. Check that the app shows the "
                                 "account you just added, and type its current code."))
    if request.method == "POST":
        status = 400
    device = sf.authenticator_unsaved(user=user, key=key)
    return render(request, "accounts/second_factor/enrol.html", {
        "form": form, "next": _next(request), "secret": sf.secret_text(device),
        "qr_svg": sf.qr_code_svg(device, title=_("QR code of your account for an "
                                                 "authenticator app")),
        "required": is_organiser(user)}, status=status)


@login_required
@require_GET
def second_factor_settings(request: HttpRequest) -> HttpResponse:
    """One's own second factor: set up or not, recovery codes left, and what one may do."""
    user = request.user
    return render(request, "accounts/second_factor/settings.html", {
        "authenticator": sf.authenticator_of(user), "codes_left": sf.recovery_codes_left(user),
        "required": is_organiser(user)})


@require_POST
@login_required
def second_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    try:
        codes = sf.recovery_codes_renew(user=request.user)
    except sf.SecondFactorError:
        return redirect("second_factor_settings")
    return _codes_page(request, codes, next_url=reverse("second_factor_settings"))


@require_POST
@login_required
def second_factor_remove(request: HttpRequest) -> HttpResponse:
    try:
        sf.second_factor_remove(user=request.user)
    except sf.SecondFactorError:
        messages.error(request, _("Organisers must keep their second factor."))
        return redirect("second_factor_settings")
    request.session[sf.SESSION_REQUIRED] = False
    messages.success(request, _("Your second factor is turned off."))
    return redirect("second_factor_settings")


@login_required
@permission_required("accounts.reset_second_factor", raise_exception=True)
def organiser_second_factors(request: HttpRequest) -> HttpResponse:
    """Organisers, and everyone else who set a second factor up, with a Reset button."""
    return render(request, "accounts/organiser/second_factors.html",
                  {"people": sf.people_with_second_factor()})


@require_POST
@login_required
@permission_required("accounts.reset_second_factor", raise_exception=True)
def organiser_second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk)
    try:
        done = sf.second_factor_reset(user=person, by=request.user)
    except sf.SecondFactorError:
        messages.error(request, _("You cannot reset your own second factor: ask another "
                                  "organiser."))
        return redirect("organiser_second_factors")
    name = person.get_full_name() or person.get_username()
    if done:
        messages.success(request, _("The second factor of %(name)s is reset: they set up a "
                                    "new one at their next sign-in.") % {"name": name})
    else:
        messages.info(request, _("%(name)s had no second factor.") % {"name": name})
    return redirect("organiser_second_factors")
