"""The organiser's chairs and panel settings, the juror's panel of an area, and the chair's
decision. Thin: permission, one service call, render or redirect. A panel not open to the
asker is a 404 (whether it exists is nobody else's business)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from rules.contrib.views import permission_required

from accounts.models import User
from competitions.models import Edition, ThematicArea
from practices.models import Entry

from .forms import AgreementForm, ChairForm, CommentForm, PanelSettingsForm
from .models import AreaDecision
from .rules import AreaPanel
from .selectors import (
    area_evidence,
    area_panel,
    chairs_of_edition,
    decision_for,
    juries_of_edition,
    juror_labels,
    panel_members,
    panel_page,
    panels_of_juror,
    round_to_shortlist,
    runs_to_decide,
    show_names,
)
from .services import (
    area_chair_appoint,
    decision_agreement_record,
    decision_draft,
    decision_problems,
    decision_record,
    panel_comment_post,
    panel_settings_set,
)


def _errors(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


# --- organisers ---------------------------------------------------------------------------
@require_GET
@permission_required("deliberation.appoint_chairs", raise_exception=True)
def organiser_panels(request, slug: str):
    edition = get_object_or_404(Edition, slug=slug)
    areas = list(edition.areas.order_by("order", "code"))
    chairs = chairs_of_edition(edition=edition)
    juries = juries_of_edition(edition=edition)
    rows = [{"area": area, "chair": chairs.get(area.pk),
             "form": ChairForm(jury=juries.get(area.pk, []),
                               initial={"area": area.pk,
                                        "user": chairs[area.pk].user_id
                                        if area.pk in chairs else None})}
            for area in areas]
    return render(request, "deliberation/organiser.html", {
        "edition": edition, "rows": rows,
        "settings_form": PanelSettingsForm(initial={"show_names": show_names(edition)})})


@require_POST
@permission_required("deliberation.appoint_chairs", raise_exception=True)
def chair_appoint(request, slug: str):
    edition = get_object_or_404(Edition, slug=slug)
    area = get_object_or_404(ThematicArea, edition=edition, pk=request.POST.get("area") or 0)
    user = User.objects.filter(pk=request.POST.get("user") or 0).first()
    if user is None:
        messages.error(request, _("Choose a juror."))
        return redirect("deliberation:organiser", slug=slug)
    try:
        area_chair_appoint(area=area, user=user, by=request.user)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("The chair of area %(code)s is appointed.")
                         % {"code": area.code})
    return redirect("deliberation:organiser", slug=slug)


@require_POST
@permission_required("deliberation.appoint_chairs", raise_exception=True)
def settings_save(request, slug: str):
    edition = get_object_or_404(Edition, slug=slug)
    form = PanelSettingsForm(request.POST)
    form.is_valid()
    panel_settings_set(edition=edition, show_names=form.cleaned_data.get("show_names", False),
                       by=request.user)
    messages.success(request, _("The panel settings are saved."))
    return redirect("deliberation:organiser", slug=slug)


# --- the panel ----------------------------------------------------------------------------
def _panel(request, area_id: int, permission: str) -> AreaPanel:
    """The area's panel in the round asked for (?round=N; by default the latest whose
    scoring has closed), or 404 when it is not open to the asker."""
    area = get_object_or_404(ThematicArea.objects.select_related("edition"), pk=area_id)
    raw = request.POST.get("round") or request.GET.get("round") or ""
    panel = area_panel(area=area, number=int(raw) if raw.isdigit() else None)
    if (panel is None or not request.user.is_authenticated
            or not request.user.has_perm(permission, panel)):
        raise Http404
    return panel


@require_GET
@login_required
@permission_required("scoring.view_jury_dashboard", raise_exception=True)
def panels(request):
    """The panels the juror sits on, each open to them once its round's scoring has closed
    and their own sheets are in."""
    return render(request, "deliberation/panels.html",
                  {"links": panels_of_juror(user=request.user)})


def panel(request, area_id: int):
    panel = _panel(request, area_id, "deliberation.view_panel")
    criteria, entries, labels = panel_page(panel=panel)
    return render(request, "deliberation/panel.html", {
        "area": panel.area, "round": panel.round, "edition": panel.area.edition,
        "criteria": criteria, "entries": entries, "labels": labels, "form": CommentForm(),
        "can_decide": request.user.has_perm("deliberation.decide_area", panel),
        "shortlist_round": (round_to_shortlist(panel=panel)
                            if request.user.has_perm("scoring.shortlist_area", panel.area)
                            else None)})


@require_POST
def comment_post(request, area_id: int, entry_id: int):
    panel = _panel(request, area_id, "deliberation.comment_on_panel")
    area = panel.area
    entry = get_object_or_404(Entry, area=area, pk=entry_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            panel_comment_post(entry=entry, author=request.user,
                               body=form.cleaned_data["body"],
                               round_number=panel.round.number)
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
        else:
            messages.success(request, _("Your comment is posted; the panel is told."))
    else:
        messages.error(request, _("Write a comment."))
    return redirect(f"{reverse('deliberation:panel', args=[area.pk])}"
                    f"?round={panel.round.number}#entry-{entry.pk}")


def _places_from(post, evidence) -> list[dict]:
    places = []
    for row in evidence:
        key = row.result.entry_id
        raw = (post.get(f"place-{key}") or "").strip()
        mention = post.get(f"mention-{key}") == "on"
        if not raw and not mention and not post.get(f"justification-{key}"):
            continue
        places.append({"entry": key, "place": int(raw) if raw.isdigit() else None,
                       "mention": mention,
                       "justification": post.get(f"justification-{key}", "")})
    return places


def decision(request, area_id: int):
    panel = _panel(request, area_id, "deliberation.decide_area")
    area = panel.area
    runs = runs_to_decide(panel=panel)
    chosen = request.POST.get("run") or request.GET.get("run")
    run = next((r for r in runs if str(r.pk) == chosen), runs[0] if runs else None)
    if run is None:
        return render(request, "deliberation/decision.html", {"area": area, "runs": [],
                                                              "round": panel.round})
    evidence = area_evidence(run=run, area=area)
    if request.method == "POST":
        try:
            decision_draft(area=area, run=run, by=request.user,
                           places=_places_from(request.POST, evidence),
                           public_justification=request.POST.get("public_justification", ""))
        except (ValidationError, PermissionDenied) as error:
            for message in (_errors(error) if isinstance(error, ValidationError)
                            else [str(error)]):
                messages.error(request, message)
        else:
            messages.success(request, _("The draft decision is saved."))
        return redirect(f"{request.path}?round={panel.round.number}&run={run.pk}")
    current = decision_for(run=run, area=area)  # None: nothing saved yet, the computed
    by_entry = {p.entry_id: p for p in current.places.all()} if current else {}
    rows = []
    for row in evidence:
        saved = by_entry.get(row.result.entry_id)
        rows.append({"evidence": row, "saved": saved,
                     "place": saved.place if saved else (None if current else row.result.place),
                     "mention": bool(saved and saved.mention),
                     "justification": saved.justification if saved else ""})
    members = panel_members(panel=panel)
    positions = {a.juror_id: a.agrees for a in current.agreements.all()} if current else {}
    labels = juror_labels(edition=area.edition, names=True)
    return render(request, "deliberation/decision.html", {
        "area": area, "round": panel.round, "edition": area.edition, "runs": runs,
        "run": run, "rows": rows,
        "decision": current, "problems": decision_problems(current) if current else [],
        "members": [{"user": m, "label": labels.get(m.pk, m.username),
                     "agrees": positions.get(m.pk)} for m in members]})


def _decision_of(request, area_id: int, decision_id: int) -> AreaDecision:
    """The area's decision, when its chair asks once the panel of the run's round is open
    to them; 404 for anyone else."""
    current = get_object_or_404(AreaDecision.objects.select_related(
        "run__round__edition", "area__edition"), area_id=area_id, pk=decision_id)
    if (not request.user.is_authenticated or not request.user.has_perm(
            "deliberation.decide_area", AreaPanel(current.area, current.run.round))):
        raise Http404
    return current


@require_POST
def agreement(request, area_id: int, decision_id: int):
    current = _decision_of(request, area_id, decision_id)
    area = current.area
    form = AgreementForm(request.POST)
    juror = User.objects.filter(pk=request.POST.get("juror") or 0).first()
    if form.is_valid() and juror is not None:
        try:
            decision_agreement_record(decision=current, juror=juror,
                                      agrees=form.cleaned_data["position"] == "agrees",
                                      by=request.user)
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
    else:
        messages.error(request, _("Choose a panel member and their position."))
    return redirect(f"{_decision_url(area)}?round={current.run.round.number}"
                    f"&run={current.run_id}")


@require_POST
def record(request, area_id: int, decision_id: int):
    current = _decision_of(request, area_id, decision_id)
    area = current.area
    try:
        decision_record(decision=current, by=request.user)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("The decision is recorded."))
    return redirect(f"{_decision_url(area)}?round={current.run.round.number}"
                    f"&run={current.run_id}")


def _decision_url(area: ThematicArea) -> str:
    return reverse("deliberation:decision", args=[area.pk])
