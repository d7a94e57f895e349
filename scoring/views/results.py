"""The organiser's results pages: start ranking runs, compare them, publish one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from competitions.models import Edition, ThematicArea

from ..enums import RUN_STAGES, RunStatus
from ..forms.results import PublishForm, ResultsQueryForm, RunStartForm, UnpublishForm
from ..models import RankingRun
from ..selectors.ranking import ACTIVE_STATUSES, results_page, run_for_edition
from ..selectors.rounds import current_of, edition_rounds, round_for_edition
from ..services.ranking import (
    RankingError,
    officers_were_told,
    publication_notice,
    ranking_run_publish,
    ranking_run_start,
    ranking_run_unpublish,
)

view_rankings = permission_required("scoring.view_rankings", raise_exception=True)
run_rankings = permission_required("scoring.run_rankings", raise_exception=True)
publish_rankings = permission_required("scoring.publish_rankings", raise_exception=True)


def _edition(slug: str) -> Edition:
    return get_object_or_404(Edition, slug=slug)


def _run(edition: Edition, run_id: int) -> RankingRun:
    try:
        return run_for_edition(edition=edition, run_id=run_id)
    except RankingRun.DoesNotExist as missing:
        raise Http404 from missing


def _results_url(edition: Edition, run: RankingRun | None = None) -> str:
    url = reverse("organiser_results", args=[edition.slug])
    return f"{url}?run={run.pk}" if run is not None else url


@login_required
@view_rankings
def results(request, slug: str):
    """The runs of an edition side by side, the chosen run's places, flags and charts."""
    edition = get_object_or_404(Edition.objects.annotate(round_count=Count("rounds")),
                                slug=slug)
    query = ResultsQueryForm(request.GET)
    params = query.cleaned_data if query.is_valid() else {}
    try:
        page = results_page(edition=edition, run_id=params.get("run"),
                            other_id=params.get("compare"), area_id=params.get("area"))
    except ThematicArea.DoesNotExist as missing:
        raise Http404 from missing
    # a one-round edition's page reads no round (their number came with the edition)
    rounds = edition_rounds(edition) if edition.round_count > 1 else []
    return render(request, "scoring/results/page.html",
                  {"page": page, "edition": edition, "start_form": RunStartForm(),
                   "stages": RUN_STAGES, "active": ACTIVE_STATUSES, "rounds": rounds,
                   "current_round": current_of(rounds)})


@login_required
@run_rankings
@require_POST
def run_start(request, slug: str):
    """Queue a ranking run of the chosen method; its progress shows on the results page."""
    edition = _edition(slug)
    form = RunStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a ranking method."))
        return redirect("organiser_results", slug=edition.slug)
    number = form.cleaned_data["round"]
    judging_round = (round_for_edition(edition=edition, number=number)
                     if number is not None else None)
    run = ranking_run_start(edition=edition, method=form.cleaned_data["method"],
                            by=request.user, judging_round=judging_round)
    messages.success(request, _("Ranking run #%(id)s started.") % {"id": run.pk})
    return redirect(_results_url(edition, run))


@login_required
@view_rankings
def run_progress(request, slug: str, run_id: int):
    """The small progress fragment the page polls every second while a run is active;
    once the run has finished, htmx reloads the page to show its results."""
    edition = _edition(slug)
    run = _run(edition, run_id)
    response = render(request, "scoring/results/_progress.html",
                      {"run": run, "edition": edition, "stages": RUN_STAGES,
                       "active": ACTIVE_STATUSES})
    if request.htmx and run.status not in ACTIVE_STATUSES:
        response["HX-Redirect"] = _results_url(edition, run)
    return response


@login_required
@publish_rankings
def run_publish(request, slug: str, run_id: int):
    """Confirm, then publish a run (edition moves to `published`, officers are e-mailed)."""
    edition = _edition(slug)
    run = _run(edition, run_id)
    form = PublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            ranking_run_publish(run=run, by=request.user)
        except RankingError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Run #%(id)s is published.") % {"id": run.pk})
        return redirect(_results_url(edition, run))
    blocked = run.status != RunStatus.SUCCEEDED or run.is_published
    notice = "" if blocked else publication_notice(edition=edition, run=run)
    return render(request, "scoring/results/publish.html",
                  {"edition": edition, "run": run, "form": form, "blocked": blocked,
                   "notice": notice},
                  status=400 if form.errors else 200)


@login_required
@publish_rankings
def run_unpublish(request, slug: str, run_id: int):
    """Withdraw the published run; a reason is required and recorded."""
    edition = _edition(slug)
    run = _run(edition, run_id)
    form = UnpublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            ranking_run_unpublish(run=run, by=request.user, reason=form.cleaned_data["reason"])
        except RankingError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Run #%(id)s is no longer published.") % {"id": run.pk})
        return redirect(_results_url(edition, run))
    return render(request, "scoring/results/unpublish.html",
                  {"edition": edition, "run": run, "form": form,
                   "officers_told": officers_were_told(edition=edition)},
                  status=400 if form.errors else 200)
