import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from competitions.enums import Phase
from competitions.models import Criterion, Edition, months_before
from tests.factories import CriterionFactory, EditionFactory, ThematicAreaFactory

SOFIA = zoneinfo.ZoneInfo("Europe/Sofia")
pytestmark = pytest.mark.django_db


def _edition(**overrides) -> Edition:
    values = dict(
        title="Издание", slug="x", submissions_open_at=dt.datetime(2026, 1, 1, 9, tzinfo=SOFIA),
        submissions_close_at=dt.datetime(2026, 3, 1, 17, tzinfo=SOFIA),
        review_open_at=dt.datetime(2026, 3, 2, 9, tzinfo=SOFIA),
        review_close_at=dt.datetime(2026, 5, 1, 17, tzinfo=SOFIA))
    values.update(overrides)
    return Edition(**values)


def test_edition_valid_dates_pass_validation():
    _edition().full_clean()


def test_edition_deadline_before_opening_names_the_field():
    edition = _edition(submissions_close_at=dt.datetime(2025, 12, 1, tzinfo=SOFIA))
    with pytest.raises(ValidationError) as error:
        edition.full_clean()
    assert error.value.message_dict == {
        "submissions_close_at": ["“submission deadline” must come after “submissions open”."]}


def test_edition_review_overlapping_submissions_is_refused():
    edition = _edition(review_open_at=dt.datetime(2026, 2, 15, tzinfo=SOFIA))
    with pytest.raises(ValidationError) as error:
        edition.full_clean()
    assert list(error.value.message_dict) == ["review_open_at"]


def test_edition_review_may_open_the_minute_submissions_close():
    close = dt.datetime(2026, 3, 1, 17, tzinfo=SOFIA)
    _edition(submissions_close_at=close, review_open_at=close).full_clean()


def test_edition_scale_min_not_below_max_is_refused():
    with pytest.raises(ValidationError) as error:
        _edition(scale_min=5, scale_max=5).full_clean()
    assert error.value.message_dict["scale_max"] == [
        "The highest score must be above the lowest score (5)."]


def test_edition_unknown_time_zone_is_refused():
    with pytest.raises(ValidationError) as error:
        _edition(time_zone="Mars/Olympus").full_clean()
    assert error.value.message_dict["time_zone"] == [
        "“Mars/Olympus” is not a time zone name such as Europe/Sofia."]


def test_edition_database_refuses_dates_out_of_order():
    edition = _edition(review_open_at=dt.datetime(2026, 2, 1, tzinfo=SOFIA))
    with pytest.raises(IntegrityError), transaction.atomic():
        edition.save()


def test_edition_open_for_submissions_until_the_minute_of_the_deadline():
    deadline = dt.datetime(2026, 3, 1, 17, 0, tzinfo=SOFIA)
    edition = _edition(phase=Phase.OPEN, submissions_close_at=deadline)
    assert edition.is_open_for_submissions(deadline - dt.timedelta(minutes=1)) is True
    assert edition.is_open_for_submissions(deadline) is False
    # the same instant seen from UTC: 15:00 UTC is 17:00 in Sofia in winter
    utc_deadline = dt.datetime(2026, 3, 1, 15, 0, tzinfo=dt.UTC)
    assert edition.is_open_for_submissions(utc_deadline - dt.timedelta(seconds=1)) is True
    assert edition.is_open_for_submissions(utc_deadline) is False


def test_edition_in_draft_is_not_open_even_within_dates():
    edition = _edition(phase=Phase.DRAFT)
    assert edition.is_open_for_submissions(dt.datetime(2026, 2, 1, tzinfo=SOFIA)) is False


def test_edition_eligibility_window_is_18_months_before_the_call():
    edition = _edition(eligibility_months=18)
    assert edition.eligibility_window == (dt.date(2024, 7, 1), dt.date(2026, 3, 1))


def test_months_before_clamps_to_the_end_of_a_shorter_month():
    assert months_before(dt.date(2017, 8, 31), 18) == dt.date(2016, 2, 29)
    assert months_before(dt.date(2016, 10, 17), 18) == dt.date(2015, 4, 17)


def test_criterion_zero_weight_is_refused_with_a_message():
    criterion = CriterionFactory.build(edition=EditionFactory(), weight=Decimal(0))
    with pytest.raises(ValidationError) as error:
        criterion.full_clean()
    assert "A weight must be above zero." in error.value.messages


def test_criterion_database_refuses_a_negative_weight():
    criterion = CriterionFactory()
    Criterion.objects.filter(pk=criterion.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Criterion.objects.filter(pk=criterion.pk).update(weight=Decimal("-1"))


def test_area_duplicate_code_in_edition_is_refused_with_a_message():
    area = ThematicAreaFactory(code="I")
    duplicate = ThematicAreaFactory.build(edition=area.edition, code="I")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert error.value.messages == ["This edition already has an area with this code."]


def test_area_same_code_in_another_edition_is_allowed():
    ThematicAreaFactory(code="I")
    ThematicAreaFactory.build(edition=EditionFactory(), code="I").full_clean()
