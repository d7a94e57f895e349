"""Writes on accounts: officer registration and the organiser's decision on it; lifting a
sign-in lockout."""

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competitions.models import Municipality

from .enums import OfficerStatus
from .mail import queue_email
from .models import SignInUnlock, User

EMAIL_TAKEN = _("An account with this e-mail address already exists. Use “Forgot your "
                "password?” to sign in.")


def _refuse_if_taken(*, username: str, email: str) -> None:
    """Refuse a user name or an e-mail address (in any case) an account already has, with
    the messages the registration form shows."""
    errors = {}
    if User.objects.filter(username=username).exists():
        errors["username"] = User._meta.get_field("username").error_messages["unique"]
    if email and User.objects.filter(email__iexact=email).exists():
        errors["email"] = EMAIL_TAKEN
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def officer_register(*, username: str, email: str, password: str, first_name: str,
                     last_name: str, municipality: Municipality, position: str = "",
                     phone: str = "") -> User:
    """A person asks to act for a municipality; they wait for an organiser's approval. One
    account per user name and per e-mail address: the same form sent twice at once (a
    double click) makes one account, and the other sending is refused like a taken name,
    once the database's unique constraints decided between them."""
    user = User(username=username, email=email, first_name=first_name, last_name=last_name,
                municipality=municipality, position=position, phone=phone,
                officer_status=OfficerStatus.PENDING)
    user.set_password(password)
    user.full_clean(validate_unique=False, validate_constraints=False)
    _refuse_if_taken(username=username, email=email)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Another registration with the same name or address committed between the check
        # above and this insert; the savepoint keeps this transaction usable to say which.
        _refuse_if_taken(username=username, email=email)
        raise
    organisers = User.objects.filter(is_staff=True, is_active=True).exclude(email="")
    queue_email(to=[o.email for o in organisers], template="accounts/email/officer_registered",
                context={"officer": user, "municipality": municipality,
                         "url": settings.SITE_URL + reverse("organiser_dashboard")})
    return user


@transaction.atomic
def officer_decide(*, officer: User, by: User, approve: bool) -> User:
    """Approve or reject a pending officer; only then can they act for the municipality."""
    officer = User.objects.select_for_update().get(pk=officer.pk)
    officer.officer_status = OfficerStatus.APPROVED if approve else OfficerStatus.REJECTED
    officer.officer_decided_by = by
    officer.officer_decided_at = timezone.now()
    officer.save(update_fields=["officer_status", "officer_decided_by", "officer_decided_at"])
    queue_email(to=[officer.email], template="accounts/email/officer_decided",
                context={"officer": officer, "approved": approve,
                         "url": settings.SITE_URL + reverse("dashboard")})
    return officer


def officers_pending():
    return (User.objects.filter(officer_status=OfficerStatus.PENDING, is_active=True)
            .select_related("municipality").order_by("date_joined"))


@transaction.atomic
def sign_in_unlock(*, username: str, ip_address: str, by: User) -> int:
    """Lift the lockout of one user name from one address at once, through django-axes' own
    reset (its failed attempts for that pair are forgotten), and record who did it. Returns
    how many failed sign-ins were forgotten: 0 when there was no lock left to lift, and then
    nothing is recorded. Both the user name and the address are required: axes' reset with
    either missing would forget every record of the other."""
    if not username or not ip_address:
        raise ValueError("a user name and an address are required")
    failures = AccessAttempt.objects.filter(username=username, ip_address=ip_address).aggregate(
        total=Sum("failures_since_start"))["total"] or 0
    axes_reset(ip=ip_address, username=username)
    if failures:
        SignInUnlock.objects.create(username=username, ip_address=ip_address,
                                    failures=failures, by=by)
    return failures
