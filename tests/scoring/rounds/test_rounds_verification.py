"""Every round of a public edition can be verified: the published run (the final round's)
names in results.json the earlier rounds' runs its shortlists were made from, each with
downloads of its own that tools/verify_results.py verifies, as the published run's."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from competitions.enums import Phase
from competitions.models import Edition
from scoring.enums import ShortlistRule
from scoring.models import JudgingRound
from scoring.services.assignments import assignments_area_everyone
from scoring.services.ranking import ranking_run_publish, ranking_run_unpublish
from scoring.services.rounds import round_shortlist
from scoring.services.sheets import sheet_get_or_create, sheet_submit
from tests.portal.test_verify_results import _verify

pytestmark = pytest.mark.django_db


def _published_two_rounds(two_rounds):
    """Round 1's run chose the top two; round 2 scored them; its run is published."""
    first_run = two_rounds.run(two_rounds.first)
    round_shortlist(judging_round=two_rounds.second, area=two_rounds.area,
                    by=two_rounds.organiser, run=first_run, rule=ShortlistRule.TOP_N, top_n=2)
    assignments_area_everyone(area=two_rounds.area, by=two_rounds.organiser,
                              judging_round=two_rounds.second)
    entries = two_rounds.game.by_area[two_rounds.area.pk][:2]
    for juror in two_rounds.game.jurors:
        for entry, value in ((entries[0], 5), (entries[1], 8)):
            sheet = sheet_get_or_create(entry=entry, juror=juror)
            sheet_submit(sheet=sheet, by=juror, scores={c.pk: value
                                                        for c in two_rounds.game.criteria})
    closed = timezone.now() - dt.timedelta(hours=1)
    JudgingRound.objects.filter(pk=two_rounds.second.pk).update(review_close_at=closed)
    Edition.objects.filter(pk=two_rounds.edition.pk).update(review_close_at=closed,
                                                            phase=Phase.RANKED)
    final_run = two_rounds.run(two_rounds.second)
    ranking_run_publish(run=final_run, by=two_rounds.organiser, notify=False)
    return first_run, final_run


def test_each_round_is_verifiable_from_the_published_downloads(client, two_rounds, tmp_path):
    first_run, final_run = _published_two_rounds(two_rounds)
    slug = two_rounds.edition.slug
    published = json.loads(client.get(f"/showcase/{slug}/results.json").getvalue())
    earlier = published["earlier_rounds"]
    assert [(item["round"], item["run"]) for item in earlier] == [(1, first_run.pk)]
    results_url = f"/showcase/{slug}/runs/{first_run.pk}/results.json"
    sheets_url = f"/showcase/{slug}/runs/{first_run.pk}/sheets.json"
    assert earlier[0]["results_url"].endswith(results_url)
    assert earlier[0]["sheets_url"].endswith(sheets_url)

    results = client.get(results_url).getvalue()
    sheets = client.get(sheets_url).getvalue()
    code, out = _verify(tmp_path, results, sheets)
    assert (code, out.split(":")[0]) == (0, "verified")
    assert out.endswith(f"fingerprint {first_run.fingerprint}")
    round_one = json.loads(results)
    assert len(round_one["results"]) == 4  # every entry of round 1, not only the shortlist
    assert round_one["run"]["sheets_url"].endswith(sheets_url)
    assert "earlier_rounds" not in round_one
    assert len(json.loads(sheets)["sheets"]) == 12  # three jurors, four entries

    page = client.get(f"/showcase/{slug}/").content.decode()
    assert 'id="earlier-rounds"' in page
    assert f'href="{results_url}"' in page and f'href="{sheets_url}"' in page

    code, out = _verify(tmp_path, json.dumps(published).encode(),
                        client.get(f"/showcase/{slug}/sheets.json").getvalue())
    assert (code, out.split(":")[0]) == (0, "verified")


def test_only_runs_behind_a_shortlist_of_a_public_edition_are_downloadable(client,
                                                                          two_rounds):
    first_run, final_run = _published_two_rounds(two_rounds)
    other = two_rounds.run(two_rounds.first)  # computed again, never shortlisted from
    slug = two_rounds.edition.slug
    for run, status in ((first_run, 200), (other, 404), (final_run, 404)):
        for name in ("results.json", "sheets.json"):
            response = client.get(f"/showcase/{slug}/runs/{run.pk}/{name}")
            assert response.status_code == status, (run.pk, name)
    assert client.get(f"/showcase/another/runs/{first_run.pk}/results.json"
                      ).status_code == 404
    ranking_run_unpublish(run=final_run, by=two_rounds.organiser, reason="A mistake.")
    for name in ("results.json", "sheets.json"):
        assert client.get(f"/showcase/{slug}/runs/{first_run.pk}/{name}").status_code == 404


def test_a_one_round_editions_results_name_no_earlier_round(client, demo):
    body = json.loads(client.get("/showcase/bg-2016-2017/results.json").getvalue())
    assert "earlier_rounds" not in body
    assert 'id="earlier-rounds"' not in client.get("/showcase/bg-2016-2017/").content.decode()
