"""Two-factor sign-in (django-otp): an authenticator app (TOTP) and one-time recovery codes.

Who must pass it is one rule, `accounts.rules.second_factor_required` (organisers always;
anyone else who set one up), enforced in one place, `accounts.middleware.SecondFactorRequired`.
A session has passed it when django-otp's middleware finds the device it was verified with
(`request.user.is_verified()`): a device reset or replaced unverifies every session at once.

The services here write; each change that matters is recorded as a SecondFactorEvent, which
the audit log reads. No secret is written anywhere else, and no crypto is ours: the codes are
django-otp's, the QR code segno's.
"""

from __future__ import annotations

import hashlib
import ipaddress
from base64 import b32encode

import segno
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django_otp import login as otp_login
from django_otp import verify_token as otp_verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from competitions.rules import is_organiser

from .enums import SecondFactorAction
from .mail import absolute_url, queue_email
from .models import KnownSignIn, SecondFactorEvent, User
from .rules import second_factor_required

# The session remembers, from the sign-in, whether this person must pass the second factor
# (the rule asks the database for a device; a page should not).
SESSION_REQUIRED = "second_factor_required"
# The secret of the authenticator being set up in this session, until a code confirms it.
SESSION_ENROLMENT = "second_factor_enrolment"
RECOVERY_CODES = 10
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery"


class SecondFactorError(Exception):
    """The change asked for is not allowed (an organiser's own second factor is required)."""


# --- reads -----------------------------------------------------------------------------------
def authenticator_of(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def people_with_second_factor():
    """Organisers, and anyone else who set up an authenticator, with whether they have one
    and when it last accepted a code: one query."""
    authenticator = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (User.objects.filter(Q(is_staff=True, is_active=True) | Exists(authenticator))
            .annotate(has_authenticator=Exists(authenticator),
                      authenticator_used_at=Subquery(
                          authenticator.order_by("-pk").values("last_used_at")[:1]))
            .order_by("-is_staff", "last_name", "first_name", "username"))


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_pending(request: HttpRequest) -> bool:
    """Whether this signed-in session still owes its second factor before any page: the
    person must use one (second_factor_required, asked at sign-in and kept in the session;
    the organiser's part asked again at every request, so a person made staff in the middle
    of a session is held at once) and this session has not passed it."""
    user = request.user
    if not user.is_authenticated:
        return False
    if not (request.session.get(SESSION_REQUIRED) or is_organiser(user)):
        return False
    return not user.is_verified()


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it typed in (base32, in groups of four)."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice, *, title: str) -> str:
    """The otpauth:// address of the device as an inline SVG QR code (nothing fetched)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, title=title, svgclass="second-factor-qr", lineclass=None)


# --- writes ----------------------------------------------------------------------------------
def _record(*, user: User, action: str, by: User | None) -> None:
    SecondFactorEvent.objects.create(user=user, action=action, by=by)


def second_factor_key_new() -> str:
    """A new secret for an authenticator being set up (django-otp's: 20 random bytes, hex),
    kept in the session until a code confirms it; nothing is written before that."""
    return default_key()


def authenticator_unsaved(*, user: User, key: str) -> TOTPDevice:
    """The authenticator being set up, as its QR code and secret show it (not saved)."""
    return TOTPDevice(user=user, key=key, name=DEVICE_NAME, confirmed=False)


def _recovery_codes_new(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def second_factor_enrol(*, user: User, key: str,
                        token: str) -> tuple[list[str], TOTPDevice] | None:
    """Confirm a new authenticator (the secret shown to the person) with a code it shows.
    On success it replaces any earlier one, the person gets new recovery codes (returned
    with the device, to be shown once) and the change is recorded; a wrong code returns None
    and counts against django-otp's back-off of this secret's device (kept unconfirmed)."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, key=key, confirmed=False, defaults={"name": DEVICE_NAME})
    if not device.verify_token(_digits(token)):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_new(user)
        _record(user=user, action=SecondFactorAction.ENROLLED, by=user)
    return codes, device


def second_factor_verify(*, user: User, token: str):
    """The device that accepts `token`, a code of the authenticator app or a recovery code
    (used up, and recorded), or None. Each device keeps django-otp's back-off after a wrong
    code (settings.OTP_*_THROTTLE_FACTOR); the view is throttled per person and address."""
    digits = _digits(token)
    if digits.isdigit() and len(digits) == 6:
        device = authenticator_of(user)
        if device is not None:
            return otp_verify_token(user, device.persistent_id, digits)
        return None
    code = "".join(token.split()).lower()
    static = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if not code or static is None:
        return None
    with transaction.atomic():
        used = otp_verify_token(user, static.persistent_id, code)
        if used is not None:
            _record(user=user, action=SecondFactorAction.RECOVERY_USED, by=user)
    return used


def second_factor_sign_in(request: HttpRequest, device) -> None:
    """Mark this session as having passed the second factor with `device`."""
    otp_login(request, device)
    request.session[SESSION_REQUIRED] = True
    request.session.pop(SESSION_ENROLMENT, None)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes for a person who has an authenticator (the old ones stop
    working), recorded; returned to be shown once."""
    if authenticator_of(user) is None:
        raise SecondFactorError("no authenticator set up")
    codes = _recovery_codes_new(user)
    _record(user=user, action=SecondFactorAction.RECOVERY_RENEWED, by=user)
    return codes


def _devices_delete(user: User) -> bool:
    deleted, _counts = TOTPDevice.objects.filter(user=user).delete()
    deleted_static, _counts = StaticDevice.objects.filter(user=user).delete()
    return bool(deleted or deleted_static)


@transaction.atomic
def second_factor_remove(*, user: User) -> None:
    """A person who chose the second factor turns it off; an organiser cannot (theirs is
    required: another organiser resets it, second_factor_reset)."""
    if is_organiser(user):
        raise SecondFactorError("an organiser's second factor is required")
    if _devices_delete(user):
        _record(user=user, action=SecondFactorAction.REMOVED, by=user)


@transaction.atomic
def second_factor_reset(*, user: User, by: User) -> bool:
    """An organiser resets another person's second factor (a lost phone): the authenticator
    and recovery codes are deleted, every session of theirs that passed it must pass it again
    (an organiser sets a new one up at their next page), and the reset is recorded. Not one's
    own: that would let a stolen password replace the second factor."""
    if not is_organiser(by) or by.pk == user.pk:
        raise SecondFactorError("only another organiser resets a second factor")
    if not _devices_delete(user):
        return False
    _record(user=user, action=SecondFactorAction.RESET, by=by)
    return True


def _digits(token: str) -> str:
    return "".join(ch for ch in token if not ch.isspace() and ch != "-")


# --- sign-in -------------------------------------------------------------------------------
def _network(address: str) -> str:
    """The network an address belongs to (an IPv4 /24 or an IPv6 /48), not the address."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return ""
    prefix = 24 if parsed.version == 4 else 48
    return str(ipaddress.ip_network(f"{parsed}/{prefix}", strict=False))


def sign_in_notice(*, user: User, browser: str, address: str) -> bool:
    """Remember the browser and network a staff member signed in from; when neither this pair
    was seen before and it is not their first sign-in, e-mail them that someone signed in
    (they should reset their password if it was not them). Returns whether a notice went."""
    if not is_organiser(user):
        return False
    browser = browser[:200]
    network = _network(address)
    fingerprint = hashlib.sha256(f"{browser}\n{network}".encode()).hexdigest()
    known_before = KnownSignIn.objects.filter(user=user).exists()
    _known, created = KnownSignIn.objects.get_or_create(
        user=user, fingerprint=fingerprint, defaults={"browser": browser, "network": network})
    if not (created and known_before):
        return False
    queue_email(to=[user], template="accounts/email/new_sign_in",
                context={"user": user, "browser": browser or "?", "network": network or "?",
                         "password_url": absolute_url(reverse("password_change"))})
    return True


def _on_sign_in(sender, request, user, **kwargs) -> None:
    """At every sign-in: remember whether this person must pass the second factor, and tell
    staff about a sign-in from a new browser or network."""
    if request is None:
        return
    request.session[SESSION_REQUIRED] = bool(second_factor_required(user))
    from axes.helpers import get_client_ip_address

    sign_in_notice(user=user, browser=request.META.get("HTTP_USER_AGENT", ""),
                   address=get_client_ip_address(request) or "")


def connect_signals() -> None:
    user_logged_in.connect(_on_sign_in, dispatch_uid="accounts.second_factor.sign_in")
