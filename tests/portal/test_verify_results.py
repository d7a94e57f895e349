"""Anyone can check a published result: the demo's published downloads, run through the
standalone script tools/verify_results.py (a subprocess, as a visitor would run it)."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.juror_codes import juror_code
from scoring.models import JurySheet, RankingRun, SheetScore
from scoring.services.ranking import ranking_run_create, ranking_run_execute, ranking_run_publish
from tests.scoring.factories_ranking import competition

pytestmark = pytest.mark.django_db
SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "verify_results.py"
SLUG = "bg-2016-2017"


def _download(client, name: str) -> bytes:
    response = client.get(f"/showcase/{SLUG}/{name}")
    assert response.status_code == 200
    return response.getvalue()


def _verify(tmp_path: Path, results: bytes, sheets: bytes, suffix: str = "json"):
    (tmp_path / "results.json").write_bytes(results)
    (tmp_path / f"sheets.{suffix}").write_bytes(sheets)
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "results.json"),
                           str(tmp_path / f"sheets.{suffix}")],
                          capture_output=True, text=True, timeout=60, check=False)
    return done.returncode, done.stdout.strip()


def test_verify_script_on_the_demo_download_prints_verified(client, demo, tmp_path):
    code, out = _verify(tmp_path, _download(client, "results.json"),
                        _download(client, "sheets.json"))
    assert (code, out.split(":")[0]) == (0, "verified")
    run = RankingRun.objects.get(edition__slug=SLUG, is_published=True)
    assert out.endswith(f"fingerprint {run.fingerprint}")


def test_verify_script_accepts_the_csv_download(client, demo, tmp_path):
    code, out = _verify(tmp_path, _download(client, "results.json"),
                        _download(client, "sheets.csv"), suffix="csv")
    assert (code, out.split(":")[0]) == (0, "verified")


def test_verify_script_names_the_entry_of_an_altered_score(client, demo, tmp_path):
    results = json.loads(_download(client, "results.json"))
    sheets = json.loads(_download(client, "sheets.json"))
    winner = next(row for row in results["results"] if row["place"] == 1)
    sheet = next(s for s in sheets["sheets"] if s["entry_id"] == winner["entry_id"])
    count = sum(1 for s in sheets["sheets"] if s["entry_id"] == winner["entry_id"])
    before = sheet["scores"][0]
    sheet["scores"][0] = before - 3 if before >= 3 else before + 3
    code, out = _verify(tmp_path, json.dumps(results).encode(), json.dumps(sheets).encode())
    assert code == 1
    expected = round(winner["criterion_scores"][0] + (sheet["scores"][0] - before) / count, 2)
    assert out == (f"difference: entry {winner['entry_id']} (area {winner['area_code']}, "
                   f"practice {winner['practice_id']}: {winner['practice_en']}), criterion 1 "
                   f"score: published {winner['criterion_scores'][0]}, recomputed {expected}")


def test_verify_script_names_an_altered_fingerprint(client, demo, tmp_path):
    results = json.loads(_download(client, "results.json"))
    published = results["run"]["fingerprint"]
    results["snapshot"]["criteria"][0]["title_en"] = "Something else"
    code, out = _verify(tmp_path, json.dumps(results).encode(), _download(client, "sheets.json"))
    assert code == 1
    assert out.startswith(f"difference: fingerprint: published {published}, recomputed ")


def test_sheets_download_codes_jurors_with_the_runs_salt_and_has_no_comment(client, demo):
    run = RankingRun.objects.get(edition__slug=SLUG, is_published=True)
    SheetScore.objects.filter(sheet__status="submitted").update(comment="SECRET-COMMENT")
    JurySheet.objects.filter(status="submitted").update(overall_comment="SECRET-OVERALL")
    body = _download(client, "sheets.csv").decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    sheet = JurySheet.objects.filter(entry_id=int(rows[0]["entry_id"]), status="submitted",
                                     recused=False).order_by("pk").first()
    codes = {row["juror"] for row in rows if row["entry_id"] == rows[0]["entry_id"]}
    assert juror_code(run.juror_salt, sheet.juror_id) in codes
    assert list(rows[0]) == ["area_code", "area_id", "entry_id", "juror", "criterion_1",
                             "criterion_2", "criterion_3", "criterion_4"]
    assert len(rows) == run.snapshot["counted_sheets"]
    data = json.loads(_download(client, "sheets.json"))
    assert sorted(data["sheets"][0]) == ["area", "area_id", "entry_id", "juror", "scores"]
    codes = {row["juror"] for row in rows}
    for user in {s.juror for s in JurySheet.objects.select_related("juror")}:
        assert user.email not in body
        assert {user.username, str(user.pk)} & codes == set()
    assert "SECRET" not in body
    assert "SECRET" not in _download(client, "sheets.json").decode()


def test_sheets_download_of_an_unpublished_edition_is_404(client, demo):
    assert client.get("/showcase/demo-open/sheets.csv").status_code == 404
    assert client.get("/showcase/demo-open/sheets.json").status_code == 404


def test_methodology_links_to_the_sheets_and_the_script(client, demo):
    body = client.get(f"/showcase/{SLUG}/").content.decode()
    assert f'href="/showcase/{SLUG}/sheets.csv"' in body or \
        f'href="/en/showcase/{SLUG}/sheets.csv"' in body
    assert 'id="verify-script"' in body
    script = client.get("/showcase/verify_results.py")
    assert script.status_code == 200
    assert b"".join(script.streaming_content) == SCRIPT.read_bytes()


@pytest.mark.parametrize(("method", "code", "first_word"), [
    ("median", 0, "verified"), ("trimmed_mean", 0, "verified"),
    ("zscore", 2, "not verifiable")])
def test_verify_script_checks_each_method_or_says_it_cannot(client, tmp_path, method, code,
                                                              first_word):
    # Six jurors with spread scores: trimming drops a sheet per criterion, medians differ
    # from means, and the order of the entries depends on the method's arithmetic.
    game = competition(entries_per_area=4, jurors=6, weights=(3, 1),
                       score=lambda a, e, j, c: (3 * e + 5 * j + 2 * c) % 11)
    run = ranking_run_execute(run_id=ranking_run_create(edition=game.edition,
                                                        method=method).pk)
    ranking_run_publish(run=run, by=None, notify=False)
    slug = game.edition.slug
    results = client.get(f"/showcase/{slug}/results.json").getvalue()
    sheets = client.get(f"/showcase/{slug}/sheets.json").getvalue()
    found, out = _verify(tmp_path, results, sheets)
    assert (found, out.split(":")[0]) == (code, first_word)
    if method == "zscore":
        assert out == ("not verifiable: fingerprint verified; the totals of the method "
                       "'zscore' are not verifiable by this script")


def test_sheets_download_query_count_is_fixed(client, django_assert_num_queries):
    for entries in (1, 6):
        game = competition(entries_per_area=entries, jurors=3)
        run = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
        ranking_run_publish(run=run, by=None, notify=False)
        with django_assert_num_queries(3):  # the run, its edition's areas... and the sheets
            body = client.get(f"/showcase/{game.edition.slug}/sheets.json").getvalue()
        assert len(json.loads(body)["sheets"]) == 3 * entries
