"""The person's rights and the retention of personal data (GDPR): the data download, the
erasure on request, and the removal of what was never used. Every place personal data lives
is in personal_data.PLACES; these services walk that list."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import OfficerStatus, PrivacyEventKind
from accounts.models import PrivacyEvent, User
from accounts.privacy import person_is_erasable
from scoring.models import JuryMember, JurySheet, seated_q

from .personal_data import PLACES, erasure_for

EXPORT_FORMAT = "best-practices-portal/personal-data/1"


def person_data_export(*, person: User) -> dict:
    """Everything the portal holds about `person`, place by place, and nothing about anyone
    else (JSON-able with DjangoJSONEncoder)."""
    return {"format": EXPORT_FORMAT, "generated_at": timezone.now(), "person": person.pk,
            **{place.key: place.export(person) for place in PLACES}}


@transaction.atomic
def person_erase(*, person: User, by: User) -> PrivacyEvent:
    """Erase a person's personal data on their request, done by an organiser: the account is
    pseudonymised ("Erased person 7F3A", user name erased-7f3a, no address, no password,
    inactive) and every place of personal_data.PLACES that can forget them does. Entries,
    sheets, published results and their fingerprints stay as they are. Recorded (the audit
    log) under the pseudonym."""
    person = User.objects.select_for_update().get(pk=person.pk)
    if not person_is_erasable(person) or person.pk == by.pk:
        raise ValidationError(_("This account cannot be erased here."), code="not_erasable")
    erasure = erasure_for(person)
    for place in PLACES:
        if place.erase is not None:
            place.erase(erasure)
    person.erased_at = timezone.now()
    person.save(update_fields=["erased_at"])
    return PrivacyEvent.objects.create(kind=PrivacyEventKind.ERASURE,
                                       subject=erasure.pseudonym_username, by=by)


# --- retention ------------------------------------------------------------------------------
def _holds_more(user: User) -> bool:
    """The account is used for something besides the request being removed."""
    return (user.is_staff or user.is_superuser or user.erased_at is not None
            or JurySheet.objects.filter(juror=user).exists())


def _registrations_expired(now: dt.datetime):
    cutoff = now - dt.timedelta(days=settings.PRIVACY_UNAPPROVED_REGISTRATION_DAYS)
    pending = (User.objects.filter(officer_status=OfficerStatus.PENDING, date_joined__lt=cutoff)
               | User.objects.filter(officer_status=OfficerStatus.REJECTED,
                                     officer_decided_at__lt=cutoff))
    return pending.filter(is_staff=False, is_superuser=False).order_by("pk")


@transaction.atomic
def registration_remove(*, user: User) -> PrivacyEvent:
    """Remove an officer's registration that was never approved: the account goes, unless it
    is also used on a jury (then only the request and its officer details go)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    detail = f"{user.officer_status} · {user.date_joined:%Y-%m-%d}"
    subject = f"#{user.pk}"
    if _holds_more(user) or JuryMember.objects.filter(user=user).exists():
        user.officer_status = OfficerStatus.NONE
        user.municipality = None
        user.position = user.phone = ""
        user.officer_decided_by, user.officer_decided_at = None, None
        user.save()
        detail += " · " + str(_("the account stays (jury)"))
    else:
        user.delete()
    return PrivacyEvent.objects.create(kind=PrivacyEventKind.REGISTRATION_REMOVED,
                                       subject=subject, detail=detail)


@transaction.atomic
def invitation_remove(*, member: JuryMember) -> PrivacyEvent:
    """Remove a jury invitation never accepted, and the account made for it if it was never
    used (no password chosen, never signed in, nothing else)."""
    member = JuryMember.objects.select_for_update().select_related("edition").get(pk=member.pk)
    user = User.objects.select_for_update().get(pk=member.user_id)
    subject = f"{member.edition.slug} · #{member.pk}"
    detail = f"{member.invited_at:%Y-%m-%d}"
    member.delete()
    unused = (not user.has_usable_password() and user.last_login is None
              and user.officer_status == OfficerStatus.NONE and not _holds_more(user)
              and not JuryMember.objects.filter(user=user).exists())
    if unused:
        detail += " · " + str(_("the account made for it removed too"))
        user.delete()
    return PrivacyEvent.objects.create(kind=PrivacyEventKind.INVITATION_REMOVED,
                                       subject=subject, detail=detail)


def retention_apply(*, now: dt.datetime | None = None) -> list[PrivacyEvent]:
    """Remove what the privacy notice says is not kept: officer registrations not approved
    (pending or rejected) after PRIVACY_UNAPPROVED_REGISTRATION_DAYS, jury invitations not
    accepted after PRIVACY_UNUSED_INVITATION_DAYS. Each removal is one transaction and one
    record of the audit log; running it again removes nothing more."""
    now = now or timezone.now()
    events = [registration_remove(user=user) for user in _registrations_expired(now)]
    cutoff = now - dt.timedelta(days=settings.PRIVACY_UNUSED_INVITATION_DAYS)
    invitations = JuryMember.objects.exclude(seated_q()).filter(
        invited_at__lt=cutoff).order_by("pk")
    events += [invitation_remove(member=member) for member in invitations]
    return events
