"""The one home of the language fallback: LocalizedMixin.localized chooses the text, the
`{% localized %}` tag says which language it is in when it is not the UI's."""

import pickle

import pytest
from django.template import engines
from django.utils import translation

from competitions.models import LocalizedText
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


def render(source: str, language: str, **context) -> str:
    template = engines["django"].from_string("{% load localized %}" + source)
    with translation.override(language):
        return template.render(context)


def test_localized_text_says_its_language_and_whether_it_falls_back():
    practice = PracticeFactory.build(title="С Тунджа в сърцето", title_en="", summary="",
                                     summary_en="A platform of 44 settlements.")
    with translation.override("en"):
        title = practice.localized("title")
        assert (title, title.lang, title.fallback) == ("С Тунджа в сърцето", "bg", True)
    with translation.override("bg"):
        summary = practice.localized("summary")
        assert (summary, summary.lang, summary.fallback) == (
            "A platform of 44 settlements.", "en", True)
        title = practice.localized("title")
        assert (title.lang, title.fallback) == ("bg", False)


def test_localized_text_survives_the_cache():
    text = pickle.loads(pickle.dumps(LocalizedText("Тунджа", "bg")))
    assert (text, text.lang) == ("Тунджа", "bg")


def test_localized_tag_marks_english_fallback_in_the_bulgarian_ui():
    practice = PracticeFactory.build(summary="", summary_en="Line one\nline <two>")
    assert render('{% localized practice "summary" linebreaks=True %}', "bg",
                  practice=practice) == (
        '<span lang="en">Line one<br>line &lt;two&gt;</span> <span class="badge text-bg-light '
        'border fw-normal text-body-secondary" lang="bg" data-fallback="en">(на английски)'
        '</span>')


def test_localized_tag_marks_bulgarian_fallback_in_the_english_ui():
    practice = PracticeFactory.build(results="41 инициативи")
    assert render('{% localized practice "results" %}', "en", practice=practice) == (
        '<span lang="bg">41 инициативи</span> <span class="badge text-bg-light border '
        'fw-normal text-body-secondary" lang="en" data-fallback="bg">(in Bulgarian)</span>')


def test_localized_tag_leaves_text_in_the_ui_language_unmarked():
    practice = PracticeFactory.build(title="Заглавие", title_en="Title")
    assert render('{% localized practice "title" %}', "en", practice=practice) == "Title"
    assert render('{% localized practice "title" %}', "bg", practice=practice) == "Заглавие"


def test_practice_page_marks_the_language_of_fallback_texts(client):
    from tests.portal.factories_showcase import published_edition

    _run, results = published_edition(areas=1, entries_per_area=1)
    practice = results[0].entry.practice
    practice.summary, practice.summary_en = "", "Only in English."
    practice.results = "Само на български."
    practice.save()
    page = client.get(f"/practices/{practice.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span lang="bg">Само на български.</span>' in page
    assert "(in Bulgarian)</span>" in page
    client.post("/i18n/setlang/", {"language": "bg", "next": "/"})
    page = client.get(f"/practices/{practice.pk}/").content.decode()
    assert '<span lang="en">Only in English.</span>' in page
    assert "(на английски)</span>" in page
