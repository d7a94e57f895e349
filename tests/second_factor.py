"""Signing staff in for tests, and passing their second factor for real.

Organisers must pass a second factor before any page (accounts.middleware). Most tests are
about something else and sign in with `client.force_login(...)`: tests/conftest.py makes that
also pass the second factor for staff, with a real confirmed authenticator device (created if
the person has none) recorded in the session exactly as the code page does. Nothing in the
portal is switched off: the middleware still checks every request.

Tests of the rule itself sign in with the password alone through
`force_login_password_only(client, user)`.
"""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.rules import is_organiser
from accounts.second_factor import SESSION_REQUIRED

_force_login = Client.force_login


def force_login_password_only(client: Client, user, backend: str | None = None) -> None:
    """Django's force_login: signed in, second factor not passed."""
    _force_login(client, user, backend)


def authenticator_for(user) -> TOTPDevice:
    """The person's confirmed authenticator device, created if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the person's authenticator app shows now (or `steps_ahead` steps later:
    django-otp accepts one step either side and never the same step twice)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def pass_second_factor(client: Client, user) -> TOTPDevice:
    """Mark the client's session as having passed the second factor with a real device."""
    device = authenticator_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_REQUIRED] = True
    session.save()
    return device


def force_login_with_second_factor(client: Client, user, backend: str | None = None) -> None:
    """force_login, and for staff the second factor passed too (see the module's docstring)."""
    _force_login(client, user, backend)
    if is_organiser(user):
        pass_second_factor(client, user)
