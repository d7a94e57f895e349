"""Writes on follow-up reports, adoptions and questions. Every rule is checked here."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.mail import absolute_url, queue_email
from accounts.rules import is_officer
from accounts.selectors import officers_approved
from practices.models import Practice
from practices.services import PRACTICE_FIELDS
from practices.validators import photo_without_metadata, validate_photo
from scoring.selectors.public import practice_is_public

from .enums import AdoptionKind, FollowUpStatus, PracticeState
from .models import Adoption, FollowUpPhoto, FollowUpReport, Question, QuestionReply
from .rules import follow_up_is_checkable, follow_up_is_writable
from .selectors import follow_ups_due

# Photos per follow-up report: a timeline entry, not an album.
FOLLOW_UP_PHOTOS_MAX = 6


def _officers(municipality_id: int) -> list:
    return list(officers_approved(municipality_id=municipality_id).exclude(email=""))


def follow_ups_request(*, at: dt.datetime | None = None) -> int:
    """Ask the municipality of every public practice for its follow-up report once each
    round has come (`Edition.follow_up_months` after publication). Safe to run often: a
    report asked for is recorded, and never asked for again. Returns how many were asked."""
    at = at or timezone.now()
    asked = 0
    for due in follow_ups_due(at=at):
        for practice in Practice.objects.filter(pk__in=due.practice_ids).select_related(
                "municipality"):
            with transaction.atomic():
                report, created = FollowUpReport.objects.get_or_create(
                    practice=practice, edition=due.edition, months=due.months,
                    defaults={"due_on": due.due_on})
                if not created:
                    continue
                queue_email(to=_officers(practice.municipality_id),
                            template="uptake/email/follow_up_requested",
                            context={"practice": practice, "edition": due.edition,
                                     "months": due.months,
                                     "url": absolute_url(reverse("followup_edit",
                                                                 args=[report.pk]))})
                asked += 1
    return asked


def _lock(report: FollowUpReport) -> FollowUpReport:
    return (FollowUpReport.objects.select_for_update()
            .select_related("practice__municipality", "edition").get(pk=report.pk))


@transaction.atomic
def follow_up_submit(*, report: FollowUpReport, by, state: str, figures: str,
                     text: str) -> FollowUpReport:
    """The municipality's answer, sent for an organiser's check: only while the report is
    asked for or was sent back, and saying what became of the practice."""
    locked = _lock(report)
    if not follow_up_is_writable(locked):
        raise ValidationError(_("This report was already sent."), code="status")
    if state not in PracticeState.values:
        raise ValidationError({"state": _("Say whether the practice still runs.")},
                              code="state")
    if not (text or "").strip():
        raise ValidationError({"text": _("Say in a few words what became of the practice.")},
                              code="text")
    locked.state, locked.figures, locked.text = state, figures.strip(), text.strip()
    locked.status = FollowUpStatus.SUBMITTED
    locked.submitted_at, locked.submitted_by = timezone.now(), by
    locked.rejection_reason = ""
    locked._history_user = by
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def follow_up_photo_add(*, report: FollowUpReport, upload, caption: str = "",
                        alt_text: str = "", by=None) -> FollowUpPhoto:
    """A photo of the report, checked and re-encoded without its metadata exactly as a
    practice's photos are (practices.validators), while the report may still be written."""
    checked = validate_photo(upload)
    content, width, height = photo_without_metadata(upload, checked.content_type)
    locked = _lock(report)
    if not follow_up_is_writable(locked):
        raise ValidationError(_("This report was already sent."), code="status")
    if FollowUpPhoto.objects.filter(report=locked).count() >= FOLLOW_UP_PHOTOS_MAX:
        raise ValidationError(_("A report has at most %(count)d photos.")
                              % {"count": FOLLOW_UP_PHOTOS_MAX}, code="photos")
    photo = FollowUpPhoto(report=locked, caption=caption, alt_text=alt_text, size=len(content))
    photo.image.save(checked.name, ContentFile(content), save=False)
    photo.width, photo.height = width, height
    photo._history_user = by
    photo.save()
    return photo


@transaction.atomic
def follow_up_decide(*, report: FollowUpReport, by, approve: bool,
                     reason: str = "") -> FollowUpReport:
    """An organiser's check of a report sent: approved, it appears on the public practice
    page; sent back, it needs a reason, which the municipality's officers are told."""
    locked = _lock(report)
    if not follow_up_is_checkable(locked):
        raise ValidationError(_("This report is not waiting to be checked."), code="status")
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Give the reason for sending the report back.")},
                              code="reason")
    locked.status = FollowUpStatus.APPROVED if approve else FollowUpStatus.REJECTED
    locked.rejection_reason = "" if approve else reason
    locked.decided_at, locked.decided_by = timezone.now(), by
    locked._history_user = by
    locked.save()
    queue_email(to=_officers(locked.practice.municipality_id),
                template="uptake/email/follow_up_decided",
                context={"report": locked, "practice": locked.practice, "approved": approve,
                         "reason": reason,
                         "url": absolute_url(reverse("followup_edit", args=[locked.pk]))})
    return locked


def _refuse_unless_other_public(practice: Practice, by) -> None:
    if not is_officer(by) or by.municipality_id == practice.municipality_id:
        raise ValidationError(_("Only an officer of another municipality can do this."),
                              code="municipality")
    if not practice_is_public(practice):
        raise ValidationError(_("This practice is not published."), code="not_public")


@transaction.atomic
def adoption_record(*, practice: Practice, by, adopted_on: dt.date, note: str = "",
                    kind: str = AdoptionKind.ADOPTED) -> Adoption:
    """An officer records that their municipality adopted (or adapted) a published practice
    of another municipality, once; the practice's municipality is told."""
    _refuse_unless_other_public(practice, by)
    if adopted_on > timezone.localdate():
        raise ValidationError({"adopted_on": _("The date cannot be in the future.")},
                              code="future")
    adoption = Adoption(practice=practice, municipality_id=by.municipality_id, kind=kind,
                        adopted_on=adopted_on, note=(note or "").strip(), recorded_by=by)
    adoption._history_user = by
    adoption.full_clean()
    adoption.save()
    queue_email(to=_officers(practice.municipality_id), template="uptake/email/adopted",
                context={"practice": practice, "adoption": adoption,
                         "municipality": by.municipality,
                         "url": absolute_url(reverse("showcase:practice", args=[practice.pk]))})
    return adoption


@transaction.atomic
def question_send(*, practice: Practice, by, text: str) -> Question:
    """An officer's question to the municipality of a published practice: recorded, and
    sent to each of its approved officers separately (nobody sees another's address, nor
    the asker's: the answer is written on the portal's page of the question)."""
    _refuse_unless_other_public(practice, by)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your question.")}, code="text")
    question = Question(practice=practice, from_municipality_id=by.municipality_id,
                        asked_by=by, text=text)
    question.full_clean()
    question.save()
    url = absolute_url(reverse("question_page", args=[question.pk]))
    for officer in _officers(practice.municipality_id):
        queue_email(to=[officer], template="uptake/email/question",
                    context={"practice": practice, "question": question,
                             "municipality": by.municipality, "url": url})
    return question


@transaction.atomic
def question_answer(*, question: Question, by, text: str) -> QuestionReply:
    """The practice's municipality answers on the portal; the asker is e-mailed the answer
    (and a link to the page), without the answering officer's address."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your answer.")}, code="text")
    reply = QuestionReply(question=question, by=by, text=text)
    reply.full_clean()
    reply.save()
    if question.asked_by is not None and question.asked_by.email:
        queue_email(to=[question.asked_by], template="uptake/email/answer",
                    context={"practice": question.practice, "question": question,
                             "reply": reply,
                             "url": absolute_url(reverse("question_page",
                                                         args=[question.pk]))})
    return reply


def practice_sustained_initial(*, practice: Practice, report: FollowUpReport | None) -> dict:
    """What the form of the practice entered again as "sustained and upgraded" starts
    from: the practice as it was, marked sustained, with what the follow-up recorded."""
    initial = {name: getattr(practice, name) for name in PRACTICE_FIELDS}
    initial["is_sustained"] = True
    if report is not None:
        initial["upgrade_description"] = report.text
        if report.figures:
            initial["results"] = "\n\n".join(part for part in (practice.results,
                                                               report.figures) if part)
    return initial
