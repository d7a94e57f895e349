"""What organisers and the booklet's task change: the release of jury comments, and the
booklets (made once per run and language, by the Celery task, with their progress)."""

from __future__ import annotations

import logging
import tempfile

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from competitions.models import Criterion
from scoring.enums import RunStatus, SheetStatus
from scoring.models import JurySheet, RankingRun
from scoring.selectors.rounds import final_round_id

from .enums import BOOKLET_LANGUAGES, CommentDecision
from .models import Booklet, CommentRelease

logger = logging.getLogger(__name__)


class GivebackError(ValidationError):
    """An action the rules refuse; the message says why."""


def comment_release_decide(*, sheet: JurySheet, criterion: Criterion | None, decision: str,
                           text: str, by: User) -> CommentRelease:
    """Record the organiser's decision on one comment of a counted sheet: released as
    `text` (the organiser may edit it; an empty text releases nothing) or withheld. Each
    decision is kept in the release's history with who made it."""
    if decision not in CommentDecision.values:
        raise GivebackError(_("Choose to release or to withhold the comment."))
    if sheet.status != SheetStatus.SUBMITTED or sheet.recused:
        raise GivebackError(_("Only the comments of submitted sheets reach a municipality."))
    if not JurySheet.objects.filter(pk=sheet.pk,
                                    round=final_round_id(sheet.entry.edition_id)).exists():
        raise GivebackError(_("Only the comments of the final round reach a municipality."))
    if criterion is not None and criterion.edition_id != sheet.entry.edition_id:
        raise GivebackError(_("This criterion is not one of the edition's."))
    text = (text or "").strip() if decision == CommentDecision.RELEASED else ""
    with transaction.atomic():
        release = (CommentRelease.objects.select_for_update()
                   .filter(sheet=sheet, criterion=criterion).first()
                   or CommentRelease(sheet=sheet, criterion=criterion))
        release.decision, release.text, release.decided_by = decision, text, by
        release._history_user = by
        release.full_clean(validate_constraints=False)
        release.save()
    return release


# --- booklets -----------------------------------------------------------------------------
def booklet_request(*, run: RankingRun, language: str) -> Booklet:
    """The booklet of `run` in `language`: the one made already (or being made), else a
    new one handed to the Celery task once committed. A booklet is made once per run: a
    new published run makes a new one; a failed one is tried again."""
    if language not in BOOKLET_LANGUAGES:
        raise GivebackError(_("No booklet in this language."))
    booklet = Booklet.objects.filter(run=run, language=language).first()
    if booklet is not None and booklet.status != RunStatus.FAILED:
        return booklet
    try:
        with transaction.atomic():
            if booklet is None:
                booklet = Booklet.objects.create(run=run, language=language)
            else:
                Booklet.objects.filter(pk=booklet.pk).update(
                    status=RunStatus.QUEUED, progress=0, progress_message="queued",
                    error="")
    except IntegrityError:  # made meanwhile by another request
        return Booklet.objects.get(run=run, language=language)

    def enqueue() -> None:
        from .tasks import booklet_generate

        booklet_generate.delay(booklet.pk)

    transaction.on_commit(enqueue)
    return booklet


def booklet_regenerate(*, run: RankingRun, by: User) -> list[Booklet]:
    """The organiser's "print again" (after editing the introduction, say): the run's
    booklets are made anew in every language."""
    logger.info("booklets of run %s made again by %s", run.pk, by.pk)
    Booklet.objects.filter(run=run).exclude(
        status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).update(
        status=RunStatus.FAILED, error="replaced")
    return [booklet_request(run=run, language=language) for language in BOOKLET_LANGUAGES]


def _progress(booklet_id: int, percent: int, stage: str, **fields) -> None:
    Booklet.objects.filter(pk=booklet_id).update(progress=percent, progress_message=stage,
                                                 **fields)


def booklet_build(*, booklet_id: int) -> Booklet:
    """What the task does: read the run's record, typeset the booklet (reporting its
    progress page by page), store the file with the run. A booklet already made is left
    as it is, so the task is safe to retry."""
    from .pdf import booklet_pdf
    from .selectors import booklet_data

    booklet = Booklet.objects.select_related("run__edition").get(pk=booklet_id)
    if booklet.status == RunStatus.SUCCEEDED and booklet.file:
        return booklet
    _progress(booklet.pk, 5, "loading", status=RunStatus.RUNNING)
    try:
        data = booklet_data(run=booklet.run)
        expected = max(1, data.page_estimate)
        _progress(booklet.pk, 10, "typesetting")
        last = [0]

        def on_page(page: int) -> None:
            percent = 10 + min(85, 85 * page // expected)
            if percent >= last[0] + 5:
                last[0] = percent
                _progress(booklet.pk, percent, "typesetting")

        with tempfile.TemporaryFile() as target:
            pages = booklet_pdf(data, language=booklet.language, target=target,
                                on_page=on_page)
            _progress(booklet.pk, 96, "storing")
            target.seek(0)
            name = f"{booklet.run.edition.slug}-booklet-{booklet.language}.pdf"
            if booklet.file:
                booklet.file.delete(save=False)
            booklet.file.save(name, File(target), save=False)
    except Exception as error:  # recorded on the booklet, shown to the organiser
        logger.exception("booklet %s failed", booklet.pk)
        Booklet.objects.filter(pk=booklet.pk).update(
            status=RunStatus.FAILED, error=str(error)[:2000], progress_message="failed")
        booklet.refresh_from_db()
        return booklet
    Booklet.objects.filter(pk=booklet.pk).update(
        file=booklet.file.name, pages=pages, status=RunStatus.SUCCEEDED, progress=100,
        progress_message="done", finished_at=timezone.now(), error="")
    booklet.refresh_from_db()
    return booklet
