from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competitions.enums import ConflictScope
from practices.enums import EntryStatus
from scoring.models import Assignment
from scoring.services.assignments import (
    AssignmentError,
    assignment_add,
    assignment_remove,
    assignments_area_everyone,
    assignments_auto,
)
from tests.factories import (
    AssignmentFactory,
    EntryFactory,
    JuryMemberFactory,
    JurySheetFactory,
    MunicipalityFactory,
    OrganiserFactory,
    PracticeFactory,
    ThematicAreaFactory,
    UserFactory,
)

from ..factories_jury import ReviewEditionFactory


def _loads(edition):
    return Counter(Assignment.objects.filter(entry__edition=edition)
                   .values_list("juror_id", flat=True))


def _juror(edition, municipality=None, areas=()):
    user = UserFactory(municipality=municipality)
    member = JuryMemberFactory(edition=edition, user=user)
    if areas:
        member.areas.set(areas)
    return user


def _entry(area, municipality=None, status=EntryStatus.ELIGIBLE):
    practice = PracticeFactory(municipality=municipality or MunicipalityFactory())
    return EntryFactory(area=area, practice=practice, status=status)


def _conflicted_pairs(edition):
    pairs = []
    for assignment in Assignment.objects.filter(entry__edition=edition).select_related(
            "juror__municipality", "entry__practice__municipality"):
        juror_town = assignment.juror.municipality
        entry_town = assignment.entry.practice.municipality
        if juror_town is None:
            continue
        if juror_town.pk == entry_town.pk or (
                edition.conflict_scope == ConflictScope.REGION
                and juror_town.region == entry_town.region):
            pairs.append((assignment.juror_id, assignment.entry_id))
    return pairs


@pytest.mark.django_db
def test_assignments_auto_spreads_the_load_evenly_when_k_divides(db):
    edition = ReviewEditionFactory()
    areas = [ThematicAreaFactory(edition=edition) for _ in range(3)]
    towns = [MunicipalityFactory(region=f"Region {i}") for i in range(6)]
    jurors = [_juror(edition, municipality=town) for town in towns]
    entries = [_entry(areas[i % 3], municipality=towns[i % 6]) for i in range(12)]
    outcome = assignments_auto(edition=edition, per_entry=3, by=OrganiserFactory())
    assert outcome.created == 36
    assert outcome.short == {}
    loads = _loads(edition)
    assert sorted(loads.values()) == [6] * 6
    assert set(loads) == {juror.pk for juror in jurors}
    per_entry = Counter(Assignment.objects.values_list("entry_id", flat=True))
    assert per_entry == {entry.pk: 3 for entry in entries}
    assert _conflicted_pairs(edition) == []


@pytest.mark.django_db
def test_assignments_auto_never_gives_a_juror_their_own_municipality(db):
    edition = ReviewEditionFactory()
    area = ThematicAreaFactory(edition=edition)
    home = MunicipalityFactory()
    local = _juror(edition, municipality=home)
    others = [_juror(edition) for _ in range(2)]
    local_entry = _entry(area, municipality=home)
    _entry(area)
    assignments_auto(edition=edition, per_entry=2, by=None)
    assert list(Assignment.objects.filter(entry=local_entry).order_by("juror_id")
                .values_list("juror_id", flat=True)) == sorted(j.pk for j in others)
    assert not Assignment.objects.filter(entry=local_entry, juror=local).exists()


@pytest.mark.django_db
def test_assignments_auto_avoids_the_jurors_region_when_the_edition_says_so(db):
    edition = ReviewEditionFactory(conflict_scope=ConflictScope.REGION)
    area = ThematicAreaFactory(edition=edition)
    juror = _juror(edition, municipality=MunicipalityFactory(region="Ямбол"))
    neighbour = _entry(area, municipality=MunicipalityFactory(region="Ямбол"))
    far = _entry(area, municipality=MunicipalityFactory(region="Варна"))
    outcome = assignments_auto(edition=edition, per_entry=1, by=None)
    assert list(Assignment.objects.values_list("juror_id", "entry_id")) == [(juror.pk, far.pk)]
    assert outcome.short == {neighbour: 1}


@pytest.mark.django_db
def test_assignments_auto_avoids_declared_conflicts(db):
    edition = ReviewEditionFactory()
    area = ThematicAreaFactory(edition=edition)
    first, second = _juror(edition), _juror(edition)
    entry = _entry(area)
    JurySheetFactory(entry=entry, juror=first, recused=True, recusal_reason="Former employer",
                     status="draft", submitted_at=None)
    assignments_auto(edition=edition, per_entry=1, by=None)
    assert list(Assignment.objects.values_list("juror_id", flat=True)) == [second.pk]


@pytest.mark.django_db
def test_assignments_auto_keeps_jurors_to_their_areas(db):
    edition = ReviewEditionFactory()
    area_one, area_two = ThematicAreaFactory(edition=edition), ThematicAreaFactory(edition=edition)
    only_one = _juror(edition, areas=[area_one])
    everywhere = _juror(edition)
    entry_two = _entry(area_two)
    _entry(area_one)
    assignments_auto(edition=edition, per_entry=2, by=None)
    assert list(Assignment.objects.filter(entry=entry_two).values_list("juror_id", flat=True)) \
        == [everywhere.pk]
    assert Assignment.objects.filter(juror=only_one).count() == 1


@pytest.mark.django_db
def test_assignments_auto_tops_up_and_counts_existing_assignments(db):
    edition = ReviewEditionFactory()
    area = ThematicAreaFactory(edition=edition)
    jurors = [_juror(edition) for _ in range(4)]
    entries = [_entry(area) for _ in range(4)]
    AssignmentFactory(entry=entries[0], juror=jurors[0])
    AssignmentFactory(entry=entries[1], juror=jurors[0])
    outcome = assignments_auto(edition=edition, per_entry=2, by=None)
    assert outcome.created == 6
    assert sorted(_loads(edition).values()) == [2, 2, 2, 2]
    again = assignments_auto(edition=edition, per_entry=2, by=None)
    assert again.created == 0


@pytest.mark.django_db
def test_assignments_auto_skips_entries_not_entered_or_turned_away(db):
    edition = ReviewEditionFactory()
    area = ThematicAreaFactory(edition=edition)
    _juror(edition)
    for status in (EntryStatus.DRAFT, EntryStatus.WITHDRAWN, EntryStatus.INELIGIBLE):
        _entry(area, status=status)
    submitted = _entry(area, status=EntryStatus.SUBMITTED)
    assignments_auto(edition=edition, per_entry=1, by=None)
    assert list(Assignment.objects.values_list("entry_id", flat=True)) == [submitted.pk]


@pytest.mark.django_db
def test_assignments_auto_balances_around_conflicts(db):
    """Jurors of town A may only score town B's entries and the other way round: loads
    still come out even."""
    edition = ReviewEditionFactory()
    area = ThematicAreaFactory(edition=edition)
    town_a, town_b = MunicipalityFactory(), MunicipalityFactory()
    for town in (town_a, town_b):
        for _ in range(3):
            _juror(edition, municipality=town)
    for town in (town_a, town_b):
        for _ in range(6):
            _entry(area, municipality=town)
    outcome = assignments_auto(edition=edition, per_entry=2, by=None)
    assert outcome.short == {}
    assert sorted(_loads(edition).values()) == [4] * 6
    assert _conflicted_pairs(edition) == []


@pytest.mark.django_db
def test_assignments_auto_gives_the_most_even_loads_conflicts_allow(db):
    """Town A's entries can only go to the two outside jurors, who carry all four; the three
    town-A jurors share town B's eight slots as evenly as possible."""
    edition = ReviewEditionFactory()
    area = ThematicAreaFactory(edition=edition)
    town_a, town_b = MunicipalityFactory(), MunicipalityFactory()
    for _ in range(3):
        _juror(edition, municipality=town_a)
    _juror(edition, municipality=town_b)
    _juror(edition)
    for _ in range(4):
        _entry(area, municipality=town_a)
    for _ in range(4):
        _entry(area, municipality=town_b)
    outcome = assignments_auto(edition=edition, per_entry=2, by=None)
    assert outcome.short == {}
    assert sorted(_loads(edition).values()) == [2, 3, 3, 4, 4]
    assert _conflicted_pairs(edition) == []


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(jurors=st.integers(min_value=2, max_value=7), entries=st.integers(min_value=1, max_value=12),
       per_entry=st.integers(min_value=1, max_value=3))
@pytest.mark.django_db
def test_assignments_auto_loads_differ_by_at_most_one_without_conflicts(jurors, entries, per_entry):
    edition = ReviewEditionFactory()
    area = ThematicAreaFactory(edition=edition)
    for _ in range(jurors):
        _juror(edition)
    for _ in range(entries):
        _entry(area)
    assignments_auto(edition=edition, per_entry=per_entry, by=None)
    loads = [_loads(edition).get(member.user_id, 0) for member in edition.jury.all()]
    assert max(loads) - min(loads) <= 1
    assert sum(loads) == entries * min(per_entry, jurors)


@pytest.mark.django_db
def test_assignments_auto_refuses_zero_jurors_per_entry(db):
    with pytest.raises(AssignmentError):
        assignments_auto(edition=ReviewEditionFactory(), per_entry=0, by=None)


@pytest.mark.django_db
def test_assignments_area_everyone_assigns_all_jurors_of_the_area_but_conflicts(db):
    edition = ReviewEditionFactory()
    area, other_area = ThematicAreaFactory(edition=edition), ThematicAreaFactory(edition=edition)
    home = MunicipalityFactory()
    local = _juror(edition, municipality=home)
    outsider = _juror(edition, areas=[other_area])
    plain = _juror(edition)
    local_entry, entry = _entry(area, municipality=home), _entry(area)
    _entry(other_area)
    outcome = assignments_area_everyone(area=area, by=None)
    assert outcome.created == 3
    assert set(Assignment.objects.filter(entry__area=area).values_list("juror_id", "entry_id")) \
        == {(local.pk, entry.pk), (plain.pk, entry.pk), (plain.pk, local_entry.pk)}
    assert not Assignment.objects.filter(juror=outsider).exists()
    assert assignments_area_everyone(area=area, by=None).created == 0


@pytest.mark.django_db
def test_assignment_add_refuses_a_conflict_with_a_clear_message(db):
    edition = ReviewEditionFactory()
    area = ThematicAreaFactory(edition=edition)
    home = MunicipalityFactory()
    juror = _juror(edition, municipality=home)
    with pytest.raises(AssignmentError) as error:
        assignment_add(entry=_entry(area, municipality=home), juror=juror, by=None)
    assert error.value.messages == ["The entry comes from the juror's own municipality."]


@pytest.mark.django_db
def test_assignment_add_refuses_a_same_region_entry_under_region_scope(db):
    edition = ReviewEditionFactory(conflict_scope=ConflictScope.REGION)
    area = ThematicAreaFactory(edition=edition)
    juror = _juror(edition, municipality=MunicipalityFactory(region="Добрич"))
    with pytest.raises(AssignmentError) as error:
        assignment_add(entry=_entry(area, MunicipalityFactory(region="Добрич")), juror=juror,
                       by=None)
    assert error.value.messages == ["The entry comes from the juror's own region."]


@pytest.mark.django_db
def test_assignment_add_refuses_someone_off_the_jury_or_off_the_area(db):
    edition = ReviewEditionFactory()
    area, other_area = ThematicAreaFactory(edition=edition), ThematicAreaFactory(edition=edition)
    entry = _entry(area)
    with pytest.raises(AssignmentError) as error:
        assignment_add(entry=entry, juror=UserFactory(), by=None)
    assert error.value.messages == ["This person is not on the jury of the edition."]
    with pytest.raises(AssignmentError) as error:
        assignment_add(entry=entry, juror=_juror(edition, areas=[other_area]), by=None)
    assert error.value.messages == ["This juror does not serve the entry's thematic area."]


@pytest.mark.django_db
def test_assignment_add_and_remove_by_hand(db):
    edition = ReviewEditionFactory()
    area = ThematicAreaFactory(edition=edition)
    juror, entry = _juror(edition), _entry(area)
    assignment = assignment_add(entry=entry, juror=juror, by=None)
    with pytest.raises(AssignmentError):
        assignment_add(entry=entry, juror=juror, by=None)
    assignment_remove(assignment=assignment, by=None)
    assert Assignment.objects.count() == 0


@pytest.mark.django_db
def test_assignment_remove_refuses_when_the_sheet_is_submitted(db):
    edition = ReviewEditionFactory()
    area = ThematicAreaFactory(edition=edition)
    juror, entry = _juror(edition), _entry(area)
    assignment = assignment_add(entry=entry, juror=juror, by=None)
    JurySheetFactory(entry=entry, juror=juror)
    with pytest.raises(AssignmentError) as error:
        assignment_remove(assignment=assignment, by=None)
    assert error.value.messages == ["The juror has already submitted a sheet for this entry."]
    assert Assignment.objects.count() == 1


@pytest.mark.django_db
def test_assignments_auto_replaces_a_juror_who_declared_a_conflict(db):
    edition = ReviewEditionFactory()
    area = ThematicAreaFactory(edition=edition)
    first, second, third = _juror(edition), _juror(edition), _juror(edition)
    entry = _entry(area)
    AssignmentFactory(entry=entry, juror=first)
    AssignmentFactory(entry=entry, juror=second)
    JurySheetFactory(entry=entry, juror=first, recused=True, recusal_reason="Relative",
                     status="draft", submitted_at=None)
    outcome = assignments_auto(edition=edition, per_entry=2, by=None)
    assert outcome.created == 1
    assert set(Assignment.objects.values_list("juror_id", flat=True)) == {
        first.pk, second.pk, third.pk}


@pytest.mark.django_db
def test_assignments_auto_refuses_fewer_jurors_per_entry_than_the_minimum():
    edition = ReviewEditionFactory(min_sheets_per_entry=3)
    area = ThematicAreaFactory(edition=edition)
    for _ in range(4):
        _juror(edition)
    _entry(area)
    with pytest.raises(AssignmentError) as refused:
        assignments_auto(edition=edition, per_entry=2, by=None)
    assert refused.value.messages == [
        "Each entry needs at least 3 sheets to be ranked; with 2 jurors per entry none will "
        "be ranked. Choose at least 3."]
    assert Assignment.objects.count() == 0
    assert assignments_auto(edition=edition, per_entry=3, by=None).created == 3


@pytest.mark.django_db
def test_assignments_auto_says_when_the_jury_is_smaller_than_the_minimum():
    edition = ReviewEditionFactory(min_sheets_per_entry=3)
    area = ThematicAreaFactory(edition=edition)
    other_area = ThematicAreaFactory(edition=edition)
    _juror(edition)
    _juror(edition, areas=[other_area])
    _juror(edition, areas=[other_area])
    _entry(area)
    with pytest.raises(AssignmentError) as refused:
        assignments_auto(edition=edition, per_entry=3, by=None, area=area)
    assert refused.value.messages == [
        "Each entry needs at least 3 sheets to be ranked, but the jury has only 1 juror who "
        "accepted: invite more jurors (or lower the edition's minimum of sheets) first."]
    assert Assignment.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("status", [EntryStatus.DRAFT, EntryStatus.WITHDRAWN,
                                    EntryStatus.INELIGIBLE])
def test_assignment_add_refuses_an_entry_that_is_not_assignable(status):
    edition = ReviewEditionFactory()
    area = ThematicAreaFactory(edition=edition)
    juror = _juror(edition)
    with pytest.raises(AssignmentError):
        assignment_add(entry=_entry(area, status=status), juror=juror, by=None)
    assert Assignment.objects.count() == 0


def test_entry_status_scorable_is_submitted_and_eligible():
    assert EntryStatus.scorable == ("submitted", "eligible")
