"""Dates in the locale's formats: every template names a format, none spells a pattern."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.utils import translation

from tests.portal.factories_showcase import published_edition

ROOT = Path(settings.BASE_DIR)
FORMAT_NAMES = {"DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT",
                "SHORT_DATETIME_FORMAT", "YEAR_MONTH_FORMAT", "MONTH_DAY_FORMAT", "TIME_FORMAT"}


def test_templates_use_the_locales_date_formats_not_literal_patterns():
    literal = []
    for path in ROOT.rglob("templates/**/*"):
        if ".venv" in path.parts or not path.is_file() or path.suffix not in {".html", ".txt"}:
            continue
        literal.extend((str(path.relative_to(ROOT)), fmt)
                       for fmt in re.findall(r'\|date:"([^"]*)"', path.read_text(encoding="utf-8"))
                       if fmt not in FORMAT_NAMES)
    assert literal == []


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "1 June 2016 · 01/06/2016 · June 2016 · 1 June 2016, 14:30 · 01/06/2016 14:30"),
    ("bg", "1 юни 2016 · 01.06.2016 · юни 2016 · 1 юни 2016, 14:30 · 01.06.2016 14:30"),
])
def test_each_language_has_its_own_date_formats(language, expected):
    template = engines["django"].from_string(
        '{{ d|date:"DATE_FORMAT" }} · {{ d|date:"SHORT_DATE_FORMAT" }} · '
        '{{ d|date:"YEAR_MONTH_FORMAT" }} · {{ t|date:"DATETIME_FORMAT" }} · '
        '{{ t|date:"SHORT_DATETIME_FORMAT" }}')
    with translation.override(language):
        assert template.render({"d": dt.date(2016, 6, 1),
                                "t": dt.datetime(2016, 6, 1, 14, 30)}) == expected


@pytest.mark.django_db
def test_practice_page_dates_in_bulgarian(client):
    _run, results = published_edition(areas=1, entries_per_area=1)
    practice = results[0].entry.practice
    practice.implemented_on = dt.date(2016, 6, 1)
    practice.save()
    client.post("/i18n/setlang/", {"language": "bg", "next": "/"})
    page = client.get(f"/practices/{practice.pk}/").content.decode()
    assert "<dd>юни 2016</dd>" in page
