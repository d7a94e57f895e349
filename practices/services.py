"""Writes on practices, their files and their entries. Every rule is checked here, on the
server, whatever the request says."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import OfficerStatus
from accounts.mail import queue_email
from competitions.enums import Phase
from competitions.models import Edition, Municipality, ThematicArea

from .checks import entry_problems
from .enums import EntryStatus
from .models import Attachment, DeadlineReminder, Entry, Photo, Practice
from .validators import (
    photo_without_metadata,
    validate_attachment,
    validate_photo,
    validate_practice_total,
)

# Entries that take a place of the municipality's quota in an area.
ACTIVE_STATUSES = (EntryStatus.DRAFT, EntryStatus.SUBMITTED, EntryStatus.ELIGIBLE,
                   EntryStatus.INELIGIBLE)
# Entries the organiser has received.
SUBMITTED_STATUSES = (EntryStatus.SUBMITTED, EntryStatus.ELIGIBLE, EntryStatus.INELIGIBLE)

PRACTICE_FIELDS = (
    "title", "title_en", "summary", "summary_en", "problem", "actions", "partners", "budget",
    "budget_amount", "budget_currency", "results", "started_on", "implemented_on",
    "is_sustained", "upgrade_description", "upgraded_on", "links", "contact_name",
    "contact_email", "contact_phone",
)


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def officer_emails(*, municipality_id: int) -> list[str]:
    from accounts.models import User

    return list(User.objects.filter(municipality_id=municipality_id, is_active=True,
                                    officer_status=OfficerStatus.APPROVED)
                .exclude(email="").values_list("email", flat=True))


def practice_is_locked(*, practice: Practice, at: dt.datetime | None = None) -> bool:
    """A practice with an entry the organiser has received in an edition whose submissions
    are closed can no longer change: the jury judges what was submitted."""
    at = _now(at)
    return any(entry.status in SUBMITTED_STATUSES and not entry.edition.is_open_for_submissions(at)
               for entry in practice.entries.all())


def _refuse_if_locked(practice: Practice, at: dt.datetime | None) -> None:
    if practice_is_locked(practice=practice, at=at):
        raise ValidationError(
            _("The submission deadline has passed: this practice can no longer be changed."),
            code="locked")


def _lock_practice(practice: Practice) -> Practice:
    return (Practice.objects.select_for_update().prefetch_related("entries__edition")
            .get(pk=practice.pk))


@transaction.atomic
def practice_create(*, municipality: Municipality, by, data: dict) -> Practice:
    """A new draft practice of the officer's municipality."""
    practice = Practice(municipality=municipality, created_by=by,
                        **{name: value for name, value in data.items() if name in PRACTICE_FIELDS})
    practice.full_clean()
    practice.save()
    return practice


@transaction.atomic
def practice_update(*, practice: Practice, by, data: dict,
                    at: dt.datetime | None = None) -> Practice:
    """Any approved officer of the municipality may edit, until the deadline of an edition
    where the practice is submitted."""
    locked = _lock_practice(practice)
    _refuse_if_locked(locked, at)
    for name, value in data.items():
        if name in PRACTICE_FIELDS:
            setattr(locked, name, value)
    locked.full_clean()
    locked._history_user = by
    locked.save()
    return locked


def _files_used(practice: Practice) -> int:
    photos = Photo.objects.filter(practice=practice).aggregate(total=Sum("size"))["total"] or 0
    attachments = (Attachment.objects.filter(practice=practice)
                   .aggregate(total=Sum("size"))["total"] or 0)
    return photos + attachments


@transaction.atomic
def photo_add(*, practice: Practice, upload, caption: str = "", alt_text: str = "", by=None,
              at: dt.datetime | None = None) -> Photo:
    """A photo checked by its content (a real, decodable image of sane size in pixels) and
    within the practice's total."""
    checked = validate_photo(upload)
    content, width, height = photo_without_metadata(upload, checked.content_type)
    locked = _lock_practice(practice)
    _refuse_if_locked(locked, at)
    validate_practice_total(used=_files_used(locked), adding=len(content))
    order = Photo.objects.filter(practice=locked).count()
    photo = Photo(practice=locked, caption=caption, alt_text=alt_text, order=order,
                  size=len(content))
    photo.image.save(checked.name, ContentFile(content), save=False)
    photo.width, photo.height = width, height  # known already: no second decoding
    photo.save()
    return photo


@transaction.atomic
def attachment_add(*, practice: Practice, upload, title: str = "", by=None,
                   at: dt.datetime | None = None) -> Attachment:
    """A PDF, office document or image, recognised by its content."""
    checked = validate_attachment(upload)
    locked = _lock_practice(practice)
    _refuse_if_locked(locked, at)
    validate_practice_total(used=_files_used(locked), adding=checked.size)
    attachment = Attachment(practice=locked, title=title, original_name=checked.name,
                            content_type=checked.content_type, size=checked.size)
    attachment.file.save(checked.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def practice_file_delete(*, item: Photo | Attachment, by=None,
                         at: dt.datetime | None = None) -> None:
    locked = _lock_practice(item.practice)
    _refuse_if_locked(locked, at)
    field = item.image if isinstance(item, Photo) else item.file
    name = field.name
    item.delete()
    storage = field.storage
    transaction.on_commit(lambda: storage.delete(name))


def _lock_municipality(municipality_id: int) -> None:
    """Entries of one municipality are counted and changed one request at a time."""
    Municipality.objects.select_for_update().filter(pk=municipality_id).first()


def _check_open(edition: Edition, at: dt.datetime) -> None:
    if not edition.is_open_for_submissions(at):
        raise ValidationError(
            _("Submissions to %(edition)s are closed.") % {"edition": edition.display_title},
            code="closed")


def _check_limit(*, municipality_id: int, area: ThematicArea, exclude_entry_id=None) -> None:
    taken = (Entry.objects.filter(practice__municipality_id=municipality_id, area=area,
                                  status__in=ACTIVE_STATUSES)
             .exclude(pk=exclude_entry_id).count())
    if taken >= area.edition.max_entries_per_area:
        raise ValidationError(
            _("Your municipality already has %(count)s entry(ies) in area %(area)s; the limit is "
              "%(limit)s. Withdraw one first.")
            % {"count": taken, "area": area.code, "limit": area.edition.max_entries_per_area},
            code="limit")


@transaction.atomic
def entry_create(*, practice: Practice, area: ThematicArea, by,
                 at: dt.datetime | None = None) -> Entry:
    """Enter a practice into a thematic area (as a draft) while the edition is open and the
    municipality has room in that area."""
    at = _now(at)
    edition = area.edition
    _check_open(edition, at)
    _lock_municipality(practice.municipality_id)
    if Entry.objects.filter(practice=practice, area=area).exists():
        raise ValidationError(_("This practice is already entered in this area."),
                              code="duplicate")
    _check_limit(municipality_id=practice.municipality_id, area=area)
    entry = Entry(practice=practice, area=area, edition=edition, status=EntryStatus.DRAFT)
    entry.full_clean()
    entry.save()
    return entry


def _lock_entry(entry: Entry) -> Entry:
    _lock_municipality(entry.practice.municipality_id)
    return (Entry.objects.select_for_update(of=("self",))
            .select_related("practice", "area", "edition", "practice__municipality")
            .get(pk=entry.pk))


def _mail_officers(entry: Entry, template: str, **extra) -> None:
    queue_email(to=officer_emails(municipality_id=entry.practice.municipality_id),
                template=f"practices/email/{template}",
                context={"entry": entry, "practice": entry.practice, "area": entry.area,
                         "edition": entry.edition, "site_url": settings.SITE_URL, **extra})


@transaction.atomic
def entry_submit(*, entry: Entry, by, at: dt.datetime | None = None) -> Entry:
    """Submit while the edition is open, the practice complete and eligible, and the
    municipality within the area's limit. Records who submitted and when."""
    at = _now(at)
    locked = _lock_entry(entry)
    if locked.status not in (EntryStatus.DRAFT, EntryStatus.WITHDRAWN):
        raise ValidationError(_("This entry is already submitted."), code="status")
    _check_open(locked.edition, at)
    problems = entry_problems(practice=locked.practice, edition=locked.edition)
    if problems:
        raise ValidationError(problems, code="incomplete")
    _check_limit(municipality_id=locked.practice.municipality_id, area=locked.area,
                 exclude_entry_id=locked.pk)
    locked.status = EntryStatus.SUBMITTED
    locked.submitted_at = at
    locked.submitted_by = by
    locked.withdrawn_at = None
    locked._history_user = by
    locked.save()
    _mail_officers(locked, "entry_submitted", by=by)
    return locked


@transaction.atomic
def entry_withdraw(*, entry: Entry, by, at: dt.datetime | None = None) -> Entry:
    """Withdraw a draft or a submitted entry, only while the edition is open."""
    at = _now(at)
    locked = _lock_entry(entry)
    if locked.status == EntryStatus.WITHDRAWN:
        raise ValidationError(_("This entry is already withdrawn."), code="status")
    _check_open(locked.edition, at)
    was_submitted = locked.status in SUBMITTED_STATUSES
    locked.status = EntryStatus.WITHDRAWN
    locked.withdrawn_at = at
    locked._history_user = by
    locked.save()
    if was_submitted:
        _mail_officers(locked, "entry_withdrawn", by=by)
    return locked


@transaction.atomic
def entry_decide_eligibility(*, entry: Entry, by, eligible: bool, reason: str) -> Entry:
    """The organiser's decision on a received entry; a refusal needs a reason, which the
    municipality's officers see."""
    locked = _lock_entry(entry)
    if locked.status not in SUBMITTED_STATUSES:
        raise ValidationError(_("Only submitted entries can be checked for eligibility."),
                              code="status")
    reason = (reason or "").strip()
    if not eligible and not reason:
        raise ValidationError({"reason": _("Give the reason why the entry is not eligible.")},
                              code="reason")
    locked.status = EntryStatus.ELIGIBLE if eligible else EntryStatus.INELIGIBLE
    locked.eligibility_reason = reason
    locked.eligibility_decided_by = by
    locked.eligibility_decided_at = timezone.now()
    locked._history_user = by
    locked.save()
    _mail_officers(locked, "eligibility_decided")
    return locked


def deadline_reminders_send(*, at: dt.datetime | None = None, days: int | None = None) -> int:
    """Remind each municipality's officers once per edition, a few days before the deadline.
    Safe to run often: a reminder sent is recorded and never sent again."""
    from accounts.models import User

    at = _now(at)
    days = days if days is not None else getattr(settings, "PRACTICE_REMINDER_DAYS", 3)
    editions = Edition.objects.filter(phase=Phase.OPEN, submissions_open_at__lte=at,
                                      submissions_close_at__gt=at,
                                      submissions_close_at__lte=at + dt.timedelta(days=days))
    sent = 0
    for edition in editions:
        officers = (User.objects.filter(is_active=True, officer_status=OfficerStatus.APPROVED,
                                        municipality__isnull=False)
                    .exclude(email="")
                    .exclude(municipality__deadline_reminders__edition=edition)
                    .select_related("municipality").order_by("municipality_id"))
        by_municipality: dict[int, list] = {}
        for officer in officers:
            by_municipality.setdefault(officer.municipality_id, []).append(officer)
        for municipality_id, people in by_municipality.items():
            with transaction.atomic():
                _reminder, created = DeadlineReminder.objects.get_or_create(
                    edition=edition, municipality_id=municipality_id)
                if not created:
                    continue
                drafts = Entry.objects.filter(
                    edition=edition, practice__municipality_id=municipality_id,
                    status=EntryStatus.DRAFT).count()
                submitted = Entry.objects.filter(
                    edition=edition, practice__municipality_id=municipality_id,
                    status__in=SUBMITTED_STATUSES).count()
                queue_email(to=[person.email for person in people],
                            template="practices/email/deadline_reminder",
                            context={"edition": edition, "municipality": people[0].municipality,
                                     "deadline": edition.local(edition.submissions_close_at),
                                     "drafts": drafts, "submitted": submitted,
                                     "site_url": settings.SITE_URL})
                sent += 1
    return sent
