"""Feedback reports, certificates and booklets: thin views over the selectors, services
and the PDF module. A private object another person may not read answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from rules.contrib.views import permission_required

from competitions.models import Criterion, Edition
from practices.models import Entry
from scoring.enums import RunStatus, SheetStatus
from scoring.models import JurySheet, RankingRun

from . import pdf
from .enums import BOOKLET_LANGUAGES, BOOKLET_STAGES
from .forms import CommentDecisionForm
from .models import Booklet
from .selectors import (
    certificates,
    comments_of_entry,
    comments_overview,
    entry_for_feedback,
    feedback_report,
    giveback_run,
)
from .services import GivebackError, booklet_regenerate, booklet_request, comment_release_decide

organisers_only = permission_required("giveback.release_comments", raise_exception=True)


def _run(edition: Edition, user) -> RankingRun:
    try:
        return giveback_run(edition=edition, user=user)
    except RankingRun.DoesNotExist as missing:
        raise Http404 from missing


def _entry_and_run(request, entry_id: int):
    """The entry (if this person may read its report) and the run printed for them."""
    try:
        entry = entry_for_feedback(entry_id=entry_id)
    except Entry.DoesNotExist as missing:
        raise Http404 from missing
    if not request.user.has_perm("giveback.view_feedback", entry):
        raise Http404
    return entry, _run(entry.edition, request.user)


def _pdf(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def feedback(request, entry_id: int):
    """An entry's feedback report, for its municipality's officers and the organisers."""
    entry, run = _entry_and_run(request, entry_id)
    report = feedback_report(entry=entry, run=run)
    response = render(request, "giveback/feedback.html", {"report": report})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def feedback_pdf(request, entry_id: int):
    entry, run = _entry_and_run(request, entry_id)
    report = feedback_report(entry=entry, run=run)
    return _pdf(pdf.feedback_pdf(report, language=get_language()),
                f"feedback-{entry.edition.slug}-entry-{entry.pk}.pdf")


@login_required
@require_GET
def certificate(request, entry_id: int):
    """The certificate of an entry's place (edition's language, then English)."""
    entry, run = _entry_and_run(request, entry_id)
    found = certificates(run=run, entry=entry)
    if not found:
        raise Http404
    return _pdf(pdf.certificate_pdf(found[0]), found[0].filename)


@login_required
@permission_required("giveback.view_certificates", raise_exception=True)
@require_GET
def certificates_zip(request, slug: str):
    """Every certificate of an edition, as one ZIP, for the organisers."""
    edition = get_object_or_404(Edition, slug=slug)
    run = _run(edition, request.user)
    response = HttpResponse(pdf.certificates_zip(certificates(run=run)),
                            content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="certificates-{slug}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@organisers_only
def organiser_page(request, slug: str):
    """The organiser's give-back page: comments to release per entry, certificates, and
    the booklets with their progress."""
    edition = get_object_or_404(Edition, slug=slug)
    try:
        run = giveback_run(edition=edition, user=request.user)
    except RankingRun.DoesNotExist:
        run = None
    booklets = {b.language: b for b in Booklet.objects.filter(run=run)} if run else {}
    return render(request, "giveback/organiser.html", {
        "edition": edition, "run": run, "entries": comments_overview(edition=edition),
        "booklets": [(language, booklets.get(language)) for language in BOOKLET_LANGUAGES]})


@login_required
@organisers_only
def organiser_comments(request, slug: str, entry_id: int):
    """Each comment on an entry's counted sheets: the organiser reads it, and releases it
    (as it is or edited) or withholds it; every decision is recorded."""
    edition = get_object_or_404(Edition, slug=slug)
    entry = get_object_or_404(edition.entries.select_related("practice__municipality",
                                                             "area"), pk=entry_id)
    if request.method == "POST":
        form = CommentDecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            sheet = get_object_or_404(JurySheet.objects.select_related("entry"),
                                      pk=data["sheet"], entry=entry,
                                      status=SheetStatus.SUBMITTED)
            criterion = (get_object_or_404(Criterion, pk=data["criterion"], edition=edition)
                         if data["criterion"] else None)
            try:
                comment_release_decide(sheet=sheet, criterion=criterion,
                                       decision=data["decision"], text=data["text"],
                                       by=request.user)
            except GivebackError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Your decision on the comment is recorded."))
                url = reverse("giveback:organiser_comments", args=[slug, entry.pk])
                return redirect(f"{url}#comment-{data['sheet']}-"
                                f"{data['criterion'] or 'overall'}")
        else:
            messages.error(request, _("Choose to release or to withhold the comment."))
        status = 400
    else:
        status = 200
    return render(request, "giveback/organiser_comments.html",
                  {"edition": edition, "entry": entry, "items": comments_of_entry(entry=entry)},
                  status=status)


def _booklet(request, slug: str, language: str) -> Booklet:
    if language not in BOOKLET_LANGUAGES:
        raise Http404
    edition = get_object_or_404(Edition, slug=slug)
    return booklet_request(run=_run(edition, request.user), language=language)


@require_GET
def booklet(request, slug: str, language: str):
    """The edition's booklet in `language`: the PDF once made; until then (the first
    request makes it) a page with its progress."""
    item = _booklet(request, slug, language)
    item.refresh_from_db()
    if item.status == RunStatus.SUCCEEDED and item.file:
        return FileResponse(item.file.open("rb"), content_type="application/pdf",
                            as_attachment=True, filename=f"{slug}-booklet-{language}.pdf")
    return render(request, "giveback/booklet_wait.html",
                  {"booklet": item, "slug": slug, "language": language,
                   "stages": BOOKLET_STAGES})


@require_GET
def booklet_progress(request, slug: str, language: str):
    """The progress fragment the waiting page polls; once made, htmx opens the PDF."""
    item = _booklet(request, slug, language)
    response = render(request, "giveback/_booklet_progress.html",
                      {"booklet": item, "slug": slug, "language": language})
    if request.htmx and item.status == RunStatus.SUCCEEDED:
        response["HX-Redirect"] = reverse("giveback:booklet", args=[slug, language])
    return response


@login_required
@permission_required("giveback.regenerate_booklet", raise_exception=True)
@require_POST
def booklet_regenerate_view(request, slug: str):
    edition = get_object_or_404(Edition, slug=slug)
    booklet_regenerate(run=_run(edition, request.user), by=request.user)
    messages.success(request, _("The booklets are being made again."))
    return redirect("giveback:organiser", slug=slug)
