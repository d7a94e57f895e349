"""What a municipal officer sees (issue 12, "Officers"): results, the read view, pages that
offer only what is possible now, the withdrawal record, the practice form, the criteria."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from competitions.enums import Phase
from practices.enums import EntryStatus
from practices.models import Practice
from practices.services import practice_version
from tests.factories import (
    CriterionFactory,
    EditionFactory,
    EntryFactory,
    OfficerFactory,
    ThematicAreaFactory,
    UserFactory,
)
from tests.portal.factories_showcase import PublishedRunFactory, RankingResultFactory

from .factories_practices import AttachmentFactory, CompletePracticeFactory, PhotoFactory

pytestmark = pytest.mark.django_db


def _closed_edition():
    """Submissions closed yesterday; the jury is at work."""
    now = timezone.now()
    return EditionFactory(phase=Phase.REVIEW, submissions_open_at=now - dt.timedelta(days=30),
                          submissions_close_at=now - dt.timedelta(days=1),
                          review_open_at=now - dt.timedelta(hours=20),
                          review_close_at=now + dt.timedelta(days=20))


def _published_entry(practice, *, place, rank, run=None):
    run = run or PublishedRunFactory()
    area = ThematicAreaFactory(edition=run.edition)
    entry = EntryFactory(practice=practice, area=area, status=EntryStatus.ELIGIBLE)
    RankingResultFactory(run=run, entry=entry, place=place, rank=rank)
    return entry


def _result_of(content: str, entry) -> str:
    block = content.split(f'data-entry="{entry.pk}"', 1)[1].split("data-entry=", 1)[0]
    found = re.search(r'data-result="([a-z-]+)"', block)
    return found.group(1) if found else ""


# --- the dashboard shows each entry's published result ---------------------------------
def test_officer_dashboard_shows_place_and_public_link(client, officer, municipality):
    practice = CompletePracticeFactory(municipality=municipality)
    entry = _published_entry(practice, place=1, rank=1)
    client.force_login(officer)
    content = client.get(reverse("officer_dashboard")).content.decode()
    assert _result_of(content, entry) == "place"
    assert "Place 1" in content
    assert f'href="{reverse("showcase:practice", args=[practice.pk])}"' in content


def test_officer_dashboard_shows_ranked_without_award_and_not_ranked(
        client, officer, municipality):
    run = PublishedRunFactory()
    ranked = _published_entry(CompletePracticeFactory(municipality=municipality), place=None,
                              rank=3, run=run)
    unranked_practice = CompletePracticeFactory(municipality=municipality)
    unranked = _published_entry(unranked_practice, place=None, rank=None, run=run)
    client.force_login(officer)
    content = client.get(reverse("officer_dashboard")).content.decode()
    assert (_result_of(content, ranked), _result_of(content, unranked)) == (
        "ranked", "not-ranked")
    # a practice with no public result links to the edition's results
    assert f'href="{reverse("showcase:edition", args=[run.edition.slug])}"' in content


def test_officer_dashboard_shows_no_result_before_publication(client, officer, municipality):
    practice = CompletePracticeFactory(municipality=municipality)
    run = PublishedRunFactory(is_published=False, published_at=None)
    entry = _published_entry(practice, place=1, rank=1, run=run)
    client.force_login(officer)
    content = client.get(reverse("officer_dashboard")).content.decode()
    assert _result_of(content, entry) == ""


def test_officer_dashboard_query_count_same_for_one_and_many_entries(
        client, officer, municipality, django_assert_num_queries):
    run = PublishedRunFactory()
    _published_entry(CompletePracticeFactory(municipality=municipality), place=1, rank=1,
                     run=run)
    client.force_login(officer)
    client.get(reverse("officer_dashboard"))  # session, permissions warmed
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("officer_dashboard"))
    for place in (2, None, None):
        _published_entry(CompletePracticeFactory(municipality=municipality), place=place,
                         rank=place or 5, run=run)
    EntryFactory(practice=CompletePracticeFactory(municipality=municipality),
                 status=EntryStatus.DRAFT)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("officer_dashboard"))


def test_practice_detail_shows_the_published_result(client, officer, municipality):
    practice = CompletePracticeFactory(municipality=municipality)
    entry = _published_entry(practice, place=2, rank=2)
    client.force_login(officer)
    content = client.get(reverse("practice_detail", args=[practice.pk])).content.decode()
    assert (_result_of(content, entry), "Place 2" in content) == ("place", True)


# --- the practice page reads the practice --------------------------------------------------
def test_practice_detail_reads_every_section(client, officer, municipality):
    practice = CompletePracticeFactory(
        municipality=municipality, problem="Дълги опашки.", actions="Нови е-услуги.",
        partners="Читалище.", results="Половината време.", links="https://example.org/a",
        budget_amount=1200, contact_name="Мария Петрова")
    PhotoFactory(practice=practice, caption="Залата")
    AttachmentFactory(practice=practice, title="Отчет")
    client.force_login(officer)
    content = client.get(reverse("practice_detail", args=[practice.pk])).content.decode()
    read = content.split("data-read-view", 1)[1].split('aria-labelledby="photos"', 1)[0]
    for text in ("Дълги опашки.", "Нови е-услуги.", "Читалище.", "Половината време.",
                 'href="https://example.org/a"', "1200", "Мария Петрова"):
        assert text in read
    assert '<dd data-field="actions" lang="bg">' in read
    assert f'<dd data-field="title_en" lang="en">{practice.title_en}</dd>' in read
    assert ("Залата" in content, "Отчет" in content) == (True, True)


# --- pages offer only what is possible now --------------------------------------------------
def test_entry_withdraw_page_after_deadline_offers_nothing(client, officer, municipality):
    practice = CompletePracticeFactory(municipality=municipality)
    entry = EntryFactory(practice=practice, area=ThematicAreaFactory(edition=_closed_edition()),
                         status=EntryStatus.SUBMITTED)
    client.force_login(officer)
    content = client.get(reverse("entry_withdraw", args=[entry.pk])).content.decode()
    assert ("Yes, withdraw" in content, "submit it again" in content,
            "can no longer be withdrawn" in content) == (False, False, True)


def test_entry_submit_page_after_deadline_offers_nothing(client, officer, municipality):
    practice = CompletePracticeFactory(municipality=municipality)
    entry = EntryFactory(practice=practice, area=ThematicAreaFactory(edition=_closed_edition()),
                         status=EntryStatus.DRAFT)
    client.force_login(officer)
    content = client.get(reverse("entry_submit", args=[entry.pk])).content.decode()
    assert ("Yes, submit" in content, "can no longer be submitted" in content) == (False, True)


def test_practice_edit_after_deadline_offers_no_form(client, officer, municipality):
    practice = CompletePracticeFactory(municipality=municipality)
    EntryFactory(practice=practice, area=ThematicAreaFactory(edition=_closed_edition()),
                 status=EntryStatus.SUBMITTED)
    client.force_login(officer)
    content = client.get(reverse("practice_edit", args=[practice.pk])).content.decode()
    assert ("Save at any time" in content, "Save draft" in content, "data-locked" in content) \
        == (False, False, True)


def test_practice_edit_post_after_deadline_changes_nothing(client, officer, municipality):
    practice = CompletePracticeFactory(municipality=municipality, title="Старо")
    EntryFactory(practice=practice, area=ThematicAreaFactory(edition=_closed_edition()),
                 status=EntryStatus.SUBMITTED)
    client.force_login(officer)
    response = client.post(reverse("practice_edit", args=[practice.pk]),
                           {"title": "Ново", "version": practice_version(practice)})
    practice.refresh_from_db()
    assert (response.status_code, practice.title) == (302, "Старо")


def test_practice_detail_draft_entry_offers_remove_not_withdraw(
        client, officer, practice, area):
    entry = EntryFactory(practice=practice, area=area, status=EntryStatus.DRAFT)
    client.force_login(officer)
    content = client.get(reverse("practice_detail", args=[practice.pk])).content.decode()
    assert (reverse("entry_withdraw", args=[entry.pk]) in content,
            reverse("entry_discard", args=[entry.pk]) in content) == (False, True)


def test_entry_withdraw_page_of_a_draft_offers_nothing(client, officer, practice, area):
    entry = EntryFactory(practice=practice, area=area, status=EntryStatus.DRAFT)
    client.force_login(officer)
    content = client.get(reverse("entry_withdraw", args=[entry.pk])).content.decode()
    assert ("Yes, withdraw" in content, "never submitted" in content) == (False, True)


def test_entry_discard_removes_a_draft_entry(client, officer, practice, area):
    entry = EntryFactory(practice=practice, area=area, status=EntryStatus.DRAFT)
    client.force_login(officer)
    assert "Yes, remove" in client.get(reverse("entry_discard", args=[entry.pk])).content.decode()
    response = client.post(reverse("entry_discard", args=[entry.pk]))
    assert (response.status_code, practice.entries.count()) == (302, 0)


def test_entry_discard_by_another_municipality_refused(client, other_officer, practice, area):
    entry = EntryFactory(practice=practice, area=area, status=EntryStatus.DRAFT)
    client.force_login(other_officer)
    response = client.post(reverse("entry_discard", args=[entry.pk]))
    # 404, as for an entry that does not exist: another municipality's draft stays private
    assert (response.status_code, practice.entries.count()) == (404, 1)


def test_entry_withdraw_page_while_open_names_the_deadline(client, officer, practice, area):
    entry = EntryFactory(practice=practice, area=area, status=EntryStatus.SUBMITTED)
    client.force_login(officer)
    content = client.get(reverse("entry_withdraw", args=[entry.pk])).content.decode()
    assert ("Yes, withdraw" in content, "You can submit it again until" in content) == (
        True, True)


# --- a withdrawal says when and by whom ---------------------------------------------------
def test_practice_detail_withdrawn_entry_says_when_and_by_whom(client, officer, practice, area):
    officer.first_name, officer.last_name = "Иван", "Иванов"
    officer.save()
    client.force_login(officer)
    entry = EntryFactory(practice=practice, area=area, status=EntryStatus.SUBMITTED,
                         submitted_at=timezone.now(), submitted_by=officer)
    client.post(reverse("entry_withdraw", args=[entry.pk]))
    entry.refresh_from_db()
    assert (entry.status, entry.withdrawn_by) == (EntryStatus.WITHDRAWN, officer)
    content = client.get(reverse("practice_detail", args=[practice.pk])).content.decode()
    line = re.search(r"data-withdrawn>([^<]*)<", content).group(1)
    assert line.startswith("Withdrawn on ") and line.endswith(" by Иван Иванов")
    assert "Submitted on" not in content


# --- the practice form -------------------------------------------------------------------
def test_practice_form_names_each_language(client, officer):
    client.force_login(officer)
    content = client.get(reverse("practice_create")).content.decode()
    assert "Title (in Bulgarian)" in content and "Title (in English)" in content
    assert "Summary (in Bulgarian)" in content and "Summary (in English)" in content
    assert re.search(r'<input[^>]*name="title"[^>]*lang="bg"|<input[^>]*lang="bg"[^>]*name="title"',
                     content)
    assert re.search(r'<textarea[^>]*name="summary_en"[^>]*lang="en"'
                     r'|<textarea[^>]*lang="en"[^>]*name="summary_en"', content)


def test_practice_form_names_each_language_in_bulgarian(client, officer):
    client.force_login(officer)
    content = client.get(reverse("practice_create"), HTTP_ACCEPT_LANGUAGE="bg").content.decode()
    assert "Заглавие (на български)" in content and "Заглавие (на английски)" in content


def test_practice_form_no_section_repeats_a_field_label(client, officer):
    client.force_login(officer)
    content = client.get(reverse("practice_create")).content.decode()
    legends = {text.strip().casefold() for text in re.findall(r"<legend[^>]*>(.*?)</legend>",
                                                                content, re.S)}
    labels = {re.sub(r"<[^>]+>|\*", "", text).strip().casefold()
              for text in re.findall(r"<label[^>]*>(.*?)</label>", content, re.S)}
    assert len(legends) == 9  # 8 sections and the topics group
    assert legends & labels == set()


def test_practice_form_states_the_length_limits(client, officer):
    client.force_login(officer)
    content = client.get(reverse("practice_create")).content.decode()
    assert re.search(r'<textarea[^>]*maxlength="8000"[^>]*name="actions"'
                     r'|<textarea[^>]*name="actions"[^>]*maxlength="8000"', content)
    assert "At most 8000 characters." in content and "At most 300 characters." in content


def test_practice_form_refuses_a_text_over_its_limit(client, officer):
    client.force_login(officer)
    response = client.post(reverse("practice_create"), {"title": "Т", "summary": "я" * 2001,
                                                         "budget_currency": "BGN"})
    assert (response.status_code, Practice.objects.count()) == (200, 0)


def test_practice_form_links_to_the_criteria_of_the_open_edition(client, officer, edition):
    client.force_login(officer)
    content = client.get(reverse("practice_create")).content.decode()
    assert f'href="{reverse("officer_criteria", args=[edition.slug])}"' in content


def test_officer_criteria_page_shows_guidance(client, officer, edition, area):
    CriterionFactory(edition=edition, title="Иновативност", title_en="Innovativeness",
                     guidance="Ново ли е?", guidance_en="Is it new here?")
    client.force_login(officer)
    content = client.get(reverse("officer_criteria", args=[edition.slug])).content.decode()
    assert ("Innovativeness" in content, "Is it new here?" in content,
            area.title_en in content) == (True, True, True)


def test_officer_criteria_page_of_a_draft_edition_is_404(client, officer):
    edition = EditionFactory(phase=Phase.DRAFT)
    client.force_login(officer)
    assert client.get(reverse("officer_criteria", args=[edition.slug])).status_code == 404


def test_officer_criteria_page_denied_to_a_juror(client, juror, edition):
    client.force_login(juror)
    assert client.get(reverse("officer_criteria", args=[edition.slug])).status_code == 403


# --- autosave ------------------------------------------------------------------------------
def _form_data(practice, **changes):
    data = {"title": practice.title, "title_en": practice.title_en, "summary": practice.summary,
            "budget_currency": "BGN", "version": practice_version(practice)}
    data.update(changes)
    return data


def test_practice_autosave_saves_and_answers_the_new_version(client, officer, practice):
    client.force_login(officer)
    response = client.post(reverse("practice_autosave", args=[practice.pk]),
                           _form_data(practice, summary="Ново резюме."))
    practice.refresh_from_db()
    assert (response.status_code, practice.summary, response.json()["version"]) == (
        200, "Ново резюме.", practice_version(practice))


def test_practice_autosave_never_overwrites_a_newer_save(client, officer, practice):
    client.force_login(officer)
    stale = _form_data(practice, summary="От първия раздел.")
    client.post(reverse("practice_edit", args=[practice.pk]),
                _form_data(practice, summary="От втория раздел."))
    response = client.post(reverse("practice_autosave", args=[practice.pk]), stale)
    practice.refresh_from_db()
    assert (response.status_code, practice.summary) == (409, "От втория раздел.")


def test_practice_autosave_after_deadline_refused(client, officer, practice):
    EntryFactory(practice=practice, area=ThematicAreaFactory(edition=_closed_edition()),
                 status=EntryStatus.SUBMITTED)
    client.force_login(officer)
    before = practice.summary
    response = client.post(reverse("practice_autosave", args=[practice.pk]),
                           _form_data(practice, summary="Късно."))
    practice.refresh_from_db()
    assert (response.status_code, practice.summary) == (409, before)


def test_practice_autosave_by_another_municipality_refused(client, other_officer, practice):
    client.force_login(other_officer)
    response = client.post(reverse("practice_autosave", args=[practice.pk]),
                           _form_data(practice, summary="Чуждо."))
    assert response.status_code == 404


def test_practice_autosave_get_refused(client, officer, practice):
    client.force_login(officer)
    assert client.get(reverse("practice_autosave", args=[practice.pk])).status_code == 405


def test_practice_edit_form_carries_the_autosave_address_and_no_inline_script(
        client, officer, practice):
    client.force_login(officer)
    content = client.get(reverse("practice_edit", args=[practice.pk])).content.decode()
    assert f'data-autosave-url="{reverse("practice_autosave", args=[practice.pk])}"' in content
    assert 'role="status" aria-live="polite"' in content
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", content) == []


# --- the waiting page ----------------------------------------------------------------------
def test_pending_officer_dashboard_offers_the_call_and_the_criteria(client, edition):
    pending = OfficerFactory(officer_status="pending")
    client.force_login(pending)
    content = client.get(reverse("officer_dashboard")).content.decode()
    assert f'href="{reverse("officer_criteria", args=[edition.slug])}"' in content
    assert edition.title_en in content
    assert f'href="{reverse("showcase:list")}"' in content


def test_pending_officer_may_read_the_criteria(client, edition):
    pending = OfficerFactory(officer_status="pending")
    client.force_login(pending)
    assert client.get(reverse("officer_criteria", args=[edition.slug])).status_code == 200


def test_stranger_is_sent_away_from_the_criteria(client, edition):
    client.force_login(UserFactory())
    assert client.get(reverse("officer_criteria", args=[edition.slug])).status_code == 403


def test_officer_dashboard_withdrawn_entry_of_a_published_edition_shows_no_result(
        client, officer, municipality):
    run = PublishedRunFactory()
    entry = EntryFactory(practice=CompletePracticeFactory(municipality=municipality),
                         area=ThematicAreaFactory(edition=run.edition),
                         status=EntryStatus.WITHDRAWN)
    client.force_login(officer)
    content = client.get(reverse("officer_dashboard")).content.decode()
    assert _result_of(content, entry) == ""
