import pytest
from django.core.management import call_command
from django.urls import reverse

from giveback.models import Booklet, BookletIntroduction
from giveback.services import booklet_build, booklet_request
from scoring.enums import RunStatus
from scoring.models import RankingRun
from tests.portal.factories_showcase import (
    PublishedRunFactory,
    RankingResultFactory,
    record_snapshot,
)

from .pdfs import pdf_text

pytestmark = pytest.mark.django_db


def _made(run, language) -> Booklet:
    booklet = Booklet.objects.create(run=run, language=language)
    return booklet_build(booklet_id=booklet.pk)


@pytest.mark.parametrize("language", ["bg", "en"])
def test_booklet_prints_the_placed_practices_criteria_and_participants(giveback, language):
    BookletIntroduction.objects.create(edition=giveback.edition, text="УВОД-МАРКЕР",
                                       text_en="INTRO-MARKER")
    booklet = _made(giveback.run, language)
    assert booklet.status == RunStatus.SUCCEEDED and booklet.progress == 100
    text = pdf_text(booklet.file.read())
    assert booklet.pages == 6  # cover, introduction, set-up, two places, participants
    # placed: two; not placed: not printed as a practice, but its municipality took part
    assert "OTHER-ENTRY-1" in text
    assert "OTHER-ENTRY-3" not in text and "OTHER-ENTRY-4" not in text
    assert "OTHER-MUNI-3" in text and "OTHER-MUNI-4" in text
    if language == "bg":
        for expected in ("УВОД-МАРКЕР", "С Тунджа в сърцето", "Тунджа", "2 място",
                         "Значимост", "Устойчивост", "Участващи общини",
                         "Как реши журито", "1,00"):
            assert expected in text, expected
    else:
        for expected in ("INTRO-MARKER", "With Tundzha at Heart", "Tundzha", "Place 2",
                         "Relevance", "Sustainability", "Participating municipalities",
                         "How the jury decided", "1.00"):
            assert expected in text, expected


def test_booklet_is_made_once_per_run_and_again_for_a_new_published_run(
        giveback, client, django_capture_on_commit_callbacks):
    url = reverse("giveback:booklet", args=[giveback.edition.slug, "en"])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(url)
    assert first.status_code == 200  # the progress page; the task ran on commit
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "With Tundzha at Heart" in pdf_text(b"".join(response.streaming_content))
    made = Booklet.objects.get()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.get(url)
    assert callbacks == [] and Booklet.objects.get().pk == made.pk
    # a new published run: its own booklet, which prints its result
    RankingRun.objects.filter(pk=giveback.run.pk).update(is_published=False)
    new_run = PublishedRunFactory(edition=giveback.edition)
    for entry in giveback.entries:
        RankingResultFactory(run=new_run, entry=entry, area=giveback.area, rank=1, place=1,
                             total=9.0, criterion_scores=[9.0, 9.0])
    record_snapshot(new_run)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
    response = client.get(url)
    assert Booklet.objects.filter(run=new_run, status=RunStatus.SUCCEEDED).count() == 1
    assert "OTHER-ENTRY-4" in pdf_text(b"".join(response.streaming_content))


def test_booklet_progress_page_shows_a_progress_bar_until_it_is_made(giveback, client):
    booklet = booklet_request(run=giveback.run, language="bg")  # not committed: queued
    response = client.get(reverse("giveback:booklet_progress",
                                  args=[giveback.edition.slug, "bg"]))
    page = response.content.decode()
    assert booklet.status == RunStatus.QUEUED
    assert 'role="progressbar"' in page and 'aria-valuenow="0"' in page
    booklet_build(booklet_id=booklet.pk)
    response = client.get(reverse("giveback:booklet_progress",
                                  args=[giveback.edition.slug, "bg"]), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("giveback:booklet",
                                              args=[giveback.edition.slug, "bg"])


def test_booklet_progress_page_follows_the_task_step_by_step(giveback, client,
                                                             booklet_steps):
    """Read at each step of the task (the `booklet_steps` pause), the page shows the step's
    percentage and keeps polling until the booklet is made."""
    booklet = booklet_request(run=giveback.run, language="en")
    url = reverse("giveback:booklet_progress", args=[giveback.edition.slug, "en"])
    seen = []

    def read_page(booklet_id, percent, stage) -> None:
        page = client.get(url, HTTP_HX_REQUEST="true").content.decode()
        seen.append((percent, f'aria-valuenow="{percent}"' in page, "hx-trigger" in page))

    booklet_steps.append(read_page)
    booklet_build(booklet_id=booklet.pk)
    assert [percent for percent, _shown, _polls in seen][:2] == [5, 10]
    assert seen[-1][0] == 96 and all(shown and polls for _percent, shown, polls in seen)


def test_booklet_of_an_unpublished_edition_is_404_but_for_organisers(giveback, client):
    RankingRun.objects.filter(pk=giveback.run.pk).update(is_published=False)
    url = reverse("giveback:booklet", args=[giveback.edition.slug, "en"])
    assert client.get(url).status_code == 404
    client.force_login(giveback.officer)
    assert client.get(url).status_code == 404
    client.force_login(giveback.organiser)
    assert client.get(url).status_code == 200


def test_booklet_in_another_language_is_404(giveback, client):
    url = reverse("giveback:booklet", args=[giveback.edition.slug, "fr"])
    assert client.get(url).status_code == 404


def test_edition_page_links_its_booklet_in_each_language(giveback, client):
    page = client.get(reverse("showcase:edition", args=[giveback.edition.slug])
                      ).content.decode()
    for language in ("bg", "en"):
        assert reverse("giveback:booklet", args=[giveback.edition.slug, language]) in page


def test_load_demo_makes_the_booklet_with_the_six_real_winners(settings, tmp_path):
    call_command("load_demo", "--force")
    booklets = Booklet.objects.filter(run__edition__slug="bg-2016-2017",
                                      status=RunStatus.SUCCEEDED)
    assert sorted(booklets.values_list("language", flat=True)) == ["bg", "en"]
    text = {b.language: pdf_text(b.file.read()) for b in booklets}
    flat = {language: " ".join(value.split()) for language, value in text.items()}
    import json
    from pathlib import Path

    facts = json.loads((Path(__file__).resolve().parents[2] / "portal" / "demo_data"
                        / "edition-bg-2016.json").read_text(encoding="utf-8"))
    assert len(facts["winners"]) == 6
    for winner in facts["winners"]:
        assert winner["title_bg"] in flat["bg"], winner["title_bg"]
        assert winner["title_en"] in flat["en"], winner["title_en"]
        assert winner["municipality_bg"] in flat["bg"]
