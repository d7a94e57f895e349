"""Factories for every model of the foundation. Issues add theirs in tests/<app>/factories.py."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.enums import OfficerStatus
from accounts.models import User
from competitions.enums import MunicipalityKind, Phase
from competitions.models import Criterion, Edition, Municipality, RubricLevel, ThematicArea
from practices.enums import EntryStatus
from practices.models import Entry, Practice
from scoring.enums import SheetStatus
from scoring.models import Assignment, JuryMember, JurySheet, SheetScore


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)

PASSWORD = "test-pass-2016"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    code = factory.Sequence(lambda n: f"TST{n:03d}")
    name = factory.Sequence(lambda n: f"Община {n}")
    name_en = factory.Sequence(lambda n: f"Municipality {n}")
    region = "Ямбол"
    region_en = "Yambol"
    kind = MunicipalityKind.MUNICIPALITY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Ivan"
    last_name = factory.Sequence(lambda n: f"Petrov{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganiserFactory(UserFactory):
    """Organisers are staff; what they may do comes from the rules, not from superuser."""

    is_staff = True


class OfficerFactory(UserFactory):
    municipality = factory.SubFactory(MunicipalityFactory)
    officer_status = OfficerStatus.APPROVED


def _at(days: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


class EditionFactory(factory.django.DjangoModelFactory):
    """An edition open for submissions now, with a deadline in ten days."""

    class Meta:
        model = Edition

    title = factory.Sequence(lambda n: f"Издание {n}")
    title_en = factory.Sequence(lambda n: f"Edition {n}")
    slug = factory.Sequence(lambda n: f"edition-{n}")
    year_label = "2026/2027"
    phase = Phase.OPEN
    submissions_open_at = factory.LazyFunction(lambda: _at(-30))
    submissions_close_at = factory.LazyFunction(lambda: _at(10))
    review_open_at = factory.LazyFunction(lambda: _at(11))
    review_close_at = factory.LazyFunction(lambda: _at(40))
    min_sheets_per_entry = 1


class ThematicAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThematicArea

    edition = factory.SubFactory(EditionFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    title = factory.Sequence(lambda n: f"Област {n}")
    title_en = factory.Sequence(lambda n: f"Area {n}")
    order = factory.Sequence(lambda n: n)
    awards = 2


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    edition = factory.SubFactory(EditionFactory)
    title = factory.Sequence(lambda n: f"Критерий {n}")
    title_en = factory.Sequence(lambda n: f"Criterion {n}")
    weight = Decimal(1)
    order = factory.Sequence(lambda n: n + 1)


class RubricLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RubricLevel

    criterion = factory.SubFactory(CriterionFactory)
    score = 5
    description = "Средно"
    description_en = "Average"


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Практика {n}")
    title_en = factory.Sequence(lambda n: f"Practice {n}")
    summary = "Кратко описание."
    implemented_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    practice = factory.SubFactory(PracticeFactory)
    area = factory.SubFactory(ThematicAreaFactory)
    edition = factory.LazyAttribute(lambda e: e.area.edition)
    status = EntryStatus.ELIGIBLE


class JuryMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JuryMember

    edition = factory.SubFactory(EditionFactory)
    user = factory.SubFactory(UserFactory)
    accepted_at = factory.LazyFunction(timezone.now)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    entry = factory.SubFactory(EntryFactory)
    juror = factory.SubFactory(UserFactory)


class JurySheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JurySheet

    entry = factory.SubFactory(EntryFactory)
    juror = factory.SubFactory(UserFactory)
    status = SheetStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


class SheetScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SheetScore

    sheet = factory.SubFactory(JurySheetFactory)
    criterion = factory.SubFactory(CriterionFactory)
    value = 7


def privacy_consent() -> dict:
    """The fields of a form that collects personal data: the privacy notice's version shown
    (the one in force) and the box ticked."""
    from accounts.privacy import privacy_notice_current

    return {"privacy_notice": str(privacy_notice_current().version), "privacy_consent": "on"}
