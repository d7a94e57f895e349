"""A seat on the jury: an invitation accepted. One rule (`scoring.models.seated_q`, the
`seated()` queryset and `is_seated`) read by every place that asks who sits on a jury: an
invitation not yet accepted counts nowhere."""

import pytest

from scoring.forms.jury import ManualAssignForm
from scoring.models import Assignment, JuryMember
from scoring.rules import is_juror
from scoring.selectors.jury import edition_jurors_for_choice, juror_dashboard_blocks
from scoring.selectors.phase import jurors_without_assignments_count
from tests.factories import AssignmentFactory, EditionFactory, EntryFactory, JuryMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jury():
    """An edition with one seated member and one invited member, each assigned an entry."""
    edition = EditionFactory()
    seated = JuryMemberFactory(edition=edition)
    invited = JuryMemberFactory(edition=edition, accepted_at=None)
    entry = EntryFactory(area__edition=edition)
    for member in (seated, invited):
        AssignmentFactory(entry=entry, juror=member.user)
    return edition, seated, invited


def test_seated_members_are_those_who_accepted(jury):
    edition, seated, invited = jury
    assert list(JuryMember.objects.seated()) == [seated]
    assert (seated.is_seated, invited.is_seated) == (True, False)


def test_every_reader_of_the_jury_counts_only_the_seated(jury):
    edition, seated, invited = jury
    assert (is_juror(seated.user), is_juror(invited.user)) == (True, False)
    assert [m.pk for m in edition_jurors_for_choice(edition=edition)] == [seated.pk]
    assert set(Assignment.objects.active().values_list("juror", flat=True)) == {seated.user_id}
    assert [len(juror_dashboard_blocks(user=m.user)) for m in (seated, invited)] == [1, 0]
    juror_choices = ManualAssignForm(edition=edition).fields["juror"].queryset
    assert list(juror_choices) == [seated.user]
    Assignment.objects.all().delete()
    assert jurors_without_assignments_count(edition=edition) == 1


def test_a_seat_on_another_edition_does_not_seat_here(jury):
    """The rule holds on the same membership row: seated elsewhere, invited here, is no
    seat for this edition's assignments."""
    edition, seated, invited = jury
    JuryMemberFactory(user=invited.user)
    assert set(Assignment.objects.active().values_list("juror", flat=True)) == {seated.user_id}
    assert list(ManualAssignForm(edition=edition).fields["juror"].queryset) == [seated.user]
