"""Retention: officer registrations never approved and jury invitations never accepted are
removed after the periods in the settings, by the beat task, each removal in the audit log;
nothing else is touched."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from accounts.enums import OfficerStatus, PrivacyEventKind
from accounts.models import PrivacyEvent, User
from portal.audit import audit_log
from portal.tasks import privacy_retention_apply
from practices.models import Practice
from scoring.models import JuryMember
from tests.factories import (
    EditionFactory,
    JuryMemberFactory,
    JurySheetFactory,
    OfficerFactory,
    OrganiserFactory,
    PracticeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def registered(days: int, status=OfficerStatus.PENDING, **extra) -> User:
    user = OfficerFactory(officer_status=status, **extra)
    User.objects.filter(pk=user.pk).update(date_joined=ago(days))
    return user


def invited(days: int, *, accepted: bool = False, user: User | None = None) -> JuryMember:
    if user is None:
        user = UserFactory(last_login=None)
        user.set_unusable_password()
        user.save()
    member = JuryMemberFactory(user=user, accepted_at=timezone.now() if accepted else None)
    JuryMember.objects.filter(pk=member.pk).update(invited_at=ago(days))
    return member


def test_retention_periods_come_from_the_settings():
    assert (django_settings.PRIVACY_UNAPPROVED_REGISTRATION_DAYS,
            django_settings.PRIVACY_UNUSED_INVITATION_DAYS) == (180, 90)
    schedule = django_settings.CELERY_BEAT_SCHEDULE["portal-privacy-retention"]
    assert schedule["task"] == "portal.tasks.privacy_retention_apply"


def test_retention_removes_exactly_the_expired_registrations(settings):
    settings.PRIVACY_UNAPPROVED_REGISTRATION_DAYS = 30
    old_pending = registered(31)
    old_rejected = registered(100, OfficerStatus.REJECTED, officer_decided_at=ago(31))
    recent_pending = registered(29)
    recently_rejected = registered(100, OfficerStatus.REJECTED, officer_decided_at=ago(5))
    approved = registered(400, OfficerStatus.APPROVED)
    organiser = OrganiserFactory()
    User.objects.filter(pk=organiser.pk).update(date_joined=ago(400))
    practice = PracticeFactory(created_by=old_pending)

    assert privacy_retention_apply() == 2

    assert set(User.objects.values_list("pk", flat=True)) == {
        recent_pending.pk, recently_rejected.pk, approved.pk, organiser.pk}
    assert Practice.objects.get(pk=practice.pk).created_by is None  # the practice stays
    events = PrivacyEvent.objects.order_by("subject")
    assert sorted((e.kind, e.subject) for e in events) == sorted([
        (PrivacyEventKind.REGISTRATION_REMOVED, f"#{old_pending.pk}"),
        (PrivacyEventKind.REGISTRATION_REMOVED, f"#{old_rejected.pk}")])
    assert privacy_retention_apply() == 0  # idempotent


def test_a_registration_of_a_juror_loses_only_its_officer_request(settings):
    settings.PRIVACY_UNAPPROVED_REGISTRATION_DAYS = 30
    user = registered(31, position="експерт", phone="+359 1")
    JurySheetFactory(juror=user)
    assert privacy_retention_apply() == 1
    user.refresh_from_db()
    assert (user.officer_status, user.municipality, user.position, user.phone) == (
        OfficerStatus.NONE, None, "", "")


def test_retention_removes_exactly_the_unused_invitations(settings):
    settings.PRIVACY_UNUSED_INVITATION_DAYS = 60
    unused = invited(61)
    recent = invited(59)
    accepted = invited(200, accepted=True)
    known = OfficerFactory()  # an officer invited to a jury: the account is theirs anyway
    known_invitation = invited(61, user=known)
    other_edition = EditionFactory()
    twice = invited(61)
    JuryMemberFactory(user=twice.user, edition=other_edition, accepted_at=None)

    assert privacy_retention_apply() == 3

    assert set(JuryMember.objects.values_list("pk", flat=True)) == {
        recent.pk, accepted.pk, JuryMember.objects.get(edition=other_edition).pk}
    assert not User.objects.filter(pk=unused.user_id).exists()  # made for it, never used
    assert User.objects.filter(pk=known.pk).exists()
    assert User.objects.filter(pk=twice.user_id).exists()  # still invited elsewhere
    subjects = set(PrivacyEvent.objects.filter(
        kind=PrivacyEventKind.INVITATION_REMOVED).values_list("subject", flat=True))
    assert subjects == {f"{m.edition.slug} · #{m.pk}"
                        for m in (unused, known_invitation, twice)}
    assert privacy_retention_apply() == 0


def test_each_removal_is_in_the_audit_log_without_the_persons_name(settings):
    settings.PRIVACY_UNAPPROVED_REGISTRATION_DAYS = 30
    user = registered(31, first_name="Забравена", email="forgotten@example.org")
    privacy_retention_apply()
    rows, _older = audit_log(kind="privacy")
    assert [(row.subject, row.who) for row in rows] == [(f"#{user.pk}", None)]
    shown = " ".join(str(part) for row in audit_log()[0]
                     for part in (row.subject, row.changes))
    assert "Забравена" not in shown and "forgotten@example.org" not in shown
