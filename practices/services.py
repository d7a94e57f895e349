"""Writes on practices, their files and their entries. Every rule is checked here, on the
server, whatever the request says."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.enums import OfficerStatus
from accounts.mail import queue_email
from accounts.models import User
from accounts.selectors import officer_emails, officers_approved, organiser_emails
from competitions.enums import Phase
from competitions.models import Edition, Municipality, ThematicArea

from .checks import entry_problems
from .enums import EntryStatus
from .models import (
    Attachment,
    ClassificationCheck,
    DeadlineReminder,
    Entry,
    OrganiserDigest,
    Photo,
    Practice,
    Topic,
)
from .rules import can_discard_entry, can_submit_entry, can_withdraw_entry, practice_is_locked
from .validators import (
    IMAGE_CONTENT_TYPES,
    image_attachment_without_metadata,
    photo_without_metadata,
    validate_attachment,
    validate_photo,
    validate_practice_total,
)

PRACTICE_FIELDS = (
    "title", "title_en", "summary", "summary_en", "problem", "problem_en", "actions",
    "actions_en", "partners", "partners_en", "budget", "budget_en", "budget_amount",
    "budget_currency", "results", "results_en", "started_on", "implemented_on",
    "is_sustained", "upgrade_description", "upgrade_description_en", "upgraded_on", "links",
    "contact_name", "contact_email", "contact_phone", "innovation_type",
)


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _refuse_if_locked(practice: Practice, at: dt.datetime | None) -> None:
    if practice_is_locked(practice, at=at):
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
    if "topics" in data:
        _topics_set(practice, data["topics"])
    return practice


def _topics_set(practice: Practice, topics) -> None:
    """The officer's topics: only topics offered now (`Topic.is_active`), except those the
    practice already has (a topic withdrawn from the list stays where it was)."""
    chosen = {topic.pk for topic in topics}
    kept = set(practice.topics.values_list("pk", flat=True)) if practice.pk else set()
    offered = set(Topic.objects.filter(pk__in=chosen - kept, is_active=True)
                  .values_list("pk", flat=True))
    if chosen - kept - offered:
        raise ValidationError({"topics": _("Choose topics from the list.")})
    practice.topics.set(chosen)


class PracticeChanged(ValidationError):
    """The practice was saved elsewhere (another tab, a colleague) after the form was opened,
    and the two saves touch the same fields: nothing is saved. `taken` holds the fields only
    the other save changed, with their saved values (the form takes them over); `conflicts`
    the fields both changed differently, with the saved values (the form keeps the officer's
    and shows the saved one); `version` the practice's version to save against now."""

    def __init__(self, *, version: str, taken: dict, conflicts: dict):
        super().__init__(
            _("This practice was changed in another tab or by someone else since you opened "
              "it, so nothing was saved. Your changes are kept in the form, together with "
              "the other changes; review them and save again."), code="stale")
        self.version, self.taken, self.conflicts = version, taken, conflicts


def practice_version(practice: Practice) -> str:
    """The version of the practice as last saved: the edit form carries it, so that a save
    can tell whether the practice changed since the form was opened."""
    return practice.updated_at.isoformat()


def _saved_as(practice: Practice, version: str):
    """The practice's recorded state at `version`, or None when unknown. A version is an
    aware moment (practice_version); anything else the form sends back (a naive or
    out-of-range date, which the database could not even be asked about) is unknown."""
    try:
        moment = dt.datetime.fromisoformat(version)
        if moment.tzinfo is None:
            return None
        moment = moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return None
    return practice.history.filter(updated_at=moment).order_by("-history_id").first()


def _changed_since(*, practice: Practice, version: str, data: dict) -> PracticeChanged | None:
    """Compare the form (`data`, opened at `version`) with the practice as saved now, field by
    field, against the practice as the form saw it: a field changed only in the form is the
    officer's change; a field changed only since is the other save's; a field changed on both
    sides to different values is a conflict. None when the form is not stale, or when the
    other save touched nothing this form would change back."""
    if version == practice_version(practice):
        return None
    seen = _saved_as(practice, version)
    taken, conflicts = {}, {}
    for name in PRACTICE_FIELDS:
        if name not in data or data[name] == getattr(practice, name):
            continue
        if seen is not None:
            before = getattr(seen, name)
            if getattr(practice, name) == before:
                continue  # only this form changed it
            if data[name] == before:
                taken[name] = getattr(practice, name)  # only the other save changed it
                continue
        conflicts[name] = getattr(practice, name)
    if not taken and not conflicts:
        return None
    return PracticeChanged(version=practice_version(practice), taken=taken, conflicts=conflicts)


@transaction.atomic
def practice_update(*, practice: Practice, by, data: dict, version: str | None = None,
                    at: dt.datetime | None = None) -> Practice:
    """Any approved officer of the municipality may edit, until the deadline of an edition
    where the practice is submitted.

    With the `version` the form was opened at, a save never silently undoes a change saved
    since (in another tab, by a colleague): it is refused with PracticeChanged, which says
    what changed, unless the other save touched none of the fields this one would change
    back."""
    locked = _lock_practice(practice)
    _refuse_if_locked(locked, at)
    if version is not None:
        changed = _changed_since(practice=locked, version=version, data=data)
        if changed is not None:
            raise changed
    for name, value in data.items():
        if name in PRACTICE_FIELDS:
            setattr(locked, name, value)
    locked.full_clean()
    locked._history_user = by
    locked.save()
    if "topics" in data:
        _topics_set(locked, data["topics"])
    return locked


# --- kinds of innovation and topics ---------------------------------------------------
TOPIC_FIELDS = ("name", "name_en", "slug", "order", "is_active")


@transaction.atomic
def topic_save(*, by, data: dict, topic: Topic | None = None) -> Topic:
    """Add a topic to the organiser's list, or change one (its names, order, whether it is
    offered to officers). Recorded in the topic's history."""
    topic = topic if topic is not None else Topic()
    for name in TOPIC_FIELDS:
        if name in data:
            setattr(topic, name, data[name])
    topic.full_clean()
    topic._history_user = by
    topic.save()
    return topic


@transaction.atomic
def practice_classification_check(*, practice: Practice, by, innovation_type: str,
                                  topics, note: str = "") -> ClassificationCheck:
    """An organiser checks the kind of innovation and the topics an officer chose, and may
    correct them (any topic of the list, offered or not); whatever the deadlines, since it
    changes no content the jury scores. Recorded as a ClassificationCheck (before and
    after) and in the practice's history."""
    locked = Practice.objects.select_for_update().get(pk=practice.pk)
    before_topics = sorted(locked.topics.values_list("slug", flat=True))
    check = ClassificationCheck(
        practice=locked, by=by, innovation_type_before=locked.innovation_type,
        innovation_type=innovation_type or "", topics_before=before_topics,
        topics=sorted(topic.slug for topic in topics), note=note)
    check.full_clean(exclude=["by"])
    if locked.innovation_type != check.innovation_type:
        locked.innovation_type = check.innovation_type
        locked._history_user = by
        locked.save(update_fields=["innovation_type", "updated_at"])
    locked.topics.set(list(topics))
    check.save()
    return check


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
    photo._history_user = by  # the audit log's "added by"
    photo.save()
    return photo


@transaction.atomic
def attachment_add(*, practice: Practice, upload, title: str = "", by=None,
                   at: dt.datetime | None = None) -> Attachment:
    """A PDF, office document or image, recognised by its content; an image is stored
    without the metadata its file carried (GPS position, comments)."""
    checked = validate_attachment(upload)
    content, size = upload, checked.size
    if checked.content_type in IMAGE_CONTENT_TYPES:
        content = ContentFile(image_attachment_without_metadata(upload, checked.content_type))
        size = content.size
    locked = _lock_practice(practice)
    _refuse_if_locked(locked, at)
    validate_practice_total(used=_files_used(locked), adding=size)
    attachment = Attachment(practice=locked, title=title, original_name=checked.name,
                            content_type=checked.content_type, size=size)
    attachment.file.save(checked.name, content, save=False)
    attachment._history_user = by
    attachment.save()
    return attachment


@transaction.atomic
def practice_file_delete(*, item: Photo | Attachment, by=None,
                         at: dt.datetime | None = None) -> None:
    locked = _lock_practice(item.practice)
    _refuse_if_locked(locked, at)
    field = item.image if isinstance(item, Photo) else item.file
    name = field.name
    item._history_user = by  # the audit log's "removed by"
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
                                  status__in=EntryStatus.active)
             .exclude(pk=exclude_entry_id).count())
    if taken >= area.edition.max_entries_per_area:
        raise ValidationError(
            ngettext("Your municipality already has %(count)s entry in area %(area)s; the limit "
                     "is %(limit)s. Withdraw it first.",
                     "Your municipality already has %(count)s entries in area %(area)s; the "
                     "limit is %(limit)s. Withdraw one first.", taken)
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
    if not can_submit_entry(locked, at=at):
        if locked.status not in EntryStatus.submittable:
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
    locked.withdrawn_by = None
    locked._history_user = by
    locked.save()
    _mail_officers(locked, "entry_submitted", by=by)
    return locked


@transaction.atomic
def entry_withdraw(*, entry: Entry, by, at: dt.datetime | None = None) -> Entry:
    """Withdraw an entry the organiser has received, only while the edition is open (a draft
    was never submitted: it is discarded, `entry_discard`). Records who withdrew and when."""
    at = _now(at)
    locked = _lock_entry(entry)
    if not can_withdraw_entry(locked, at=at):
        _check_open(locked.edition, at)  # a closed call refuses first, whatever the status
        if locked.status == EntryStatus.WITHDRAWN:
            raise ValidationError(_("This entry is already withdrawn."), code="status")
        if locked.status not in EntryStatus.received:
            raise ValidationError(_("This entry was never submitted: there is nothing to "
                                    "withdraw."), code="status")
    locked.status = EntryStatus.WITHDRAWN
    locked.withdrawn_at = at
    locked.withdrawn_by = by
    locked._history_user = by
    locked.save()
    _mail_officers(locked, "entry_withdrawn", by=by)
    return locked


@transaction.atomic
def entry_discard(*, entry: Entry, by, at: dt.datetime | None = None) -> None:
    """Remove a draft entry, never submitted, while the edition is open: it frees the place
    it took in the municipality's quota for the area. The history keeps the record."""
    at = _now(at)
    locked = _lock_entry(entry)
    if not can_discard_entry(locked, at=at):
        if locked.status != EntryStatus.DRAFT:
            raise ValidationError(_("Only a draft entry, never submitted, can be removed."),
                                  code="status")
        _check_open(locked.edition, at)
    locked._history_user = by
    locked.delete()


@transaction.atomic
def entry_decide_eligibility(*, entry: Entry, by, eligible: bool, reason: str) -> Entry:
    """The organiser's decision on a received entry; a refusal needs a reason, which the
    municipality's officers see."""
    locked = _lock_entry(entry)
    if locked.status not in EntryStatus.received:
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
    at = _now(at)
    days = days if days is not None else settings.PRACTICE_REMINDER_DAYS
    editions = Edition.objects.filter(phase=Phase.OPEN, submissions_open_at__lte=at,
                                      submissions_close_at__gt=at,
                                      submissions_close_at__lte=at + dt.timedelta(days=days))
    sent = 0
    for edition in editions:
        officers = (officers_approved().exclude(email="")
                    .exclude(municipality__deadline_reminders__edition=edition)
                    .select_related("municipality").order_by("municipality_id"))
        by_municipality: dict[int, list] = {}
        for officer in officers:
            by_municipality.setdefault(officer.municipality_id, []).append(officer)
        if not by_municipality:
            continue
        counts = _entry_counts(edition=edition, municipality_ids=list(by_municipality))
        for municipality_id, people in by_municipality.items():
            with transaction.atomic():
                if not _deadline_reminder_record(edition=edition,
                                                 municipality_id=municipality_id):
                    continue
                drafts, submitted = counts.get(municipality_id, (0, 0))
                queue_email(to=[person.email for person in people],
                            template="practices/email/deadline_reminder",
                            context={"edition": edition, "municipality": people[0].municipality,
                                     "deadline": edition.local(edition.submissions_close_at),
                                     "drafts": drafts, "submitted": submitted,
                                     "site_url": settings.SITE_URL})
                sent += 1
    return sent


def _entry_counts(*, edition: Edition, municipality_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per municipality: its draft entries and the entries the organiser received, in
    `edition` (one aggregate query, however many municipalities)."""
    rows = (Entry.objects.filter(edition=edition, practice__municipality_id__in=municipality_ids)
            .values("practice__municipality_id").order_by()
            .annotate(drafts=Count("pk", filter=Q(status=EntryStatus.DRAFT)),
                      submitted=Count("pk", filter=Q(status__in=EntryStatus.received))))
    return {row["practice__municipality_id"]: (row["drafts"], row["submitted"]) for row in rows}


def _deadline_reminder_record(*, edition: Edition, municipality_id: int) -> bool:
    """Record the reminder of `edition` for a municipality; False if one is already recorded
    (a run at the same moment sent it): the unique constraint decides, in one INSERT."""
    try:
        with transaction.atomic():
            DeadlineReminder.objects.create(edition=edition, municipality_id=municipality_id)
    except IntegrityError:
        return False
    return True


# --- the organisers' daily digest of an open call --------------------------------------------
def organiser_digest_send(*, at: dt.datetime | None = None) -> OrganiserDigest | None:
    """Once a day, while a call is open, tell the organisers what is new since the last
    digest (officer registrations, entries submitted to an open edition), each in their own
    language. A day with nothing new sends nothing (the day is still recorded); no open call,
    no digest. Safe to run twice a day: the day is recorded once. Returns the record."""
    at = _now(at)
    day = timezone.localdate(at)
    open_editions = list(Edition.objects.filter(phase=Phase.OPEN).order_by("pk"))
    if not open_editions:
        return None
    with transaction.atomic():
        if OrganiserDigest.objects.select_for_update().filter(day=day).exists():
            return None
        previous = OrganiserDigest.objects.order_by("-until").first()
        since = previous.until if previous else at - dt.timedelta(days=1)
        registrations = list(
            User.objects.filter(date_joined__gte=since, date_joined__lt=at)
            .exclude(officer_status=OfficerStatus.NONE).select_related("municipality")
            .order_by("date_joined", "pk"))
        entries = list(
            Entry.objects.filter(edition__in=open_editions, status__in=EntryStatus.received,
                                 submitted_at__gte=since, submitted_at__lt=at)
            .select_related("practice__municipality", "area", "edition")
            .order_by("edition_id", "area__order", "submitted_at", "pk"))
        digest = OrganiserDigest(day=day, since=since, until=at,
                                 registrations=len(registrations), entries=len(entries))
        if registrations or entries:
            organisers = organiser_emails()
            queue_email(to=organisers, template="practices/email/organiser_digest",
                        context={"registrations": registrations, "entries": entries,
                                 "total": len(registrations) + len(entries),
                                 "since": since, "until": at})
            digest.sent_to = len(organisers)
        digest.save()
    return digest
