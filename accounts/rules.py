"""Who is who, expressed once. Views and templates ask these predicates, never `is_staff`."""

import rules

from competitions.rules import is_organiser, organisers_manage

from .enums import OfficerStatus

__all__ = ["has_second_factor", "is_officer", "is_officer_of", "is_organiser",
           "is_pending_officer", "second_factor_required"]


@rules.predicate
def is_officer(user) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_approved_officer", False))


@rules.predicate
def is_pending_officer(user) -> bool:
    return bool(user.is_authenticated and user.officer_status == OfficerStatus.PENDING)


@rules.predicate
def is_officer_of(user, municipality) -> bool:
    """An approved officer of this municipality (a Municipality or its id)."""
    if municipality is None or not is_officer(user):
        return False
    municipality_id = getattr(municipality, "pk", municipality)
    return user.municipality_id == municipality_id


@rules.predicate
def has_second_factor(user) -> bool:
    """Has set up an authenticator app (a confirmed TOTP device of django-otp)."""
    from django_otp import user_has_device

    return bool(user.is_authenticated and user_has_device(user))


# Who must pass a second factor after the password before reaching any page: organisers
# always (their accounts change who wins; the admin is theirs), anyone else who chose to
# set one up (an officer or a juror). Enforced once, by accounts.middleware.
second_factor_required = is_organiser | has_second_factor


rules.add_perm("accounts.approve_officer", is_organiser)
# django-axes' own admin pages stay a superuser's: organisers see and lift lockouts on their
# page (/organiser/lockouts/).
rules.add_perm("accounts.unlock_sign_in", is_organiser)

organisers_manage("accounts", "user")
# The record of e-mail address changes: organisers read it (the admin adds or changes none).
rules.add_perm("accounts.view_emailchange", is_organiser)
rules.add_perm("accounts.view_outboxemail", is_organiser)
# Privacy (GDPR): the notice's versions, the record of processing, erasure on request.
rules.add_perm("accounts.manage_privacy", is_organiser)
for _model in ("privacynotice", "consent", "privacyevent"):  # read-only in the admin
    rules.add_perm(f"accounts.view_{_model}", is_organiser)
# Another person's second factor (lost phone): organisers reset it, through
# accounts.second_factor.second_factor_reset, recorded in the audit log.
rules.add_perm("accounts.reset_second_factor", is_organiser)
