"""The juror's pages: assigned entries, an entry read-only, the sheet. A juror reaches only
entries assigned to them (404 otherwise) and only ever their own sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh
from rules.contrib.views import permission_required

from competitions.models import Edition

from ..enums import SheetStatus
from ..forms.jury import RecusalForm, sheet_values_from_post
from ..models import JurySheet
from ..rules import (
    entry_is_scorable,
    review_is_over,
    round_scoring_closed,
    round_scoring_open,
    sheet_can_declare_conflict,
    sheet_can_withdraw_conflict,
    sheet_is_editable,
    sheet_is_reopenable,
    sheet_round,
)
from ..selectors.jury import (
    JurorEditionBlock,
    assigned_entry_or_404,
    juror_dashboard_blocks,
    sheet_rows,
)
from ..selectors.rounds import assigned_round
from ..services.sheets import (
    SheetError,
    SheetLocked,
    sheet_get_or_create,
    sheet_recusal_withdraw,
    sheet_recuse,
    sheet_reopen,
    sheet_save,
    sheet_submit,
)


def _assigned_entry(request, entry_id: int, **kwargs):
    """The permission object of juror views: 404 unless the entry is assigned to them."""
    request.jury_entry = assigned_entry_or_404(user=request.user, entry_id=entry_id)
    return request.jury_entry


def _asked_round(request) -> int | None:
    """The round named in the sheet's address (`?round=2`: a dashboard row of an earlier
    round), else None: the latest round the entry is assigned to the juror in."""
    asked = request.GET.get("round")
    if asked is None:
        return None
    if not asked.isdigit():
        raise Http404
    return int(asked)


def _own_sheet(request) -> JurySheet:
    """The signed-in juror's sheet for the entry in the round asked for (by default the
    latest round it is assigned to them in), unsaved until they first write to it; 404 for
    a round in which the entry is not assigned to them."""
    entry = request.jury_entry
    judging_round = assigned_round(entry=entry, juror=request.user,
                                   number=_asked_round(request))
    if judging_round is None:
        raise Http404
    sheet = JurySheet.objects.filter(entry=entry, juror=request.user,
                                     round=judging_round).first()
    if sheet is None:
        sheet = JurySheet(entry=entry, juror=request.user)
    sheet.entry = entry
    sheet.round = judging_round
    return sheet


def _error_messages(error: SheetError) -> tuple[dict[str, list[str]], list[str]]:
    """Field errors and general errors of a refused change."""
    if hasattr(error, "error_dict"):
        fields = {name: [str(message) for item in error_list for message in item.messages]
                  for name, error_list in error.error_dict.items()}
        return fields, fields.pop("__all__", [])
    return {}, [str(message) for message in error.messages]


def _error_text(error: SheetError) -> str:
    fields, general = _error_messages(error)
    return " ".join(general + [message for found in fields.values() for message in found])


class RowState:
    """What a juror can do with an entry of their list now, as the list says it."""

    SCORE = "score"  # the sheet can be changed: "Score"
    OPENS = "opens"  # the review has not opened: "Scoring opens on <date>"
    SUBMITTED = "submitted"  # submitted, locked: "Submitted on <date>"
    RECUSED = "recused"  # a conflict of interest declared
    LOCKED = "locked"  # the review is over: "Locked"


def _with_row_states(blocks: list[JurorEditionBlock], at) -> list[JurorEditionBlock]:
    """Each row's state from the sheet predicates (scoring.rules), with the date it names."""
    for block in blocks:
        for row in block.rows:
            sheet = row.sheet
            row.date = None
            if sheet_is_editable(sheet, at):
                row.state = RowState.SCORE
            elif sheet.recused:
                row.state = RowState.RECUSED
            elif sheet.status == SheetStatus.SUBMITTED:
                row.state, row.date = RowState.SUBMITTED, sheet.submitted_at
            elif (not round_scoring_closed(sheet_round(sheet), at)
                  and not round_scoring_open(sheet_round(sheet), at)):
                row.state, row.date = RowState.OPENS, sheet.round.review_open_at
            else:
                row.state = RowState.LOCKED
    return blocks


@login_required
@permission_required("scoring.view_jury_dashboard", raise_exception=True)
def juror_dashboard(request):
    """The editions whose review is not over in full; finished ones one line each, with a
    link to their own list."""
    at = timezone.now()
    blocks = _with_row_states(juror_dashboard_blocks(user=request.user), at)
    return render(request, "scoring/juror_dashboard.html", {
        "blocks": [block for block in blocks if not review_is_over(block.edition, at)],
        "past_blocks": [block for block in blocks if review_is_over(block.edition, at)]})


@login_required
@permission_required("scoring.view_jury_dashboard", raise_exception=True)
@require_GET
def juror_edition(request, slug: str):
    """Every entry the juror had in one edition (a finished one, from the dashboard)."""
    edition = get_object_or_404(Edition, slug=slug)
    blocks = _with_row_states(juror_dashboard_blocks(user=request.user, edition=edition),
                              timezone.now())
    if not blocks:  # not on that jury: as if it did not exist
        raise Http404
    return render(request, "scoring/juror_edition.html", {"edition_block": blocks[0]})


@login_required
@permission_required("scoring.view_assigned_entry", fn=_assigned_entry, raise_exception=True)
def juror_entry(request, entry_id: int):
    entry = request.jury_entry
    return render(request, "scoring/juror_entry.html",
                  {"entry": entry, "practice": entry.practice})


def _sheet_context(request, sheet: JurySheet, *, data=None, field_errors=None,
                   general_errors=None) -> dict:
    entry = request.jury_entry
    edition = entry.edition
    rows = sheet_rows(sheet=sheet, data=data)
    field_errors = field_errors or {}
    for row in rows:
        row.errors = field_errors.get(row.score_field, []) + field_errors.get(
            row.comment_field, [])
    at = timezone.now()
    judging_round = sheet_round(sheet)
    in_review = round_scoring_open(judging_round, at)
    return {
        "entry": entry, "edition": edition, "sheet": sheet, "rows": rows,
        "in_review": in_review, "scorable": entry_is_scorable(entry),
        "editable": sheet_is_editable(sheet, at),
        "reopenable": sheet_is_reopenable(sheet, at),
        "can_declare_conflict": sheet_can_declare_conflict(sheet, at),
        "can_withdraw_conflict": sheet_can_withdraw_conflict(sheet, at),
        "overall_comment": (data.get("overall_comment", sheet.overall_comment)
                            if data is not None else sheet.overall_comment),
        "field_errors": field_errors, "general_errors": general_errors or [],
        "closes_at": edition.local(judging_round.review_close_at),
        "opens_at": edition.local(judging_round.review_open_at),
        "judging_round": judging_round,
    }


@never_cache
@login_required
@permission_required("scoring.score_entry", fn=_assigned_entry, raise_exception=True)
def jury_sheet(request, entry_id: int):
    """The sheet: GET shows it; POST saves the whole form as a draft, or submits it. Never
    cached: the back button after submitting asks again and shows the sheet locked."""
    if request.method != "POST":
        return render(request, "scoring/jury_sheet.html",
                      _sheet_context(request, _own_sheet(request)))
    entry = request.jury_entry
    criteria = list(entry.edition.criteria.all())
    scores, comments, overall, parse_errors = sheet_values_from_post(request.POST, criteria)
    submit = request.POST.get("action") == "submit"
    try:
        if parse_errors:
            raise SheetError(parse_errors)
        sheet = sheet_get_or_create(entry=entry, juror=request.user)
        service = sheet_submit if submit else sheet_save
        # the review's closing time counts from when the request reached the server
        service(sheet=sheet, by=request.user, scores=scores, comments=comments,
                overall_comment=overall, at=request.arrived_at)
    except SheetError as error:
        fields, general = _error_messages(error)
        sheet = _own_sheet(request)
        return render(request, "scoring/jury_sheet.html",
                      _sheet_context(request, sheet, data=request.POST, field_errors=fields,
                                     general_errors=general), status=400)
    if submit:
        messages.success(request, _("Your sheet is submitted. You can reopen it until the "
                                    "review closes."))
        return redirect("juror_dashboard")
    messages.success(request, _("Draft saved."))
    return redirect("jury_sheet", entry_id=entry.pk)


@require_POST
@login_required
@permission_required("scoring.score_entry", fn=_assigned_entry, raise_exception=True)
def jury_sheet_autosave(request, entry_id: int):
    """htmx: save the fields sent (usually one) and answer with a short status line."""
    entry = request.jury_entry
    criteria = list(entry.edition.criteria.all())
    scores, comments, overall, parse_errors = sheet_values_from_post(request.POST, criteria)
    context = {"saved_at": None, "errors": []}
    try:
        if parse_errors:
            raise SheetError(parse_errors)
        sheet = sheet_get_or_create(entry=entry, juror=request.user)
        sheet_save(sheet=sheet, by=request.user, scores=scores, comments=comments,
                   overall_comment=overall, at=request.arrived_at)
        context["saved_at"] = entry.edition.local(timezone.now())
    except SheetLocked as error:
        # The page is out of date (submitted in another tab, say): reload it to show the
        # sheet as it is, saying why. A beacon sent as the page closed is answered as any
        # refusal: nobody reads it, and no message waits for the juror's next page.
        if request.htmx:
            messages.warning(request, _("Not saved: %(reason)s The sheet is shown as it is "
                                        "now.") % {"reason": _error_text(error)})
            return HttpResponseClientRefresh()
        context["errors"] = [_error_text(error)]
    except SheetError as error:
        context["errors"] = [_error_text(error)]
    return render(request, "scoring/_autosave_status.html", context,
                  status=200 if not context["errors"] else 422)


@require_POST
@login_required
@permission_required("scoring.score_entry", fn=_assigned_entry, raise_exception=True)
def jury_sheet_reopen(request, entry_id: int):
    sheet = _own_sheet(request)
    try:
        if sheet.pk is None:
            raise SheetError(_("This sheet is not submitted."))
        sheet_reopen(sheet=sheet, by=request.user, at=request.arrived_at)
    except SheetError as error:
        messages.error(request, _error_text(error))
        return redirect("jury_sheet", entry_id=entry_id)
    messages.success(request, _("The sheet is open again. Submit it once more when you are "
                                "done."))
    return redirect("jury_sheet", entry_id=entry_id)


@login_required
@permission_required("scoring.score_entry", fn=_assigned_entry, raise_exception=True)
def jury_sheet_recuse(request, entry_id: int):
    """Declare a conflict of interest instead of scoring, with a reason."""
    entry = request.jury_entry
    if request.method != "POST" and not sheet_can_declare_conflict(_own_sheet(request)):
        # Nothing to declare now (submitted, already declared, the review over): the sheet
        # page says what is possible.
        return redirect("jury_sheet", entry_id=entry.pk)
    form = RecusalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = sheet_get_or_create(entry=entry, juror=request.user)
            sheet_recuse(sheet=sheet, by=request.user, reason=form.cleaned_data["reason"],
                         at=request.arrived_at)
        except SheetError as error:
            fields, general = _error_messages(error)
            for message in general + fields.pop("reason", []):
                form.add_error(None, message)
        else:
            messages.success(request, _("Your conflict of interest is recorded. Your sheet for "
                                        "this entry will not count."))
            return redirect("juror_dashboard")
    return render(request, "scoring/jury_recuse.html", {"entry": entry, "form": form},
                  status=400 if form.errors else 200)


@require_POST
@login_required
@permission_required("scoring.score_entry", fn=_assigned_entry, raise_exception=True)
def jury_sheet_recusal_withdraw(request, entry_id: int):
    sheet = _own_sheet(request)
    try:
        if sheet.pk is None:
            raise SheetError(_("No conflict of interest is declared on this sheet."))
        sheet_recusal_withdraw(sheet=sheet, by=request.user, at=request.arrived_at)
    except SheetError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The declaration is withdrawn: you can score the entry."))
    return redirect("jury_sheet", entry_id=entry_id)
