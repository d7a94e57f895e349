from pathlib import Path

import pytest

from competitions.enums import MunicipalityKind, Phase
from competitions.models import Municipality
from competitions.services import edition_copy, municipalities_import_csv
from tests.factories import (
    CriterionFactory,
    EditionFactory,
    RubricLevelFactory,
    ThematicAreaFactory,
)

pytestmark = pytest.mark.django_db
REAL_CSV = Path(__file__).resolve().parents[2] / "portal" / "demo_data" / "municipalities-bg.csv"
HEADER = "code,name_bg,name_en,region_bg,region_en,kind,parent_code\n"


def test_import_real_file_creates_every_municipality_and_district():
    report = municipalities_import_csv(data=REAL_CSV.read_bytes())
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (289, 0, 0)
    assert Municipality.objects.filter(kind=MunicipalityKind.MUNICIPALITY).count() == 265
    mladost = Municipality.objects.get(name_en="Mladost district")
    assert mladost.kind == MunicipalityKind.DISTRICT_ADMINISTRATION
    assert mladost.parent.code == "SOF46"


def test_import_real_file_twice_changes_nothing():
    municipalities_import_csv(data=REAL_CSV.read_bytes())
    before = list(Municipality.objects.order_by("pk").values())
    report = municipalities_import_csv(data=REAL_CSV.read_bytes())
    assert (report.created, report.updated, report.unchanged) == (0, 0, 289)
    assert list(Municipality.objects.order_by("pk").values()) == before


def test_import_broken_rows_saves_nothing_and_names_each_line():
    data = HEADER + (
        "AAA01,Първа,First,Ямбол,Yambol,municipality,\n"
        "AAA02,,Second,Ямбол,Yambol,municipality,\n"
        "AAA03,Трета,Third,Ямбол,Yambol,village,\n"
        "AAA04,Четвърта\n"
        ",Район,District,София,Sofia,district_administration,NOPE\n"
        "AAA01,Първа,First,Ямбол,Yambol,municipality,\n")
    report = municipalities_import_csv(data=data)
    assert report.errors == [
        "Line 3: the name (name_bg) is empty.",
        "Line 4: kind “village” is not one of district_administration, municipality.",
        "Line 5: wrong number of columns.",
        "Line 7 repeats line 2.",
        "Line 6: parent_code “NOPE” is not a known municipality code.",
    ]
    assert Municipality.objects.count() == 0


def test_import_missing_columns_is_refused():
    report = municipalities_import_csv(data="name,region\nA,B\n")
    assert report.errors == [
        "Missing columns: code, name_bg, name_en, region_bg, region_en, kind, parent_code. "
        "Expected: code,name_bg,name_en,region_bg,region_en,kind,parent_code."]


def test_import_not_utf8_is_refused():
    report = municipalities_import_csv(data=(HEADER + "A,Б,B,В,V,municipality,\n").encode("cp1251"))
    assert report.errors == ["The file is not UTF-8 text."]


def test_import_updates_a_changed_name():
    municipalities_import_csv(data=HEADER + "AAA01,Първа,First,Ямбол,Yambol,municipality,\n")
    report = municipalities_import_csv(
        data=HEADER + "AAA01,Първа,First (new),Ямбол,Yambol,municipality,\n")
    assert (report.created, report.updated) == (0, 1)
    assert Municipality.objects.get(code="AAA01").name_en == "First (new)"


def test_edition_copy_clones_areas_criteria_and_rubric_a_year_later():
    edition = EditionFactory(phase=Phase.PUBLISHED)
    ThematicAreaFactory(edition=edition, code="I", awards=3)
    criterion = CriterionFactory(edition=edition, order=1, weight=2)
    RubricLevelFactory(criterion=criterion, score=8, description="Много добро")
    copy = edition_copy(edition=edition, slug="next", title="Следващо")
    assert copy.phase == Phase.DRAFT
    assert copy.submissions_close_at.year == edition.submissions_close_at.year + 1
    assert list(copy.areas.values_list("code", "awards")) == [("I", 3)]
    copied = copy.criteria.get()
    assert (copied.order, copied.weight) == (1, 2)
    assert list(copied.rubric_levels.values_list("score", "description")) == [(8, "Много добро")]
    assert edition.criteria.count() == 1


def test_edition_copy_marks_each_title_as_a_copy_in_its_own_language():
    edition = EditionFactory(title="Програма за най-добри практики 2026", language="bg",
                             title_en="Best Practices Programme 2026")
    copy = edition_copy(edition=edition, slug="next")
    assert copy.title == "Програма за най-добри практики 2026 (копие)"
    assert copy.title_en == "Best Practices Programme 2026 (copy)"


def test_edition_copy_of_an_english_edition_marks_the_copy_in_english():
    edition = EditionFactory(title="Best Practices Programme 2026", language="en", title_en="")
    copy = edition_copy(edition=edition, slug="next")
    assert (copy.title, copy.title_en) == ("Best Practices Programme 2026 (copy)", "")


def test_edition_copy_of_a_title_at_full_length_still_fits():
    edition = EditionFactory(title="Б" * 200, language="bg")
    copy = edition_copy(edition=edition, slug="next")
    assert copy.title == "Б" * 192 + " (копие)"
    assert len(copy.title) == 200
