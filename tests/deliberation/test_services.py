import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import OutboxEmail
from deliberation.enums import DecisionStatus
from deliberation.models import AreaChair, DecisionPlace, PanelComment
from deliberation.services import (
    area_chair_appoint,
    decision_agreement_record,
    decision_draft,
    decision_problems,
    decision_record,
    panel_comment_post,
    panel_settings_set,
)
from tests.factories import UserFactory

from .conftest import departing_places

pytestmark = pytest.mark.django_db


# --- chairs and settings ------------------------------------------------------------------
def test_appoint_replaces_the_chair_and_records_who(panel):
    area_chair_appoint(area=panel.area, user=panel.juror, by=panel.organiser)
    chair = AreaChair.objects.get(area=panel.area)
    assert (chair.user, chair.appointed_by, chair.history.count(),
            chair.history.first().history_user) == (panel.juror, panel.organiser, 2,
                                                    panel.organiser)


def test_appoint_refuses_someone_off_the_jury(panel):
    with pytest.raises(ValidationError):
        area_chair_appoint(area=panel.area, user=UserFactory(), by=panel.organiser)


def test_appoint_refuses_a_juror_of_other_areas_only(panel):
    from tests.factories import ThematicAreaFactory

    other = ThematicAreaFactory(edition=panel.edition, code="II")
    panel.outsider.jury_memberships.get().areas.set([other])
    with pytest.raises(ValidationError):
        area_chair_appoint(area=panel.area, user=panel.outsider, by=panel.organiser)


def test_panel_settings_set_is_recorded(panel):
    settings = panel_settings_set(edition=panel.edition, show_names=True, by=panel.organiser)
    assert (settings.show_names, settings.history.first().history_user) == (
        True, panel.organiser)


# --- comments -----------------------------------------------------------------------------
def test_comment_tells_the_other_members_in_their_language(
        panel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        panel_comment_post(entry=panel.entries[0], author=panel.juror, body="  Strong.  ")
    sent = sorted(OutboxEmail.objects.values_list("recipient", "language", "kind"))
    assert PanelComment.objects.get().body == "Strong."
    assert sent == [("chair@example.org", "en", "panel_comment"),
                    ("late@example.org", "bg", "panel_comment")]


def test_comment_refused_before_the_author_submitted(panel):
    with pytest.raises(PermissionDenied):
        panel_comment_post(entry=panel.entries[0], author=panel.late, body="Hi")
    assert PanelComment.objects.count() == 0


def test_comment_must_say_something(panel):
    with pytest.raises(ValidationError):
        panel_comment_post(entry=panel.entries[0], author=panel.juror, body="   ")


# --- decisions ----------------------------------------------------------------------------
def test_draft_starts_from_the_computed_places_with_the_evidence(panel):
    decision = decision_draft(area=panel.area, run=panel.run, by=panel.chair)
    rows = sorted((p.entry_id, p.place, p.computed_place, p.needs_justification)
                  for p in decision.places.all())
    first, second, third = panel.entries
    # the clear first place needs no justification; the award between the second and the
    # third, indistinguishable and swapping under the median, does
    assert rows == sorted([(first.pk, 1, 1, False), (second.pk, 2, 2, True),
                           (third.pk, None, None, True)])
    assert (decision.status, decision.departs) == (DecisionStatus.DRAFT, False)


def test_only_the_chair_drafts(panel):
    with pytest.raises(PermissionDenied):
        decision_draft(area=panel.area, run=panel.run, by=panel.juror)


def test_a_failed_run_cannot_be_decided(panel):
    panel.run.status = "failed"
    panel.run.save()
    with pytest.raises(ValidationError):
        decision_draft(area=panel.area, run=panel.run, by=panel.chair)


def test_confirming_needs_a_justification_for_exactly_the_flagged_places(panel):
    decision = decision_draft(area=panel.area, run=panel.run, by=panel.chair)
    # the flagged second place, not the clear first one (nor the third, left unplaced)
    assert decision_problems(decision) == ["Justify the decision on “Practice 2”."]
    first, second, _third = panel.entries
    decision = decision_draft(area=panel.area, run=panel.run, by=panel.chair, places=[
        {"entry": first.pk, "place": 1, "justification": ""},
        {"entry": second.pk, "place": 2, "justification": "Second on lasting results."}])
    assert decision_problems(decision) == []
    recorded = decision_record(decision=decision, by=panel.chair)
    assert (recorded.status, recorded.departs, recorded.recorded_at is not None) == (
        DecisionStatus.RECORDED, False, True)


def test_awarding_the_flagged_unplaced_entry_needs_its_justification(panel):
    first, second, third = panel.entries
    decision = decision_draft(area=panel.area, run=panel.run, by=panel.chair, places=[
        {"entry": first.pk, "place": 1},
        {"entry": third.pk, "place": 2},
        {"entry": second.pk, "place": None, "justification": "Below on the evidence."}],
        public_justification="Third's results are better documented.")
    assert decision_problems(decision)[0] == "Justify the decision on “Practice 3”."
    assert "Justify the decision on “Practice 1”." not in decision_problems(decision)


def test_departing_needs_public_justification_and_the_panels_agreement(panel):
    decision = decision_draft(area=panel.area, run=panel.run, by=panel.chair,
                              places=departing_places(panel))
    assert decision.departs is True
    with pytest.raises(ValidationError) as refused:
        decision_record(decision=decision, by=panel.chair)
    assert "public justification" in str(refused.value)
    decision = decision_draft(area=panel.area, run=panel.run, by=panel.chair,
                              public_justification="The jury preferred lasting results.")
    decision_agreement_record(decision=decision, juror=panel.chair, agrees=True,
                              by=panel.chair)
    with pytest.raises(ValidationError) as refused:
        decision_record(decision=decision, by=panel.chair)
    assert "2 missing" in str(refused.value)
    decision_agreement_record(decision=decision, juror=panel.juror, agrees=False,
                              by=panel.chair)
    decision_agreement_record(decision=decision, juror=panel.late, agrees=False,
                              by=panel.chair)
    with pytest.raises(ValidationError) as refused:
        decision_record(decision=decision, by=panel.chair)
    assert "majority" in str(refused.value)
    decision_agreement_record(decision=decision, juror=panel.late, agrees=True,
                              by=panel.chair)
    recorded = decision_record(decision=decision, by=panel.chair)
    assert recorded.status == DecisionStatus.RECORDED
    assert sorted(recorded.agreements.values_list("juror__username", "agrees")) == [
        ("chair", True), ("juror", False), ("late", True)]


def test_a_recorded_decision_is_final(panel):
    first, second, _third = panel.entries
    decision = decision_draft(area=panel.area, run=panel.run, by=panel.chair, places=[
        {"entry": first.pk, "place": 1, "justification": "a"},
        {"entry": second.pk, "place": 2, "justification": "b"}])
    decision_record(decision=decision, by=panel.chair)
    with pytest.raises(ValidationError):
        decision_draft(area=panel.area, run=panel.run, by=panel.chair,
                       public_justification="x")
    with pytest.raises(ValidationError):
        decision_agreement_record(decision=decision, juror=panel.juror, agrees=True,
                                  by=panel.chair)
    with pytest.raises(ValidationError):
        decision_record(decision=decision, by=panel.chair)


def test_a_computed_place_left_out_is_a_departure(panel):
    first, _second, _third = panel.entries
    decision = decision_draft(area=panel.area, run=panel.run, by=panel.chair, places=[
        {"entry": first.pk, "place": 1, "justification": "a"}])
    rows = {p.entry_id: p.place for p in DecisionPlace.objects.filter(decision=decision)}
    assert decision.departs is True and rows[panel.entries[1].pk] is None


def test_a_place_beyond_the_awards_is_refused(panel):
    with pytest.raises(ValidationError):
        decision_draft(area=panel.area, run=panel.run, by=panel.chair,
                       places=[{"entry": panel.entries[0].pk, "place": 3}])


def test_an_entry_outside_the_ranking_is_refused(panel):
    from tests.factories import EntryFactory

    with pytest.raises(ValidationError):
        decision_draft(area=panel.area, run=panel.run, by=panel.chair,
                       places=[{"entry": EntryFactory(area=panel.area).pk, "place": 1}])


def test_only_panel_members_take_a_position(panel):
    decision = decision_draft(area=panel.area, run=panel.run, by=panel.chair)
    with pytest.raises(ValidationError):
        decision_agreement_record(decision=decision, juror=panel.outsider, agrees=True,
                                  by=panel.chair)
    with pytest.raises(PermissionDenied):
        decision_agreement_record(decision=decision, juror=panel.juror, agrees=True,
                                  by=panel.juror)
