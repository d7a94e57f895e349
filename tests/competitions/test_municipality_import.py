"""The municipalities' CSV import checks every row before it writes anything: every problem
of the file is reported at once, and a file with one is not written at all. Its parts (the
reader, the row checks, the rule of one name per kind in a region) are tried alone."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from competitions.models import Municipality
from competitions.services import (
    ImportReport,
    _csv_reader,
    _name_clashes,
    _row_planned,
    _rows_checked,
    _SavedMunicipalities,
    municipalities_import_csv,
)

pytestmark = pytest.mark.django_db
HEADER = "code,name_bg,name_en,region_bg,region_en,kind,parent_code\n"
FIRST = "AAA01,Първа,First,Ямбол,Yambol,municipality,\n"


def test_every_problem_is_reported_at_once_and_nothing_is_written():
    municipalities_import_csv(data=HEADER + FIRST)
    data = HEADER + (
        "AAA01,Първа,First (renamed),Ямбол,Yambol,municipality,\n"  # fine on its own
        "AAA02,,Second,Ямбол,Yambol,municipality,\n"  # no name
        "AAA03,Първа,First,Ямбол,Yambol,municipality,\n"  # the name line 2 keeps
        ",Район,District,Ямбол,Yambol,district_administration,NOPE\n")  # unknown parent
    with CaptureQueriesContext(connection) as queries:
        report = municipalities_import_csv(data=data)
    assert report.errors == [
        "Line 3: the name (name_bg) is empty.",
        "Line 5: parent_code “NOPE” is not a known municipality code.",
        "Line 4: Municipality with this Country, Region, Name and Kind already exists.",
    ]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert list(Municipality.objects.values_list("code", "name_en")) == [("AAA01", "First")]


def test_a_name_freed_by_an_earlier_row_may_be_taken_by_a_later_one():
    """Rows are checked as if saved one after another: a municipality renamed by one row
    leaves its old name to the rows after it, not to those before."""
    municipalities_import_csv(data=HEADER + FIRST)
    freed = municipalities_import_csv(data=HEADER + (
        "AAA01,Първа нова,First (new),Ямбол,Yambol,municipality,\n"
        "AAA02,Първа,First,Ямбол,Yambol,municipality,\n"))
    assert (freed.errors, freed.created, freed.updated) == ([], 1, 1)
    taken = municipalities_import_csv(data=HEADER + (
        "AAA03,Първа нова,First (new),Ямбол,Yambol,municipality,\n"
        "AAA01,Трета,Third,Ямбол,Yambol,municipality,\n"))
    assert taken.errors == [
        "Line 2: Municipality with this Country, Region, Name and Kind already exists."]
    assert Municipality.objects.get(code="AAA01").name == "Първа нова"


def test_the_reader_refuses_a_file_without_the_columns():
    report = ImportReport()
    assert _csv_reader("name\nA\n", report) is None and report.errors[0].startswith(
        "Missing columns: code,")
    assert _csv_reader((HEADER + FIRST).encode("utf-8-sig"), ImportReport()) is not None


def test_row_checks_keep_the_rows_right_on_their_own_and_report_the_others():
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(HEADER + FIRST + "AAA02\n" + FIRST))
    rows = _rows_checked("BG", reader, report)
    assert [line for line, _row in rows] == [2]
    assert report.errors == ["Line 3: wrong number of columns.", "Line 4 repeats line 2."]


def test_name_clashes_are_found_without_the_database_written():
    municipalities_import_csv(data=HEADER + FIRST)
    saved = _SavedMunicipalities("BG")
    row = {"code": "AAA09", "name_bg": "Първа", "name_en": "First", "region_bg": "Ямбол",
           "region_en": "Yambol", "kind": "municipality", "parent_code": ""}
    planned = [_row_planned(7, row, saved)]
    assert planned[0].existing is None
    assert _name_clashes(planned, saved) == [
        "Line 7: Municipality with this Country, Region, Name and Kind already exists."]
    assert _name_clashes([_row_planned(7, {**row, "code": "AAA01"}, saved)], saved) == []
