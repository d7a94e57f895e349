"""Writes on accounts: officer registration and the organiser's decision on it; lifting a
sign-in lockout; changing a person's e-mail address (confirmed from the old one)."""

import datetime as dt

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competitions.models import Municipality

from .enums import ConsentPurpose, OfficerStatus
from .mail import absolute_url, active_language, queue_email
from .models import EmailChange, PrivacyNotice, SignInUnlock, User
from .privacy import consent_record
from .selectors import organiser_emails

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
                     last_name: str, municipality: Municipality, notice: PrivacyNotice,
                     position: str = "", phone: str = "") -> User:
    """A person asks to act for a municipality; they wait for an organiser's approval. They
    agree to the privacy notice's version in force (`notice`), recorded with the account. One
    account per user name and per e-mail address: the same form sent twice at once (a
    double click) makes one account, and the other sending is refused like a taken name,
    once the database's unique constraints decided between them."""
    user = User(username=username, email=email, first_name=first_name, last_name=last_name,
                municipality=municipality, position=position, phone=phone,
                officer_status=OfficerStatus.PENDING, language=active_language())
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
    consent_record(user=user, notice=notice, purpose=ConsentPurpose.REGISTRATION)
    queue_email(to=organiser_emails(), template="accounts/email/officer_registered",
                context={"officer": user, "municipality": municipality,
                         "url": absolute_url(reverse("organiser_dashboard"))})
    return user


@transaction.atomic
def officer_decide(*, officer: User, by: User, approve: bool) -> User:
    """Approve or reject a pending officer; only then can they act for the municipality. Only
    a request still waiting is decided (OfficerStatus.decidable): an approved officer is never
    turned into a rejected one, nor the other way round."""
    officer = User.objects.select_for_update().get(pk=officer.pk)
    if officer.officer_status not in OfficerStatus.decidable:
        raise ValidationError(_("This request was already decided."), code="decided")
    officer.officer_status = OfficerStatus.APPROVED if approve else OfficerStatus.REJECTED
    officer.officer_decided_by = by
    officer.officer_decided_at = timezone.now()
    officer.save(update_fields=["officer_status", "officer_decided_by", "officer_decided_at"])
    queue_email(to=[officer.email], template="accounts/email/officer_decided",
                context={"officer": officer, "approved": approve,
                         "url": absolute_url(reverse("dashboard"))})
    return officer


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


EMAIL_CHANGE_SALT = "accounts.email-change"
EMAIL_CHANGE_DAYS = 3


class EmailChangeError(Exception):
    """The confirmation link is broken, expired, used, or overtaken by another change."""


def user_email_change_check(*, user: User, new_email: str) -> str:
    """The rule for a new address: an address an account can hold, not another account's,
    and a person who has an address to confirm it from. Returns the address, stripped."""
    new_email = new_email.strip()
    limit = User._meta.get_field("email").max_length
    if len(new_email) > limit:
        raise ValidationError(_("An e-mail address has at most %(limit)d characters.")
                              % {"limit": limit}, code="max_length")
    validate_email(new_email)
    if not user.email:
        raise ValidationError(_("This account has no e-mail address to confirm a change "
                                "from."), code="no_address")
    if new_email.lower() == user.email.lower():
        raise ValidationError(_("This is already the account's address."), code="same")
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise ValidationError(_("Another account has this e-mail address."), code="taken")
    return new_email


def user_email_change_token(change: EmailChange) -> str:
    return signing.dumps({"change": change.pk}, salt=EMAIL_CHANGE_SALT)


@transaction.atomic
def user_email_change_request(*, user: User, new_email: str, by: User | None) -> EmailChange:
    """Ask to change a person's e-mail address. Nothing changes yet: the person confirms it
    with the link sent to their CURRENT address, so nobody else (an organiser included) can
    redirect their sign-in and password resets to an address of their own."""
    new_email = user_email_change_check(user=user, new_email=new_email)
    change = EmailChange.objects.create(user=user, old_email=user.email, new_email=new_email,
                                        requested_by=by)
    queue_email(to=[user.email], template="accounts/email/email_change",
                context={"user": user, "change": change, "days": EMAIL_CHANGE_DAYS,
                         "url": absolute_url(reverse(
                             "email_change_confirm", args=[user_email_change_token(change)]))})
    return change


def user_email_change_from_token(token: str) -> EmailChange:
    """The change a confirmation link stands for, if it is fresh, not used, and the account
    still has the address it was sent to."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT,
                             max_age=dt.timedelta(days=EMAIL_CHANGE_DAYS))
    except signing.BadSignature as error:  # expired included
        raise EmailChangeError from error
    change = EmailChange.objects.select_related("user").filter(pk=data.get("change")).first()
    if (change is None or change.confirmed_at is not None
            or change.user.email.lower() != change.old_email.lower()):
        raise EmailChangeError
    return change


@transaction.atomic
def user_email_change_confirm(*, change: EmailChange) -> EmailChange:
    """The person confirmed from their old address: the new one replaces it, once."""
    change = EmailChange.objects.select_for_update().get(pk=change.pk)
    user = User.objects.select_for_update().get(pk=change.user_id)
    if change.confirmed_at is not None or user.email.lower() != change.old_email.lower():
        raise EmailChangeError
    try:
        user_email_change_check(user=user, new_email=change.new_email)
    except ValidationError as error:
        raise EmailChangeError from error
    user.email = change.new_email
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError as error:  # another account took the address this very moment
        raise EmailChangeError from error
    change.confirmed_at = timezone.now()
    change.save(update_fields=["confirmed_at"])
    return change


def user_language_set(*, user: User, language: str) -> User:
    """Remember the language a person chose: their e-mails are written in it."""
    if language in {code for code, _name in settings.LANGUAGES} and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
