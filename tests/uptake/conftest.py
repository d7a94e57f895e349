import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import MunicipalityFactory, OfficerFactory, OrganiserFactory
from tests.portal.factories_showcase import published_edition


@pytest.fixture
def published(db):
    """A published edition (published 13 months ago) with two public practices."""
    run, results = published_edition(areas=1, entries_per_area=2, slug="past")
    run.published_at = timezone.now() - dt.timedelta(days=400)
    run.save(update_fields=["published_at"])
    return run, results


@pytest.fixture
def practice(published):
    return published[1][0].entry.practice


@pytest.fixture
def owner(practice):
    """An approved officer of the practice's municipality."""
    return OfficerFactory(municipality=practice.municipality, language="bg")


@pytest.fixture
def adopter(db):
    """An approved officer of another municipality."""
    return OfficerFactory(municipality=MunicipalityFactory(name="Добрич", name_en="Dobrich"))


@pytest.fixture
def organiser(db):
    return OrganiserFactory()
