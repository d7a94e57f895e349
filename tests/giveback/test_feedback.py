import pytest
from django.urls import reverse
from django.utils import translation

from giveback.enums import CommentDecision
from giveback.models import CommentRelease
from giveback.selectors import feedback_report, score_band
from giveback.services import GivebackError, comment_release_decide
from scoring.enums import SheetStatus
from tests.factories import JurySheetFactory

from .conftest import FORBIDDEN
from .pdfs import pdf_text

pytestmark = pytest.mark.django_db


def test_score_band_is_the_quarter_by_the_share_of_scores_above():
    others = [9.0, 8.0, 7.0, 6.0]
    assert [score_band(s, others) for s in (9.0, 8.0, 7.0, 6.0)] == [
        "top", "second", "third", "bottom"]
    assert score_band(None, others) == ""
    assert score_band(5.0, []) == ""


def test_feedback_report_gives_scores_bands_levels_and_released_comments(giveback):
    report = feedback_report(entry=giveback.entry, run=giveback.run)
    assert report.place == 2
    first, second = report.criteria
    assert (first.score, first.band, first.level.score, first.next_level.score) == (
        8.0, "second", 8, 10)
    assert (second.score, second.band, second.level.score, second.next_level.score) == (
        7.5, "second", 5, 8)
    assert first.comments == ["RELEASED-COMMENT one"]
    assert second.comments == []
    assert report.overall == ["OVERALL-EDITED by the organiser"]


def _login(client, user):
    client.force_login(user)
    return client


def test_feedback_page_for_its_officer_never_names_another_entry_or_juror(
        giveback, client, django_assert_max_num_queries):
    _login(client, giveback.officer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("giveback:feedback", args=[giveback.entry.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "With Tundzha at Heart" in page
    assert "Place 2" in page
    assert "second quarter of the area" in page
    assert "LEVEL-EIGHT evidence" in page and "LEVEL-TEN everything" in page
    assert "RELEASED-COMMENT one" in page and "OVERALL-EDITED by the organiser" in page
    for marker in FORBIDDEN:
        assert marker not in page, marker


@pytest.mark.parametrize("language", ["en", "bg"])
def test_feedback_pdf_in_the_officers_language_never_names_another_entry_or_juror(
        giveback, client, language):
    _login(client, giveback.officer)
    client.cookies["django_language"] = language
    response = client.get(reverse("giveback:feedback_pdf", args=[giveback.entry.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for marker in FORBIDDEN:
        assert marker not in text, marker
    assert "RELEASED-COMMENT one" in text
    if language == "bg":
        assert "С Тунджа в сърцето" in text and "Тунджа" in text
        assert "Отзив за кандидатурата" in text and "2 място" in text
        assert "8,00" in text  # the score, with Bulgarian decimals
    else:
        assert "With Tundzha at Heart" in text and "Tundzha" in text
        assert "Feedback report" in text and "Place 2" in text and "8.00" in text


def test_feedback_of_an_entry_not_placed_says_so(giveback, client):
    entry = giveback.entries[3]
    report = feedback_report(entry=entry, run=giveback.run)
    assert report.place is None
    with translation.override("en"):
        assert report.standing == "Not placed"
    assert report.criteria[0].band == "bottom"


@pytest.mark.parametrize("who,status", [("other_officer", 404), ("juror", 404),
                                        ("organiser", 200)])
def test_feedback_is_private_to_the_municipality_and_organisers(giveback, client, who,
                                                                status):
    _login(client, getattr(giveback, who))
    for name in ("giveback:feedback", "giveback:feedback_pdf"):
        response = client.get(reverse(name, args=[giveback.entry.pk]))
        assert response.status_code == status, name


def test_feedback_asks_anonymous_visitors_to_sign_in(giveback, client):
    response = client.get(reverse("giveback:feedback", args=[giveback.entry.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_feedback_of_an_unpublished_edition_is_404_but_for_organisers(giveback, client):
    giveback.run.is_published = False
    giveback.run.save(update_fields=["is_published"])
    _login(client, giveback.officer)
    url = reverse("giveback:feedback_pdf", args=[giveback.entry.pk])
    assert client.get(url).status_code == 404
    _login(client, giveback.organiser)
    assert client.get(url).status_code == 200


def test_officer_dashboard_links_each_entry_to_its_report_and_certificate(giveback, client):
    _login(client, giveback.officer)
    page = client.get(reverse("officer_dashboard")).content.decode()
    assert reverse("giveback:feedback", args=[giveback.entry.pk]) in page
    assert reverse("giveback:certificate", args=[giveback.entry.pk]) in page


def test_comment_release_records_edits_and_withholding(giveback):
    release = CommentRelease.objects.get(sheet__entry=giveback.entry, criterion=None)
    assert release.text == "OVERALL-EDITED by the organiser"
    assert release.decided_by == giveback.organiser
    comment_release_decide(sheet=release.sheet, criterion=None,
                           decision=CommentDecision.WITHHELD, text="ignored",
                           by=giveback.organiser)
    release.refresh_from_db()
    assert (release.decision, release.text) == (CommentDecision.WITHHELD, "")
    assert [h.decision for h in release.history.order_by("history_date")] == [
        "released", "withheld"]
    assert feedback_report(entry=giveback.entry, run=giveback.run).overall == []


def test_comment_release_refuses_a_draft_sheet(giveback):
    draft = JurySheetFactory(entry=giveback.entry, status=SheetStatus.DRAFT,
                             overall_comment="draft")
    with pytest.raises(GivebackError):
        comment_release_decide(sheet=draft, criterion=None,
                               decision=CommentDecision.RELEASED, text="x",
                               by=giveback.organiser)


def test_organiser_releases_an_edited_comment_from_the_entry_page(giveback, client):
    _login(client, giveback.organiser)
    url = reverse("giveback:organiser_comments", args=[giveback.edition.slug,
                                                      giveback.entry.pk])
    page = client.get(url).content.decode()
    assert "PENDING-COMMENT" in page
    pending = giveback.entry.sheets.get(juror__username="JUROR2-USER")
    response = client.post(url, {"sheet": pending.pk, "criterion": giveback.criteria[0].pk,
                                 "decision": "released", "text": "Kindly put"})
    assert response.status_code == 302
    assert feedback_report(entry=giveback.entry, run=giveback.run).criteria[0].comments == [
        "RELEASED-COMMENT one", "Kindly put"]


def test_organiser_pages_are_organisers_only(giveback, client):
    _login(client, giveback.officer)
    assert client.get(reverse("giveback:organiser", args=[giveback.edition.slug])
                      ).status_code == 403
    _login(client, giveback.organiser)
    page = client.get(reverse("giveback:organiser", args=[giveback.edition.slug]))
    assert page.status_code == 200


def test_jury_sheet_tells_jurors_their_comments_may_reach_the_municipality():
    from pathlib import Path

    template = (Path(__file__).resolve().parents[2] / "scoring" / "templates" / "scoring"
                / "jury_sheet.html").read_text()
    assert 'id="comments-reach-municipality"' in template


def test_organiser_pages_make_a_fixed_number_of_queries(giveback, client,
                                                        django_assert_max_num_queries):
    _login(client, giveback.organiser)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("giveback:organiser", args=[giveback.edition.slug])
                          ).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("giveback:organiser_comments",
                                  args=[giveback.edition.slug, giveback.entry.pk])
                          ).status_code == 200


def test_feedback_report_reads_only_the_sheets_of_its_runs_round(giveback):
    """A two-round edition: the report prints the comments of the published run's round;
    the organiser's comment pages and decisions are those of the final round."""
    import datetime as dt

    from giveback.selectors import comments_of_entry, comments_overview
    from scoring.models import JudgingRound
    from tests.factories import SheetScoreFactory

    first = giveback.edition.rounds.get()
    second = JudgingRound.objects.create(
        edition=giveback.edition, number=2,
        review_open_at=first.review_close_at + dt.timedelta(days=1),
        review_close_at=first.review_close_at + dt.timedelta(days=9))
    sheet = JurySheetFactory(entry=giveback.entry, juror=giveback.juror, round=second,
                             status=SheetStatus.SUBMITTED, overall_comment="ROUND-TWO overall")
    SheetScoreFactory(sheet=sheet, criterion=giveback.criteria[0], value=7,
                      comment="ROUND-TWO comment")
    SheetScoreFactory(sheet=sheet, criterion=giveback.criteria[1], value=7, comment="")
    comment_release_decide(sheet=sheet, criterion=giveback.criteria[0],
                           decision=CommentDecision.RELEASED, text="ROUND-TWO comment",
                           by=giveback.organiser)
    # the run of round 1: round 1's released comments only
    report = feedback_report(entry=giveback.entry, run=giveback.run)
    assert [row.comments for row in report.criteria] == [["RELEASED-COMMENT one"], []]
    assert report.overall == ["OVERALL-EDITED by the organiser"]
    # a run of round 2: round 2's only
    giveback.run.round = second
    report = feedback_report(entry=giveback.entry, run=giveback.run)
    assert [row.comments for row in report.criteria] == [["ROUND-TWO comment"], []]
    assert report.overall == []
    # the organiser works on the final round's comments, and only those
    assert [item.original for item in comments_of_entry(entry=giveback.entry)] == [
        "ROUND-TWO comment", "ROUND-TWO overall"]
    row = next(row for row in comments_overview(edition=giveback.edition)
               if row.entry == giveback.entry)
    assert (row.total, row.released, row.withheld) == (2, 1, 0)
    old = giveback.entry.sheets.get(juror=giveback.juror, round=first)
    with pytest.raises(GivebackError) as error:
        comment_release_decide(sheet=old, criterion=None, decision=CommentDecision.WITHHELD,
                               text="", by=giveback.organiser)
    assert error.value.messages == [
        "Only the comments of the final round reach a municipality."]
