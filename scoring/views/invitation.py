from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.backends import SIGN_IN_BACKEND
from accounts.forms import PrivacyConsentForm
from accounts.throttle import per_address, throttle

from ..forms.invitation import JuryOnboardingForm
from ..services.jury import InvitationError, jury_invitation_accept, jury_invitation_member


def _invalid(request, error: InvitationError):
    return render(request, "scoring/invitation_invalid.html",
                  {"expired": str(error) == "expired"}, status=404)


@throttle("jury_invitation", per_address("THROTTLE_JURY_INVITATION_PER_ADDRESS"))
def jury_invitation_accept_view(request, token: str):
    """Opening the link shows the invitation; only its form (a POST) accepts it."""
    try:
        member = jury_invitation_member(token)
    except InvitationError as error:
        return _invalid(request, error)
    onboarding = JuryOnboardingForm(request.POST or None, instance=member,
                                    prefix="juror")
    consent = PrivacyConsentForm(request.POST or None)
    context = {"member": member, "onboarding": onboarding, "consent": consent,
               "declaration_version": settings.JURY_DECLARATION_VERSION}
    if member.user.has_usable_password():
        return _accept_signed_in(request, member, context)
    return _accept_with_password(request, member, context)


def _accept_signed_in(request, member, context: dict):
    """An existing account: they accept by signing in as themselves, then the button."""
    user = member.user
    if not (request.user.is_authenticated and request.user.pk == user.pk):
        messages.info(request, _("Sign in with your account to accept the invitation."))
        return redirect(f"{reverse('login')}?next={request.path}")
    onboarding, consent = context["onboarding"], context["consent"]
    if request.method == "POST" and all([onboarding.is_valid(), consent.is_valid()]):
        try:
            jury_invitation_accept(member=member, password=None, notice=consent.notice,
                                   affiliations=onboarding.cleaned_data,
                                   declaration_version=settings.JURY_DECLARATION_VERSION)
        except InvitationError as error:
            return _invalid(request, error)
        messages.success(request, _("You joined the jury of %(edition)s.")
                         % {"edition": member.edition})
        return redirect("juror_dashboard")
    return render(request, "scoring/invitation_accept.html", {**context, "form": None})


def _accept_with_password(request, member, context: dict):
    """A new account: they accept by choosing their password, and are signed in."""
    form = SetPasswordForm(member.user, request.POST or None)
    onboarding, consent = context["onboarding"], context["consent"]
    if request.method == "POST" and all([form.is_valid(), onboarding.is_valid(),
                                         consent.is_valid()]):
        try:
            member = jury_invitation_accept(member=member,
                                            password=form.cleaned_data["new_password1"],
                                            notice=consent.notice,
                                            affiliations=onboarding.cleaned_data,
                                            declaration_version=settings.JURY_DECLARATION_VERSION)
        except InvitationError as error:
            return _invalid(request, error)
        login(request, member.user, backend=SIGN_IN_BACKEND)
        messages.success(request, _("Welcome to the jury of %(edition)s.")
                         % {"edition": member.edition})
        return redirect("juror_dashboard")
    return render(request, "scoring/invitation_accept.html", {**context, "form": form})
