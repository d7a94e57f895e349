"""Who the approved officers are, as a query, says exactly what `is_approved_officer` says of
one person: the rule has one meaning wherever it is asked."""

import pytest

from accounts.enums import OfficerStatus
from accounts.selectors import officer_emails, officers_approved
from tests.factories import MunicipalityFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_approved_officers_query_and_predicate_agree():
    place = MunicipalityFactory()
    people = [
        OfficerFactory(municipality=place),
        OfficerFactory(municipality=place, is_active=False),
        OfficerFactory(municipality=place, officer_status=OfficerStatus.PENDING),
        OfficerFactory(municipality=place, officer_status=OfficerStatus.REJECTED),
        OfficerFactory(municipality=None),
        UserFactory(),
    ]
    assert {p.pk for p in people if p.is_approved_officer} == set(
        officers_approved().values_list("pk", flat=True)) == {people[0].pk}


def test_officer_addresses_are_those_of_the_approved_officers_of_the_municipality():
    place = MunicipalityFactory()
    OfficerFactory(municipality=place, email="yes@example.org")
    OfficerFactory(municipality=place, email="no@example.org", is_active=False)
    OfficerFactory(municipality=MunicipalityFactory(), email="other@example.org")
    assert officer_emails(municipality_id=place.pk) == ["yes@example.org"]
