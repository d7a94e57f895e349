"""The jury of an edition: invitations by e-mail and their acceptance."""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from accounts.enums import ConsentPurpose
from accounts.mail import absolute_url, active_language, queue_email
from accounts.models import PrivacyNotice, User
from accounts.privacy import consent_record
from competitions.models import Edition, ThematicArea

from ..models import JuryMember

INVITATION_SALT = "scoring.jury-invitation"


class InvitationError(Exception):
    """The invitation link is broken, expired or already used."""


def _free_username(email: str) -> str:
    base = email.split("@")[0][:140] or "juror"
    candidate = base
    while User.objects.filter(username=candidate).exists():
        candidate = f"{base}-{get_random_string(4).lower()}"
    return candidate


def jury_invitation_token(member: JuryMember) -> str:
    return signing.dumps({"member": member.pk}, salt=INVITATION_SALT)


def jury_invitation_url(member: JuryMember) -> str:
    return absolute_url(reverse("jury_invitation_accept", args=[jury_invitation_token(member)]))


def jury_invite_check(*, email: str) -> None:
    """Who can be invited: an address an account can hold, and not a deactivated account (its
    invitation link would be refused). The invitation forms ask this before the service."""
    field = User._meta.get_field("email")
    email = email.strip()
    if len(email) > field.max_length:
        raise ValidationError(_("An e-mail address has at most %(limit)d characters.")
                              % {"limit": field.max_length}, code="max_length")
    user = User.objects.filter(email__iexact=email).only("is_active").first()
    if user is not None and not user.is_active:
        raise ValidationError(_("This account is deactivated: it cannot be invited."),
                              code="inactive")


def _invitee(*, email: str, first_name: str, last_name: str) -> User:
    """The account of this address, made (active, without a password: it cannot sign in until
    the link sets one) if there is none. Two invitations of a new address at once make one
    account: the one that loses the race on the unique address uses the winner's."""
    for _attempt in range(3):
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            return user
        user = User(username=_free_username(email), email=email, first_name=first_name,
                    last_name=last_name, language=active_language())
        user.set_unusable_password()
        user.clean_fields(exclude=["username", "password"])
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            continue  # the address (or the user name) was taken at that moment: look again
        return user
    raise ValidationError(_("This address could not be invited; try again."), code="busy")


@transaction.atomic
def jury_invite(*, edition: Edition, email: str, by: User | None,
                areas: list[ThematicArea] | tuple | None = None, first_name: str = "",
                last_name: str = "") -> JuryMember:
    """Invite a person by e-mail to the jury of an edition (for some areas, or all).

    A new person gets an account without a password: the link in the e-mail lets them set
    one. Inviting again the same person re-sends the link. A deactivated account is refused
    (its link would be). Safe to call twice at once: one account, one membership.
    """
    email = email.strip()
    jury_invite_check(email=email)
    user = _invitee(email=email, first_name=first_name, last_name=last_name)
    member = JuryMember.objects.filter(edition=edition, user=user).first()
    if member is None:
        member = JuryMember(edition=edition, user=user, invited_by=by)
        member._history_user = by  # the audit log's "joined the jury, invited by"
        try:
            with transaction.atomic():
                member.save()
        except IntegrityError:  # invited twice at the same moment: one membership
            member = JuryMember.objects.get(edition=edition, user=user)
    if areas is not None:  # None leaves the areas as they are (a reminder); [] means all
        jury_member_areas_set(member=member, areas=areas, by=by)
    queue_email(to=[user.email], template="scoring/email/jury_invitation",
                context={"edition": edition, "member": member, "user": user,
                         "url": jury_invitation_url(member),
                         "days": settings.JURY_INVITATION_DAYS})
    return member


def jury_member_areas_set(*, member: JuryMember, areas, by: User | None) -> JuryMember:
    """The areas a juror serves (none: all areas of the edition). A change is one record of
    the membership's history, with the new areas and who changed them (the audit log)."""
    wanted = {area.pk for area in areas}
    if wanted == set(member.areas.values_list("pk", flat=True)):
        return member
    member.skip_history_when_saving = True  # one record below, not one per add and remove
    try:
        member.areas.set(wanted)
    finally:
        del member.skip_history_when_saving
    member._history_user = by
    member.save()
    return member


def jury_invitation_member(token: str) -> JuryMember:
    """The jury membership an invitation link stands for, if the link is valid and fresh and
    its account is not deactivated (deactivation cancels the invitation)."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT,
                             max_age=dt.timedelta(days=settings.JURY_INVITATION_DAYS))
    except signing.SignatureExpired as error:
        raise InvitationError("expired") from error
    except signing.BadSignature as error:
        raise InvitationError("invalid") from error
    member = (JuryMember.objects.select_related("user", "edition")
              .filter(pk=data.get("member")).first())
    if member is None or not member.user.is_active:
        raise InvitationError("invalid")
    return member


@transaction.atomic
def jury_invitation_accept(*, member: JuryMember, password: str | None,
                           notice: PrivacyNotice, affiliations: dict | None = None,
                           declaration_version: str | None = None) -> JuryMember:
    """The invited person joins the jury, agreeing to the privacy notice's version in force
    (`notice`, recorded with the edition); a new account gets its password. Never reactivates
    an account: a deactivated one's invitation is refused. A password is set only once: the
    link of an account that has one since is refused (two clicks at once set it once).

    Joining records the juror's affiliations (municipality, region, organisation: what the
    conflict rule reads) and the version of the declaration of confidentiality and conduct
    they agreed to, with the moment; both are required to join."""
    if not declaration_version:
        raise ValidationError(_("Agree to the declaration of confidentiality and conduct to "
                                "join the jury."), code="declaration")
    member = JuryMember.objects.select_for_update().select_related("user").get(pk=member.pk)
    user = User.objects.select_for_update().get(pk=member.user_id)
    if not user.is_active:
        raise InvitationError("invalid")
    if password is not None:
        if user.has_usable_password():
            raise InvitationError("used")
        user.set_password(password)
        user.save(update_fields=["password"])
    if not member.is_seated:
        now = timezone.now()
        consent_record(user=user, notice=notice, purpose=ConsentPurpose.JURY,
                       context=member.edition.slug)
        for name in AFFILIATION_FIELDS:
            setattr(member, name, (affiliations or {}).get(name) or
                    member._meta.get_field(name).get_default())
        member.accepted_at = now
        member.declaration_version = declaration_version
        member.declared_at = now
        member.full_clean(exclude=["edition", "user", "invited_by"])
        member._history_user = user  # accepted by the invited person, through the link
        member.save(update_fields=["accepted_at", "declaration_version", "declared_at",
                                   *AFFILIATION_FIELDS])
    member.user = user
    return member


AFFILIATION_FIELDS = ("affiliated_municipality", "affiliated_region", "affiliated_organisation")
