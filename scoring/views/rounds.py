"""Judging rounds: the organiser's rounds page, the shortlist of an area between rounds, the
panel's assignments of a later round, and the site-visit notes of a round (organisers and
that round's panel of the area only)."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from rules.contrib.views import permission_required

from competitions.models import Edition, ThematicArea
from practices.models import Entry

from ..forms.rounds import RoundAddForm, ShortlistHandForm, ShortlistRuleForm, SiteVisitForm
from ..models import SiteVisit
from ..selectors.rounds import (
    RoundEntry,
    round_for_edition,
    rounds_overview,
    shortlist_page,
    site_visits_of,
)
from ..services.assignments import assignments_area_everyone
from ..services.rounds import RoundError, round_add, round_shortlist, site_visit_add

manage_jury = permission_required("scoring.manage_jury", raise_exception=True)


def _edition(slug: str) -> Edition:
    return get_object_or_404(Edition, slug=slug)


def _rounds_context(edition: Edition, form: RoundAddForm | None = None) -> dict:
    return {"edition": edition, "rounds": rounds_overview(edition=edition),
            "form": form or RoundAddForm(edition=edition)}


@login_required
@manage_jury
def rounds_view(request, slug: str):
    """The edition's rounds: dates, rule, per area the shortlist and the panel's
    assignments; the form to add a round."""
    edition = _edition(slug)
    return render(request, "scoring/organiser/rounds.html", _rounds_context(edition))


@require_POST
@login_required
@manage_jury
def round_add_view(request, slug: str):
    edition = _edition(slug)
    with timezone.override(edition.tz):
        form = RoundAddForm(request.POST, edition=edition)
        valid = form.is_valid()
    if valid:
        data = form.cleaned_data
        try:
            judging_round = round_add(
                edition=edition, review_open_at=data["review_open_at"],
                review_close_at=data["review_close_at"], by=request.user,
                shortlist_rule=data["shortlist_rule"], shortlist_top_n=data["shortlist_top_n"],
                shortlist_threshold=data["shortlist_threshold"], weights=form.weights())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(round)s is added.")
                             % {"round": judging_round.label})
            return redirect("organiser_rounds", slug=edition.slug)
    return render(request, "scoring/organiser/rounds.html", _rounds_context(edition, form),
                  status=400)


def _round_area(request, slug: str, number: int, area_id: int) -> ThematicArea:
    """The permission object of the shortlist views: the edition's area (404 otherwise),
    with the round on the request."""
    edition = _edition(slug)
    request.judging_round = round_for_edition(edition=edition, number=number)
    if request.judging_round.number == 1:
        raise Http404
    area = get_object_or_404(ThematicArea, pk=area_id, edition=edition)
    area.edition = edition
    return area


def _shortlist_area(request, slug, number, area_id):
    request.round_area = _round_area(request, slug, number, area_id)
    return request.round_area


def _shortlist_context(request, area, *, rule_form=None, hand_form=None) -> dict:
    judging_round = request.judging_round
    run_id = request.GET.get("run") or request.POST.get("run")
    page = shortlist_page(judging_round=judging_round, area=area,
                          run_id=int(run_id) if str(run_id or "").isdigit() else None)
    return {"edition": area.edition, "area": area, "judging_round": judging_round,
            "page": page,
            "rule_form": rule_form or ShortlistRuleForm(
                initial={"run": page.run}, previous=page.previous, judging_round=judging_round),
            "hand_form": hand_form or ShortlistHandForm(area=area)}


@login_required
@permission_required("scoring.shortlist_area", fn=_shortlist_area, raise_exception=True)
def round_shortlist_view(request, slug: str, number: int, area_id: int):
    """GET: the results of the round before in the area and the shortlist. POST: apply a
    rule (`apply`) or put an entry on or off by hand (`hand`), through `round_shortlist`."""
    area = request.round_area
    judging_round = request.judging_round
    if request.method != "POST":
        return render(request, "scoring/organiser/shortlist.html",
                      _shortlist_context(request, area))
    page = shortlist_page(judging_round=judging_round, area=area)
    rule_form = hand_form = None
    try:
        if request.POST.get("action") == "apply":
            rule_form = ShortlistRuleForm(request.POST, previous=page.previous,
                                          judging_round=judging_round)
            if not rule_form.is_valid():
                raise RoundError(_("Check the rule."))
            data = rule_form.cleaned_data
            round_shortlist(judging_round=judging_round, area=area, by=request.user,
                            run=data["run"], rule=data["rule"], top_n=data["top_n"],
                            threshold=data["threshold"])
        else:
            hand_form = ShortlistHandForm(request.POST, area=area)
            if not hand_form.is_valid():
                raise RoundError(_("Check the entry and the reason."))
            data = hand_form.cleaned_data
            change = [(data["entry"], data["reason"])]
            add = change if data["change"] == ShortlistHandForm.ADD else ()
            remove = change if data["change"] == ShortlistHandForm.REMOVE else ()
            round_shortlist(judging_round=judging_round, area=area, by=request.user,
                            add=add, remove=remove)
    except ValidationError as error:
        form = rule_form or hand_form
        if form is not None and not form.errors:
            form.add_error(None, error)
        context = _shortlist_context(request, area, rule_form=rule_form, hand_form=hand_form)
        context["errors"] = error.messages if form is None or not form.errors else []
        return render(request, "scoring/organiser/shortlist.html", context, status=400)
    messages.success(request, _("The shortlist is saved."))
    return redirect("organiser_round_shortlist", slug=slug, number=number, area_id=area_id)


@require_POST
@login_required
@manage_jury
def round_panel_assign(request, slug: str, number: int, area_id: int):
    """The area's panel (its jurors) scores the round's shortlist of the area, on fresh
    sheets: `assignments_area_everyone` with the round."""
    area = _round_area(request, slug, number, area_id)
    outcome = assignments_area_everyone(area=area, by=request.user,
                                        judging_round=request.judging_round)
    messages.success(request, ngettext("%(count)d assignment made.",
                                       "%(count)d assignments made.", outcome.created)
                     % {"count": outcome.created})
    return redirect("organiser_rounds", slug=slug)


# --- site visits --------------------------------------------------------------------------
def _round_entry(request, slug: str, number: int, entry_id: int) -> RoundEntry:
    edition = _edition(slug)
    judging_round = round_for_edition(edition=edition, number=number)
    entry = get_object_or_404(Entry.objects.select_related("practice", "area"), pk=entry_id,
                              edition=edition)
    request.round_entry = RoundEntry(round=judging_round, entry=entry)
    if not request.user.has_perm("scoring.view_site_visits", request.round_entry):
        raise Http404  # their existence is private
    return request.round_entry


def _site_visits_context(round_entry: RoundEntry, form=None) -> dict:
    return {"round_entry": round_entry, "entry": round_entry.entry,
            "judging_round": round_entry.round, "edition": round_entry.round.edition,
            "visits": site_visits_of(judging_round=round_entry.round, entry=round_entry.entry),
            "form": form or SiteVisitForm()}


@never_cache
@login_required
@permission_required("scoring.view_site_visits", fn=_round_entry, raise_exception=True)
def site_visits_view(request, slug: str, number: int, entry_id: int):
    """The round's notes of visits to the entry; POST adds one (with an optional file)."""
    round_entry = request.round_entry
    if request.method != "POST":
        return render(request, "scoring/site_visits.html", _site_visits_context(round_entry))
    if not request.user.has_perm("scoring.add_site_visit", round_entry):
        raise Http404
    form = SiteVisitForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            site_visit_add(judging_round=round_entry.round, entry=round_entry.entry,
                           by=request.user, notes=form.cleaned_data["notes"],
                           file=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The notes of the visit are saved."))
            return redirect("site_visits", slug=slug, number=number, entry_id=entry_id)
    return render(request, "scoring/site_visits.html",
                  _site_visits_context(round_entry, form), status=400)


@require_GET
def site_visit_file(request, visit_id: int):
    """A site visit's file, for the organisers and the round's panel of the area; 404 for
    anyone else (its existence is private)."""
    visit = get_object_or_404(SiteVisit.objects.select_related("round__edition", "entry"),
                              pk=visit_id)
    if not visit.file or not request.user.has_perm(
            "scoring.view_site_visits", RoundEntry(round=visit.round, entry=visit.entry)):
        raise Http404
    try:
        handle = visit.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    name = visit.original_name or "site-visit"
    response = FileResponse(handle, as_attachment=True, filename=name,
                            content_type=mimetypes.guess_type(name)[0]
                            or "application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
