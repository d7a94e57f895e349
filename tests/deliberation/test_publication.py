"""What the decision changes once its run is published: the officers' results and the
certificates (special mentions too)."""

import json

import pytest

from deliberation.selectors import entry_results_decided
from giveback.pdf import certificate_pdf
from giveback.selectors import certificates

from .test_views import _publish, _recorded_departure

pytestmark = pytest.mark.django_db


def test_officers_read_the_decided_places(panel):
    _recorded_departure(panel)
    _publish(panel)
    first, second, third = panel.entries
    results = entry_results_decided([first, second, third])
    assert {pk: r.place for pk, r in results.items()} == {first.pk: 2, second.pk: 1,
                                                          third.pk: None}


def test_officers_read_the_computed_places_without_a_decision(panel):
    _publish(panel)
    first, second, third = panel.entries
    results = entry_results_decided([first, second, third])
    assert {pk: r.place for pk, r in results.items()} == {first.pk: 1, second.pk: 2,
                                                          third.pk: None}


def test_certificates_follow_the_decision_and_cover_special_mentions(panel):
    _recorded_departure(panel)
    _publish(panel)
    first, second, third = panel.entries
    made = certificates(run=panel.run)
    assert [(c.entry.pk, c.place, c.mention) for c in made] == [
        (second.pk, 1, False), (first.pk, 2, False), (third.pk, None, True)]
    assert made[2].filename.endswith(f"-mention-entry-{third.pk}.pdf")
    assert certificate_pdf(made[2]).startswith(b"%PDF")
    assert [c.place for c in certificates(run=panel.run, entry=first)] == [2]


def test_the_verification_download_holds_the_decision(client, panel):
    from django.urls import reverse

    _recorded_departure(panel)
    _publish(panel)
    data = json.loads(client.get(reverse("showcase:results_json",
                                         args=[panel.edition.slug])).getvalue())
    first, second, third = panel.entries
    (decision,) = data["decisions"]
    assert (decision["area_code"], decision["departs_from_computed"],
            decision["public_justification"]) == ("I", True, "PUBLIC-WHY lasting results.")
    assert [(p["entry_id"], p["place"], p["computed_place"], p["special_mention"])
            for p in decision["places"]] == [(second.pk, 1, 2, False), (first.pk, 2, 1, False),
                                             (third.pk, None, None, True)]
    # the computed places stay in "results", as the run computed them
    assert {r["entry_id"]: r["place"] for r in data["results"]} == {
        first.pk: 1, second.pk: 2, third.pk: None}
