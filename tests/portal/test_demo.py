import json
from collections import defaultdict
from pathlib import Path
from statistics import mean

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from competitions.enums import Phase
from competitions.models import Edition
from practices.models import Entry, Practice
from scoring.models import JurySheet, SheetScore

pytestmark = pytest.mark.django_db
FACTS = json.loads((Path(__file__).resolve().parents[2] / "portal" / "demo_data"
                    / "edition-bg-2016.json").read_text(encoding="utf-8"))


def snapshot() -> dict:
    """Everything load_demo writes, as plain values."""
    return {model.__name__: list(model.objects.order_by("pk").values())
            for model in (Edition, Practice, Entry, JurySheet, SheetScore, User)} | {
        "history": [Edition.history.count(), Practice.history.count(), Entry.history.count()]}


def test_load_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo")
    assert User.objects.count() == 0


def test_load_demo_twice_changes_nothing(demo):
    before = snapshot()
    call_command("load_demo", "--force")
    assert snapshot() == before


def test_load_demo_has_the_shape_of_the_2016_edition(demo):
    edition = Edition.objects.get(slug="bg-2016-2017")
    assert edition.phase == Phase.PUBLISHED
    practices = Practice.objects.filter(entries__edition=edition).distinct()
    assert practices.count() == 29
    assert edition.entries.count() == 31
    bodies = {p.municipality for p in practices}
    assert sorted(m.kind for m in bodies).count("district_administration") == 1
    assert len(bodies) == 20
    in_two_areas = [p for p in practices if p.entries.count() == 2]
    assert len(in_two_areas) == 2
    assert list(edition.areas.values_list("code", flat=True)) == ["I", "II", "III"]
    assert list(edition.criteria.values_list("title_en", flat=True)) == [
        "Relevance and impact", "Publicity and transparency", "Innovativeness", "Sustainability"]


def test_load_demo_scores_put_the_real_winners_first_and_second(demo):
    """The weighted mean of the demo's sheets (equal weights) reproduces the real places."""
    sheets = defaultdict(list)
    for entry_id, value in SheetScore.objects.filter(
            sheet__entry__edition__slug="bg-2016-2017", sheet__recused=False,
            sheet__status="submitted").values_list("sheet__entry", "value"):
        sheets[entry_id].append(value)
    by_area = defaultdict(list)
    for entry in Entry.objects.filter(edition__slug="bg-2016-2017").select_related(
            "practice", "area"):
        by_area[entry.area.code].append((mean(sheets[entry.pk]), entry.practice.title_en))
    for winner in FACTS["winners"]:
        ranked = [title for _total, title in sorted(by_area[winner["area"]], reverse=True)]
        assert ranked[winner["place"] - 1] == winner["title_en"]


def test_load_demo_accounts_and_open_edition(demo, client):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    for username in ("organiser", "officer", "officer2", "juror", "juror2"):
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=username, password="demo-pass-2016") is not None
    assert User.objects.get(username="officer").municipality.name_en == "Tundzha"
    assert User.objects.get(username="officer2").municipality.name_en == "Dobrich"
    assert User.objects.get(username="organiser").is_superuser is False
    assert Edition.objects.get(slug="demo-open").is_open_for_submissions() is True


def test_load_demo_officers_open_every_practice_of_their_municipality(demo, client):
    """The demo's entries were submitted by nobody who has an account (submitted_at, no
    submitted_by): each practice page says when, without a person."""
    for username in ("officer", "officer2"):
        officer = User.objects.get(username=username)
        client.force_login(officer)
        practices = Practice.objects.filter(municipality=officer.municipality)
        assert practices.exists()
        for practice in practices:
            response = client.get(reverse("practice_detail", args=[practice.pk]))
            assert (practice.pk, response.status_code) == (practice.pk, 200)
        client.logout()


def _practice_page(client, practice: Practice, language: str) -> str:
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    return client.get(f"/practices/{practice.pk}/").content.decode()


def test_load_demo_winners_read_in_bulgarian(demo, client):
    """Every real winner has its facts in Bulgarian, with the source's figures, and its
    page in the Bulgarian UI falls back to English nowhere."""
    for winner in FACTS["winners"]:
        practice = Practice.objects.get(title_en=winner["title_en"])
        assert practice.title == winner["title_bg"]
        assert len(practice.summary.splitlines()) == len(winner["facts_en"])
        assert practice.summary_en == "\n".join(winner["facts_en"])
        page = _practice_page(client, practice, "bg")
        assert (winner["title_en"], "data-fallback" in page) == (winner["title_en"], False)
        assert practice.summary.splitlines()[0] in page
    tundzha = Practice.objects.get(title_en="With Tundzha at Heart")
    assert "62 435 лв." in tundzha.summary and "41 инициативи" in tundzha.summary


def test_load_demo_practices_have_a_bulgarian_summary(demo):
    edition_practices = Practice.objects.filter(entries__edition__slug="bg-2016-2017")
    assert list(edition_practices.filter(summary="").values_list("title_en", flat=True)) == []


def test_load_demo_completes_an_older_demo_in_bulgarian(demo):
    """A demo loaded before (empty Bulgarian summaries, the English facts in `results`) is
    completed in Bulgarian by loading it again."""
    winner = FACTS["winners"][0]
    facts_en = "\n".join(winner["facts_en"])
    Practice.objects.filter(title_en=winner["title_en"]).update(
        summary="", summary_en=winner["facts_en"][0], results=facts_en)
    call_command("load_demo", "--force")
    practice = Practice.objects.get(title_en=winner["title_en"])
    assert (practice.results, practice.summary_en) == ("", facts_en)
    assert practice.summary.startswith("Платформа, която обединява")


def test_demo_organiser_signs_in_with_the_published_second_factor(demo, settings):
    """The demo's organiser has an authenticator with the published secret: the password,
    then `manage.py demo_code`'s code, reach the organiser's pages and the admin."""
    from io import StringIO

    from django.test import Client

    from portal.demo import DEMO_PASSWORD, demo_totp_secret

    settings.DEBUG = True
    client = Client()
    client.post("/accounts/login/", {"username": "organiser", "password": DEMO_PASSWORD})
    asked = client.get("/organiser/")["Location"]
    assert asked == "/accounts/two-factor/code/?next=%2Forganiser%2F"
    out = StringIO()
    call_command("demo_code", stdout=out)
    response = client.post("/accounts/two-factor/code/",
                           {"code": out.getvalue().strip(), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert demo_totp_secret() == "MRSW 23ZN N5ZG OYLO NFZW K4RN ORXX I4BB"


def test_demo_code_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("demo_code")


def test_demo_practices_have_kinds_and_topics_checked_by_the_organiser():
    from portal.demo import demo_load
    from practices.models import ClassificationCheck, Topic
    from scoring.selectors.public import practices_published

    demo_load()
    assert Topic.objects.filter(slug="digital-services", name_en="Digital services").exists()
    published = practices_published()
    assert published.count() > 20
    assert not published.filter(innovation_type="").exists()
    assert not published.filter(topics=None).exists()
    troyan = ClassificationCheck.objects.get(practice__municipality__name_en="Troyan",
                                             practice__is_illustrative=False)
    assert troyan.corrected and troyan.innovation_type == "process"
    assert ClassificationCheck.objects.count() == 6
    demo_load()  # again: nothing changes
    assert ClassificationCheck.objects.count() == 6


@pytest.mark.django_db
def test_demo_rounds_edition_has_round_one_scored_and_round_two_open(demo):
    from scoring.models import JurySheet, RankingRun
    from scoring.rules import round_scoring_closed, round_scoring_open
    from scoring.selectors.rounds import current_round, edition_rounds

    edition = Edition.objects.get(slug="demo-rounds")
    first, second = edition_rounds(edition)
    assert edition.phase == "review"
    assert round_scoring_closed(first) is True
    assert round_scoring_open(second) is True
    assert current_round(edition) == second
    assert edition.review_close_at == second.review_close_at
    assert JurySheet.objects.filter(round=first, status="submitted").count() == (
        edition.entries.count() * 5)
    assert not JurySheet.objects.filter(round=second).exists()
    # round 1's ranking is computed, not published: the walker shortlists from it, and the
    # chair's decision is taken on it
    (run,) = RankingRun.objects.filter(edition=edition)
    assert (run.round, run.status, run.is_published) == (first, "succeeded", False)
    assert not second.shortlist.exists()
    # the published edition stays one round
    assert [r.number for r in edition_rounds(Edition.objects.get(slug="bg-2016-2017"))] == [1]


@pytest.mark.django_db
def test_demo_rounds_edition_has_chairs_and_a_panel_discussing(demo):
    from deliberation.models import AreaChair, PanelComment
    from deliberation.rules import can_see_panel
    from deliberation.selectors import area_panel

    edition = Edition.objects.get(slug="demo-rounds")
    areas = list(edition.areas.order_by("order"))
    chairs = set(AreaChair.objects.filter(area__in=areas).values_list("user__username",
                                                                      flat=True))
    juror = User.objects.get(username="juror")
    assert chairs == {"juror"}
    assert PanelComment.objects.filter(entry__edition=edition, round__number=1).count() == 4
    assert can_see_panel(juror, area_panel(area=areas[0])) is True
    assert not AreaChair.objects.filter(area__edition__slug="bg-2016-2017").exists()


@pytest.mark.django_db
def test_demo_rounds_decision_page_shows_the_near_tie_to_justify(demo, client):
    """The first area's first two places are a near tie: the chair's decision page flags
    them indistinguishable and requires a justification for exactly those two."""
    import re

    from scoring.models import RankingResult

    edition = Edition.objects.get(slug="demo-rounds")
    area = edition.areas.order_by("order", "code").first()
    results = list(RankingResult.objects.filter(run__edition=edition, area=area)
                   .order_by("rank"))
    assert [("indistinguishable" in r.flags) for r in results] == [True, True, False, False,
                                                                   False]
    client.force_login(User.objects.get(username="juror"))
    body = client.get(reverse("deliberation:decision", args=[area.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Statistically indistinguishable from a neighbour" in body
    flagged = re.findall(r'data-entry="(\d+)" data-needs-justification', body)
    assert sorted(map(int, flagged)) == sorted(r.entry_id for r in results[:2])
    # the other areas' places are well apart: nothing to justify there
    for other in edition.areas.exclude(pk=area.pk):
        body = client.get(reverse("deliberation:decision", args=[other.pk])).content.decode()
        assert "data-needs-justification" not in body
