"""Who sits on an area's panel, when the panel opens to them, and who decides: expressed
once, asked by the services (which refuse), the views and the templates alike.

Independence before submission: a juror sees another juror's sheet of an area only on the
area's panel, and only once the round's scoring has closed and they have submitted (or
declared a conflict on) every sheet of their own in that area."""

from __future__ import annotations

import datetime as dt

import rules

from accounts.rules import is_organiser
from competitions.rules import organisers_manage
from practices.enums import EntryStatus
from scoring.enums import SheetStatus
from scoring.models import Assignment, JurySheet
from scoring.rules import review_is_over


def panel_is_open(area, at: dt.datetime | None = None) -> bool:
    """The area's panel opens when the scoring of the round has closed."""
    return area is not None and review_is_over(area.edition, at)


def _own_assignments(user, area):
    return (Assignment.objects.active()
            .filter(juror=user, entry__area=area, entry__status__in=EntryStatus.scorable))


def submitted_all_own_sheets(user, area) -> bool:
    """Every entry of the area the juror is assigned to has their sheet submitted, or a
    conflict declared on it (a sheet that never counts): nothing of theirs is still open."""
    if not user.is_authenticated:
        return False
    done = JurySheet.objects.filter(juror=user, entry__area=area).filter(
        status=SheetStatus.SUBMITTED) | JurySheet.objects.filter(
        juror=user, entry__area=area, recused=True)
    return not _own_assignments(user, area).exclude(
        entry_id__in=done.values("entry_id")).exists()


@rules.predicate
def is_area_chair(user, area) -> bool:
    if not user.is_authenticated or area is None:
        return False
    return user.chaired_areas.filter(area=area).exists()


@rules.predicate
def is_panel_member(user, area) -> bool:
    """The chair and every juror actively assigned to one of the area's scored entries."""
    if not user.is_authenticated or area is None:
        return False
    return is_area_chair(user, area) or _own_assignments(user, area).exists()


@rules.predicate
def can_see_panel(user, area) -> bool:
    """A panel member, once the panel is open and all their own sheets of the area are in."""
    return (is_panel_member(user, area) and panel_is_open(area)
            and submitted_all_own_sheets(user, area))


@rules.predicate
def can_decide(user, area) -> bool:
    """The chair writes the area's decision once the panel is open to them."""
    return is_area_chair(user, area) and can_see_panel(user, area)


rules.add_perm("deliberation.appoint_chairs", is_organiser)
rules.add_perm("deliberation.view_panel", can_see_panel)
rules.add_perm("deliberation.comment_on_panel", can_see_panel)
rules.add_perm("deliberation.decide_area", can_decide)
organisers_manage("deliberation", "areachair", "panelsettings", "panelcomment",
                  "areadecision", "decisionplace", "decisionagreement")
