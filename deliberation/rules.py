"""Who sits on an area's panel, when the panel opens to them, and who decides: expressed
once, asked by the services (which refuse), the views and the templates alike.

Independence before submission: a juror sees another juror's sheet of an area only on the
area's panel, and only once the round's scoring has closed and they have submitted (or
declared a conflict on) every sheet of their own in that area."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import rules
from django.db.models import Exists, OuterRef

from accounts.rules import is_organiser
from competitions.rules import organisers_manage
from practices.enums import EntryStatus
from scoring.enums import SheetStatus
from scoring.models import Assignment, JurySheet
from scoring.rules import may_shortlist, round_scoring_closed

from .models import AreaChair


@dataclass(frozen=True)
class AreaPanel:
    """The panel of one thematic area in one judging round: what the panel's permissions
    are asked about (the area's chair is the area's, whatever the round)."""

    area: object  # ThematicArea
    round: object  # scoring.JudgingRound of the area's edition


def panel_is_open(panel: AreaPanel, at: dt.datetime | None = None) -> bool:
    """The area's panel of a round opens when the round's scoring has closed."""
    return panel is not None and round_scoring_closed(panel.round, at)


# Each condition of the panel rules is written once below; the predicates ask it of one
# panel, `juror_panels` of all the juror's panels at once.
def _juror_assignments(user):
    """The juror's active assignments to scored entries (every round, every area)."""
    return Assignment.objects.active().filter(juror=user, entry__status__in=EntryStatus.scorable)


def _finished(sheets):
    """Of `sheets`, those that no longer wait for the juror: submitted, or a conflict
    declared (a sheet that never counts)."""
    return sheets.filter(status=SheetStatus.SUBMITTED) | sheets.filter(recused=True)


def _chaired(user):
    """The seated chairs the user holds (a chair removed from the area's jury chairs
    nothing)."""
    return AreaChair.objects.seated().filter(user=user)


def _own_assignments(user, panel: AreaPanel):
    return _juror_assignments(user).filter(round=panel.round, entry__area=panel.area)


def submitted_all_own_sheets(user, panel: AreaPanel) -> bool:
    """Every entry of the area the juror is assigned to in the round has their sheet of the
    round submitted, or a conflict declared on it (a sheet that never counts): nothing of
    theirs is still open."""
    if not user.is_authenticated:
        return False
    done = _finished(JurySheet.objects.filter(juror=user, round=panel.round,
                                              entry__area=panel.area))
    return not _own_assignments(user, panel).exclude(
        entry_id__in=done.values("entry_id")).exists()


@dataclass(frozen=True)
class JurorPanels:
    """What the panel predicates ask of one juror, read for all their panels at once (for
    their list of panels): `is_panel_member` and `submitted_all_own_sheets` in bulk."""

    chaired: frozenset  # area ids they chair (seated)
    assigned: frozenset  # (area id, round id) with an active own assignment
    unfinished: frozenset  # (area id, round id) with an own sheet still open

    def is_member(self, panel: AreaPanel) -> bool:
        return (panel.area.pk in self.chaired
                or (panel.area.pk, panel.round.pk) in self.assigned)

    def can_see(self, panel: AreaPanel) -> bool:
        """`can_see_panel`, from what was read."""
        return (self.is_member(panel) and panel_is_open(panel)
                and (panel.area.pk, panel.round.pk) not in self.unfinished)


def juror_panels(user) -> JurorPanels:
    """Three queries, whatever the number of the juror's panels."""
    own = _juror_assignments(user)
    done = _finished(JurySheet.objects.filter(juror=user, round_id=OuterRef("round_id"),
                                              entry_id=OuterRef("entry_id")))
    return JurorPanels(
        chaired=frozenset(_chaired(user).values_list("area_id", flat=True)),
        assigned=frozenset(own.values_list("entry__area_id", "round_id")),
        unfinished=frozenset(own.exclude(Exists(done))
                             .values_list("entry__area_id", "round_id")))


@rules.predicate
def is_area_chair(user, area) -> bool:
    if not user.is_authenticated or area is None:
        return False
    return _chaired(user).filter(area=area).exists()


@rules.predicate
def is_panel_member(user, panel: AreaPanel) -> bool:
    """The area's chair and every juror actively assigned in the round to one of the area's
    scored entries."""
    if not user.is_authenticated or panel is None:
        return False
    return is_area_chair(user, panel.area) or _own_assignments(user, panel).exists()


@rules.predicate
def is_panel_member_of_round_entry(user, round_entry) -> bool:
    """On the panel of the entry's area in the round (`is_panel_member`); `round_entry`
    has `round` and `entry` (`scoring.selectors.rounds.RoundEntry`)."""
    if round_entry is None:
        return False
    return is_panel_member(user, AreaPanel(round_entry.entry.area, round_entry.round))


@rules.predicate
def can_see_panel(user, panel: AreaPanel) -> bool:
    """A panel member, once the round's scoring has closed and all their own sheets of the
    area in the round are in."""
    return (is_panel_member(user, panel) and panel_is_open(panel)
            and submitted_all_own_sheets(user, panel))


@rules.predicate
def can_decide(user, panel: AreaPanel) -> bool:
    """The chair writes the area's decision once the round's panel is open to them."""
    return is_area_chair(user, panel.area) and can_see_panel(user, panel)


rules.add_perm("deliberation.appoint_chairs", is_organiser)
rules.add_perm("deliberation.view_panel", can_see_panel)
rules.add_perm("deliberation.comment_on_panel", can_see_panel)
rules.add_perm("deliberation.decide_area", can_decide)
# "The organiser (or the area's chair) shortlists per area": scoring's rule names the
# organisers, and scoring never imports this app, so the chair is added here. Only their own
# area; when (between rounds) is the service's (`scoring.services.rounds.round_shortlist`).
rules.set_perm("scoring.shortlist_area", may_shortlist | is_area_chair)
# A round's site-visit notes and files (scoring, below this app): the organisers and the
# round's panel of the entry's area, chair included.
rules.set_perm("scoring.view_site_visits", is_organiser | is_panel_member_of_round_entry)
rules.set_perm("scoring.add_site_visit", is_organiser | is_panel_member_of_round_entry)
organisers_manage("deliberation", "areachair", "panelsettings", "panelcomment",
                  "areadecision", "decisionplace", "decisionagreement")
