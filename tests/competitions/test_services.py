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


def test_import_real_shared_file_imports_every_row():
    shared = Path(__file__).resolve().parents[3] / "shared" / "data" / "municipalities-bg.csv"
    if not shared.exists():
        pytest.skip("no shared data folder beside the project")
    report = municipalities_import_csv(data=shared.read_bytes())
    assert (report.errors, report.created) == ([], 289)


SOFIA = "SOF46,Столична,Sofia,София (столица),Sofia (capital),municipality,\n"
MLADOST = (",Младост,Mladost district,София (столица),Sofia (capital),"
           "district_administration,SOF46\n")


@pytest.mark.parametrize(("rows", "error"), [
    ("AAA01," + "Я" * 121 + ",First,Ямбол,Yambol,municipality,\n",
     "Line 2: name_bg: Ensure this value has at most 120 characters (it has 121)."),
    ("A" * 21 + ",Първа,First,Ямбол,Yambol,municipality,\n",
     "Line 2: code: Ensure this value has at most 20 characters (it has 21)."),
    ("AAA01,Първа,First,Ямбол,Yambol,municipality," + "B" * 21 + "\n",
     "Line 2: parent_code “" + "B" * 21 + "” is not a known municipality code."),
    ("AAA01,Първа,First,Ямбол,Yambol,district_administration,AAA01\n",
     "Line 2: it is its own parent (parent_code)."),
    ("AAA01,Първа,First,Ямбол,Yambol,municipality,\x00\n",
     "Line 2: a value holds a NUL character."),
    ("AAA01,Пър\x00ва,First,Ямбол,Yambol,municipality,\n",
     "Line 2: a value holds a NUL character."),
])
def test_import_a_row_the_model_cannot_hold_is_a_line_of_the_report(rows, error):
    """Checked against the model before anything is written: an over-long value (stored
    silently by SQLite, refused by PostgreSQL), a row that is its own parent, a NUL."""
    report = municipalities_import_csv(data=HEADER + SOFIA + rows)
    assert (report.errors, report.created) == ([error.replace("Line 2", "Line 3")], 0)
    assert Municipality.objects.count() == 0


def test_import_an_over_long_value_of_a_known_municipality_changes_nothing():
    municipalities_import_csv(data=HEADER + "AAA01,Първа,First,Ямбол,Yambol,municipality,\n")
    report = municipalities_import_csv(
        data=HEADER + "AAA01,Първа," + "F" * 121 + ",Ямбол,Yambol,municipality,\n")
    assert report.errors == [
        "Line 2: name_en: Ensure this value has at most 120 characters (it has 121)."]
    assert Municipality.objects.get().name_en == "First"


def test_import_parents_that_loop_are_refused():
    report = municipalities_import_csv(data=HEADER + (
        "AAA01,Първа,First,Ямбол,Yambol,district_administration,AAA02\n"
        "AAA02,Втора,Second,Ямбол,Yambol,district_administration,AAA01\n"))
    assert report.errors == ["Line 2: its parents (parent_code) lead back to it.",
                             "Line 3: its parents (parent_code) lead back to it."]
    assert Municipality.objects.count() == 0


def test_import_a_district_before_its_municipality_in_the_file():
    report = municipalities_import_csv(data=HEADER + MLADOST + SOFIA)
    assert (report.errors, report.created) == ([], 2)
    assert Municipality.objects.get(name="Младост").parent.code == "SOF46"
    again = municipalities_import_csv(data=HEADER + MLADOST + SOFIA)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_import_a_parent_that_has_a_parent_later_in_the_file():
    report = municipalities_import_csv(data=HEADER + (
        "AAA03,Трета,Third,Ямбол,Yambol,district_administration,AAA02\n"
        "AAA02,Втора,Second,Ямбол,Yambol,district_administration,AAA01\n"
        "AAA01,Първа,First,Ямбол,Yambol,municipality,\n"))
    assert (report.errors, report.created) == ([], 3)
    assert list(Municipality.objects.order_by("code").values_list("code", "parent__code")) == [
        ("AAA01", None), ("AAA02", "AAA01"), ("AAA03", "AAA02")]


def test_import_a_name_twice_in_a_region_under_two_codes_saves_nothing():
    report = municipalities_import_csv(data=HEADER + (
        "AAA01,Първа,First,Ямбол,Yambol,municipality,\n"
        "AAA02,Първа,First,Ямбол,Yambol,municipality,\n"))
    assert report.errors == [
        "Line 3: Municipality with this Country, Region, Name and Kind already exists."]
    assert (report.created, Municipality.objects.count()) == (0, 0)


def test_import_moves_a_district_to_another_parent():
    municipalities_import_csv(data=HEADER + SOFIA + MLADOST)
    moved = MLADOST.replace("SOF46", "AAA01")
    report = municipalities_import_csv(
        data=HEADER + SOFIA + moved + "AAA01,Първа,First,Ямбол,Yambol,municipality,\n")
    assert (report.errors, report.created, report.updated, report.unchanged) == ([], 1, 1, 1)
    assert Municipality.objects.get(name="Младост").parent.code == "AAA01"


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
