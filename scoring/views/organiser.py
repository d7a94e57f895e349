"""The organiser's jury pages: the jury of an edition, assignments, progress with reminders,
and the audit record of a sheet. Organisers see every sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from competitions.models import Edition

from ..forms.jury import (
    AreaEveryoneForm,
    AutoAssignForm,
    BoardFilterForm,
    JuryInviteForm,
    ManualAssignForm,
    ReminderForm,
)
from ..models import Assignment
from ..selectors.jury import (
    BoardFilter,
    assignment_board,
    jury_members,
    jury_progress,
    sheet_audit,
    sheet_for_organiser_or_404,
    sheet_rows,
)
from ..services.assignments import (
    AssignmentError,
    AssignmentOutcome,
    assignment_add,
    assignment_remove,
    assignments_area_everyone,
    assignments_auto,
)
from ..services.jury import jury_invite
from ..services.reminders import jury_reminders_send

manage_jury = permission_required("scoring.manage_jury", raise_exception=True)


def _edition(slug: str) -> Edition:
    return get_object_or_404(Edition, slug=slug)


@login_required
@manage_jury
def jury_editions(request):
    editions = Edition.objects.annotate(jury_count=Count("jury", distinct=True)).order_by(
        "-review_open_at")
    return render(request, "scoring/organiser/editions.html", {"editions": editions})


@login_required
@manage_jury
def jury_members_view(request, slug: str):
    """The jury of an edition, and the form to invite someone (for some areas, or all)."""
    edition = _edition(slug)
    form = JuryInviteForm(request.POST or None, edition=edition)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            jury_invite(edition=edition, email=data["email"], by=request.user,
                        areas=list(data["areas"]), first_name=data["first_name"],
                        last_name=data["last_name"])
        except ValidationError as error:  # the account changed since the form checked it
            form.add_error("email", error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.")
                             % {"email": data["email"]})
            return redirect("organiser_jury", slug=edition.slug)
    return render(request, "scoring/organiser/jury.html",
                  {"edition": edition, "members": jury_members(edition=edition), "form": form},
                  status=400 if form.errors else 200)


def _board_filter(request, edition: Edition) -> tuple[BoardFilterForm, BoardFilter]:
    """The board's filter form, bound to the query string, and what it asks for."""
    form = BoardFilterForm(request.GET, edition=edition)
    return form, form.board(request.GET.get("page", ""))


def _assignment_context(request, edition: Edition, **forms) -> dict:
    filter_form, board = _board_filter(request, edition)
    entries = assignment_board(edition=edition, board=board)
    return {
        "edition": edition,
        "entries": entries.rows,
        "page": entries.page,
        "filter_form": filter_form,
        "auto_form": forms.get("auto_form") or AutoAssignForm(edition=edition),
        "everyone_form": forms.get("everyone_form") or AreaEveryoneForm(edition=edition),
        "manual_form": forms.get("manual_form") or ManualAssignForm(
            edition=edition, shown=[row.entry for row in entries.rows]),
    }


def _report(request, outcome: AssignmentOutcome) -> None:
    messages.success(request, ngettext("%(count)d assignment made.",
                                       "%(count)d assignments made.", outcome.created)
                     % {"count": outcome.created})
    if outcome.short:
        names = ", ".join(f"{entry.practice.display_title} ({missing})"
                          for entry, missing in outcome.short.items())
        messages.warning(request, _("Not enough jurors without a conflict for: %(entries)s")
                         % {"entries": names})


@login_required
@manage_jury
def jury_assignments(request, slug: str):
    edition = _edition(slug)
    return render(request, "scoring/organiser/assignments.html",
                  _assignment_context(request, edition))


@require_POST
@login_required
@manage_jury
def jury_assignments_auto(request, slug: str):
    edition = _edition(slug)
    form = AutoAssignForm(request.POST, edition=edition)
    if form.is_valid():
        try:
            outcome = assignments_auto(edition=edition, per_entry=form.cleaned_data["per_entry"],
                                       area=form.cleaned_data["area"], by=request.user)
        except AssignmentError as error:
            form.add_error("per_entry" if error.code == "below_minimum" else None, error)
        else:
            _report(request, outcome)
            return redirect("organiser_jury_assignments", slug=edition.slug)
    return render(request, "scoring/organiser/assignments.html",
                  _assignment_context(request, edition, auto_form=form), status=400)


@require_POST
@login_required
@manage_jury
def jury_assignments_everyone(request, slug: str):
    edition = _edition(slug)
    form = AreaEveryoneForm(request.POST, edition=edition)
    if form.is_valid():
        _report(request, assignments_area_everyone(area=form.cleaned_data["area"],
                                                   by=request.user))
        return redirect("organiser_jury_assignments", slug=edition.slug)
    return render(request, "scoring/organiser/assignments.html",
                  _assignment_context(request, edition, everyone_form=form), status=400)


@require_POST
@login_required
@manage_jury
def jury_assignment_add(request, slug: str):
    edition = _edition(slug)
    form = ManualAssignForm(request.POST, edition=edition)
    if form.is_valid():
        try:
            assignment_add(entry=form.cleaned_data["entry"], juror=form.cleaned_data["juror"],
                           by=request.user)
        except AssignmentError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The juror is assigned."))
            return redirect("organiser_jury_assignments", slug=edition.slug)
    return render(request, "scoring/organiser/assignments.html",
                  _assignment_context(request, edition, manual_form=form), status=400)


@require_POST
@login_required
@manage_jury
def jury_assignment_remove(request, slug: str, assignment_id: int):
    edition = _edition(slug)
    assignment = get_object_or_404(Assignment, pk=assignment_id, entry__edition=edition)
    try:
        assignment_remove(assignment=assignment, by=request.user)
    except AssignmentError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The assignment is removed."))
    return redirect("organiser_jury_assignments", slug=edition.slug)


@login_required
@manage_jury
def jury_progress_view(request, slug: str):
    edition = _edition(slug)
    filter_form, board = _board_filter(request, edition)
    progress = jury_progress(edition=edition, board=board)
    return render(request, "scoring/organiser/progress.html",
                  {"edition": edition, "progress": progress, "page": progress.board.page,
                   "filter_form": filter_form})


@require_POST
@login_required
@manage_jury
def jury_reminders(request, slug: str):
    edition = _edition(slug)
    form = ReminderForm(request.POST)
    if not form.is_valid():  # never widened to every juror
        messages.error(request, _("No reminder sent: the juror is not valid."))
        return redirect("organiser_jury_progress", slug=edition.slug)
    juror = form.cleaned_data["juror"]
    sent = jury_reminders_send(edition=edition, by=request.user,
                               juror_ids=None if juror is None else [juror])
    messages.success(request, ngettext("%(count)d reminder sent.", "%(count)d reminders sent.",
                                       sent) % {"count": sent})
    return redirect("organiser_jury_progress", slug=edition.slug)


@login_required
@permission_required("scoring.view_sheet_audit", raise_exception=True)
def jury_sheet_audit(request, sheet_id: int):
    """A sheet as it is now, and every change made to it: who, when, old and new values."""
    sheet = sheet_for_organiser_or_404(sheet_id=sheet_id)
    return render(request, "scoring/organiser/sheet_audit.html",
                  {"sheet": sheet, "edition": sheet.entry.edition,
                   "rows": sheet_rows(sheet=sheet), "events": sheet_audit(sheet=sheet)})
