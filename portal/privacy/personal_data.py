"""Where personal data lives: the one list that the data download, the erasure and the
record of processing all read.

Each `Place` says what it holds, why, on which legal basis, for how long and who sees it
(the record of processing shows that), how to give a person what it holds about them
(`export`: JSON-able, nothing of anyone else) and how to remove it (`erase`; None when it is
kept on purpose, and `kept` says why). A feature that stores personal data adds one Place
to PLACES; the download, the erasure and the record of processing follow.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.models import registered_models

from accounts.models import (
    ROLE_FIELDS,
    Consent,
    EmailChange,
    KnownSignIn,
    OutboxEmail,
    SecondFactorEvent,
    SignInUnlock,
    User,
)
from practices.models import Entry, Practice
from scoring.models import Assignment, JuryMember, JurySheet


@dataclass(frozen=True)
class Erasure:
    """A person being erased: who they were (read before anything changes) and the pseudonym
    that replaces them."""

    person: User
    username: str
    email: str
    full_name: str
    code: str  # "7F3A": the pseudonym is "Erased person 7F3A", user name "erased-7f3a"

    @property
    def identifiers(self) -> set[str]:
        """What the person signed in with: their user name and address."""
        return {value for value in (self.username, self.email) if value}

    @property
    def pseudonym_username(self) -> str:
        return f"erased-{self.code.lower()}"


def erasure_for(person: User) -> Erasure:
    """The erasure of `person`, with a pseudonym no other account has."""
    while True:
        code = secrets.token_hex(2).upper()
        if not User.objects.filter(username=f"erased-{code.lower()}").exists():
            break
    return Erasure(person=person, username=person.username, email=person.email,
                   full_name=person.get_full_name(), code=code)


@dataclass(frozen=True)
class Place:
    key: str
    label: object
    what: object  # what is kept
    purpose: object
    legal_basis: object
    retention: object
    who_sees: object
    export: Callable[[User], object]
    erase: Callable[[Erasure], None] | None = None
    kept: object = ""  # what an erasure leaves, and why (always said when erase is None)

    @property
    def erases(self) -> bool:
        """Whether an erasure removes what this place holds (templates call the functions
        they are given: they ask this instead)."""
        return self.erase is not None


PUBLIC_TASK = _("Public task of the programme (GDPR Art. 6(1)(e)), with the person's consent "
                "to the privacy notice")
LEGITIMATE_INTEREST = _("Legitimate interest in a fair competition and secure accounts "
                        "(GDPR Art. 6(1)(f))")
WHILE_PROGRAMME = _("While the programme runs, to document how each edition was decided")
ORGANISERS = _("Organisers")


def _registration_days() -> str:
    return str(settings.PRIVACY_UNAPPROVED_REGISTRATION_DAYS)


def _invitation_days() -> str:
    return str(settings.PRIVACY_UNUSED_INVITATION_DAYS)


def _retention_of_accounts() -> str:
    return str(_("While the programme runs; a registration not approved is removed after "
                 "%(days)s days") % {"days": _registration_days()})


def _retention_of_jury() -> str:
    return str(_("While the programme runs; an invitation not accepted is removed after "
                 "%(days)s days") % {"days": _invitation_days()})


# --- the account ---------------------------------------------------------------------------
ACCOUNT_FIELDS = ("username", "first_name", "last_name", "email", "position", "phone",
                  "language", "officer_status", "officer_decided_at", "date_joined",
                  "last_login", "is_active", "is_staff")


def _account_export(person: User) -> dict:
    data = {name: getattr(person, name) for name in ACCOUNT_FIELDS}
    data["municipality"] = person.municipality.name if person.municipality_id else None
    return data


def _account_erase(erasure: Erasure) -> None:
    person = erasure.person
    person.username = erasure.pseudonym_username
    person.first_name = "Erased person"
    person.last_name = erasure.code
    person.email = ""  # no address: nothing can be sent to it, nobody can sign in with it
    person.position = ""
    person.phone = ""
    person.is_active = False
    person.set_unusable_password()
    person.save()


# --- consents ------------------------------------------------------------------------------
def _consents_export(person: User) -> list[dict]:
    return [{"notice_version": consent.notice.version, "purpose": consent.purpose,
             "for": consent.context, "given_at": consent.given_at}
            for consent in Consent.objects.filter(user=person).select_related("notice")]


# --- e-mail address changes -----------------------------------------------------------------
def _email_changes_export(person: User) -> list[dict]:
    return [{"old_email": change.old_email, "new_email": change.new_email,
             "requested_at": change.requested_at, "confirmed_at": change.confirmed_at,
             "requested_by_self": change.requested_by_id == person.pk}
            for change in EmailChange.objects.filter(user=person)]


def _email_changes_erase(erasure: Erasure) -> None:
    EmailChange.objects.filter(user=erasure.person).update(old_email="", new_email="")


# --- sign-in records (django-axes and the organisers' unlocks) -------------------------------
def _sign_ins_export(person: User) -> dict:
    names = [value for value in (person.username, person.email) if value]
    failures = [{"at": attempt.attempt_time, "ip_address": attempt.ip_address,
                 "user_agent": attempt.user_agent}
                for model in (AccessAttempt, AccessFailureLog)
                for attempt in model.objects.filter(username__in=names)]
    sign_ins = [{"at": log.attempt_time, "ip_address": log.ip_address,
                 "user_agent": log.user_agent, "signed_out_at": log.logout_time}
                for log in AccessLog.objects.filter(username__in=names)]
    unlocks = [{"at": unlock.at, "ip_address": unlock.ip_address, "failures": unlock.failures}
               for unlock in SignInUnlock.objects.filter(username__in=names)]
    return {"failed": failures, "signed_in": sign_ins, "lockouts_lifted": unlocks}


def _sign_ins_erase(erasure: Erasure) -> None:
    names = erasure.identifiers
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in=names).delete()
    SignInUnlock.objects.filter(username__in=names).update(
        username=erasure.pseudonym_username, ip_address=None)


# --- the jury --------------------------------------------------------------------------------
def _jury_export(person: User) -> dict:
    members = (JuryMember.objects.filter(user=person).select_related("edition")
               .prefetch_related("areas"))
    assignments = (Assignment.objects.filter(juror=person)
                   .select_related("entry__practice", "entry__area", "entry__edition"))
    sheets = (JurySheet.objects.filter(juror=person)
              .select_related("entry__practice", "entry__area", "entry__edition")
              .prefetch_related("scores__criterion"))
    return {
        "memberships": [{"edition": member.edition.slug,
                         "areas": sorted(area.code for area in member.areas.all()),
                         "invited_at": member.invited_at, "accepted_at": member.accepted_at}
                        for member in members],
        "assignments": [{"entry": assignment.entry_id, "edition": assignment.entry.edition.slug,
                         "area": assignment.entry.area.code,
                         "practice": assignment.entry.practice.title,
                         "assigned_at": assignment.created_at} for assignment in assignments],
        "sheets": [{"entry": sheet.entry_id, "edition": sheet.entry.edition.slug,
                    "area": sheet.entry.area.code, "practice": sheet.entry.practice.title,
                    "status": sheet.status, "recused": sheet.recused,
                    "recusal_reason": sheet.recusal_reason,
                    "overall_comment": sheet.overall_comment,
                    "submitted_at": sheet.submitted_at,
                    "scores": [{"criterion": score.criterion.title, "value": score.value,
                                "comment": score.comment} for score in sheet.scores.all()]}
                   for sheet in sheets],
    }


# --- practices and entries -------------------------------------------------------------------
CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")


def practice_contact_is(*, email: str, full_name: str) -> Q:
    """Practices whose contact person is this person (by address, or by full name)."""
    condition = Q(pk__in=[])
    if email:
        condition |= Q(contact_email__iexact=email)
    if full_name.strip():
        condition |= Q(contact_name__iexact=full_name.strip())
    return condition


def _practices_export(person: User) -> dict:
    own = practice_contact_is(email=person.email, full_name=person.get_full_name())
    authored = Practice.objects.filter(created_by=person).select_related("municipality")
    contact = Practice.objects.filter(own).select_related("municipality")
    entries = (Entry.objects.filter(submitted_by=person)
               .select_related("practice", "area", "edition"))
    return {
        "authored": [{"id": practice.pk, "title": practice.title,
                      "municipality": practice.municipality.name,
                      "created_at": practice.created_at} for practice in authored],
        "contact_person_of": [{"id": practice.pk, "title": practice.title,
                               **{name: getattr(practice, name) for name in CONTACT_FIELDS}}
                              for practice in contact],
        "entries_submitted": [{"entry": entry.pk, "edition": entry.edition.slug,
                               "area": entry.area.code, "practice": entry.practice.title,
                               "submitted_at": entry.submitted_at} for entry in entries],
    }


def _practices_erase(erasure: Erasure) -> None:
    """The person stops being the contact of their municipality's practices, in the practice
    and in its history; the practice itself (and its entries) stays as it was."""
    own = practice_contact_is(email=erasure.email, full_name=erasure.full_name)
    blank = {name: "" for name in CONTACT_FIELDS}
    Practice.objects.filter(own).update(**blank)
    Practice.history.filter(own).update(**blank)


# --- the audit log (simple_history's records) ------------------------------------------------
def _history_export(person: User) -> dict:
    """What the audit log holds about the person: each change they made (which record, when,
    created, changed or deleted) and each record of their jury membership."""
    actions = []
    for model in registered_models.values():
        manager = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager is None:
            continue  # a many-to-many record of another history
        label = str(model._meta.verbose_name)
        for object_id, action, at in getattr(model, manager).filter(
                history_user=person).values_list("id", "history_type", "history_date"):
            actions.append({"record": label, "id": object_id, "action": action, "at": at})
    membership = [{"edition": record.edition_id, "action": record.history_type,
                   "at": record.history_date, "accepted_at": record.accepted_at}
                  for record in JuryMember.history.filter(user_id=person.pk)]
    return {"changes_made": sorted(actions, key=lambda item: (item["at"], item["record"])),
            "jury_membership_records": membership}


# --- the person's role history and the e-mails sent to them --------------------------------
def _roles_export(person: User) -> list[dict]:
    """The history of the person's role (organiser, administrator, active, municipality)."""
    return [{"at": record.history_date, "action": record.history_type,
             **{name: getattr(record, "municipality_id" if name == "municipality" else name)
                for name in ROLE_FIELDS}}
            for record in User.history.filter(id=person.pk).order_by("history_date")]


def _roles_erase(erasure: Erasure) -> None:
    """The role history keeps the user name (the audit log's subject): the pseudonym's."""
    User.history.filter(id=erasure.person.pk).update(username=erasure.pseudonym_username)


def _outbox_export(person: User) -> list[dict]:
    if not person.email:
        return []
    return list(OutboxEmail.objects.filter(recipient__iexact=person.email).order_by(
        "queued_at").values("kind", "subject", "language", "status", "queued_at", "sent_at"))


def _outbox_erase(erasure: Erasure) -> None:
    """The outbox keeps the address in one field: blanked (what was sent, and when, stays)."""
    if erasure.email:
        OutboxEmail.objects.filter(recipient__iexact=erasure.email).update(recipient="")


def _second_factor_export(person: User) -> dict:
    """Whether the person has an authenticator (never its secret), what happened to it, and
    the browsers and networks (staff) they signed in from."""
    return {
        "authenticator": TOTPDevice.objects.filter(user=person, confirmed=True).exists(),
        "events": list(SecondFactorEvent.objects.filter(user=person).order_by("at").values(
            "action", "at")),
        "known_sign_ins": list(KnownSignIn.objects.filter(user=person).order_by(
            "first_at").values("browser", "network", "first_at")),
    }


def _second_factor_erase(erasure: Erasure) -> None:
    """The authenticator, the recovery codes and the known browsers go; the events stay
    (they name nobody but the account, which then shows the pseudonym)."""
    KnownSignIn.objects.filter(user=erasure.person).delete()
    TOTPDevice.objects.filter(user=erasure.person).delete()
    StaticDevice.objects.filter(user=erasure.person).delete()


PLACES: list[Place] = [
    Place("account", _("Account"), _(
        "Name, user name, e-mail address, position, phone, municipality, language, officer "
        "status and its decision, dates of registration and last sign-in"),
        _("To know who acts for a municipality or on the jury, and to write to them"),
        PUBLIC_TASK, lazy(_retention_of_accounts, str)(), ORGANISERS,
        _account_export, _account_erase, _(
            "Pseudonymised: the name, user name, e-mail address, position and phone are "
            "removed, the password is made unusable and the account inactive")),
    Place("consents", _("Consents to the privacy notice"), _(
        "Which version of the notice the person agreed to, when, and what for"),
        _("To prove what the person was told and agreed to"), _(
            "Legal obligation to demonstrate consent (GDPR Art. 7(1))"), WHILE_PROGRAMME,
        ORGANISERS, _consents_export, None,
        _("Kept: it holds no name, and proves what the person agreed to")),
    Place("email_changes", _("Changes of e-mail address"), _(
        "The old and new address, who asked, when it was confirmed"),
        _("To keep the account's address under the person's control"), LEGITIMATE_INTEREST,
        WHILE_PROGRAMME, ORGANISERS, _email_changes_export, _email_changes_erase),
    Place("sign_ins", _("Sign-in records"), _(
        "Failed and successful sign-ins (user name, network address, browser) and lockouts "
        "lifted by an organiser"),
        _("To stop password guessing and lift lockouts"), LEGITIMATE_INTEREST, _(
            "Failed sign-ins until the lockout period ends; lifted lockouts while the "
            "programme runs"), ORGANISERS, _sign_ins_export, _sign_ins_erase),
    Place("jury", _("Jury membership and jury sheets"), _(
        "Editions and areas served, invitations, assignments, scores, comments and declared "
        "conflicts of interest"),
        _("To organise the jury and to document how each result was decided"), PUBLIC_TASK,
        lazy(_retention_of_jury, str)(), _(
            "Organisers; sheets that counted are published without the juror's name"),
        _jury_export, None, _(
            "Kept: the scores decide published results; after an erasure they carry the "
            "pseudonym only")),
    Place("practices", _("Practices and entries"), _(
        "Who drafted a practice and submitted an entry, and the practice's contact person"),
        _("To run the competition with the municipality"), PUBLIC_TASK, WHILE_PROGRAMME, _(
            "The municipality's officers, organisers, assigned jurors; the contact person is "
            "never published"),
        _practices_export, _practices_erase, _(
            "The person is removed as a practice's contact; the practices and entries stay, "
            "their author shown by the pseudonym")),
    Place("history", _("Audit log"), _(
        "Who changed what and when, with old and new values"),
        _("To account for every change that can affect the results"), LEGITIMATE_INTEREST,
        WHILE_PROGRAMME, ORGANISERS, _history_export, None, _(
            "Kept: its records point to the account, which then shows the pseudonym; the "
            "contact persons in practices' history are erased with the practices")),
    Place("roles", _("Role history"), _(
        "When the person was made an organiser or administrator, deactivated, or moved to "
        "another municipality, and by whom"),
        _("To account for who could decide or see what, and when"), LEGITIMATE_INTEREST,
        WHILE_PROGRAMME, ORGANISERS, _roles_export, _roles_erase, _(
            "The records stay under the pseudonym's user name")),
    Place("second_factor", _("Second factor and known sign-ins"), _(
        "Whether the person has an authenticator app (its secret is never shown), when it was "
        "set up, reset or a recovery code used, and the browsers and networks a staff member "
        "signed in from"),
        _("To keep the accounts that decide results secure"), LEGITIMATE_INTEREST,
        WHILE_PROGRAMME, ORGANISERS, _second_factor_export, _second_factor_erase, _(
            "The authenticator, recovery codes and known browsers are deleted; the events "
            "stay under the pseudonym")),
    Place("outbox", _("E-mails sent"), _(
        "The address, subject, kind, language and time of each e-mail sent to the person, "
        "and whether it failed (never the body)"),
        _("To show that people were told what the rules require them to be told"),
        LEGITIMATE_INTEREST, WHILE_PROGRAMME, ORGANISERS, _outbox_export, _outbox_erase, _(
            "The address is blanked; what was sent and when stays")),
]
