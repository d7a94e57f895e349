"""Writes and reads of the privacy notice and of consents to it (GDPR).

The notice is versioned: publishing makes a new version and keeps every earlier one, so a
consent always names the text the person read. The first version is the portal's default
text (accounts/privacy/notice_default_*.txt), made the first time the notice is asked for.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import ConsentPurpose
from .models import Consent, PrivacyNotice, User

NOTICE_CHANGED = _("The privacy notice changed while you were reading this page: read the "
                   "current version and agree to it again.")


def privacy_notice_current() -> PrivacyNotice:
    """The version in force: the newest. The default text becomes version 1 if none exists."""
    notice = PrivacyNotice.objects.order_by("-version").first()
    if notice is not None:
        return notice
    try:
        with transaction.atomic():
            return PrivacyNotice.objects.create(
                version=1, title="Политика за защита на личните данни",
                title_en="Privacy notice",
                body=render_to_string("accounts/privacy/notice_default_bg.txt").strip(),
                body_en=render_to_string("accounts/privacy/notice_default_en.txt").strip(),
                published_at=timezone.now())
    except IntegrityError:  # made by another request at the same moment
        return PrivacyNotice.objects.get(version=1)


@transaction.atomic
def privacy_notice_publish(*, title: str, title_en: str, body: str, body_en: str,
                           changes: str = "", by: User | None) -> PrivacyNotice:
    """Publish a new version of the notice, in both languages; earlier versions stay as they
    were (consents name them). Publishing the same text again makes no new version."""
    privacy_notice_current()
    current = PrivacyNotice.objects.select_for_update().order_by("-version").first()
    texts = {"title": title.strip(), "title_en": title_en.strip(), "body": body.strip(),
             "body_en": body_en.strip()}
    if all(getattr(current, name) == value for name, value in texts.items()):
        raise ValidationError(_("Nothing changed: this is the text of the version in force."),
                              code="unchanged")
    version = (PrivacyNotice.objects.aggregate(top=Max("version"))["top"] or 0) + 1
    notice = PrivacyNotice(version=version, changes=changes.strip(), published_by=by,
                           published_at=timezone.now(), **texts)
    notice.full_clean()
    notice.save()
    return notice


def consent_record(*, user: User, notice: PrivacyNotice, purpose: ConsentPurpose,
                   context: str = "") -> Consent:
    """Record that `user` agreed to this version of the notice, for this purpose. Only the
    version in force can be agreed to (a page opened before a new version was published
    asks again)."""
    if notice.pk != privacy_notice_current().pk:
        raise ValidationError(NOTICE_CHANGED, code="notice_changed")
    return Consent.objects.create(user=user, notice=notice, purpose=purpose, context=context)


def person_is_erasable(person: User) -> bool:
    """Whose personal data an organiser may erase: an officer's or a juror's, once. Staff and
    superuser accounts are not erased from the portal (they hold its administration)."""
    return person.erased_at is None and not person.is_staff and not person.is_superuser
