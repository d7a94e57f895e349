"""The life of an edition: the one service that changes its phase, the table of allowed moves,
the beat's step, and the recorded unlock of a locked set-up.

Nothing else writes `Edition.phase`: the ranking service asks this module to move an edition
to `ranked`, `published` or back; the admin shows the phase read-only; the beat task and the
organiser's console call `edition_phase_change` or `editions_advance_by_date`.

Our own table rather than django-fsm-2: the moves are few (eight), each needs checks that live
in higher apps (eligibility decisions, sheets, runs: registered in `guards`), every refusal
must say why in words an organiser can act on, and the record (who, when, from, to, why) is a
plain model the audit log reads; a decorator on a model method could express none of that
without reaching up the app layers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import guards
from .enums import Phase
from .models import Edition, PhaseHold, PhaseTransition, SetupUnlock, setup_is_locked


class PhaseRefused(ValidationError):
    """A move that cannot happen (yet): `messages` says why, one reason per line."""


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    label: object
    # the normal course (forward); a step back always needs a reason
    forward: bool
    # the date at which the beat makes this move (None: never by date)
    due_field: str | None = None
    # which date an organiser gives anew when taking this step back
    new_date_field: str | None = None
    # on the console (publishing and unpublishing happen on the results page, with the run)
    on_console: bool = True


MOVES: dict[tuple[str, str], Move] = {(m.source, m.target): m for m in (
    Move(Phase.DRAFT, Phase.OPEN, gettext_lazy("Open submissions"), True,
         due_field="submissions_open_at"),
    Move(Phase.OPEN, Phase.REVIEW, gettext_lazy("Close submissions and open the jury review"),
         True, due_field="review_open_at"),
    Move(Phase.REVIEW, Phase.RANKED, gettext_lazy("Close the jury review"), True,
         due_field="review_close_at"),
    Move(Phase.RANKED, Phase.PUBLISHED, gettext_lazy("Publish the results"), True,
         on_console=False),
    Move(Phase.PUBLISHED, Phase.ARCHIVED, gettext_lazy("Archive the edition"), True),
    Move(Phase.REVIEW, Phase.OPEN, gettext_lazy("Extend the submission deadline"), False,
         new_date_field="submissions_close_at"),
    Move(Phase.RANKED, Phase.REVIEW, gettext_lazy("Reopen the jury review"), False,
         new_date_field="review_close_at"),
    Move(Phase.PUBLISHED, Phase.RANKED, gettext_lazy("Unpublish the results"), False,
         on_console=False),
)}


def moves_from(phase: str) -> list[Move]:
    return [move for (source, _target), move in MOVES.items() if source == phase]


def next_move(edition: Edition) -> Move | None:
    """The normal course's next move from the edition's phase."""
    return next((m for m in moves_from(edition.phase) if m.forward), None)


def move_is_due(edition: Edition, move: Move, at: dt.datetime) -> bool:
    return move.due_field is not None and getattr(edition, move.due_field) <= at


def _when(edition: Edition, moment: dt.datetime) -> str:
    return f"{date_format(edition.local(moment), 'DATETIME_FORMAT')} ({edition.time_zone})"


def _own_checks(edition: Edition, move: Move, at: dt.datetime) -> list[str]:
    """What `competitions` itself knows blocks a move: set-up and dates."""
    reasons = []
    if move.target == Phase.OPEN and move.source == Phase.DRAFT:
        if not edition.areas.exists():
            reasons.append(_("The edition has no thematic areas."))
        if not edition.criteria.exists():
            reasons.append(_("The edition has no criteria."))
        if edition.submissions_close_at <= at:
            reasons.append(_("The submission deadline (%(when)s) has passed: set a later one.")
                           % {"when": _when(edition, edition.submissions_close_at)})
    if move.target == Phase.REVIEW and move.source == Phase.OPEN \
            and edition.submissions_close_at > at:
        reasons.append(_("Submissions are open until %(when)s.")
                       % {"when": _when(edition, edition.submissions_close_at)})
    if move.target == Phase.RANKED and move.source == Phase.REVIEW \
            and edition.review_close_at > at:
        reasons.append(_("The jury review is open until %(when)s.")
                       % {"when": _when(edition, edition.review_close_at)})
    return reasons


def move_blockers(edition: Edition, move: Move, at: dt.datetime | None = None) -> list[str]:
    """Everything that stops `move` at `at`, ours and the higher apps' (registered)."""
    at = at or timezone.now()
    return _own_checks(edition, move, at) + guards.blockers(
        (move.source, move.target), edition, at)


def _bring_dates_forward(edition: Edition, move: Move, at: dt.datetime) -> None:
    """An organiser's early move makes the edition's dates say what happened."""
    if move.source == Phase.DRAFT and move.target == Phase.OPEN:
        edition.submissions_open_at = min(edition.submissions_open_at, at)
    elif move.source == Phase.OPEN and move.target == Phase.REVIEW:
        edition.submissions_close_at = min(edition.submissions_close_at, at)
        edition.review_open_at = min(edition.review_open_at, at)
    elif move.source == Phase.REVIEW and move.target == Phase.RANKED:
        edition.review_close_at = min(edition.review_close_at, at)


def _set_new_date(edition: Edition, move: Move, new_date: dt.datetime | None,
                  at: dt.datetime) -> None:
    """A step back gives the reopened phase a new, later closing time; the review that
    follows a reopened submission window moves with it, keeping its length."""
    if new_date is None or new_date <= at:
        raise PhaseRefused(_("Give a new closing time later than now."), code="new_date")
    if move.new_date_field == "submissions_close_at":
        length = edition.review_close_at - edition.review_open_at
        edition.submissions_close_at = new_date
        if edition.review_open_at < new_date:
            edition.review_open_at = new_date
            edition.review_close_at = max(edition.review_close_at, new_date + length)
    elif move.new_date_field == "review_close_at":
        edition.review_close_at = new_date
        if edition.results_at is not None and edition.results_at < new_date:
            edition.results_at = None


@transaction.atomic
def edition_phase_change(*, edition: Edition, to: str, by=None, reason: str = "",
                         new_date: dt.datetime | None = None,
                         at: dt.datetime | None = None) -> PhaseTransition:
    """Move `edition` to phase `to` along an allowed move, or refuse with every reason.

    The normal course when its date has passed (the beat task, `by` None) needs no reason; an
    organiser's early move or a step back does, and a step back that reopens a phase gives its
    new closing time. The move is checked (our set-up and dates, then the higher apps'
    registered checks), recorded as a `PhaseTransition`, and clears any hold on it. `edition`
    is updated in place.
    """
    at = at or timezone.now()
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    move = MOVES.get((locked.phase, to))
    if move is None:
        raise PhaseRefused(
            _("An edition cannot go from “%(source)s” to “%(target)s”.")
            % {"source": locked.get_phase_display(), "target": Phase(to).label},
            code="not_allowed")
    reason = (reason or "").strip()
    early = move.forward and move.due_field is not None and not move_is_due(locked, move, at)
    if ((early and by is not None) or not move.forward) and not reason:
        raise PhaseRefused(
            _("Say why: “%(move)s” is not the normal course of the edition now.")
            % {"move": move.label}, code="reason")
    if early and by is not None:
        _bring_dates_forward(locked, move, at)
    if move.new_date_field:
        _set_new_date(locked, move, new_date, at)
    reasons = move_blockers(locked, move, at)
    if reasons:
        raise PhaseRefused(reasons, code="blocked")
    source = locked.phase
    locked.phase = to
    if to == Phase.PUBLISHED and locked.results_at is None:
        locked.results_at = at
    locked.full_clean(exclude=["slug"])
    locked.save()
    transition = PhaseTransition.objects.create(edition=locked, source=source, target=to,
                                                by=by, at=at, reason=reason)
    PhaseHold.objects.filter(edition=locked).delete()
    for name in ("phase", "submissions_open_at", "submissions_close_at", "review_open_at",
                 "review_close_at", "results_at", "updated_at"):
        setattr(edition, name, getattr(locked, name))
    return transition


# --- the beat: dates drive the phases -----------------------------------------------------
def edition_advance_by_date(*, edition: Edition, at: dt.datetime | None = None) -> str:
    """Make the moves whose dates have passed, one after another (an edition whose review
    dates also passed goes on), or hold with the reasons. Returns the phase reached."""
    at = at or timezone.now()
    while True:
        move = next_move(edition)
        if move is None or not move_is_due(edition, move, at):
            # a hold whose move is no longer due (its date was put back) says nothing now
            PhaseHold.objects.filter(edition=edition).delete()
            return edition.phase
        try:
            edition_phase_change(edition=edition, to=move.target, by=None, at=at)
        except PhaseRefused as refusal:
            _hold(edition=edition, move=move, reasons=refusal.messages, at=at)
            return edition.phase


def editions_advance_by_date(*, at: dt.datetime | None = None) -> dict[str, str]:
    """Every edition whose phase the dates drive: slug -> the phase it is in afterwards."""
    at = at or timezone.now()
    reached = {}
    for edition in Edition.objects.filter(phase__in=Phase.date_driven).order_by("pk"):
        reached[edition.slug] = edition_advance_by_date(edition=edition, at=at)
    return reached


@transaction.atomic
def _hold(*, edition: Edition, move: Move, reasons: list[str], at: dt.datetime) -> PhaseHold:
    """Record why a due move waits; tell the organisers once, when the hold begins."""
    hold, created = PhaseHold.objects.select_for_update().get_or_create(
        edition=edition, target=move.target,
        defaults={"reasons": reasons, "since": at, "checked_at": at})
    if not created:
        hold.reasons = reasons
        hold.checked_at = at
        hold.save(update_fields=["reasons", "checked_at"])
    if hold.notified_at is None:
        _tell_organisers(edition=edition, move=move, reasons=reasons)
        hold.notified_at = at
        hold.save(update_fields=["notified_at"])
    return hold


def _tell_organisers(*, edition: Edition, move: Move, reasons: list[str]) -> None:
    # the mail outbox and the organisers' addresses: leaves of accounts
    from accounts.mail import absolute_url, queue_email
    from accounts.selectors import organiser_emails

    url = absolute_url(reverse("organiser_edition_console", args=[edition.slug]))
    queue_email(to=organiser_emails(), template="competitions/email/phase_held",
                context={"edition": edition, "move": move, "reasons": reasons, "url": url})


# --- the set-up lock ------------------------------------------------------------------------
@transaction.atomic
def edition_setup_unlock(*, edition: Edition, by, reason: str) -> SetupUnlock:
    """Unlock the set-up of an edition in review, on the record, so a mistake found before
    the jury started can be put right. Refused once any jury sheet is submitted: the way out
    then is a copy of the edition."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the set-up is unlocked."), code="reason")
    if not setup_is_locked(edition):
        raise ValidationError(_("The set-up of this edition is not locked."), code="unlocked")
    blocking = guards.blockers(guards.SETUP_UNLOCK, edition, timezone.now())
    if blocking:
        raise ValidationError(
            [*blocking, _("The set-up stays as the jurors scored it: copy the edition to "
                          "change it.")], code="sheets_submitted")
    return SetupUnlock.objects.create(edition=edition, by=by, reason=reason)
