"""Writes of the deliberation: chairs, panel settings, the panel's discussion and the
areas' decisions. Every rule is checked here; every change is recorded (history)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.mail import absolute_url, queue_email
from accounts.models import User
from competitions.models import Edition, ThematicArea
from practices.models import Entry
from scoring.enums import RunStatus
from scoring.models import JuryMember, RankingRun

from .enums import DecisionStatus
from .models import (
    AreaChair,
    AreaDecision,
    DecisionAgreement,
    DecisionPlace,
    PanelComment,
    PanelSettings,
)
from .rules import AreaPanel, can_decide, can_see_panel, is_panel_member
from .selectors import area_evidence, area_panel, panel_members

COMMENT_MAX = 5000


@transaction.atomic
def area_chair_appoint(*, area: ThematicArea, user: User, by: User) -> AreaChair:
    """Appoint (or replace) the chair of an area: an accepted member of the edition's jury
    who judges that area. One chair per area."""
    if not JuryMember.objects.judging(area).filter(user=user).exists():
        raise ValidationError(_("The chair must be an accepted juror of this area."),
                              code="not_jury")
    chair = AreaChair.objects.select_for_update().filter(area=area).first() \
        or AreaChair(area=area)
    chair.user, chair.appointed_by = user, by
    chair._history_user = by
    chair.save()
    return chair


@transaction.atomic
def panel_settings_set(*, edition: Edition, show_names: bool, by: User) -> PanelSettings:
    """Whether the edition's panels show the jurors' names (else Juror A, B, ...)."""
    settings, _created = PanelSettings.objects.select_for_update().get_or_create(
        edition=edition)
    settings.show_names = bool(show_names)
    settings._history_user = by
    settings.save()
    return settings


@transaction.atomic
def panel_comment_post(*, entry: Entry, author: User, body: str,
                       round_number: int | None = None) -> PanelComment:
    """A panel member's comment on an entry of their area in a round (by default the latest
    whose scoring has closed), once that panel is open to them; the other panel members
    are told by e-mail, each in their own language."""
    area = entry.area
    panel = area_panel(area=area, number=round_number)
    if panel is None or not can_see_panel(author, panel):
        raise PermissionDenied(_("The panel of this area is not open to you."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment.")}, code="empty")
    if len(body) > COMMENT_MAX:
        raise ValidationError({"body": _("A comment has at most %(count)d characters.")
                               % {"count": COMMENT_MAX}}, code="long")
    comment = PanelComment.objects.create(entry=entry, round=panel.round, author=author,
                                          body=body)
    others = [member for member in panel_members(panel=panel)
              if member.pk != author.pk and member.email]
    if others:
        queue_email(to=others, template="deliberation/email/panel_comment",
                    context={"entry": entry, "area": area,
                             "url": absolute_url(reverse("deliberation:panel",
                                                         args=[area.pk])
                                                 + f"?round={panel.round.number}")},
                    language=area.edition.language)
    return comment


def _check_run(run: RankingRun, area: ThematicArea) -> None:
    """A decision is taken on a succeeded run of the area's edition, before the run is
    published: what the public reads never changes under it (unpublish first)."""
    if run.edition_id != area.edition_id or run.status != RunStatus.SUCCEEDED:
        raise ValidationError(_("Choose a ranking run of this edition that succeeded."),
                              code="run")
    if run.is_published:
        raise ValidationError(_("This run is published: unpublish it before the decision "
                                "changes."), code="published")


def _panel(area: ThematicArea, run: RankingRun) -> AreaPanel:
    """The panel a decision on `run` belongs to: the area's, in the run's round."""
    return AreaPanel(area, run.round)


def _locked_decision(decision: AreaDecision) -> AreaDecision:
    return AreaDecision.objects.select_for_update(of=("self",)).select_related(
        "area__edition", "run__round__edition").get(pk=decision.pk)


@transaction.atomic
def decision_draft(*, area: ThematicArea, run: RankingRun, by: User,
                   places: list[dict] | None = None,
                   public_justification: str | None = None) -> AreaDecision:
    """Start or update the chair's draft decision for the area on `run`. A new draft starts
    from the computed places. `places` (entry, place, mention, justification) replace the
    draft's; each row records its computed place and whether the statistics require a
    justification for it (flagged indistinguishable or polarised, or moving under another
    method or weight). A recorded decision is final."""
    if run.edition_id != area.edition_id or not can_decide(by, _panel(area, run)):
        raise PermissionDenied(_("Only the area's chair decides, once the panel is open."))
    _check_run(run, area)
    decision, created = AreaDecision.objects.select_for_update().get_or_create(
        run=run, area=area, defaults={"chair": by})
    if not decision.is_editable:
        raise ValidationError(_("This decision is recorded: it cannot change."),
                              code="recorded")
    evidence = {row.result.entry_id: row for row in area_evidence(run=run, area=area)}
    if created and places is None:
        places = [{"entry": entry_id, "place": row.result.place, "mention": False,
                   "justification": ""} for entry_id, row in evidence.items()
                  if row.result.place is not None or row.needs_justification]
    if places is not None:
        _replace_places(decision, places, evidence)
    if public_justification is not None:
        decision.public_justification = public_justification.strip()
    decision.departs = any(p.place != p.computed_place for p in decision.places.all()
                           if p.place is not None or p.computed_place is not None)
    decision.chair = by
    decision._history_user = by
    decision.save()
    return decision


def _replace_places(decision: AreaDecision, places: list[dict], evidence: dict) -> None:
    rows, seen, errors = [], set(), []
    awards = decision.area.awards
    for item in places:
        entry_id = int(item["entry"])
        if entry_id not in evidence or entry_id in seen:
            raise ValidationError(_("Each place goes to a different ranked entry of the "
                                    "area."), code="entry")
        seen.add(entry_id)
        place = item.get("place") or None
        if place is not None and not 1 <= int(place) <= max(awards, 1):
            errors.append(_("A place is between 1 and %(awards)d.") % {"awards": awards})
        rows.append(DecisionPlace(
            decision=decision, entry_id=entry_id, place=place,
            computed_place=evidence[entry_id].result.place,
            mention=bool(item.get("mention")),
            justification=(item.get("justification") or "").strip(),
            needs_justification=evidence[entry_id].needs_justification))
    if errors:
        raise ValidationError(errors[0], code="place")
    # Every place not given in the decision is left out; computed places left out are a
    # departure (the entry loses its place), so they stay as rows without a place.
    for entry_id, row in evidence.items():
        if entry_id not in seen and row.result.place is not None:
            rows.append(DecisionPlace(decision=decision, entry_id=entry_id, place=None,
                                      computed_place=row.result.place,
                                      needs_justification=row.needs_justification))
    DecisionPlace.objects.filter(decision=decision).delete()
    for row in rows:
        row._history_user = decision.chair
        row.save()


def decision_problems(decision: AreaDecision) -> list[str]:
    """What still keeps the decision from being recorded (empty: it can be recorded)."""
    problems = []
    places = list(decision.places.select_related("entry__practice"))
    for row in places:
        title = row.entry.practice.display_title
        flagged = row.needs_justification and (row.place is not None or
                                               row.computed_place is not None)
        changed = row.place != row.computed_place
        if (flagged or changed or row.mention) and not row.justification:
            problems.append(_("Justify the decision on “%(title)s”.") % {"title": title})
    if not any(row.place is not None for row in places):
        problems.append(_("The decision awards no place."))
    if decision.departs:
        if not decision.public_justification:
            problems.append(_("A decision that departs from the computed ranking needs a "
                              "public justification."))
        members = {member.pk for member in
                   panel_members(panel=_panel(decision.area, decision.run))}
        positions = {a.juror_id: a.agrees for a in decision.agreements.all()}
        missing = members - set(positions)
        if missing:
            problems.append(_("Record the position of every panel member (%(count)d "
                              "missing).") % {"count": len(missing)})
        elif sum(positions.values()) * 2 <= len(positions):
            problems.append(_("A departure from the computed ranking needs the agreement of "
                              "the panel's majority."))
    return problems


@transaction.atomic
def decision_agreement_record(*, decision: AreaDecision, juror: User, agrees: bool,
                              by: User) -> DecisionAgreement:
    """The chair records whether a panel member agreed with the draft or dissented."""
    decision = _locked_decision(decision)
    panel = _panel(decision.area, decision.run)
    if not can_decide(by, panel):
        raise PermissionDenied(_("Only the area's chair decides, once the panel is open."))
    if not decision.is_editable:
        raise ValidationError(_("This decision is recorded: it cannot change."),
                              code="recorded")
    if not is_panel_member(juror, panel):
        raise ValidationError(_("Only a member of the area's panel takes a position."),
                              code="member")
    agreement, _created = DecisionAgreement.objects.update_or_create(
        decision=decision, juror=juror, defaults={"agrees": bool(agrees), "recorded_by": by})
    return agreement


@transaction.atomic
def decision_record(*, decision: AreaDecision, by: User) -> AreaDecision:
    """Record the decision: every place the statistics could not decide, every departure
    and every special mention is justified; a departure from the computed ranking has a
    public justification and the agreement of the panel's majority on the record."""
    decision = _locked_decision(decision)
    if not can_decide(by, _panel(decision.area, decision.run)):
        raise PermissionDenied(_("Only the area's chair decides, once the panel is open."))
    if not decision.is_editable:
        raise ValidationError(_("This decision is recorded: it cannot change."),
                              code="recorded")
    _check_run(decision.run, decision.area)
    problems = decision_problems(decision)
    if problems:
        raise ValidationError(problems, code="incomplete")
    decision.status = DecisionStatus.RECORDED
    decision.recorded_at = timezone.now()
    decision._history_user = by
    decision.save()
    return decision

