"""The jury of an edition: invitations by e-mail and their acceptance."""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string

from accounts.mail import queue_email
from accounts.models import User
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
    return settings.SITE_URL + reverse("jury_invitation_accept",
                                       args=[jury_invitation_token(member)])


@transaction.atomic
def jury_invite(*, edition: Edition, email: str, by: User | None,
                areas: list[ThematicArea] | tuple | None = None, first_name: str = "",
                last_name: str = "") -> JuryMember:
    """Invite a person by e-mail to the jury of an edition (for some areas, or all).

    A new person gets an inactive account without a password: the link in the e-mail lets
    them set one. Inviting again the same person re-sends the link.
    """
    email = email.strip()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(username=_free_username(email), email=email, first_name=first_name,
                    last_name=last_name, is_active=False)
        user.set_unusable_password()
        user.save()
    member, _created = JuryMember.objects.get_or_create(
        edition=edition, user=user, defaults={"invited_by": by})
    if areas is not None:  # None leaves the areas as they are (a reminder); [] means all
        member.areas.set(areas)
    queue_email(to=[email], template="scoring/email/jury_invitation",
                context={"edition": edition, "member": member, "user": user,
                         "url": jury_invitation_url(member),
                         "days": settings.JURY_INVITATION_DAYS})
    return member


def jury_invitation_member(token: str) -> JuryMember:
    """The jury membership an invitation link stands for, if the link is valid and fresh."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT,
                             max_age=dt.timedelta(days=settings.JURY_INVITATION_DAYS))
    except signing.SignatureExpired as error:
        raise InvitationError("expired") from error
    except signing.BadSignature as error:
        raise InvitationError("invalid") from error
    member = (JuryMember.objects.select_related("user", "edition")
              .filter(pk=data.get("member")).first())
    if member is None:
        raise InvitationError("invalid")
    return member


@transaction.atomic
def jury_invitation_accept(*, member: JuryMember, password: str | None) -> JuryMember:
    """The invited person joins the jury; a new account gets its password and is activated."""
    member = JuryMember.objects.select_for_update().select_related("user").get(pk=member.pk)
    user = member.user
    if password is not None:
        user.set_password(password)
    user.is_active = True
    user.save()
    if member.accepted_at is None:
        member.accepted_at = timezone.now()
        member.save(update_fields=["accepted_at"])
    return member
