import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from deliberation.rules import (
    can_decide,
    can_see_panel,
    is_area_chair,
    is_panel_member,
    panel_is_open,
    submitted_all_own_sheets,
)
from deliberation.selectors import area_panel
from scoring.enums import SheetStatus
from scoring.models import JurySheet

from .conftest import build_panel

pytestmark = pytest.mark.django_db


def _p(panel):
    return area_panel(area=panel.area)


def test_panel_opens_to_the_jurors_who_submitted_everything(panel):
    seen = {user.username: can_see_panel(user, _p(panel))
            for user in (panel.chair, panel.juror, panel.late, panel.outsider,
                         panel.organiser)}
    assert seen == {"chair": True, "juror": True, "late": False, "outsider": False,
                    "organiser-d": False}


def test_panel_stays_closed_while_the_review_is_open(db):
    from tests.scoring.factories_jury import ReviewEditionFactory

    panel = build_panel(ReviewEditionFactory())
    assert (panel_is_open(_p(panel)), can_see_panel(panel.juror, _p(panel)),
            can_decide(panel.chair, _p(panel))) == (False, False, False)


def test_panel_opens_at_the_review_close(db):
    from tests.scoring.factories_jury import ReviewEditionFactory

    panel = build_panel(ReviewEditionFactory())
    close = panel.edition.review_close_at
    assert (panel_is_open(_p(panel), close - dt.timedelta(seconds=1)),
            panel_is_open(_p(panel), close)) == (False, True)


def test_a_declared_conflict_counts_as_done(panel):
    JurySheet.objects.filter(juror=panel.late, status=SheetStatus.DRAFT).update(recused=True)
    assert submitted_all_own_sheets(panel.late, _p(panel)) is True


def test_a_sheet_taken_back_closes_the_panel_again(panel):
    sheet = JurySheet.objects.filter(juror=panel.juror).first()
    sheet.status, sheet.submitted_at = SheetStatus.DRAFT, None
    sheet.save()
    assert can_see_panel(panel.juror, _p(panel)) is False


def test_an_assignment_without_any_sheet_is_not_done(panel):
    JurySheet.objects.filter(juror=panel.juror, entry=panel.entries[0]).delete()
    assert submitted_all_own_sheets(panel.juror, _p(panel)) is False


def test_chair_and_members(panel):
    anonymous = AnonymousUser()
    assert [is_area_chair(panel.chair, panel.area), is_area_chair(panel.juror, panel.area),
            is_area_chair(anonymous, panel.area), is_panel_member(panel.late, _p(panel)),
            is_panel_member(panel.outsider, _p(panel)),
            is_panel_member(anonymous, _p(panel))] == [True, False, False, True, False,
                                                        False]


def test_only_the_chair_decides(panel):
    assert (can_decide(panel.chair, _p(panel)), can_decide(panel.juror, _p(panel)),
            can_decide(panel.organiser, _p(panel))) == (True, False, False)


def test_a_juror_removed_from_the_jury_leaves_the_panel(panel):
    panel.juror.jury_memberships.update(accepted_at=None)
    assert is_panel_member(panel.juror, _p(panel)) is False


def test_a_chair_removed_from_the_jury_chairs_nothing(panel):
    from deliberation.selectors import panel_members
    from scoring.models import JuryMember

    assert panel.chair in panel_members(panel=_p(panel))
    JuryMember.objects.filter(user=panel.chair).delete()
    assert (is_area_chair(panel.chair, panel.area), is_panel_member(panel.chair, _p(panel)),
            can_see_panel(panel.chair, _p(panel)), can_decide(panel.chair, _p(panel))) == (
        False, False, False, False)
    assert panel.chair not in panel_members(panel=_p(panel))  # nor counts in the majority
