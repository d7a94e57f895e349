"""The organiser's console for running an edition through its phases
(`/organiser/editions/<slug>/`): where the edition is, its timeline in its own time zone, what
blocks the next step (counts read through the practices and scoring selectors), and the moves
an organiser may make, each confirmed in a second step. It lives in `portal`, the one app
that may read all the others; the moves themselves are `competitions.lifecycle`'s."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from competitions.enums import Phase
from competitions.forms import PhaseMoveForm, SetupUnlockForm
from competitions.lifecycle import (
    MOVES,
    Move,
    edition_phase_change,
    edition_setup_unlock,
    move_blockers,
    move_is_due,
    moves_from,
    next_move,
)
from competitions.models import Edition, setup_is_locked
from practices.enums import EntryStatus
from practices.selectors import entries_undecided_count
from scoring.selectors.phase import (
    jurors_without_assignments_count,
    runs_since_review_closed_count,
    sheets_missing_count,
)

organise = permission_required("competitions.organise", raise_exception=True)


@dataclass
class Stage:
    phase: str
    label: object
    starts: object = None
    ends: object = None
    state: str = ""  # "done", "current" or ""


@dataclass
class CheckItem:
    label: str
    count: int
    url: str
    wanted: bool = False  # some are needed (runs), rather than none (undecided entries)

    @property
    def ok(self) -> bool:
        return self.count > 0 if self.wanted else self.count == 0


@dataclass
class ConsoleMove:
    move: Move
    needs_reason: bool
    needs_date: bool

    @property
    def target(self) -> str:
        return self.move.target


@dataclass
class Console:
    edition: Edition
    stages: list[Stage]
    transitions: list
    next_move: Move | None
    next_due: bool
    blockers: list[str]
    checklist: list[CheckItem]
    moves: list[ConsoleMove]
    holds: list
    setup_locked: bool
    unlocks: list = field(default_factory=list)


def _stages(edition: Edition) -> list[Stage]:
    dates = {
        Phase.OPEN: (edition.submissions_open_at, edition.submissions_close_at),
        Phase.REVIEW: (edition.review_open_at, edition.review_close_at),
        Phase.RANKED: (edition.review_close_at, None),
        Phase.PUBLISHED: (edition.results_at, None),
    }
    current = edition.phase_index()
    stages = []
    for index, phase in enumerate(Phase):
        starts, ends = dates.get(phase, (None, None))
        state = "current" if index == current else ("done" if index < current else "")
        stages.append(Stage(phase=phase.value, label=phase.label, starts=starts, ends=ends,
                            state=state))
    return stages


def _console_move(edition: Edition, move: Move, at) -> ConsoleMove:
    early = move.forward and move.due_field is not None and not move_is_due(edition, move, at)
    return ConsoleMove(move=move, needs_reason=early or not move.forward,
                       needs_date=bool(move.new_date_field))


def _checklist(edition: Edition) -> list[CheckItem]:
    jury = reverse("organiser_jury_assignments", args=[edition.slug])
    items = [
        CheckItem(_("Submitted entries without an eligibility decision"),
                  entries_undecided_count(edition=edition),
                  reverse("organiser_entry_list", args=[edition.slug])
                  + f"?status={EntryStatus.SUBMITTED}"),
        CheckItem(_("Jurors without assignments"),
                  jurors_without_assignments_count(edition=edition), jury),
        CheckItem(_("Assigned sheets not yet submitted"), sheets_missing_count(edition=edition),
                  reverse("organiser_jury_progress", args=[edition.slug])),
    ]
    if edition.phase in (Phase.REVIEW, Phase.RANKED):
        items.append(CheckItem(_("Ranking runs computed since the review closed"),
                               runs_since_review_closed_count(edition=edition),
                               reverse("organiser_results", args=[edition.slug]), wanted=True))
    return items


def edition_console(*, edition: Edition) -> Console:
    at = timezone.now()
    following = next_move(edition)
    return Console(
        edition=edition,
        stages=_stages(edition),
        transitions=list(edition.phase_transitions.select_related("by").order_by("-at", "-pk")),
        next_move=following,
        next_due=bool(following and move_is_due(edition, following, at)),
        blockers=move_blockers(edition, following, at) if following else [],
        checklist=_checklist(edition),
        moves=[_console_move(edition, move, at) for move in moves_from(edition.phase)
               if move.on_console],
        holds=list(edition.phase_holds.order_by("since")),
        setup_locked=setup_is_locked(edition),
        unlocks=list(edition.setup_unlocks.select_related("by").order_by("-at")),
    )


def _edition(slug: str) -> Edition:
    return get_object_or_404(Edition, slug=slug)


@login_required
@organise
def edition_console_view(request, slug: str):
    edition = _edition(slug)
    return render(request, "portal/edition_console.html",
                  {"console": edition_console(edition=edition)})


CONFIRM_TITLE = gettext_lazy("Confirm: %(move)s")


@require_POST
@login_required
@organise
def edition_move(request, slug: str):
    """Move the edition's phase: the first POST shows what will happen and asks to confirm;
    the second (with `confirm`) moves it through `edition_phase_change`."""
    edition = _edition(slug)
    with timezone.override(edition.tz):
        form = PhaseMoveForm(request.POST)
        valid = form.is_valid()
    move = MOVES.get((edition.phase, form.cleaned_data.get("target"))) if valid else None
    if move is None or not move.on_console:
        messages.error(request, _("This move is not possible from the edition's phase."))
        return render(request, "portal/edition_move_confirm.html",
                      {"edition": edition, "form": form, "move": None}, status=400)
    context = {"edition": edition, "form": form, "move": move,
               "console_move": _console_move(edition, move, timezone.now()),
               "blockers": move_blockers(edition, move) if move.forward else [],
               "title": CONFIRM_TITLE % {"move": move.label}}
    if not form.cleaned_data["confirm"]:
        return render(request, "portal/edition_move_confirm.html", context)
    try:
        edition_phase_change(edition=edition, to=move.target, by=request.user,
                             reason=form.cleaned_data["reason"],
                             new_date=form.cleaned_data["new_date"])
    except ValidationError as refusal:
        for message in refusal.messages:
            form.add_error(None, message)
        return render(request, "portal/edition_move_confirm.html", context, status=400)
    messages.success(request, _("The edition is now “%(phase)s”.")
                     % {"phase": edition.get_phase_display()})
    return redirect("organiser_edition_console", slug=edition.slug)


@require_POST
@login_required
@organise
def edition_unlock(request, slug: str):
    """Unlock the locked set-up, on the record; confirmed in a second step."""
    edition = _edition(slug)
    form = SetupUnlockForm(request.POST)
    context = {"edition": edition, "form": form, "title": _("Unlock the set-up")}
    if not form.is_valid():
        return render(request, "portal/edition_unlock_confirm.html", context, status=400)
    if not form.cleaned_data["confirm"]:
        return render(request, "portal/edition_unlock_confirm.html", context)
    try:
        edition_setup_unlock(edition=edition, by=request.user,
                             reason=form.cleaned_data["reason"])
    except ValidationError as refusal:
        for message in refusal.messages:
            form.add_error(None, message)
        return render(request, "portal/edition_unlock_confirm.html", context, status=400)
    messages.success(request, _("The set-up is unlocked until the first jury sheet is "
                                "submitted."))
    return redirect("organiser_edition_console", slug=edition.slug)

